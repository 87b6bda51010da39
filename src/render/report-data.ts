/**
 * The one adapter from engine results to the HTML report's data (src/render/report-model.ts): the
 * topology comes from the snapshot, what can talk to what from the all-pairs reachability as the
 * `analyze` report sees it (ReachabilityView). Endpoint classes outside every subnet collapse into a
 * few external endpoints (Internet, the Azure host address, other space), so the Internet is one box.
 */
import type { EndpointClass, Reachability } from '../analyze/reachability';
import { pathSources, pathTargets } from '../analyze/reachability';
import type { Snapshot } from '../model/snapshot';
import { parseIpv4 } from '../policy/address';
import { AZURE_HOST_IP, PUBLIC_IPV4, ipv4SetOf } from '../policy/address-words';
import type { PolicyEngine } from '../policy/engine';
import { VERSION } from '../version';
import { ASSUMPTIONS, ReachabilityView } from './reachability';
import {
  TRAFFIC_ALL_PORTS,
  TRAFFIC_MANAGEMENT,
  TRAFFIC_UNKNOWN,
  type ReportApplianceRoute,
  type ReportClass,
  type ReportData,
  type ReportEdge,
  type ReportNode,
  type ReportPeering,
  type ReportRule,
  type ReportSide,
  type ReportTraffic,
} from './report-model';
import type { TrafficDescription } from './traffic';

/** Ports that give a shell or a desktop: open to wide sources, the classic way in. */
export const MANAGEMENT_PORTS = [22, 23, 3389, 5985, 5986];

const EXTERNALS = [
  { id: 'external:internet', name: 'Internet', detail: 'public IPv4 space outside every VNet' },
  { id: 'external:azure-host', name: 'Azure platform', detail: '168.63.129.16 (AzureLoadBalancer)' },
  {
    id: 'external:other',
    name: 'Other address space',
    detail: 'private space outside every subnet: on-premises, unassigned VNet space, peered networks not in the snapshot',
  },
] as const;

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export interface ReportInput {
  snapshot: Snapshot;
  engine: PolicyEngine;
  reach: Reachability;
  title: string;
}

/** Builds the report data; same input, same data (everything is sorted by resource ID). */
export function buildReportData(input: ReportInput): ReportData {
  const { snapshot, engine, reach } = input;
  const view = new ReachabilityView(engine, reach);
  const topo = topologyNodes(snapshot);
  const { nodes, nodeIndex } = topo;

  // Classes: one per subnet or public container group class, one per external endpoint.
  const classes: ReportClass[] = [];
  const classOf = new Int32Array(reach.classes.length);
  const externalClass = new Map<string, number>();
  const usedExternals = new Set<string>();
  for (const c of reach.classes) {
    if (c.kind === 'external') {
      const id = externalKind(c);
      usedExternals.add(id);
      classOf[c.index] = -1 - EXTERNALS.findIndex((e) => e.id === id);
      continue;
    }
    classOf[c.index] = classes.length;
    classes.push({ node: -1, members: classMembers(c, topo) });
    classes[classes.length - 1]!.node =
      c.kind === 'subnet' ? nodeIndex.get(c.subnet!.id)! : nodeIndex.get(c.group!.id)!;
  }
  for (const e of EXTERNALS) {
    if (!usedExternals.has(e.id)) continue;
    externalClass.set(e.id, classes.length);
    nodeIndex.set(e.id, nodes.length);
    classes.push({ node: nodes.length, members: [] });
    nodes.push({ id: e.id, kind: 'external', name: e.name, parent: -1, details: [e.detail] });
  }
  const classIndex = (c: number) => {
    const k = classOf[c]!;
    return k >= 0 ? k : externalClass.get(EXTERNALS[-1 - k]!.id)!;
  };

  // Traffic, sides and rules, numbered as the paths first use them.
  const traffic: ReportTraffic[] = [];
  for (let t = 0; t < view.trafficCount; t++) traffic.push(reportTraffic(view.traffic(t)));
  const sides: ReportSide[] = [];
  const sideNumber = new Map<string, number>();
  const rules: ReportRule[] = [];
  const ruleNumber = new Map<string, number>();
  const usedRules = new Set<number>();
  for (let s = 0; s < view.sideCount; s++) {
    const side = view.side(s, usedRules);
    sideNumber.set(side.id, s);
    sides.push({
      entries: side.entries.map((e) => {
        let rule = -1;
        if (e.rule !== null) {
          rule = ruleNumber.get(e.rule) ?? -1;
          if (rule < 0) {
            rule = rules.length;
            ruleNumber.set(e.rule, rule);
            const { id: _id, ...info } = view.rule(Number(e.rule.slice(1)));
            rules.push(info);
          }
        }
        return [rule, e.outcome, describeText(e.traffic), e.policy, e.note ?? ''];
      }),
    });
  }

  // Edges between top-level nodes, each with its distinct class-level parts.
  const edges = new Map<number, { edge: ReportEdge; seen: Set<string> }>();
  const stride = nodes.length + 1;
  const { paths } = reach;
  for (let i = 0; i < paths.count; i++) {
    const p = view.path(i);
    const t = Number(p.traffic.slice(1));
    const so = sideNumber.get(p.source)!;
    const si = sideNumber.get(p.destination)!;
    const from = pathSources(paths, i);
    const to = pathTargets(paths, i);
    for (let a = 0; a < from.length; a++) {
      const fc = classIndex(from[a]!);
      for (let b = 0; b < to.length; b++) {
        const tc = classIndex(to[b]!);
        const fn = classes[fc]!.node;
        const tn = classes[tc]!.node;
        const key = fn * stride + tn;
        let entry = edges.get(key);
        if (!entry) {
          entry = { edge: { from: fn, to: tn, parts: [], status: 'same' }, seen: new Set() };
          edges.set(key, entry);
        }
        const partKey = `${fc},${tc},${t},${so},${si}`;
        if (entry.seen.has(partKey)) continue;
        entry.seen.add(partKey);
        entry.edge.parts.push(fc, tc, t, so, si);
      }
    }
  }
  const edgeList = [...edges.values()]
    .map((e) => e.edge)
    .sort((a, b) => cmp(nodes[a.from]!.id, nodes[b.from]!.id) || cmp(nodes[a.to]!.id, nodes[b.to]!.id));

  return {
    schemaVersion: 1,
    kind: 'aciseg.report',
    generator: { name: 'aciseg', version: VERSION },
    title: input.title,
    collectedAt: snapshot.source.collectedAt,
    summary: {
      vnets: snapshot.virtualNetworks.length,
      subnets: snapshot.subnets.length,
      containerGroups: snapshot.containerGroups.length,
      publicContainerGroups: snapshot.containerGroups.filter(isPublic).length,
      edges: edgeList.length,
      assumptions: ASSUMPTIONS,
    },
    nodes,
    peerings: topo.peerings,
    applianceRoutes: topo.applianceRoutes,
    rules,
    traffic,
    sides,
    classes,
    views: { before: { edges: edgeList } },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isPublic(g: Snapshot['containerGroups'][number]): boolean {
  return g.subnetIds.length === 0 && g.ipAddress?.type === 'Public' && !!g.ipAddress.ip;
}

/** Which external endpoint an external class belongs to: any public address makes it the Internet. */
function externalKind(c: EndpointClass): string {
  if (!c.ranges.intersect(PUBLIC_IPV4).isEmpty) return 'external:internet';
  if (c.ranges.has(AZURE_HOST_IP)) return 'external:azure-host';
  return 'external:other';
}

interface Topo {
  nodes: ReportNode[];
  nodeIndex: Map<string, number>;
  groupIps: Map<number, number>;
  /** Container group node indexes of each subnet node. */
  groupsOf: Map<number, number[]>;
  peerings: ReportPeering[];
  applianceRoutes: ReportApplianceRoute[];
}

/** The container groups (node indexes) whose address lies in a class. */
function classMembers(c: EndpointClass, topo: Topo): number[] {
  if (c.kind === 'publicContainerGroup') return [topo.nodeIndex.get(c.group!.id)!];
  const subnet = topo.nodeIndex.get(c.subnet!.id)!;
  return (topo.groupsOf.get(subnet) ?? []).filter((i) => {
    const ip = topo.groupIps.get(i);
    return ip !== undefined && c.ranges.has(ip);
  });
}

/** VNets, their subnets and container groups, then public container groups, in resource ID order. */
function topologyNodes(snapshot: Snapshot): Topo {
  const nodes: ReportNode[] = [];
  const nodeIndex = new Map<string, number>();
  const groupIps = new Map<number, number>();
  const groupsOf = new Map<number, number[]>();
  const add = (n: ReportNode) => {
    nodeIndex.set(n.id, nodes.length);
    nodes.push(n);
    return nodes.length - 1;
  };
  const nsgName = new Map(snapshot.networkSecurityGroups.map((n) => [n.id, n.name]));
  const routeTables = new Map(snapshot.routeTables.map((r) => [r.id, r]));
  const groups = [...snapshot.containerGroups].sort(byId);
  const groupsBySubnet = new Map<string, typeof groups>();
  for (const g of groups) {
    const sid = g.subnetIds[0];
    if (sid === undefined) continue;
    groupsBySubnet.set(sid, [...(groupsBySubnet.get(sid) ?? []), g]);
  }
  const addGroup = (g: (typeof groups)[number], parent: number) => {
    const ports = (g.ipAddress?.ports ?? []).map((p) => `${p.protocol.toLowerCase()} ${p.port}`).join(', ');
    const details = [`${g.ipAddress?.type ?? 'no'} IP ${g.ipAddress?.ip ?? '(none)'}`];
    if (ports) details.push(`declared ports: ${ports}`);
    const i = add({ id: g.id, kind: 'containerGroup', name: g.name, parent, details });
    if (isPublic(g)) nodes[i]!.public = true;
    const ip = g.ipAddress?.ip ? parseIpv4(g.ipAddress.ip) : null;
    if (ip !== null) groupIps.set(i, ip);
    if (parent >= 0) groupsOf.set(parent, [...(groupsOf.get(parent) ?? []), i]);
  };
  const subnetsByVnet = new Map<string, Snapshot['subnets']>();
  for (const s of [...snapshot.subnets].sort(byId))
    subnetsByVnet.set(s.virtualNetworkId, [...(subnetsByVnet.get(s.virtualNetworkId) ?? []), s]);
  for (const v of [...snapshot.virtualNetworks].sort(byId)) {
    const vi = add({ id: v.id, kind: 'vnet', name: v.name, parent: -1, details: [v.addressPrefixes.join(', ')] });
    for (const s of subnetsByVnet.get(v.id) ?? []) {
      const details = [s.addressPrefixes.join(', ')];
      details.push(
        s.networkSecurityGroupId
          ? `NSG ${nsgName.get(s.networkSecurityGroupId) ?? s.networkSecurityGroupId}`
          : 'no NSG',
      );
      const rt = s.routeTableId ? routeTables.get(s.routeTableId) : undefined;
      if (rt) details.push(`route table ${rt.name}`);
      const si = add({ id: s.id, kind: 'subnet', name: s.name, parent: vi, details });
      for (const g of groupsBySubnet.get(s.id) ?? []) addGroup(g, si);
    }
  }
  // Subnets whose VNet is not in the snapshot still draw, at the top level.
  for (const s of [...snapshot.subnets].sort(byId)) {
    if (nodeIndex.has(s.id)) continue;
    const si = add({ id: s.id, kind: 'subnet', name: s.name, parent: -1, details: [s.addressPrefixes.join(', ')] });
    for (const g of groupsBySubnet.get(s.id) ?? []) addGroup(g, si);
  }
  for (const g of groups) if (!nodeIndex.has(g.id)) addGroup(g, -1);

  const peerings: ReportPeering[] = [];
  for (const p of [...snapshot.virtualNetworkPeerings].sort(byId)) {
    const from = nodeIndex.get(p.virtualNetworkId);
    const to = p.remoteVirtualNetworkId ? nodeIndex.get(p.remoteVirtualNetworkId) : undefined;
    if (from === undefined || to === undefined) continue;
    peerings.push({ from, to, name: p.name, state: p.peeringState ?? 'unknown' });
  }

  const subnetSpaces = [...snapshot.subnets]
    .sort(byId)
    .map((s) => ({ id: s.id, space: ipv4SetOf(s.addressPrefixes) }));
  const applianceRoutes: ReportApplianceRoute[] = [];
  for (const s of [...snapshot.subnets].sort(byId)) {
    const rt = s.routeTableId ? routeTables.get(s.routeTableId) : undefined;
    for (const r of rt?.routes ?? []) {
      if (r.nextHopType.toLowerCase() !== 'virtualappliance') continue;
      const hop = r.nextHopIpAddress ? parseIpv4(r.nextHopIpAddress) : null;
      const holder = hop === null ? undefined : subnetSpaces.find((x) => x.space.has(hop));
      applianceRoutes.push({
        subnet: nodeIndex.get(s.id)!,
        routeTable: rt!.name,
        route: r.name,
        prefix: r.addressPrefix,
        nextHop: r.nextHopIpAddress ?? '(none)',
        nextHopSubnet: holder ? nodeIndex.get(holder.id)! : -1,
      });
    }
  }
  return { nodes, nodeIndex, groupIps, groupsOf, peerings, applianceRoutes };
}

/** A traffic description as one line: `tcp 22, 443; udp 53; icmp` (`nothing` when empty). */
export function describeText(d: TrafficDescription): string {
  const parts: string[] = [];
  for (const [name, layers] of [
    ['tcp', d.tcp],
    ['udp', d.udp],
  ] as const) {
    for (const l of layers) {
      const ports = l.destinationPorts.join(', ').replace(/^\*$/, 'all ports');
      const src = l.sourcePorts.join(', ');
      parts.push(src === '*' ? `${name} ${ports}` : `${name} ${ports} (source ports ${src})`);
    }
  }
  if (d.icmp) parts.push('icmp');
  return parts.length === 0 ? 'nothing' : parts.join('; ');
}

/** Destination port intervals of tcp and udp layers, merged, as flat [lo, hi] pairs. */
function openPorts(d: TrafficDescription): [number, number][] {
  const ranges: [number, number][] = [];
  for (const l of [...d.tcp, ...d.udp])
    for (const p of l.destinationPorts) {
      if (p === '*') ranges.push([0, 65535]);
      else {
        const [lo, hi] = p.split('-').map(Number);
        ranges.push([lo!, hi ?? lo!]);
      }
    }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

function reportTraffic(t: { allow: TrafficDescription; unknown: TrafficDescription }): ReportTraffic {
  const ports = openPorts({
    tcp: [...t.allow.tcp, ...t.unknown.tcp],
    udp: [...t.allow.udp, ...t.unknown.udp],
    icmp: false,
  });
  let flags = 0;
  if (ports.some(([lo, hi]) => lo === 0 && hi === 65535)) flags |= TRAFFIC_ALL_PORTS;
  if (MANAGEMENT_PORTS.some((m) => ports.some(([lo, hi]) => lo <= m && m <= hi))) flags |= TRAFFIC_MANAGEMENT;
  const unknown = describeText(t.unknown);
  if (unknown !== 'nothing') flags |= TRAFFIC_UNKNOWN;
  return { allow: describeText(t.allow), unknown, flags, ports: ports.flat() };
}
