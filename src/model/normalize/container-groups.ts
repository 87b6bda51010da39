/**
 * Container groups, projected: only the fields network analysis needs are copied (identity, IP
 * address and ports, subnets, containers' names, images, ports and environment variable *names*).
 * Nothing else is read, so values of environment variables, secure values, commands, registry
 * credentials, volumes and extensions can never reach a snapshot.
 */
import { jsonPath } from '../../diagnostics';
import type { Container, ContainerGroup, ContainerPort } from '../snapshot';
import type { Identity } from './identity';
import { addressValue } from './network';
import type { JsonObject } from './raw';
import { describeType, type Reader } from './reader';
import { canonicalEnum } from './values';

const IP_TYPES = ['Public', 'Private'] as const;
const PORT_PROTOCOLS = ['TCP', 'UDP'] as const;

/** A container group and, when it uses a legacy network profile, the profile's lower-cased ID. */
export function normalizeContainerGroup(
  rd: Reader,
  ident: Identity,
  value: JsonObject,
  path: string,
): ContainerGroup {
  const location = rd.info(value, 'location');
  const [p, pp] = rd.props(value, path);
  const ipAddress = normalizeIpAddress(rd, p, pp);
  const subnetIds: string[] = [];
  const subnetItems = rd.list(p, 'subnetIds', pp);
  if (subnetItems.length > 0) {
    const base = jsonPath(pp, 'subnetIds');
    for (let i = 0; i < subnetItems.length; i++) {
      const item = rd.itemObject(subnetItems[i], base, i);
      const id = rd.requiredText(item, 'id', `${base}[${i}]`, 'subnet id').toLowerCase();
      if (!subnetIds.includes(id)) subnetIds.push(id);
    }
    if (subnetIds.length > 1) subnetIds.sort();
  }
  return {
    ...ident,
    location,
    osType: rd.info(p, 'osType'),
    provisioningState: rd.info(p, 'provisioningState'),
    ipAddress,
    subnetIds,
    networkProfileId: rd.ref(p, 'networkProfile', pp),
    containers: containers(rd, p, 'containers', pp),
    initContainers: containers(rd, p, 'initContainers', pp),
  };
}

function normalizeIpAddress(rd: Reader, p: JsonObject, pp: string): ContainerGroup['ipAddress'] {
  const ip = rd.object(p, 'ipAddress', pp);
  if (ip === null) return null;
  const base = jsonPath(pp, 'ipAddress');
  const typeText = rd.text(ip, 'type', base);
  let type: (typeof IP_TYPES)[number] | null = null;
  if (typeText !== null) {
    type = canonicalEnum(typeText, IP_TYPES);
    if (type === null) {
      rd.fatal(
        'INVALID_VALUE',
        `ipAddress type ${JSON.stringify(typeText)} is not Public or Private`,
        jsonPath(base, 'type'),
      );
    }
  }
  const ipText = rd.text(ip, 'ip', base);
  return {
    type,
    ip: ipText === null ? null : addressValue(rd, ipText, () => jsonPath(base, 'ip')),
    ports: ports(rd, ip, base),
    dnsNameLabel: rd.info(ip, 'dnsNameLabel'),
    fqdn: rd.info(ip, 'fqdn'),
  };
}

function containers(rd: Reader, p: JsonObject, key: string, pp: string): Container[] {
  const items = rd.list(p, key, pp);
  if (items.length === 0) return [];
  const base = jsonPath(pp, key);
  const out: Container[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = rd.itemObject(items[i], base, i);
    const itemPath = `${base}[${i}]`;
    const name = rd.requiredText(item, 'name', itemPath, 'container name');
    // REST and Resource Graph nest container fields under `properties`; the CLI and SDKs flatten them.
    const [cp, cpp] = rd.props(item, itemPath);
    out.push({
      name,
      image: rd.info(cp, 'image'),
      ports: ports(rd, cp, cpp),
      environmentVariableNames: environmentVariableNames(rd, cp, cpp),
    });
  }
  // Sorting is skipped for one element: the common case, and sort's setup costs more than the rest.
  if (out.length > 1) out.sort(byName);
  return out;
}

/** Names only, sorted; `value`, `secureValue` and `secureValueReference` are never read. */
function environmentVariableNames(rd: Reader, cp: JsonObject, cpp: string): string[] {
  const items = rd.list(cp, 'environmentVariables', cpp);
  if (items.length === 0) return [];
  const base = jsonPath(cpp, 'environmentVariables');
  const names: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = rd.itemObject(items[i], base, i);
    const name = rd.requiredText(item, 'name', `${base}[${i}]`, 'environment variable name');
    if (!names.includes(name)) names.push(name);
  }
  return names.length > 1 ? names.sort() : names;
}

/** `[{ port, protocol? }]` → canonical ports sorted by (port, protocol); protocol defaults to TCP. */
function ports(rd: Reader, obj: JsonObject, objPath: string): ContainerPort[] {
  const items = rd.list(obj, 'ports', objPath);
  if (items.length === 0) return [];
  const base = jsonPath(objPath, 'ports');
  const out: ContainerPort[] = [];
  for (let i = 0; i < items.length; i++) {
    const itemPath = `${base}[${i}]`;
    const item = rd.itemObject(items[i], base, i);
    const port = item['port'];
    if (typeof port === 'string') rd.literal(port, () => jsonPath(itemPath, 'port'));
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
      const found = typeof port === 'number' ? String(port) : describeType(port);
      rd.fatal(
        'INVALID_PORT',
        `container port must be an integer from 0 to 65535 (found ${found})`,
        jsonPath(itemPath, 'port'),
      );
    }
    const protocolText = rd.text(item, 'protocol', itemPath);
    let protocol: ContainerPort['protocol'] = 'TCP';
    if (protocolText !== null) {
      const p = canonicalEnum(protocolText, PORT_PROTOCOLS);
      if (p === null) {
        rd.fatal(
          'INVALID_VALUE',
          `port protocol ${JSON.stringify(protocolText)} is not TCP or UDP`,
          jsonPath(itemPath, 'protocol'),
        );
      }
      protocol = p;
    }
    let seen = false;
    for (const o of out) if (o.port === port && o.protocol === protocol) seen = true;
    if (!seen) out.push({ port, protocol });
  }
  return out.length > 1 ? out.sort(byPortThenProtocol) : out;
}

function byName(a: Container, b: Container): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function byPortThenProtocol(a: ContainerPort, b: ContainerPort): number {
  return a.port - b.port || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0);
}
