/**
 * Virtual networks (with their inline subnets and peerings), standalone subnets and peerings, route
 * tables and routes, application security groups, and the two resources used only to resolve
 * references: network profiles (legacy ACI) and virtual network gateways.
 */
import { jsonPath } from '../../diagnostics';
import { parsePrefix } from '../../net/address';
import type {
  ApplicationSecurityGroup,
  Route,
  RouteTable,
  Subnet,
  VirtualNetwork,
  VirtualNetworkPeering,
} from '../snapshot';
import { mergedPrefixes, prefixValue } from './fields';
import { childIdentity, type Identity } from './identity';
import { isObject, type JsonObject } from './raw';
import { Rejected, type Reader } from './reader';
import { parentResourceId } from './resource-id';
import { canonicalEnum } from './values';

/** A normalized record with where it was defined. */
export interface Located<T> {
  record: T;
  path: string;
}

export interface VirtualNetworkParts {
  vnet: VirtualNetwork;
  subnets: Located<Subnet>[];
  peerings: Located<VirtualNetworkPeering>[];
  /** Gateways found through the subnets' IP configurations. */
  gatewayIds: string[];
}

/** A VNet and the subnets and peerings written inline in it. */
export function normalizeVirtualNetwork(
  rd: Reader,
  ident: Identity,
  originalId: string,
  value: JsonObject,
  path: string,
): VirtualNetworkParts {
  const location = rd.info(value, 'location');
  const [p, pp] = rd.props(value, path);
  let addressPrefixes: string[] = [];
  // Checked on its own so the subnets' problems are reported too (the fatal diagnostic is already recorded).
  const spaceOk = guard(() => {
    const space = rd.object(p, 'addressSpace', pp);
    if (space !== null)
      addressPrefixes = mergedPrefixes(
        rd,
        space,
        null,
        'addressPrefixes',
        jsonPath(pp, 'addressSpace'),
        'cidr',
      );
  });
  const vnet: VirtualNetwork = { ...ident, location, addressPrefixes, gatewayIds: [] };
  const subnets: Located<Subnet>[] = [];
  const gatewayIds: string[] = [];
  const subnetItems = rd.list(p, 'subnets', pp);
  const subnetsPath = subnetItems.length > 0 ? jsonPath(pp, 'subnets') : '';
  for (let i = 0; i < subnetItems.length; i++) {
    const itemPath = `${subnetsPath}[${i}]`;
    guard(() => {
      const item = rd.itemObject(subnetItems[i], subnetsPath, i);
      const childIdent = childIdentity(rd, item, itemPath, originalId, 'subnets');
      const subnet = normalizeSubnetBody(rd, childIdent, ident.id, item, itemPath, gatewayIds);
      subnets.push({ record: subnet, path: itemPath });
    });
  }
  const peerings: Located<VirtualNetworkPeering>[] = [];
  const peeringItems = rd.list(p, 'virtualNetworkPeerings', pp);
  const peeringsPath = peeringItems.length > 0 ? jsonPath(pp, 'virtualNetworkPeerings') : '';
  for (let i = 0; i < peeringItems.length; i++) {
    const itemPath = `${peeringsPath}[${i}]`;
    guard(() => {
      const item = rd.itemObject(peeringItems[i], peeringsPath, i);
      const childIdent = childIdentity(rd, item, itemPath, originalId, 'virtualNetworkPeerings');
      peerings.push({
        record: normalizePeeringBody(rd, childIdent, ident.id, item, itemPath),
        path: itemPath,
      });
    });
  }
  if (!spaceOk) throw new Rejected('the address space was rejected');
  return { vnet, subnets, peerings, gatewayIds };
}

/** Runs `fn`; false when it was Rejected (its fatal diagnostic is already recorded), so later items are still checked. */
function guard(fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (!(e instanceof Rejected)) throw e;
    return false;
  }
}

/** A standalone subnet (its VNet is the parent in its ID). */
export function normalizeSubnet(
  rd: Reader,
  ident: Identity,
  originalId: string,
  value: JsonObject,
  path: string,
  gatewayIds: string[],
): Subnet {
  const parent = parentResourceId(originalId);
  if (parent === null)
    rd.fatal('INVALID_VALUE', 'a subnet id must name its virtual network', jsonPath(path, 'id'));
  return normalizeSubnetBody(rd, ident, parent.toLowerCase(), value, path, gatewayIds);
}

function normalizeSubnetBody(
  rd: Reader,
  ident: Identity,
  virtualNetworkId: string,
  value: JsonObject,
  path: string,
  gatewayIds: string[],
): Subnet {
  const [p, pp] = rd.props(value, path);
  const addressPrefixes = mergedPrefixes(rd, p, 'addressPrefix', 'addressPrefixes', pp, 'cidr');
  const networkSecurityGroupId = rd.ref(p, 'networkSecurityGroup', pp);
  const routeTableId = rd.ref(p, 'routeTable', pp);
  const natGatewayId = rd.ref(p, 'natGateway', pp);
  const delegations: string[] = [];
  const delegationItems = rd.list(p, 'delegations', pp);
  if (delegationItems.length > 0) {
    const base = jsonPath(pp, 'delegations');
    for (let i = 0; i < delegationItems.length; i++) {
      const item = rd.itemObject(delegationItems[i], base, i);
      const [dp, dpp] = rd.props(item, `${base}[${i}]`);
      const service = rd.requiredText(dp, 'serviceName', dpp, 'delegation serviceName');
      if (!delegations.includes(service)) delegations.push(service);
    }
  }
  // A gateway shows up in its subnet's IP configurations; it brings on-premises prefixes into VirtualNetwork.
  const ipConfigurations = rd.list(p, 'ipConfigurations', pp);
  // These are read-only back-references; entries that are not `{ id }` objects carry nothing we need.
  for (const item of ipConfigurations) {
    if (!isObject(item)) continue;
    const id = item['id'];
    if (typeof id !== 'string') continue;
    const gateway = gatewayIdFromChildId(id);
    if (gateway !== null && !gatewayIds.includes(gateway)) gatewayIds.push(gateway);
  }
  return {
    ...ident,
    virtualNetworkId,
    addressPrefixes,
    networkSecurityGroupId,
    routeTableId,
    natGatewayId,
    delegations,
  };
}

/** `…/virtualNetworkGateways/gw/ipConfigurations/x` → the lower-cased gateway ID, else null. */
export function gatewayIdFromChildId(id: string): string | null {
  const lower = id.toLowerCase();
  const marker = '/providers/microsoft.network/virtualnetworkgateways/';
  const at = lower.indexOf(marker);
  if (at < 0) return null;
  const nameStart = at + marker.length;
  const nameEnd = lower.indexOf('/', nameStart);
  const gateway = nameEnd < 0 ? lower : lower.slice(0, nameEnd);
  return nameEnd === nameStart ? null : gateway;
}

const PEERING_STATES = ['Initiated', 'Connected', 'Disconnected'] as const;
const SYNC_LEVELS = ['FullyInSync', 'RemoteNotInSync', 'LocalNotInSync', 'LocalAndRemoteNotInSync'] as const;

/** A standalone peering (its VNet is the parent in its ID). */
export function normalizePeering(
  rd: Reader,
  ident: Identity,
  originalId: string,
  value: JsonObject,
  path: string,
): VirtualNetworkPeering {
  const parent = parentResourceId(originalId);
  if (parent === null)
    rd.fatal('INVALID_VALUE', 'a peering id must name its virtual network', jsonPath(path, 'id'));
  return normalizePeeringBody(rd, ident, parent.toLowerCase(), value, path);
}

function normalizePeeringBody(
  rd: Reader,
  ident: Identity,
  virtualNetworkId: string,
  value: JsonObject,
  path: string,
): VirtualNetworkPeering {
  const [p, pp] = rd.props(value, path);
  const remoteVirtualNetworkId = rd.ref(p, 'remoteVirtualNetwork', pp);
  // What is actually peered (remoteAddressSpace) beats the remote VNet's current space (they differ while not in sync).
  let remoteAddressPrefixes = addressSpacePrefixes(rd, p, 'remoteAddressSpace', pp);
  if (remoteAddressPrefixes.length === 0) {
    remoteAddressPrefixes = addressSpacePrefixes(rd, p, 'remoteVirtualNetworkAddressSpace', pp);
  }
  const state = rd.text(p, 'peeringState', pp);
  const sync = rd.text(p, 'peeringSyncLevel', pp);
  return {
    ...ident,
    virtualNetworkId,
    remoteVirtualNetworkId,
    remoteAddressPrefixes: remoteAddressPrefixes.length > 0 ? remoteAddressPrefixes : null,
    peeringState: state === null ? null : (canonicalEnum(state, PEERING_STATES) ?? state),
    peeringSyncLevel: sync === null ? null : (canonicalEnum(sync, SYNC_LEVELS) ?? sync),
    allowVirtualNetworkAccess: rd.bool(p, 'allowVirtualNetworkAccess', pp, true),
    allowForwardedTraffic: rd.bool(p, 'allowForwardedTraffic', pp, false),
    allowGatewayTransit: rd.bool(p, 'allowGatewayTransit', pp, false),
    useRemoteGateways: rd.bool(p, 'useRemoteGateways', pp, false),
  };
}

function addressSpacePrefixes(rd: Reader, p: JsonObject, key: string, pp: string): string[] {
  const space = rd.object(p, key, pp);
  return space === null ? [] : mergedPrefixes(rd, space, null, 'addressPrefixes', jsonPath(pp, key), 'cidr');
}

const NEXT_HOP_TYPES = [
  'VirtualNetworkGateway',
  'VnetLocal',
  'Internet',
  'VirtualAppliance',
  'None',
  'VirtualApplianceEcmp',
] as const;

/** A route table with its inline routes (sorted by name). */
export function normalizeRouteTable(
  rd: Reader,
  ident: Identity,
  value: JsonObject,
  path: string,
): { table: RouteTable; routePaths: string[] } {
  const location = rd.info(value, 'location');
  const [p, pp] = rd.props(value, path);
  const disableBgpRoutePropagation = rd.bool(p, 'disableBgpRoutePropagation', pp, false);
  const items = rd.list(p, 'routes', pp);
  const routes: Route[] = [];
  const routePaths: string[] = [];
  if (items.length > 0) {
    const base = jsonPath(pp, 'routes');
    for (let i = 0; i < items.length; i++) {
      guard(() => {
        const item = rd.itemObject(items[i], base, i);
        routes.push(normalizeRoute(rd, item, `${base}[${i}]`));
        routePaths.push(`${base}[${i}]`);
      });
    }
  }
  return { table: { ...ident, location, disableBgpRoutePropagation, routes }, routePaths };
}

/** One route: a CIDR or service tag, a next-hop type, and a next-hop address for appliances. */
export function normalizeRoute(rd: Reader, item: JsonObject, path: string, nameFromIdentity?: string): Route {
  const name = nameFromIdentity ?? rd.requiredText(item, 'name', path, 'route name');
  const [p, pp] = rd.props(item, path);
  const prefixText = rd.requiredText(p, 'addressPrefix', pp, 'route addressPrefix');
  const addressPrefix = prefixValue(rd, prefixText, 'prefix-or-tag', pp, 'addressPrefix');
  const hopText = rd.requiredText(p, 'nextHopType', pp, 'route nextHopType');
  let nextHopType: string | null = canonicalEnum(hopText, NEXT_HOP_TYPES);
  if (nextHopType === null) {
    rd.warn(
      'UNKNOWN_VALUE',
      `nextHopType ${JSON.stringify(hopText)} is not one aciseg knows (${NEXT_HOP_TYPES.join(', ')}); kept as written`,
      jsonPath(pp, 'nextHopType'),
    );
    nextHopType = hopText;
  }
  const hopIp = rd.text(p, 'nextHopIpAddress', pp);
  return {
    name,
    addressPrefix,
    nextHopType,
    nextHopIpAddress: hopIp === null ? null : addressValue(rd, hopIp, () => jsonPath(pp, 'nextHopIpAddress')),
  };
}

/** A single IP address in canonical text (no prefix length); fatal INVALID_PREFIX otherwise. */
export function addressValue(rd: Reader, text: string, path: () => string): string {
  const parsed = text.includes('/') ? null : parsePrefix(text);
  if (parsed === null)
    return rd.fatal('INVALID_PREFIX', `${JSON.stringify(text)} is not a valid IP address`, path());
  return parsed.canonical.slice(0, parsed.canonical.indexOf('/'));
}

/** An application security group (only its identity matters: membership lives on NICs, which ACI has none of). */
export function normalizeApplicationSecurityGroup(
  rd: Reader,
  ident: Identity,
  value: JsonObject,
): ApplicationSecurityGroup {
  return { ...ident, location: rd.info(value, 'location') };
}

/** Subnet IDs a legacy network profile puts its containers in (`containerNetworkInterfaceConfigurations[].ipConfigurations[].subnet.id`). */
export function networkProfileSubnetIds(rd: Reader, value: JsonObject, path: string): string[] {
  const [p, pp] = rd.props(value, path);
  const out: string[] = [];
  const configs = rd.list(p, 'containerNetworkInterfaceConfigurations', pp);
  const configsPath = jsonPath(pp, 'containerNetworkInterfaceConfigurations');
  for (let i = 0; i < configs.length; i++) {
    const config = rd.itemObject(configs[i], configsPath, i);
    const [cp, cpp] = rd.props(config, `${configsPath}[${i}]`);
    const ipConfigs = rd.list(cp, 'ipConfigurations', cpp);
    const ipPath = jsonPath(cpp, 'ipConfigurations');
    for (let j = 0; j < ipConfigs.length; j++) {
      const ipConfig = rd.itemObject(ipConfigs[j], ipPath, j);
      const [ip, ipp] = rd.props(ipConfig, `${ipPath}[${j}]`);
      const subnet = rd.ref(ip, 'subnet', ipp);
      if (subnet !== null && !out.includes(subnet)) out.push(subnet);
    }
  }
  return out;
}

/** VNet IDs a virtual network gateway is attached to (through `ipConfigurations[].subnet.id`). */
export function gatewayVirtualNetworkIds(rd: Reader, value: JsonObject, path: string): string[] {
  const [p, pp] = rd.props(value, path);
  const out: string[] = [];
  const ipConfigs = rd.list(p, 'ipConfigurations', pp);
  const ipPath = jsonPath(pp, 'ipConfigurations');
  for (let i = 0; i < ipConfigs.length; i++) {
    const ipConfig = rd.itemObject(ipConfigs[i], ipPath, i);
    const [ip, ipp] = rd.props(ipConfig, `${ipPath}[${i}]`);
    const subnet = rd.ref(ip, 'subnet', ipp);
    if (subnet === null) continue;
    const vnet = parentResourceId(subnet);
    if (vnet !== null && !out.includes(vnet)) out.push(vnet);
  }
  return out;
}
