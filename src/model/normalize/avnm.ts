/**
 * Azure Virtual Network Manager: network groups and their static members, security admin rule
 * collections and their rules (evaluated before NSGs). Only `Custom` admin rules are modelled.
 */
import { jsonPath } from '../../diagnostics';
import type { Direction, NetworkGroup, SecurityAdminRule, SecurityAdminRuleCollection } from '../snapshot';
import { portValue, prefixValue } from './fields';
import type { Identity } from './identity';
import type { JsonObject } from './raw';
import { describeType, type Reader } from './reader';
import { parentResourceId } from './resource-id';
import { canonicalEnum, canonicalProtocol, classifyPrefix } from './values';

/** A network group; its static members are attached when the import is finished. */
export function normalizeNetworkGroup(ident: Identity): NetworkGroup {
  return { ...ident, staticMemberIds: [] };
}

/** A static member: the group it belongs to and the (lower-cased) VNet ID it adds. */
export function normalizeStaticMember(
  rd: Reader,
  originalId: string,
  value: JsonObject,
  path: string,
): { groupId: string; memberId: string } {
  const group = parentResourceId(originalId);
  if (group === null)
    rd.fatal('INVALID_VALUE', 'a static member id must name its network group', jsonPath(path, 'id'));
  const [p, pp] = rd.props(value, path);
  const member = rd.requiredText(p, 'resourceId', pp, 'static member resourceId');
  return { groupId: group.toLowerCase(), memberId: member.toLowerCase() };
}

/** A security admin rule collection and the network groups it applies to. */
export function normalizeRuleCollection(
  rd: Reader,
  ident: Identity,
  originalId: string,
  value: JsonObject,
  path: string,
): SecurityAdminRuleCollection {
  const configuration = parentResourceId(originalId);
  if (configuration === null) {
    rd.fatal(
      'INVALID_VALUE',
      'a rule collection id must name its security admin configuration',
      jsonPath(path, 'id'),
    );
  }
  const [p, pp] = rd.props(value, path);
  const items = rd.list(p, 'appliesToGroups', pp);
  const groups: string[] = [];
  const base = jsonPath(pp, 'appliesToGroups');
  for (let i = 0; i < items.length; i++) {
    const item = rd.itemObject(items[i], base, i);
    const id = rd.requiredText(item, 'networkGroupId', `${base}[${i}]`, 'networkGroupId').toLowerCase();
    if (!groups.includes(id)) groups.push(id);
  }
  return { ...ident, configurationId: configuration.toLowerCase(), appliesToGroupIds: groups.sort() };
}

const DIRECTIONS: readonly Direction[] = ['Inbound', 'Outbound'];
const ACCESS = ['Allow', 'AlwaysAllow', 'Deny'] as const;
const ADDRESS_TYPES = ['IPPrefix', 'ServiceTag'] as const;

/** A Custom admin rule; null (with an UNKNOWN_VALUE warning) for a `Default` rule, which aciseg does not model. */
export function normalizeAdminRule(
  rd: Reader,
  ident: Identity,
  originalId: string,
  value: JsonObject,
  path: string,
): SecurityAdminRule | null {
  const kind = rd.text(value, 'kind', path);
  if (kind !== null && kind.toLowerCase() !== 'custom') {
    if (kind.toLowerCase() === 'default') {
      rd.warn(
        'UNKNOWN_VALUE',
        `admin rule ${JSON.stringify(ident.name)} is a Default (Microsoft-managed) rule, which aciseg does not model; skipped`,
        jsonPath(path, 'kind'),
      );
      return null;
    }
    rd.fatal(
      'INVALID_VALUE',
      `admin rule kind ${JSON.stringify(kind)} is not Custom or Default`,
      jsonPath(path, 'kind'),
    );
  }
  const collection = parentResourceId(originalId);
  if (collection === null)
    rd.fatal('INVALID_VALUE', 'an admin rule id must name its rule collection', jsonPath(path, 'id'));
  const [p, pp] = rd.props(value, path);
  const priority = p['priority'];
  if (typeof priority === 'string') rd.literal(priority, () => jsonPath(pp, 'priority'));
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1 || priority > 4096) {
    const found = typeof priority === 'number' ? String(priority) : describeType(priority);
    rd.fatal(
      'INVALID_PRIORITY',
      `admin rule priority must be an integer from 1 to 4096 (found ${found})`,
      jsonPath(pp, 'priority'),
    );
  }
  const direction = rd.requiredEnum(p, 'direction', pp, DIRECTIONS);
  const access = rd.requiredEnum(p, 'access', pp, ACCESS);
  const protocolText = rd.requiredText(p, 'protocol', pp, 'protocol');
  const protocol = canonicalProtocol(protocolText);
  if (protocol === null) {
    rd.fatal(
      'INVALID_VALUE',
      `protocol ${JSON.stringify(protocolText)} is not one of Tcp, Udp, Icmp, Esp, Ah, Any`,
      jsonPath(pp, 'protocol'),
    );
  }
  return {
    ...ident,
    ruleCollectionId: collection.toLowerCase(),
    priority,
    direction,
    access,
    protocol,
    sources: addresses(rd, p, pp, 'sources'),
    destinations: addresses(rd, p, pp, 'destinations'),
    sourcePortRanges: portRanges(rd, p, pp, 'sourcePortRanges'),
    destinationPortRanges: portRanges(rd, p, pp, 'destinationPortRanges'),
  };
}

/** `[{ addressPrefix, addressPrefixType }]`; an empty list means any address (`*`). */
function addresses(rd: Reader, p: JsonObject, pp: string, key: string): SecurityAdminRule['sources'] {
  const items = rd.list(p, key, pp);
  if (items.length === 0) return [{ addressPrefix: '*', addressPrefixType: 'IPPrefix' }];
  const base = jsonPath(pp, key);
  const out: SecurityAdminRule['sources'] = [];
  for (let i = 0; i < items.length; i++) {
    const itemPath = `${base}[${i}]`;
    const item = rd.itemObject(items[i], base, i);
    const typeText = rd.requiredText(item, 'addressPrefixType', itemPath, 'addressPrefixType');
    const type = canonicalEnum(typeText, ADDRESS_TYPES);
    if (type === null) {
      const hint =
        typeText.toLowerCase() === 'networkgroup'
          ? ' (network-group addresses are not supported by aciseg yet)'
          : '';
      rd.fatal(
        'INVALID_VALUE',
        `addressPrefixType ${JSON.stringify(typeText)} is not IPPrefix or ServiceTag${hint}`,
        jsonPath(itemPath, 'addressPrefixType'),
      );
    }
    const text = rd.requiredText(item, 'addressPrefix', itemPath, 'addressPrefix');
    const outcome = classifyPrefix(text);
    // IPPrefix holds addresses or `*`; ServiceTag holds tag names. A mismatch is a mistake, not a hint.
    if (outcome.ok && type === 'IPPrefix' && !outcome.isAddress && outcome.value !== '*') {
      rd.fatal(
        'INVALID_PREFIX',
        `${JSON.stringify(text)} is a service tag but addressPrefixType is IPPrefix`,
        jsonPath(itemPath, 'addressPrefix'),
      );
    }
    if (outcome.ok && type === 'ServiceTag' && (outcome.isAddress || outcome.value === '*')) {
      rd.fatal(
        'INVALID_PREFIX',
        `${JSON.stringify(text)} is not a service tag but addressPrefixType is ServiceTag`,
        jsonPath(itemPath, 'addressPrefix'),
      );
    }
    const addressPrefix = prefixValue(rd, text, 'prefix-or-tag', itemPath, 'addressPrefix');
    if (!out.some((a) => a.addressPrefix === addressPrefix && a.addressPrefixType === type)) {
      out.push({ addressPrefix, addressPrefixType: type });
    }
  }
  return out;
}

/** Port ranges in input order without duplicates; an empty list means any port (`*`). */
function portRanges(rd: Reader, p: JsonObject, pp: string, key: string): string[] {
  const items = rd.list(p, key, pp);
  if (items.length === 0) return ['*'];
  const base = jsonPath(pp, key);
  const out: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const text = rd.itemText(items[i], base, i);
    if (text === null) continue;
    const value = portValue(rd, text, base, i);
    if (!out.includes(value)) out.push(value);
  }
  return out.length > 0 ? out : ['*'];
}
