/**
 * Builders for valid `Snapshot` objects in unit tests, so tests state only what they care about.
 *
 * Conventions (the snapshot's own, see src/model/snapshot.ts):
 * - ids and references are lower-cased ARM ids; names keep their case;
 * - values are taken as given: pass canonical prefixes (`10.0.0.0/24`, `10.0.0.4/32`) and port
 *   ranges (`*`, `80`, `80-90`); builders do not normalize;
 * - `makeSnapshot` validates the result with the zod schema, so a builder mistake fails loudly.
 *   Arrays keep the order they were given in (tests that care about order sort them).
 *
 * Typical use:
 *   const vnet = makeVnet({ name: 'vnet-app', addressPrefixes: ['10.1.0.0/16'] });
 *   const nsg = makeNsg({ name: 'nsg-web', rules: [makeRule({ priority: 100, source: 'Internet', destinationPorts: '22' })] });
 *   const subnet = makeSubnet(vnet, { name: 'snet-web', addressPrefixes: ['10.1.1.0/24'], nsg });
 *   const cg = makeContainerGroup({ name: 'web', subnet, ip: '10.1.1.4', ports: [80] });
 *   const snapshot = makeSnapshot({ virtualNetworks: [vnet], subnets: [subnet], networkSecurityGroups: [nsg], containerGroups: [cg] });
 */
import {
  SCHEMA_VERSION,
  Snapshot,
  type ApplicationSecurityGroup,
  type Container,
  type ContainerGroup,
  type ContainerPort,
  type Direction,
  type NetworkSecurityGroup,
  type Protocol,
  type Route,
  type RouteTable,
  type SecurityRule,
  type Subnet,
  type VirtualNetwork,
  type VirtualNetworkPeering,
} from '../../src/model/snapshot';
import { snapshotValueProblems } from '../../src/model/snapshot-values';
import { VERSION } from '../../src/version';

/** The subscription builders use unless told otherwise (fake). */
export const TEST_SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';
/** The resource group builders use unless told otherwise. */
export const TEST_RESOURCE_GROUP = 'rg-test';
/** The service name of an ACI subnet delegation. */
export const ACI_DELEGATION = 'Microsoft.ContainerInstance/containerGroups';

/** Where a resource lives; every builder accepts these. */
export interface Placement {
  resourceGroup?: string;
  subscriptionId?: string;
  location?: string | null;
}

/** Returns the lower-cased ARM id of a top-level resource, e.g. `armId('Microsoft.Network/virtualNetworks', 'vnet1')`. */
export function armId(type: string, name: string, placement: Placement = {}): string {
  const sub = placement.subscriptionId ?? TEST_SUBSCRIPTION;
  const rg = placement.resourceGroup ?? TEST_RESOURCE_GROUP;
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/${type}/${name}`.toLowerCase();
}

function base(type: string, name: string, placement: Placement) {
  return {
    id: armId(type, name, placement),
    name,
    resourceGroup: placement.resourceGroup ?? TEST_RESOURCE_GROUP,
    subscriptionId: placement.subscriptionId ?? TEST_SUBSCRIPTION,
  };
}

/** A reference given as the resource itself or as its id. */
type Ref = { id: string } | string;
const refId = (ref: Ref): string => (typeof ref === 'string' ? ref.toLowerCase() : ref.id);

/** A child resource's group and subscription: the parent's when given as an object, else read from the id. */
function parentPlacement(parent: Ref): { resourceGroup: string | null; subscriptionId: string | null } {
  if (typeof parent === 'object' && 'resourceGroup' in parent && 'subscriptionId' in parent) {
    const p = parent as { resourceGroup: string | null; subscriptionId: string | null };
    return { resourceGroup: p.resourceGroup, subscriptionId: p.subscriptionId };
  }
  const match = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\//.exec(refId(parent));
  return { resourceGroup: match?.[2] ?? null, subscriptionId: match?.[1] ?? null };
}

// ---------------------------------------------------------------------------------------------
// Snapshot

/** Returns a schema-valid snapshot made of the given parts (every array defaults to empty); throws when invalid. */
export function makeSnapshot(parts: Partial<Snapshot> = {}): Snapshot {
  const snapshot: Snapshot = {
    schemaVersion: SCHEMA_VERSION,
    generator: { name: 'aciseg', version: VERSION },
    source: { kind: 'import', collectedAt: null },
    virtualNetworks: [],
    subnets: [],
    virtualNetworkPeerings: [],
    networkSecurityGroups: [],
    routeTables: [],
    applicationSecurityGroups: [],
    containerGroups: [],
    networkGroups: [],
    securityAdminRuleCollections: [],
    securityAdminRules: [],
    skippedResourceTypes: [],
    diagnostics: [],
    ...parts,
    origins: parts.origins ?? [],
  };
  const result = Snapshot.safeParse(snapshot);
  if (!result.success) {
    throw new Error(`makeSnapshot: invalid snapshot: ${JSON.stringify(result.error.issues, null, 2)}`);
  }
  const problems = snapshotValueProblems(result.data);
  if (problems.length > 0)
    throw new Error(`makeSnapshot: invalid values: ${JSON.stringify(problems, null, 2)}`);
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// Virtual networks, subnets, peerings

export interface VnetOptions extends Placement {
  name: string;
  addressPrefixes?: string[];
  gatewayIds?: string[];
}

/** Returns a virtual network (default address space 10.0.0.0/16, location westeurope). */
export function makeVnet(options: VnetOptions): VirtualNetwork {
  return {
    ...base('Microsoft.Network/virtualNetworks', options.name, options),
    location: options.location === undefined ? 'westeurope' : options.location,
    addressPrefixes: options.addressPrefixes ?? ['10.0.0.0/16'],
    gatewayIds: (options.gatewayIds ?? []).map((g) => g.toLowerCase()),
  };
}

export interface SubnetOptions {
  name: string;
  addressPrefixes: string[];
  /** The NSG (or its id) the subnet names; null or absent for none. */
  nsg?: Ref | null;
  routeTable?: Ref | null;
  natGatewayId?: string | null;
  /** Delegated service names; use `[ACI_DELEGATION]` for an ACI subnet. */
  delegations?: string[];
}

/** Returns a subnet of `vnet` (the VNet or its id); the subnet's placement follows the VNet id. */
export function makeSubnet(vnet: Ref, options: SubnetOptions): Subnet {
  const vnetId = refId(vnet);
  return {
    id: `${vnetId}/subnets/${options.name}`.toLowerCase(),
    name: options.name,
    ...parentPlacement(vnet),
    virtualNetworkId: vnetId,
    addressPrefixes: options.addressPrefixes,
    networkSecurityGroupId: options.nsg ? refId(options.nsg) : null,
    routeTableId: options.routeTable ? refId(options.routeTable) : null,
    natGatewayId: options.natGatewayId ? options.natGatewayId.toLowerCase() : null,
    delegations: options.delegations ?? [],
  };
}

export interface PeeringOptions {
  name: string;
  /** Peered prefixes; defaults to the remote VNet's address space when it is given as an object, else null. */
  remoteAddressPrefixes?: string[] | null;
  peeringState?: string | null;
  peeringSyncLevel?: string | null;
  allowVirtualNetworkAccess?: boolean;
  allowForwardedTraffic?: boolean;
  allowGatewayTransit?: boolean;
  useRemoteGateways?: boolean;
}

/** Returns a peering from `local` to `remote` (resources or ids; remote null for none), Connected and FullyInSync by default. */
export function makePeering(local: Ref, remote: Ref | null, options: PeeringOptions): VirtualNetworkPeering {
  const localId = refId(local);
  const remotePrefixes =
    options.remoteAddressPrefixes !== undefined
      ? options.remoteAddressPrefixes
      : remote !== null && typeof remote === 'object' && 'addressPrefixes' in remote
        ? [...(remote as VirtualNetwork).addressPrefixes]
        : null;
  return {
    id: `${localId}/virtualnetworkpeerings/${options.name}`.toLowerCase(),
    name: options.name,
    ...parentPlacement(local),
    virtualNetworkId: localId,
    remoteVirtualNetworkId: remote === null ? null : refId(remote),
    remoteAddressPrefixes: remotePrefixes,
    peeringState: options.peeringState === undefined ? 'Connected' : options.peeringState,
    peeringSyncLevel: options.peeringSyncLevel === undefined ? 'FullyInSync' : options.peeringSyncLevel,
    allowVirtualNetworkAccess: options.allowVirtualNetworkAccess ?? true,
    allowForwardedTraffic: options.allowForwardedTraffic ?? false,
    allowGatewayTransit: options.allowGatewayTransit ?? false,
    useRemoteGateways: options.useRemoteGateways ?? false,
  };
}

// ---------------------------------------------------------------------------------------------
// NSGs and rules

export interface RuleOptions {
  priority: number;
  name?: string;
  description?: string | null;
  direction?: Direction;
  access?: 'Allow' | 'Deny';
  protocol?: Protocol;
  /** Source prefixes or tags; a string is one entry. Default `*`. */
  source?: string | string[];
  sourcePorts?: string | string[];
  destination?: string | string[];
  destinationPorts?: string | string[];
  sourceAsgIds?: string[];
  destinationAsgIds?: string[];
}

const list = (v: string | string[] | undefined, fallback: string[]): string[] =>
  v === undefined ? fallback : typeof v === 'string' ? [v] : v;

/** Returns a security rule: Inbound Allow Tcp `*` → `*` on every port unless told otherwise; name derives from the priority. */
export function makeRule(options: RuleOptions): SecurityRule {
  const direction = options.direction ?? 'Inbound';
  const access = options.access ?? 'Allow';
  return {
    name: options.name ?? `${access.toLowerCase()}-${direction.toLowerCase()}-${options.priority}`,
    description: options.description ?? null,
    priority: options.priority,
    direction,
    access,
    protocol: options.protocol ?? 'Tcp',
    sourceAddressPrefixes: options.sourceAsgIds?.length
      ? list(options.source, [])
      : list(options.source, ['*']),
    sourcePortRanges: list(options.sourcePorts, ['*']),
    destinationAddressPrefixes: options.destinationAsgIds?.length
      ? list(options.destination, [])
      : list(options.destination, ['*']),
    destinationPortRanges: list(options.destinationPorts, ['*']),
    sourceApplicationSecurityGroupIds: (options.sourceAsgIds ?? []).map((a) => a.toLowerCase()),
    destinationApplicationSecurityGroupIds: (options.destinationAsgIds ?? []).map((a) => a.toLowerCase()),
  };
}

/** Returns the six default rules exactly as the API names and orders them (Inbound first, by priority). */
export function makeDefaultRules(): SecurityRule[] {
  const rule = (
    name: string,
    direction: Direction,
    priority: number,
    access: 'Allow' | 'Deny',
    source: string,
    destination: string,
    description: string,
  ): SecurityRule =>
    makeRule({ name, direction, priority, access, protocol: '*', source, destination, description });
  return [
    rule(
      'AllowVnetInBound',
      'Inbound',
      65000,
      'Allow',
      'VirtualNetwork',
      'VirtualNetwork',
      'Allow inbound traffic from all VMs in VNET',
    ),
    rule(
      'AllowAzureLoadBalancerInBound',
      'Inbound',
      65001,
      'Allow',
      'AzureLoadBalancer',
      '*',
      'Allow inbound traffic from azure load balancer',
    ),
    rule('DenyAllInBound', 'Inbound', 65500, 'Deny', '*', '*', 'Deny all inbound traffic'),
    rule(
      'AllowVnetOutBound',
      'Outbound',
      65000,
      'Allow',
      'VirtualNetwork',
      'VirtualNetwork',
      'Allow outbound traffic from all VMs to all VMs in VNET',
    ),
    rule(
      'AllowInternetOutBound',
      'Outbound',
      65001,
      'Allow',
      '*',
      'Internet',
      'Allow outbound traffic from all VMs to Internet',
    ),
    rule('DenyAllOutBound', 'Outbound', 65500, 'Deny', '*', '*', 'Deny all outbound traffic'),
  ];
}

export interface NsgOptions extends Placement {
  name: string;
  rules?: SecurityRule[];
  /** Defaults to `makeDefaultRules()`. */
  defaultRules?: SecurityRule[];
}

/** Returns an NSG whose custom rules are sorted the snapshot way (Inbound first, then by priority). */
export function makeNsg(options: NsgOptions): NetworkSecurityGroup {
  const rules = [...(options.rules ?? [])].sort((a, b) =>
    a.direction === b.direction ? a.priority - b.priority : a.direction === 'Inbound' ? -1 : 1,
  );
  return {
    ...base('Microsoft.Network/networkSecurityGroups', options.name, options),
    location: options.location === undefined ? 'westeurope' : options.location,
    securityRules: rules,
    defaultSecurityRules: options.defaultRules ?? makeDefaultRules(),
  };
}

/** Returns an application security group. */
export function makeAsg(options: Placement & { name: string }): ApplicationSecurityGroup {
  return {
    ...base('Microsoft.Network/applicationSecurityGroups', options.name, options),
    location: options.location === undefined ? 'westeurope' : options.location,
  };
}

// ---------------------------------------------------------------------------------------------
// Route tables

/** Returns a route; the next hop IP is only set for `VirtualAppliance` unless given. */
export function makeRoute(
  name: string,
  addressPrefix: string,
  nextHopType: string,
  nextHopIpAddress: string | null = null,
): Route {
  return { name, addressPrefix, nextHopType, nextHopIpAddress };
}

/** Returns a route table (BGP route propagation enabled unless told otherwise). */
export function makeRouteTable(
  options: Placement & { name: string; routes?: Route[]; disableBgpRoutePropagation?: boolean },
): RouteTable {
  return {
    ...base('Microsoft.Network/routeTables', options.name, options),
    location: options.location === undefined ? 'westeurope' : options.location,
    disableBgpRoutePropagation: options.disableBgpRoutePropagation ?? false,
    routes: options.routes ?? [],
  };
}

// ---------------------------------------------------------------------------------------------
// Container groups

export interface ContainerOptions {
  name: string;
  image?: string | null;
  /** Ports as numbers (TCP) or full port objects. */
  ports?: (number | ContainerPort)[];
  environmentVariableNames?: string[];
}

const toPorts = (ports: (number | ContainerPort)[] | undefined): ContainerPort[] =>
  (ports ?? []).map((p) => (typeof p === 'number' ? { port: p, protocol: 'TCP' } : p));

/** Returns a container (image `mcr.microsoft.com/azuredocs/aci-helloworld:latest` unless told otherwise). */
export function makeContainer(options: ContainerOptions): Container {
  return {
    name: options.name,
    image: options.image === undefined ? 'mcr.microsoft.com/azuredocs/aci-helloworld:latest' : options.image,
    ports: toPorts(options.ports),
    environmentVariableNames: options.environmentVariableNames ?? [],
  };
}

export interface ContainerGroupOptions extends Placement {
  name: string;
  /** The subnet (or its id) the group is injected into; absent or null for none. */
  subnet?: Ref | null;
  /** IP type; default `Private` when a subnet is given, else `Public`. */
  type?: 'Public' | 'Private' | null;
  /** The group's IP; null for a group with an IP section but no address yet. */
  ip?: string | null;
  /** `ipAddress.ports`, numbers meaning TCP. */
  ports?: (number | ContainerPort)[];
  dnsNameLabel?: string | null;
  fqdn?: string | null;
  /** Set true for a group without any `ipAddress` section. */
  noIpAddress?: boolean;
  /** Defaults to one container named after the group, declaring the group's ports. */
  containers?: Container[];
  initContainers?: Container[];
  networkProfileId?: string | null;
  osType?: string | null;
  provisioningState?: string | null;
}

/** Returns a container group; private when a subnet is given, public otherwise. */
export function makeContainerGroup(options: ContainerGroupOptions): ContainerGroup {
  const ports = toPorts(options.ports);
  const subnetIds = options.subnet ? [refId(options.subnet)] : [];
  const type = options.type !== undefined ? options.type : subnetIds.length > 0 ? 'Private' : 'Public';
  return {
    ...base('Microsoft.ContainerInstance/containerGroups', options.name, options),
    location: options.location === undefined ? 'westeurope' : options.location,
    osType: options.osType === undefined ? 'Linux' : options.osType,
    provisioningState: options.provisioningState === undefined ? 'Succeeded' : options.provisioningState,
    ipAddress: options.noIpAddress
      ? null
      : {
          type,
          ip: options.ip ?? null,
          ports,
          dnsNameLabel: options.dnsNameLabel ?? null,
          fqdn: options.fqdn ?? null,
        },
    subnetIds,
    networkProfileId: options.networkProfileId ? options.networkProfileId.toLowerCase() : null,
    containers: options.containers ?? [makeContainer({ name: options.name, ports })],
    initContainers: options.initContainers ?? [],
  };
}
