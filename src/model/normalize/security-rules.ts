/**
 * NSG security rules: one rule object (REST/ARG/template nested under `properties`, or flattened by
 * the az CLI and the SDKs) → a canonical `SecurityRule`; the six default rules Azure adds to every NSG.
 */
import { jsonPath } from '../../diagnostics';
import type { Direction, SecurityRule } from '../snapshot';
import { exactSize, mergedPortRanges, mergedPrefixes } from './fields';
import type { JsonObject } from './raw';
import { describeType, type Reader } from './reader';
import { canonicalProtocol } from './values';

export type RuleKind = 'custom' | 'default';

const DIRECTIONS: readonly Direction[] = ['Inbound', 'Outbound'];
const ACCESS: readonly ('Allow' | 'Deny')[] = ['Allow', 'Deny'];

/** Normalizes one security rule; fatal diagnostics (and a thrown Rejected) for values Azure would reject. */
export function normalizeSecurityRule(
  rd: Reader,
  rule: JsonObject,
  path: string,
  kind: RuleKind,
  /** The name when the rule is a standalone child resource (its `name` may be a full `nsg/rule` template name). */
  nameFromIdentity?: string,
): SecurityRule {
  const name = nameFromIdentity ?? rd.requiredText(rule, 'name', path, 'rule name');
  const [p, pp] = rd.props(rule, path);
  const priority = rulePriority(rd, p, pp, kind);
  const direction = rd.requiredEnum(p, 'direction', pp, DIRECTIONS);
  const access = rd.requiredEnum(p, 'access', pp, ACCESS);
  const protocolText = rd.requiredText(p, 'protocol', pp, 'protocol');
  const protocol = canonicalProtocol(protocolText);
  if (protocol === null) {
    rd.fatal(
      'INVALID_VALUE',
      `protocol ${JSON.stringify(protocolText)} is not one of Tcp, Udp, Icmp, Esp, Ah, * (Any)`,
      jsonPath(pp, 'protocol'),
    );
  }
  const sourceAddressPrefixes = mergedPrefixes(
    rd,
    p,
    'sourceAddressPrefix',
    'sourceAddressPrefixes',
    pp,
    'prefix-or-tag',
  );
  const sourcePortRanges = requiredPorts(rd, p, pp, 'sourcePortRange', 'sourcePortRanges');
  const destinationAddressPrefixes = mergedPrefixes(
    rd,
    p,
    'destinationAddressPrefix',
    'destinationAddressPrefixes',
    pp,
    'prefix-or-tag',
  );
  const destinationPortRanges = requiredPorts(rd, p, pp, 'destinationPortRange', 'destinationPortRanges');
  const sourceApplicationSecurityGroupIds = asgIds(rd, p, pp, 'sourceApplicationSecurityGroups');
  const destinationApplicationSecurityGroupIds = asgIds(rd, p, pp, 'destinationApplicationSecurityGroups');
  if (sourceAddressPrefixes.length === 0 && sourceApplicationSecurityGroupIds.length === 0) {
    rd.fatal(
      'MISSING_FIELD',
      'the rule has no source: set sourceAddressPrefix(es) or sourceApplicationSecurityGroups',
      jsonPath(pp, 'sourceAddressPrefix'),
    );
  }
  if (destinationAddressPrefixes.length === 0 && destinationApplicationSecurityGroupIds.length === 0) {
    rd.fatal(
      'MISSING_FIELD',
      'the rule has no destination: set destinationAddressPrefix(es) or destinationApplicationSecurityGroups',
      jsonPath(pp, 'destinationAddressPrefix'),
    );
  }
  return {
    name,
    description: rd.info(p, 'description'),
    priority,
    direction,
    access,
    protocol,
    sourceAddressPrefixes,
    sourcePortRanges,
    destinationAddressPrefixes,
    destinationPortRanges,
    sourceApplicationSecurityGroupIds,
    destinationApplicationSecurityGroupIds,
  };
}

/**
 * Custom rules take 100–4096, default rules 65000–65500. Priorities must be JSON integers: Azure
 * returns numbers, and a string such as "100" is rejected rather than coerced.
 */
function rulePriority(rd: Reader, p: JsonObject, pp: string, kind: RuleKind): number {
  const v = p['priority'];
  if (v === undefined || v === null)
    rd.fatal('MISSING_FIELD', 'priority is missing', jsonPath(pp, 'priority'));
  if (typeof v === 'string') rd.literal(v, () => jsonPath(pp, 'priority'));
  const lo = kind === 'custom' ? 100 : 65000;
  const hi = kind === 'custom' ? 4096 : 65500;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    const found = typeof v === 'number' ? String(v) : `${describeType(v)} ${JSON.stringify(v)}`;
    rd.fatal(
      'INVALID_PRIORITY',
      `priority ${found} is not valid: ${kind} rules need an integer from ${lo} to ${hi}`,
      jsonPath(pp, 'priority'),
    );
  }
  return v;
}

function requiredPorts(rd: Reader, p: JsonObject, pp: string, singular: string, plural: string): string[] {
  const ranges = mergedPortRanges(rd, p, singular, plural, pp);
  if (ranges.length === 0)
    rd.fatal('MISSING_FIELD', `neither ${singular} nor ${plural} is set`, jsonPath(pp, singular));
  return ranges;
}

function asgIds(rd: Reader, p: JsonObject, pp: string, key: string): string[] {
  const items = rd.list(p, key, pp);
  if (items.length === 0) return [];
  const base = jsonPath(pp, key);
  const out: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = rd.itemObject(items[i], base, i);
    const id = rd.requiredText(item, 'id', `${base}[${i}]`, 'application security group id').toLowerCase();
    if (!out.includes(id)) out.push(id);
  }
  return exactSize(out);
}

function defaultRule(
  name: string,
  description: string,
  priority: number,
  direction: Direction,
  access: 'Allow' | 'Deny',
  source: string,
  destination: string,
): SecurityRule {
  return Object.freeze({
    name,
    description,
    priority,
    direction,
    access,
    protocol: '*',
    sourceAddressPrefixes: [source],
    sourcePortRanges: ['*'],
    destinationAddressPrefixes: [destination],
    destinationPortRanges: ['*'],
    sourceApplicationSecurityGroupIds: [],
    destinationApplicationSecurityGroupIds: [],
  });
}

/** The six default rules exactly as the Azure API returns them (docs/semantics.md §2), in snapshot order. */
export const DEFAULT_SECURITY_RULES: readonly SecurityRule[] = Object.freeze([
  defaultRule(
    'AllowVnetInBound',
    'Allow inbound traffic from all VMs in VNET',
    65000,
    'Inbound',
    'Allow',
    'VirtualNetwork',
    'VirtualNetwork',
  ),
  defaultRule(
    'AllowAzureLoadBalancerInBound',
    'Allow inbound traffic from azure load balancer',
    65001,
    'Inbound',
    'Allow',
    'AzureLoadBalancer',
    '*',
  ),
  defaultRule('DenyAllInBound', 'Deny all inbound traffic', 65500, 'Inbound', 'Deny', '*', '*'),
  defaultRule(
    'AllowVnetOutBound',
    'Allow outbound traffic from all VMs to all VMs in VNET',
    65000,
    'Outbound',
    'Allow',
    'VirtualNetwork',
    'VirtualNetwork',
  ),
  defaultRule(
    'AllowInternetOutBound',
    'Allow outbound traffic from all VMs to Internet',
    65001,
    'Outbound',
    'Allow',
    '*',
    'Internet',
  ),
  defaultRule('DenyAllOutBound', 'Deny all outbound traffic', 65500, 'Outbound', 'Deny', '*', '*'),
]);

/** Orders rules the way they are evaluated and stored: Inbound first, then by priority, then by name. */
export function compareRules(a: SecurityRule, b: SecurityRule): number {
  if (a.direction !== b.direction) return a.direction === 'Inbound' ? -1 : 1;
  if (a.priority !== b.priority) return a.priority - b.priority;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
