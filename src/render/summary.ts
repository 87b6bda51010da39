/**
 * The readable summary of a snapshot: what is in it (counts) and how it hangs together (VNet →
 * subnet → container group, with NSGs, route tables and peerings), plus what faces the Internet.
 * Pure and deterministic: every list is sorted by name, then id. `summarize` gives the data (the
 * `--format json` contract), `renderSummary` the text for people.
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
import { printable } from '../util/escape';

// ---------------------------------------------------------------------------------------------
// The data form (`aciseg summary --format json`)

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

// ---------------------------------------------------------------------------------------------
// The text form

/** At most this many routes are shown per route table; the rest are counted. */
const ROUTES_SHOWN = 3;

/** Returns the summary as text for people (ends with a newline). */
export function renderSummary(snapshot: Snapshot, topology: Topology): string {
  return renderSummaryText(summarize(snapshot, topology));
}

/** Returns the summary as pretty-printed JSON (the `SummaryData` contract, ends with a newline). */
export function renderSummaryJson(snapshot: Snapshot, topology: Topology): string {
  return `${JSON.stringify(summarize(snapshot, topology), null, 2)}\n`;
}

/** A node of the printed tree: its line and its children. */
interface TreeNode {
  text: string;
  children: TreeNode[];
}

/** Returns the text form of summary data (ends with a newline). */
export function renderSummaryText(data: SummaryData): string {
  const c = data.counts;
  const lines: string[] = [];
  const source =
    data.source.kind === 'collect' && data.source.collectedAt !== null
      ? `collected ${printable(data.source.collectedAt)}`
      : data.source.kind === 'collect'
        ? 'collected'
        : 'imported';
  lines.push(
    `Snapshot ${source}, schema ${data.source.schemaVersion}, written by aciseg ${printable(data.source.generatorVersion)}`,
  );
  lines.push('');
  lines.push(
    [
      `VNets ${c.virtualNetworks}`,
      `subnets ${c.subnets}`,
      `peerings ${c.peerings}`,
      `NSGs ${c.networkSecurityGroups} (${plural(c.customRules, 'custom rule')})`,
      `route tables ${c.routeTables} (${plural(c.routes, 'route')})`,
      `ASGs ${c.applicationSecurityGroups}`,
    ].join(' · '),
  );
  const groupKinds = [`${c.privateContainerGroups} private`, `${c.publicContainerGroups} public`];
  if (c.otherContainerGroups > 0) groupKinds.push(`${c.otherContainerGroups} without IP`);
  lines.push(
    [
      `Container groups ${c.containerGroups} (${groupKinds.join(', ')})`,
      `admin rules ${c.adminRules}`,
      `skipped types ${c.skippedResourceTypes}`,
      `warnings ${c.warnings}`,
      `missing references ${c.missingReferences}`,
    ].join(' · '),
  );
  if (data.skippedResourceTypes.length > 0) {
    lines.push(
      `skipped: ${data.skippedResourceTypes.map((s) => `${printable(s.type)} ×${s.count}`).join(', ')}`,
    );
  }
  if (data.warningsByCode.length > 0) {
    lines.push(`warnings: ${data.warningsByCode.map((w) => `${printable(w.code)} ×${w.count}`).join(', ')}`);
  }

  lines.push('');
  lines.push('Virtual networks');
  if (data.virtualNetworks.length === 0) lines.push('(none)');
  data.virtualNetworks.forEach((vnet, i) => {
    if (i > 0) lines.push('');
    const head = vnet.missing
      ? `${printable(vnet.name)} (missing)`
      : joinParts([
          printable(vnet.name),
          vnet.addressPrefixes.map(printable).join(', ') || 'no address space',
          placement(vnet.resourceGroup, vnet.location),
        ]);
    lines.push(head);
    const children: TreeNode[] = [
      ...vnet.peerings.map((p) => ({ text: peeringText(p), children: [] })),
      ...vnet.subnets.map(subnetTree),
    ];
    drawTree(lines, children);
  });

  if (data.subnetsOutsideKnownVirtualNetworks.length > 0) {
    lines.push('');
    lines.push('Subnets outside any known virtual network');
    drawTree(lines, data.subnetsOutsideKnownVirtualNetworks.map(subnetTree));
  }
  if (data.containerGroupsOutsideKnownSubnets.length > 0) {
    lines.push('');
    lines.push('Container groups outside any known subnet');
    drawTree(
      lines,
      data.containerGroupsOutsideKnownSubnets.map((g) => ({ text: groupText(g), children: [] })),
    );
  }

  lines.push('');
  lines.push('Internet-facing');
  if (data.internetFacing.length === 0) lines.push('(none)');
  drawTree(
    lines,
    data.internetFacing.map((g) => ({ text: groupText(g), children: [] })),
  );

  const unattached: TreeNode[] = [
    ...data.unattachedNetworkSecurityGroups.map((n) => ({ text: nsgText(n), children: [] })),
    ...data.unattachedRouteTables.map((r) => ({ text: routeTableText(r), children: [] })),
  ];
  if (unattached.length > 0) {
    lines.push('');
    lines.push('Not associated with any subnet');
    drawTree(lines, unattached);
  }
  return `${lines.join('\n')}\n`;
}

function subnetTree(s: SubnetEntry): TreeNode {
  const head = s.missing
    ? `subnet ${printable(s.name)} (missing)`
    : joinParts([`subnet ${printable(s.name)}`, s.addressPrefixes.map(printable).join(', ') || 'no prefix']);
  const children: TreeNode[] = [];
  if (!s.missing) {
    children.push({
      text: s.networkSecurityGroup ? nsgText(s.networkSecurityGroup) : 'no NSG',
      children: [],
    });
    if (s.routeTable) children.push({ text: routeTableText(s.routeTable), children: [] });
    if (s.natGatewayId !== null) {
      children.push({ text: `NAT gateway ${printable(lastSegment(s.natGatewayId))}`, children: [] });
    }
    if (s.delegations.length > 0) {
      children.push({ text: `delegated to ${s.delegations.map(printable).join(', ')}`, children: [] });
    }
  }
  for (const g of s.containerGroups) children.push({ text: groupText(g), children: [] });
  return { text: head, children };
}

function nsgText(n: NetworkSecurityGroupEntry): string {
  if (n.missing) return `NSG ${printable(n.name)} (missing)`;
  return `NSG ${printable(n.name)}: ${n.inboundRules} inbound, ${n.outboundRules} outbound custom ${
    (n.inboundRules ?? 0) + (n.outboundRules ?? 0) === 1 ? 'rule' : 'rules'
  }`;
}

function routeTableText(r: RouteTableEntry): string {
  if (r.missing) return `route table ${printable(r.name)} (missing)`;
  if (r.routes.length === 0) return `route table ${printable(r.name)}: no routes`;
  const shown = notableRoutes(r.routes).slice(0, ROUTES_SHOWN);
  const more = r.routes.length - shown.length;
  const text = shown.map(routeText).join(', ');
  return `route table ${printable(r.name)}: ${text}${more > 0 ? ` (+${more} more)` : ''}`;
}

/**
 * Orders routes for display: default routes first (they widen the VirtualNetwork tag to everything
 * and steer all egress), then routes to an appliance or nowhere, then the rest; stable otherwise.
 */
function notableRoutes(routes: readonly Route[]): Route[] {
  const rank = (r: Route): number => {
    if (r.addressPrefix === '0.0.0.0/0' || r.addressPrefix === '::/0') return 0;
    const hop = r.nextHopType.toLowerCase();
    if (hop === 'virtualappliance' || hop === 'none') return 1;
    return 2;
  };
  return routes
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
    .map((x) => x.r);
}

function routeText(r: Route): string {
  const hop = r.nextHopIpAddress ? `${r.nextHopType} ${r.nextHopIpAddress}` : r.nextHopType;
  return `${printable(r.addressPrefix)} → ${printable(hop)}`;
}

function peeringText(p: PeeringEntry): string {
  const remote =
    p.remote === null
      ? '(no remote network)'
      : `${printable(p.remote.name)}${p.remote.missing ? ' (missing)' : ''}`;
  const state = [p.peeringState, p.peeringSyncLevel].filter((s): s is string => s !== null).map(printable);
  const flags: string[] = [];
  if (!p.allowVirtualNetworkAccess) flags.push('no VNet access');
  if (p.allowForwardedTraffic) flags.push('forwarded traffic');
  if (p.allowGatewayTransit) flags.push('gateway transit');
  if (p.useRemoteGateways) flags.push('uses remote gateways');
  return joinParts([
    `peering ${printable(p.name)} → ${remote}`,
    state.length > 0 ? state.join('/') : 'state unknown',
    p.remoteAddressPrefixes === null
      ? ''
      : `peers ${p.remoteAddressPrefixes.map(printable).join(', ') || 'nothing'}`,
    flags.join(', '),
  ]);
}

function groupText(g: ContainerGroupEntry): string {
  const ip = g.ipType === null ? 'no IP' : (g.ip ?? `${g.ipType.toLowerCase()} IP not assigned`);
  const containers =
    plural(g.containers, 'container') + (g.initContainers > 0 ? ` + ${g.initContainers} init` : '');
  return joinParts([
    `container group ${printable(g.name)}`,
    printable(ip),
    g.fqdn === null ? '' : printable(g.fqdn),
    formatPorts(g.ports),
    containers,
  ]);
}

/** `TCP 80, 443 · UDP 53`, or `no ports` (ports arrive sorted by protocol, then number). */
export function formatPorts(ports: readonly ContainerPort[]): string {
  if (ports.length === 0) return 'no ports';
  const byProtocol = new Map<string, number[]>();
  for (const p of ports) {
    const list = byProtocol.get(p.protocol) ?? [];
    list.push(p.port);
    byProtocol.set(p.protocol, list);
  }
  return [...byProtocol.entries()].map(([proto, list]) => `${proto} ${list.join(', ')}`).join(' · ');
}

function placement(resourceGroup: string | null, location: string | null): string {
  const parts = [resourceGroup, location].filter((p): p is string => p !== null && p !== '').map(printable);
  return parts.length > 0 ? `(${parts.join(', ')})` : '';
}

function joinParts(parts: readonly string[]): string {
  return parts.filter((p) => p !== '').join('  ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function lastSegment(id: string): string {
  const parts = id.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? id;
}

/** Appends children to `out` with `├─`/`└─` connectors and `│` rails, depth first (no spread: lists can be huge). */
function drawTree(out: string[], nodes: readonly TreeNode[], indent = ''): void {
  nodes.forEach((node, i) => {
    const last = i === nodes.length - 1;
    out.push(`${indent}${last ? '└─ ' : '├─ '}${node.text}`);
    drawTree(out, node.children, `${indent}${last ? '   ' : '│  '}`);
  });
}

/** Moved to src/util/escape.ts (shared with stderr); re-exported for the renderers that import it here. */
export { printable };
