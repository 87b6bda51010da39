/**
 * Small builders for hand-written snapshots in oracle and differential tests: terse, with the
 * boring fields filled in, and every snapshot validated by the zod schema so a test cannot silently
 * build something the importer would never produce.
 */
import {
  type ContainerGroup,
  type ContainerPort,
  type Direction,
  type NetworkGroup,
  type NetworkSecurityGroup,
  type Protocol,
  type RouteTable,
  type SecurityAdminRule,
  type SecurityAdminRuleCollection,
  type SecurityRule,
  type Snapshot,
  type Subnet,
  type VirtualNetwork,
  type VirtualNetworkPeering,
} from '../../src/model/snapshot';
import { makeSnapshot } from '../support/builders';
import { oraclePrefix } from './parse';
import type { Flow, FlowEnd, FlowProtocol } from '../../src/policy/flow';

const SUBSCRIPTION = '00000000-0000-0000-0000-000000000001';
const RG = `/subscriptions/${SUBSCRIPTION}/resourcegroups/rg`;
const NETWORK = `${RG}/providers/microsoft.network`;

/** Lower-cased ARM id of a VNet, subnet, NSG, … in the one resource group the tiny estates use. */
export const ids = {
  vnet: (name: string): string => `${NETWORK}/virtualnetworks/${name}`,
  subnet: (vnet: string, name: string): string => `${NETWORK}/virtualnetworks/${vnet}/subnets/${name}`,
  peering: (vnet: string, name: string): string =>
    `${NETWORK}/virtualnetworks/${vnet}/virtualnetworkpeerings/${name}`,
  nsg: (name: string): string => `${NETWORK}/networksecuritygroups/${name}`,
  routeTable: (name: string): string => `${NETWORK}/routetables/${name}`,
  asg: (name: string): string => `${NETWORK}/applicationsecuritygroups/${name}`,
  gateway: (name: string): string => `${NETWORK}/virtualnetworkgateways/${name}`,
  containerGroup: (name: string): string =>
    `${RG}/providers/microsoft.containerinstance/containergroups/${name}`,
  manager: (name: string): string => `${NETWORK}/networkmanagers/${name}`,
  networkGroup: (name: string): string => `${NETWORK}/networkmanagers/avnm/networkgroups/${name}`,
  configuration: (): string => `${NETWORK}/networkmanagers/avnm/securityadminconfigurations/cfg`,
  collection: (name: string): string =>
    `${NETWORK}/networkmanagers/avnm/securityadminconfigurations/cfg/rulecollections/${name}`,
  adminRule: (collection: string, name: string): string =>
    `${NETWORK}/networkmanagers/avnm/securityadminconfigurations/cfg/rulecollections/${collection}/rules/${name}`,
};

export const ACI_DELEGATION = 'Microsoft.ContainerInstance/containerGroups';

function base(
  id: string,
  name: string,
): { id: string; name: string; resourceGroup: string; subscriptionId: string } {
  return { id, name, resourceGroup: 'rg', subscriptionId: SUBSCRIPTION };
}

type Arrays = Omit<Snapshot, 'schemaVersion' | 'generator' | 'source'>;

/** A schema-valid snapshot from the given resource arrays (missing arrays are empty). */
export function snapshotOf(parts: Partial<Arrays>): Snapshot {
  return makeSnapshot(parts);
}

/** A VNet named `name` with the given address space. */
export function vnet(
  name: string,
  addressPrefixes: string[],
  extra: Partial<VirtualNetwork> = {},
): VirtualNetwork {
  return { ...base(ids.vnet(name), name), location: 'westeurope', addressPrefixes, gatewayIds: [], ...extra };
}

/** Subnet `name` of VNet `vnetName`. */
export function subnet(
  vnetName: string,
  name: string,
  addressPrefixes: string[],
  extra: Partial<Subnet> = {},
): Subnet {
  return {
    ...base(ids.subnet(vnetName, name), name),
    virtualNetworkId: ids.vnet(vnetName),
    addressPrefixes,
    networkSecurityGroupId: null,
    routeTableId: null,
    natGatewayId: null,
    delegations: [],
    ...extra,
  };
}

/** A peering from `from` to `to`, Connected with VNet access unless `extra` says otherwise. */
export function peering(
  from: string,
  to: string,
  extra: Partial<VirtualNetworkPeering> = {},
): VirtualNetworkPeering {
  return {
    ...base(ids.peering(from, `to-${to}`), `to-${to}`),
    virtualNetworkId: ids.vnet(from),
    remoteVirtualNetworkId: ids.vnet(to),
    remoteAddressPrefixes: null,
    peeringState: 'Connected',
    peeringSyncLevel: 'FullyInSync',
    allowVirtualNetworkAccess: true,
    allowForwardedTraffic: false,
    allowGatewayTransit: false,
    useRemoteGateways: false,
    ...extra,
  };
}

/** Shorthand for one NSG rule; addresses and ports default to `*`, protocol to `*`. */
export interface RuleSpec {
  name?: string;
  priority: number;
  direction: Direction;
  access: 'Allow' | 'Deny';
  protocol?: Protocol;
  src?: string[];
  dst?: string[];
  srcPorts?: string[];
  dstPorts?: string[];
  srcAsgs?: string[];
  dstAsgs?: string[];
}

/** One NSG security rule from a terse spec. */
export function rule(spec: RuleSpec): SecurityRule {
  return {
    name: spec.name ?? `${spec.access.toLowerCase()}-${spec.direction.toLowerCase()}-${spec.priority}`,
    description: null,
    priority: spec.priority,
    direction: spec.direction,
    access: spec.access,
    protocol: spec.protocol ?? '*',
    sourceAddressPrefixes: spec.src ?? (spec.srcAsgs ? [] : ['*']),
    sourcePortRanges: spec.srcPorts ?? ['*'],
    destinationAddressPrefixes: spec.dst ?? (spec.dstAsgs ? [] : ['*']),
    destinationPortRanges: spec.dstPorts ?? ['*'],
    sourceApplicationSecurityGroupIds: spec.srcAsgs ?? [],
    destinationApplicationSecurityGroupIds: spec.dstAsgs ?? [],
  };
}

/** The six default rules exactly as the API returns them (docs/semantics.md §2). */
export function defaultRules(): SecurityRule[] {
  const d = (
    name: string,
    direction: Direction,
    priority: number,
    src: string,
    dst: string,
    access: 'Allow' | 'Deny',
    description: string,
  ): SecurityRule => ({
    ...rule({ name, priority, direction, access, src: [src], dst: [dst] }),
    description,
  });
  return [
    d(
      'AllowVnetInBound',
      'Inbound',
      65000,
      'VirtualNetwork',
      'VirtualNetwork',
      'Allow',
      'Allow inbound traffic from all VMs in VNET',
    ),
    d(
      'AllowAzureLoadBalancerInBound',
      'Inbound',
      65001,
      'AzureLoadBalancer',
      '*',
      'Allow',
      'Allow inbound traffic from azure load balancer',
    ),
    d('DenyAllInBound', 'Inbound', 65500, '*', '*', 'Deny', 'Deny all inbound traffic'),
    d(
      'AllowVnetOutBound',
      'Outbound',
      65000,
      'VirtualNetwork',
      'VirtualNetwork',
      'Allow',
      'Allow outbound traffic from all VMs to all VMs in VNET',
    ),
    d(
      'AllowInternetOutBound',
      'Outbound',
      65001,
      '*',
      'Internet',
      'Allow',
      'Allow outbound traffic from all VMs to Internet',
    ),
    d('DenyAllOutBound', 'Outbound', 65500, '*', '*', 'Deny', 'Deny all outbound traffic'),
  ];
}

/** An NSG with the given custom rules (sorted Inbound first, then priority) and the six defaults. */
export function nsg(name: string, rules: SecurityRule[] = []): NetworkSecurityGroup {
  const order = (r: SecurityRule): number => (r.direction === 'Inbound' ? 0 : 100000) + r.priority;
  return {
    ...base(ids.nsg(name), name),
    location: 'westeurope',
    securityRules: [...rules].sort((a, b) => order(a) - order(b)),
    defaultSecurityRules: defaultRules(),
  };
}

/** A route table whose routes are `[addressPrefix, nextHopType]` pairs. */
export function routeTable(name: string, routes: [string, string][]): RouteTable {
  return {
    ...base(ids.routeTable(name), name),
    location: 'westeurope',
    disableBgpRoutePropagation: false,
    routes: routes.map(([addressPrefix, nextHopType], i) => ({
      name: `r${i}`,
      addressPrefix,
      nextHopType,
      nextHopIpAddress: nextHopType === 'VirtualAppliance' ? '10.100.0.4' : null,
    })),
  };
}

/** A container group: public (no subnet) when `subnetId` is null, else private in that subnet. */
export function containerGroup(
  name: string,
  ip: string,
  ports: ContainerPort[],
  subnetId: string | null = null,
): ContainerGroup {
  return {
    ...base(ids.containerGroup(name), name),
    location: 'westeurope',
    osType: 'Linux',
    provisioningState: 'Succeeded',
    ipAddress: {
      type: subnetId === null ? 'Public' : 'Private',
      ip,
      ports,
      dnsNameLabel: null,
      fqdn: null,
    },
    subnetIds: subnetId === null ? [] : [subnetId],
    networkProfileId: null,
    containers: [{ name: 'app', image: 'example.azurecr.io/app:1', ports, environmentVariableNames: [] }],
    initContainers: [],
  };
}

/** A network group whose static members are the named VNets. */
export function networkGroup(name: string, vnetNames: string[]): NetworkGroup {
  return { ...base(ids.networkGroup(name), name), staticMemberIds: vnetNames.map(ids.vnet) };
}

/** A security admin rule collection applying to the named network groups. */
export function adminCollection(name: string, groupNames: string[]): SecurityAdminRuleCollection {
  return {
    ...base(ids.collection(name), name),
    configurationId: ids.configuration(),
    appliesToGroupIds: groupNames.map(ids.networkGroup),
  };
}

/** Shorthand for one admin rule; a word that is not a CIDR or `*` becomes a ServiceTag entry. */
export interface AdminRuleSpec {
  collection: string;
  name: string;
  priority: number;
  direction: Direction;
  access: SecurityAdminRule['access'];
  protocol?: Protocol;
  src?: string[];
  dst?: string[];
  srcPorts?: string[];
  dstPorts?: string[];
}

/** One security admin rule from a terse spec. */
export function adminRule(spec: AdminRuleSpec): SecurityAdminRule {
  const entries = (words: string[]): SecurityAdminRule['sources'] =>
    words.map((w) => ({
      addressPrefix: w,
      addressPrefixType: w === '*' || oraclePrefix(w) !== null ? 'IPPrefix' : 'ServiceTag',
    }));
  return {
    ...base(ids.adminRule(spec.collection, spec.name), spec.name),
    ruleCollectionId: ids.collection(spec.collection),
    priority: spec.priority,
    direction: spec.direction,
    access: spec.access,
    protocol: spec.protocol ?? '*',
    sources: entries(spec.src ?? ['*']),
    destinations: entries(spec.dst ?? ['*']),
    sourcePortRanges: spec.srcPorts ?? ['*'],
    destinationPortRanges: spec.dstPorts ?? ['*'],
  };
}

/** Flow ends. */
export const end = {
  subnet: (vnetName: string, subnetName: string, ip: string): FlowEnd => ({
    kind: 'subnet',
    subnetId: ids.subnet(vnetName, subnetName),
    ip,
  }),
  external: (ip: string): FlowEnd => ({ kind: 'external', ip }),
  publicGroup: (name: string): FlowEnd => ({
    kind: 'publicContainerGroup',
    containerGroupId: ids.containerGroup(name),
  }),
};

/** A flow; the source port defaults to an ephemeral port. */
export function flow(
  src: FlowEnd,
  dst: FlowEnd,
  protocol: FlowProtocol,
  dstPort: number,
  srcPort = 50000,
): Flow {
  return { src, dst, protocol, srcPort, dstPort };
}
