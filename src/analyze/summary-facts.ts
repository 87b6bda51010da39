/**
 * The facts of a snapshot summary: what is in it (counts), how it hangs together (VNet → subnet →
 * container group, with NSGs, route tables and peerings), what faces the Internet and what is
 * associated with nothing. Pure and deterministic: every list is sorted by name, then id. This is the
 * `summary --format json` contract; `render/summary` writes it for people.
 */
import { INTERNET_NODE, type Topology, type TopologyGraph } from '../graph/attributes';
import { compareCodeUnits, sortPorts } from '../graph/build';
import { neighbours, nodesOfKind } from '../graph/query';
import type {
  ContainerGroup,
  ContainerPort,
  NetworkSecurityGroup,
  PeeringFlags,
  Route,
  RouteTable,
  Snapshot,
  Subnet,
  VirtualNetwork,
  VirtualNetworkPeering,
} from '../model/snapshot';

/** The JSON form of the summary. Field order is fixed; lists are sorted by name, then id. */
export interface SummaryData {
  source: {
    kind: 'import' | 'collect';
    collectedAt: string | null;
    schemaVersion: number;
    generatorVersion: string;
  };
  counts: SummaryCounts;
  /** Every VNet node: those in the snapshot and placeholders for VNets only referenced. */
  virtualNetworks: VirtualNetworkEntry[];
  /** Subnets that no known VNet contains (e.g. a container group's subnet missing from the snapshot). */
  subnetsOutsideKnownVirtualNetworks: SubnetEntry[];
  /** Private (or IP-less) container groups in no known subnet (e.g. an unresolved network profile). */
  containerGroupsOutsideKnownSubnets: ContainerGroupEntry[];
  /** Public container groups: reachable from the Internet on their `ipAddress.ports`. */
  internetFacing: ContainerGroupEntry[];
  /** NSGs associated with no subnet in the snapshot. */
  unattachedNetworkSecurityGroups: NetworkSecurityGroupEntry[];
  /** Route tables associated with no subnet in the snapshot. */
  unattachedRouteTables: RouteTableEntry[];
  skippedResourceTypes: { type: string; count: number }[];
  /** The snapshot's own warnings, counted by code. */
  warningsByCode: { code: string; count: number }[];
  /** References to resources the snapshot does not hold (paths point into the snapshot). */
  missingReferences: { path: string | null; message: string }[];
}

export interface SummaryCounts {
  virtualNetworks: number;
  subnets: number;
  peerings: number;
  networkSecurityGroups: number;
  /** Custom rules across all NSGs (default rules not counted). */
  customRules: number;
  routeTables: number;
  routes: number;
  applicationSecurityGroups: number;
  containerGroups: number;
  privateContainerGroups: number;
  publicContainerGroups: number;
  /** Groups whose IP type is unknown (no `ipAddress` section). */
  otherContainerGroups: number;
  adminRules: number;
  adminRuleCollections: number;
  networkGroups: number;
  /** Distinct resource types skipped, and how many resources they held. */
  skippedResourceTypes: number;
  skippedResources: number;
  /** Warnings stored in the snapshot. */
  warnings: number;
  /** References to resources not in the snapshot (found building the topology). */
  missingReferences: number;
}

export interface VirtualNetworkEntry {
  id: string;
  name: string;
  /** True when the VNet is referenced but not in the snapshot (other fields are then empty). */
  missing: boolean;
  resourceGroup: string | null;
  location: string | null;
  addressPrefixes: string[];
  peerings: PeeringEntry[];
  subnets: SubnetEntry[];
}

export interface PeeringEntry extends PeeringFlags {
  id: string;
  name: string;
  remote: { id: string; name: string; missing: boolean } | null;
}

export interface SubnetEntry {
  id: string;
  name: string;
  missing: boolean;
  addressPrefixes: string[];
  networkSecurityGroup: NetworkSecurityGroupEntry | null;
  routeTable: RouteTableEntry | null;
  natGatewayId: string | null;
  delegations: string[];
  containerGroups: ContainerGroupEntry[];
}

export interface NetworkSecurityGroupEntry {
  id: string;
  name: string;
  missing: boolean;
  /** Custom rule counts; null when the NSG is missing. */
  inboundRules: number | null;
  outboundRules: number | null;
}

export interface RouteTableEntry {
  id: string;
  name: string;
  missing: boolean;
  disableBgpRoutePropagation: boolean | null;
  /** All routes, as in the snapshot; empty when the table is missing. */
  routes: Route[];
}

export interface ContainerGroupEntry {
  id: string;
  name: string;
  resourceGroup: string | null;
  ipType: 'Public' | 'Private' | null;
  ip: string | null;
  fqdn: string | null;
  /** Public groups: `ipAddress.ports` (what is exposed). Others: `ipAddress.ports` ∪ container ports (intent). */
  ports: ContainerPort[];
  containers: number;
  initContainers: number;
}

const byNameThenId = <T extends { name: string; id: string }>(a: T, b: T): number =>
  compareCodeUnits(a.name, b.name) || compareCodeUnits(a.id, b.id);

/** Returns the summary data of a snapshot and its topology (as built by `buildTopology`). */
export function summarize(snapshot: Snapshot, topology: Topology): SummaryData {
  const { graph } = topology;
  const vnets = indexById(snapshot.virtualNetworks);
  const subnets = indexById(snapshot.subnets);
  const nsgs = indexById(snapshot.networkSecurityGroups);
  const routeTables = indexById(snapshot.routeTables);
  const groups = indexById(snapshot.containerGroups);
  const peeringsByVnet = new Map<string, VirtualNetworkPeering[]>();
  const seenPeerings = new Set<string>();
  for (const p of snapshot.virtualNetworkPeerings) {
    if (seenPeerings.has(p.id)) continue;
    seenPeerings.add(p.id);
    const list = peeringsByVnet.get(p.virtualNetworkId) ?? [];
    list.push(p);
    peeringsByVnet.set(p.virtualNetworkId, list);
  }

  const groupEntry = (id: string): ContainerGroupEntry | null => {
    const g = groups.get(id);
    return g ? containerGroupEntry(g) : null;
  };
  const nsgEntry = (id: string, missing: boolean): NetworkSecurityGroupEntry => {
    const n = missing ? undefined : nsgs.get(id);
    return networkSecurityGroupEntry(id, graph.getNodeAttributes(id).name, n);
  };
  const rtEntry = (id: string, missing: boolean): RouteTableEntry => {
    const r = missing ? undefined : routeTables.get(id);
    return routeTableEntry(id, graph.getNodeAttributes(id).name, r);
  };

  const subnetEntry = (id: string): SubnetEntry => {
    const attrs = graph.getNodeAttributes(id);
    const s: Subnet | undefined = attrs.placeholder ? undefined : subnets.get(id);
    const nsg = neighbours(graph, id, 'in', 'secures')[0];
    const rt = neighbours(graph, id, 'in', 'routes')[0];
    return {
      id,
      name: attrs.name,
      missing: attrs.placeholder,
      addressPrefixes: s ? [...s.addressPrefixes] : [],
      networkSecurityGroup: nsg ? nsgEntry(nsg.node, nsg.nodeAttributes.placeholder) : null,
      routeTable: rt ? rtEntry(rt.node, rt.nodeAttributes.placeholder) : null,
      natGatewayId: s?.natGatewayId ?? null,
      delegations: s ? [...s.delegations].sort(compareCodeUnits) : [],
      containerGroups: neighbours(graph, id, 'out', 'contains')
        .map((n) => groupEntry(n.node))
        .filter((e): e is ContainerGroupEntry => e !== null)
        .sort(byNameThenId),
    };
  };

  const virtualNetworks: VirtualNetworkEntry[] = nodesOfKind(graph, 'virtualNetwork')
    .map((id): VirtualNetworkEntry => {
      const attrs = graph.getNodeAttributes(id);
      const v: VirtualNetwork | undefined = attrs.placeholder ? undefined : vnets.get(id);
      return {
        id,
        name: attrs.name,
        missing: attrs.placeholder,
        resourceGroup: v?.resourceGroup ?? null,
        location: v?.location ?? null,
        addressPrefixes: v ? [...v.addressPrefixes] : [],
        peerings: (peeringsByVnet.get(id) ?? []).map((p) => peeringEntry(p, graph)).sort(byNameThenId),
        subnets: neighbours(graph, id, 'out', 'contains')
          .map((n) => subnetEntry(n.node))
          .sort(byNameThenId),
      };
    })
    .sort(byNameThenId);

  const subnetsOutsideKnownVirtualNetworks = nodesOfKind(graph, 'subnet')
    .filter((id) => neighbours(graph, id, 'in', 'contains').length === 0)
    .map(subnetEntry)
    .sort(byNameThenId);

  const internetFacing = neighbours(graph, INTERNET_NODE, 'out', 'exposes')
    .map((n) => groupEntry(n.node))
    .filter((e): e is ContainerGroupEntry => e !== null)
    .sort(byNameThenId);

  const containerGroupsOutsideKnownSubnets = nodesOfKind(graph, 'containerGroup')
    .filter((id) => neighbours(graph, id, 'in', 'contains').length === 0)
    .filter((id) => groups.get(id)?.ipAddress?.type !== 'Public')
    .map(groupEntry)
    .filter((e): e is ContainerGroupEntry => e !== null)
    .sort(byNameThenId);

  const unattachedNetworkSecurityGroups = nodesOfKind(graph, 'networkSecurityGroup')
    .filter((id) => graph.outDegree(id) === 0)
    .map((id) => nsgEntry(id, graph.getNodeAttributes(id).placeholder))
    .sort(byNameThenId);
  const unattachedRouteTables = nodesOfKind(graph, 'routeTable')
    .filter((id) => graph.outDegree(id) === 0)
    .map((id) => rtEntry(id, graph.getNodeAttributes(id).placeholder))
    .sort(byNameThenId);

  const warningCounts = new Map<string, number>();
  for (const d of snapshot.diagnostics) warningCounts.set(d.code, (warningCounts.get(d.code) ?? 0) + 1);

  const missingReferences = topology.diagnostics
    .filter((d) => d.code === 'DANGLING_REFERENCE')
    .map((d) => ({ path: d.path, message: d.message }));

  return {
    source: {
      kind: snapshot.source.kind,
      collectedAt: snapshot.source.collectedAt,
      schemaVersion: snapshot.schemaVersion,
      generatorVersion: snapshot.generator.version,
    },
    counts: countResources(snapshot, missingReferences.length),
    virtualNetworks,
    subnetsOutsideKnownVirtualNetworks,
    containerGroupsOutsideKnownSubnets,
    internetFacing,
    unattachedNetworkSecurityGroups,
    unattachedRouteTables,
    skippedResourceTypes: snapshot.skippedResourceTypes
      .map((s) => ({ type: s.type, count: s.count }))
      .sort((a, b) => compareCodeUnits(a.type, b.type)),
    warningsByCode: [...warningCounts.entries()]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => compareCodeUnits(a.code, b.code)),
    missingReferences,
  };
}

function indexById<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  // The first occurrence wins, as in the topology graph.
  for (const item of items) if (!map.has(item.id)) map.set(item.id, item);
  return map;
}

function countResources(snapshot: Snapshot, missingReferences: number): SummaryCounts {
  const groups = snapshot.containerGroups;
  const publicGroups = groups.filter((g) => g.ipAddress?.type === 'Public').length;
  const privateGroups = groups.filter((g) => g.ipAddress?.type === 'Private').length;
  return {
    virtualNetworks: snapshot.virtualNetworks.length,
    subnets: snapshot.subnets.length,
    peerings: snapshot.virtualNetworkPeerings.length,
    networkSecurityGroups: snapshot.networkSecurityGroups.length,
    customRules: snapshot.networkSecurityGroups.reduce((n, g) => n + g.securityRules.length, 0),
    routeTables: snapshot.routeTables.length,
    routes: snapshot.routeTables.reduce((n, r) => n + r.routes.length, 0),
    applicationSecurityGroups: snapshot.applicationSecurityGroups.length,
    containerGroups: groups.length,
    privateContainerGroups: privateGroups,
    publicContainerGroups: publicGroups,
    otherContainerGroups: groups.length - privateGroups - publicGroups,
    adminRules: snapshot.securityAdminRules.length,
    adminRuleCollections: snapshot.securityAdminRuleCollections.length,
    networkGroups: snapshot.networkGroups.length,
    skippedResourceTypes: snapshot.skippedResourceTypes.length,
    skippedResources: snapshot.skippedResourceTypes.reduce((n, s) => n + s.count, 0),
    warnings: snapshot.diagnostics.length,
    missingReferences,
  };
}

function peeringEntry(p: VirtualNetworkPeering, graph: TopologyGraph): PeeringEntry {
  const remoteId = p.remoteVirtualNetworkId;
  const remoteAttrs = remoteId !== null && graph.hasNode(remoteId) ? graph.getNodeAttributes(remoteId) : null;
  return {
    id: p.id,
    name: p.name,
    remote:
      remoteId === null
        ? null
        : {
            id: remoteId,
            name: remoteAttrs?.name ?? remoteId,
            missing: remoteAttrs === null || remoteAttrs.placeholder || remoteAttrs.kind !== 'virtualNetwork',
          },
    peeringState: p.peeringState,
    peeringSyncLevel: p.peeringSyncLevel,
    remoteAddressPrefixes: p.remoteAddressPrefixes === null ? null : [...p.remoteAddressPrefixes],
    allowVirtualNetworkAccess: p.allowVirtualNetworkAccess,
    allowForwardedTraffic: p.allowForwardedTraffic,
    allowGatewayTransit: p.allowGatewayTransit,
    useRemoteGateways: p.useRemoteGateways,
  };
}

function networkSecurityGroupEntry(
  id: string,
  name: string,
  nsg: NetworkSecurityGroup | undefined,
): NetworkSecurityGroupEntry {
  return {
    id,
    name,
    missing: nsg === undefined,
    inboundRules: nsg ? nsg.securityRules.filter((r) => r.direction === 'Inbound').length : null,
    outboundRules: nsg ? nsg.securityRules.filter((r) => r.direction === 'Outbound').length : null,
  };
}

function routeTableEntry(id: string, name: string, rt: RouteTable | undefined): RouteTableEntry {
  return {
    id,
    name,
    missing: rt === undefined,
    disableBgpRoutePropagation: rt ? rt.disableBgpRoutePropagation : null,
    routes: rt ? rt.routes.map((r) => ({ ...r })) : [],
  };
}

function containerGroupEntry(g: ContainerGroup): ContainerGroupEntry {
  const ip = g.ipAddress;
  const isPublic = ip?.type === 'Public';
  const declared = isPublic ? [...ip.ports] : [...(ip?.ports ?? []), ...g.containers.flatMap((c) => c.ports)];
  return {
    id: g.id,
    name: g.name,
    resourceGroup: g.resourceGroup,
    ipType: ip?.type ?? null,
    ip: ip?.ip ?? null,
    fqdn: ip?.fqdn ?? null,
    ports: sortPorts(declared),
    containers: g.containers.length,
    initContainers: g.initContainers.length,
  };
}
