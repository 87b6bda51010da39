/**
 * The one adapter from engine results to the HTML report's data (src/render/report-model.ts): the
 * topology comes from the snapshot, what can talk to what from the all-pairs reachability as the
 * `analyze` report sees it (ReachabilityView). Endpoint classes outside every subnet collapse into a
 * few external endpoints (Internet, the Azure host address, other space), so the Internet is one box.
 */
import type { EndpointClass, Reachability } from '../analyze/reachability';
import { pathSources, pathTargets } from '../analyze/reachability';
import type { Snapshot } from '../model/snapshot';
import { parseIpv4 } from '../net/address';
import { AZURE_HOST_IP, ipv4SetOf, type PairTraffic, type PolicyEngine, PUBLIC_IPV4 } from '../policy';
import { IntervalSet, ipv4Domain } from '../net/interval-set';
import { VERSION } from '../version';
import { ASSUMPTIONS, describeTraffic, type TrafficDescription } from '../analyze/results';
import { sideEntry } from '../analyze/explain';
import {
  TRAFFIC_ALL_PORTS,
  TRAFFIC_MANAGEMENT,
  TRAFFIC_UNKNOWN,
  type ReportApplianceRoute,
  type ReportClass,
  DIFF_STATUSES,
  MATRIX_CODES,
  PART_SIZE,
  RUN_SIZE,
  type ReportView,
  type ReportData,
  type ReportNode,
  type ReportPeering,
  type ReportRule,
  type ReportSide,
  type ReportSideEntry,
  type ReportTraffic,
} from './report-model';

/**
 * Ports that give a shell or a desktop: open to wide sources, the classic way in. A subset of
 * analyze's SENSITIVE_PORTS: the report's colour tiers mark remote-login exposure only (the wider
 * list would recolour edges that open databases or SMB).
 */
export const MANAGEMENT_PORTS = [22, 23, 3389, 5985, 5986];

const EXTERNALS = [
  { id: 'external:internet', name: 'Internet', detail: 'public IPv4 space outside every VNet' },
  { id: 'external:azure-host', name: 'Azure platform', detail: '168.63.129.16 (AzureLoadBalancer)' },
  {
    id: 'external:other',
    name: 'Other address space',
    detail:
      'private space outside every subnet: on-premises, unassigned VNet space, peered networks not in the snapshot',
  },
] as const;

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export interface ReportInput {
  snapshot: Snapshot;
  engine: PolicyEngine;
  reach: Reachability;
  title: string;
  /** Called now and then with a progress message on large estates. */
  progress?: (message: string) => void;
  /** Open class pairs up to which parts keep their classes (default CLASS_PAIR_BUDGET). */
  classPairBudget?: number;
  /** Bytes of detail (rules, traffic, parts) the report embeds (default DETAIL_BUDGET). */
  detailBudget?: number;
  /** How the view stores its edges (default: the smaller of runs and matrix). */
  viewForm?: 'runs' | 'matrix' | 'smaller';
}

/** Above this many open class pairs, edges keep their rules but not which container groups they join. */
export const CLASS_PAIR_BUDGET = 1_000_000;

/** About this many bytes of JSON for the rules, traffic and parts behind edges (the rest keep their risk only). */
export const DETAIL_BUDGET = 6_000_000;

/** Builds the report data; same input, same data (everything is sorted by resource ID). */
export function buildReportData(input: ReportInput): ReportData {
  const { snapshot, engine, reach } = input;
  const topo = topologyNodes(snapshot);
  const { nodes, nodeIndex } = topo;

  // Classes: the engine's subnet and public container group classes, one per external endpoint;
  // listed by node so that a class is (node, rank).
  const usedExternals = new Set<string>();
  const externalOf = new Map<number, string>();
  for (const c of reach.classes)
    if (c.kind === 'external') {
      const id = externalKind(c);
      usedExternals.add(id);
      externalOf.set(c.index, id);
    }
  for (const e of EXTERNALS) {
    if (!usedExternals.has(e.id)) continue;
    nodeIndex.set(e.id, nodes.length);
    nodes.push({ id: e.id, kind: 'external', name: e.name, parent: -1, details: [e.detail] });
  }
  const nodeOfClass = reach.classes.map((c) =>
    c.kind === 'external'
      ? nodeIndex.get(externalOf.get(c.index)!)!
      : nodeIndex.get(c.kind === 'subnet' ? c.subnet!.id : c.group!.id)!,
  );
  const classesOfNode = new Map<number, EndpointClass[]>();
  reach.classes.forEach((c, i) => {
    const n = nodeOfClass[i]!;
    const list = classesOfNode.get(n);
    if (c.kind === 'external') {
      if (!list) classesOfNode.set(n, [c]);
    } else if (list) list.push(c);
    else classesOfNode.set(n, [c]);
  });
  const classes: ReportClass[] = [];
  const rankOf = new Int32Array(reach.classes.length);
  const endpoints: number[] = [];
  const endpointOf = new Int32Array(nodes.length).fill(-1);
  nodes.forEach((n, i) => {
    const list = classesOfNode.get(i);
    if (n.kind === 'subnet' || list !== undefined) {
      endpointOf[i] = endpoints.length;
      endpoints.push(i);
    }
    list?.forEach((c, rank) => {
      rankOf[c.index] = rank;
      classes.push({ node: i, members: c.kind === 'external' ? [] : classMembers(c, topo) });
    });
  });
  // Every external class of one endpoint is rank 0 of that endpoint.
  for (const c of reach.classes) if (c.kind === 'external') rankOf[c.index] = 0;

  // Edges between endpoints with their distinct parts: (source rank, destination rank, raw traffic,
  // source decision, destination decision). Only external endpoints, which merge many engine
  // classes, and parts without classes can repeat a part. Above the class-pair budget the parts
  // name no classes (rank -1: the whole endpoint).
  const classDetail = reach.stats.openPairs <= (input.classPairBudget ?? CLASS_PAIR_BUDGET);
  const raw = new RawTraffic(engine);
  const edges = new Map<number, { parts: number[]; dedupe: boolean }>();
  const stride = endpoints.length;
  const { paths } = reach;
  for (let i = 0; i < paths.count; i++) {
    const out = paths.out.get(i);
    const inb = paths.in.get(i);
    const t = raw.of(out, inb);
    const from = pathSources(paths, i);
    const to = pathTargets(paths, i);
    for (let a = 0; a < from.length; a++) {
      const fc = from[a]!;
      const fe = endpointOf[nodeOfClass[fc]!]!;
      for (let b = 0; b < to.length; b++) {
        const tc = to[b]!;
        const key = fe * stride + endpointOf[nodeOfClass[tc]!]!;
        let edge = edges.get(key);
        if (!edge) {
          const merges =
            !classDetail || reach.classes[fc]!.kind === 'external' || reach.classes[tc]!.kind === 'external';
          edge = { parts: [], dedupe: merges };
          edges.set(key, edge);
        }
        const fr = classDetail ? rankOf[fc]! : -1;
        const tr = classDetail ? rankOf[tc]! : -1;
        if (edge.dedupe && hasPart(edge.parts, fr, tr, t, out, inb)) continue;
        edge.parts.push(fr, tr, t, out, inb);
      }
    }
    if ((i + 1) % 250000 === 0) input.progress?.(`report: ${i + 1}/${paths.count} paths`);
  }

  // Risk flags of every edge; then the rules behind edges, riskiest first, while they fit the
  // detail budget. Edges beyond it keep their flags (colour, risk filter) but not their rules.
  const keys = [...edges.keys()].sort((x, y) => x - y);
  const internetEndpoint = endpointOf[nodeIndex.get('external:internet') ?? nodes.length] ?? -1;
  const flagsOf = new Map<number, number>();
  const levelOf = (key: number) => {
    const flags = flagsOf.get(key)!;
    const wide = (flags & (TRAFFIC_ALL_PORTS | TRAFFIC_MANAGEMENT)) !== 0;
    return Math.floor(key / stride) === internetEndpoint ? (wide ? 3 : 2) : wide ? 1 : 0;
  };
  for (const key of keys) {
    const parts = edges.get(key)!.parts;
    let flags = 0;
    for (let k = 2; k < parts.length; k += PART_SIZE) flags |= raw.report(parts[k]!).flags;
    flagsOf.set(key, flags);
  }
  const detail = new DetailTables(engine, raw, input.detailBudget ?? DETAIL_BUDGET);
  const byRisk = keys.slice().sort((x, y) => levelOf(y) - levelOf(x) || x - y);
  const bundleOfEdge = new Map<number, number>();
  const bundles: number[][] = [];
  const bundleOf = new Map<string, number>();
  for (const key of byRisk) {
    const parts = detail.take(edges.get(key)!.parts);
    if (parts === null) break;
    const sorted = sortParts(parts);
    const text = sorted.join(',');
    let bundle = bundleOf.get(text);
    if (bundle === undefined) {
      bundle = bundles.length;
      bundles.push(sorted);
      bundleOf.set(text, bundle);
    }
    bundleOfEdge.set(key, bundle);
  }

  // Runs: consecutive destinations of one source with the same bundle (or none) and flags.
  const runs: number[] = [];
  for (const key of keys) {
    const from = Math.floor(key / stride);
    const to = key % stride;
    const bundle = bundleOfEdge.get(key) ?? -1;
    const flags = flagsOf.get(key)!;
    const last = runs.length - RUN_SIZE;
    if (
      last >= 0 &&
      runs[last] === from &&
      runs[last + 1]! + runs[last + 2]! === to &&
      runs[last + 3] === bundle &&
      runs[last + 5] === flags
    )
      runs[last + 2]!++;
    else runs.push(from, to, 1, bundle, 0, flags);
  }
  const edgeCount = keys.length;
  const { traffic, sides, rules } = detail;
  const before = viewOf(runs, endpoints.length, input.viewForm ?? 'smaller');

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
      edges: edgeCount,
      detailedEdges: bundleOfEdge.size,
      assumptions: ASSUMPTIONS,
    },
    nodes,
    peerings: topo.peerings,
    applianceRoutes: topo.applianceRoutes,
    rules,
    traffic,
    sides,
    classes,
    endpoints,
    bundles,
    classDetail,
    views: { before },
  };
}

/** Parts (five numbers each) in ascending order, so equal part sets are equal arrays. */
function sortParts(parts: number[]): number[] {
  const count = parts.length / PART_SIZE;
  if (count === 1) return parts;
  const order = Array.from({ length: count }, (_, i) => i * PART_SIZE);
  order.sort((x, y) => {
    for (let k = 0; k < PART_SIZE; k++)
      if (parts[x + k] !== parts[y + k]) return parts[x + k]! - parts[y + k]!;
    return 0;
  });
  return order.flatMap((o) => parts.slice(o, o + PART_SIZE));
}

function isPublic(g: Snapshot['containerGroups'][number]): boolean {
  return g.subnetIds.length === 0 && g.ipAddress?.type === 'Public' && !!g.ipAddress.ip;
}

const AZURE_HOST = IntervalSet.range(ipv4Domain, AZURE_HOST_IP, AZURE_HOST_IP);
const INTERNET = PUBLIC_IPV4.subtract(AZURE_HOST);

/** Which external endpoint an external class belongs to: any Internet address makes it the Internet. */
function externalKind(c: EndpointClass): string {
  if (!c.ranges.intersect(INTERNET).isEmpty) return 'external:internet';
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
    const vi = add({
      id: v.id,
      kind: 'vnet',
      name: v.name,
      parent: -1,
      details: [v.addressPrefixes.join(', ')],
    });
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
    const si = add({
      id: s.id,
      kind: 'subnet',
      name: s.name,
      parent: -1,
      details: [s.addressPrefixes.join(', ')],
    });
    for (const g of groupsBySubnet.get(s.id) ?? []) addGroup(g, si);
  }
  // Container groups outside every subnet of the snapshot (public ones) are dots in one box.
  const outside = groups.filter((g) => !nodeIndex.has(g.id));
  if (outside.length > 0) {
    const box = add({
      id: 'group:outside-vnets',
      kind: 'group',
      name: 'Container groups outside VNets',
      parent: -1,
      details: ['public IPs: each admits only its declared ports'],
    });
    for (const g of outside) addGroup(g, box);
  }

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

function hasPart(parts: number[], fr: number, tr: number, t: number, out: number, inb: number): boolean {
  for (let k = 0; k < parts.length; k += PART_SIZE)
    if (
      parts[k + 2] === t &&
      parts[k + 3] === out &&
      parts[k + 4] === inb &&
      parts[k] === fr &&
      parts[k + 1] === tr
    )
      return true;
  return false;
}

/** The traffic of (outbound decision, inbound decision) pairs, numbered by content as first met. */
class RawTraffic {
  private readonly number = new Map<number, number>();
  private readonly pairs: PairTraffic[] = [];
  private readonly reports: (ReportTraffic | undefined)[] = [];

  constructor(private readonly engine: PolicyEngine) {}

  of(out: number, inb: number): number {
    const engine = this.engine;
    const pair = engine.trafficBetween(engine.decision(out), engine.decision(inb));
    const key = engine.trafficId(pair.allow) * 2 ** 26 + engine.trafficId(pair.unknown);
    let t = this.number.get(key);
    if (t === undefined) {
      t = this.pairs.length;
      this.pairs.push(pair);
      this.number.set(key, t);
    }
    return t;
  }

  report(t: number): ReportTraffic {
    let r = this.reports[t];
    if (!r) {
      const pair = this.pairs[t]!;
      r = reportTraffic({ allow: describeTraffic(pair.allow), unknown: describeTraffic(pair.unknown) });
      this.reports[t] = r;
    }
    return r;
  }
}

/**
 * The traffic, sides and rules that embedded edges use, numbered as they are first taken, with the
 * bytes they cost; `take` refuses an edge once the budget is spent.
 */
class DetailTables {
  readonly traffic: ReportTraffic[] = [];
  readonly sides: ReportSide[] = [];
  readonly rules: ReportRule[] = [];
  private readonly trafficNumber = new Map<number, number>();
  private readonly sideNumber = new Map<string, number>();
  private readonly ruleNumber = new Map<number, number>();
  private spent = 0;

  constructor(
    private readonly engine: PolicyEngine,
    private readonly raw: RawTraffic,
    private readonly budget: number,
  ) {}

  /** The parts renumbered into the tables, or null (and nothing added) when they would not fit. */
  take(parts: number[]): number[] | null {
    let cost = parts.length * 4;
    const newTraffic = new Set<number>();
    const newSides = new Map<string, ReportSide>();
    for (let k = 0; k < parts.length; k += PART_SIZE) {
      const t = parts[k + 2]!;
      if (!this.trafficNumber.has(t) && !newTraffic.has(t)) {
        newTraffic.add(t);
        cost += JSON.stringify(this.raw.report(t)).length;
      }
      for (const [decision, source] of [
        [parts[k + 3]!, true],
        [parts[k + 4]!, false],
      ] as const) {
        const id = `${source ? 'o' : 'i'}${decision}`;
        if (this.sideNumber.has(id) || newSides.has(id)) continue;
        const side = this.sideOf(decision, source);
        newSides.set(id, side);
        cost += JSON.stringify(side).length;
      }
    }
    if (this.spent + cost > this.budget) {
      // Rules numbered while pricing a side that is not taken stay listed; they are few and harmless.
      return null;
    }
    this.spent += cost;
    for (const t of newTraffic) {
      this.trafficNumber.set(t, this.traffic.length);
      this.traffic.push(this.raw.report(t));
    }
    for (const [id, side] of newSides) {
      this.sideNumber.set(id, this.sides.length);
      this.sides.push(side);
    }
    const out: number[] = [];
    for (let k = 0; k < parts.length; k += PART_SIZE)
      out.push(
        parts[k]!,
        parts[k + 1]!,
        this.trafficNumber.get(parts[k + 2]!)!,
        this.sideNumber.get(`o${parts[k + 3]}`)!,
        this.sideNumber.get(`i${parts[k + 4]}`)!,
      );
    return out;
  }

  /** Every rule (or other decider) that decided traffic on one side, in priority order (as analyze lists them). */
  private sideOf(decision: number, source: boolean): ReportSide {
    const d = this.engine.decision(decision);
    const side = source ? 'source' : 'destination';
    const entries = d
      .decidersOnce()
      .map((x) => {
        const e = sideEntry(this.engine, side, x);
        const rule = x.kind === 'rule' ? this.ruleOf(x.ref) : -1;
        const entry: ReportSideEntry = [
          rule,
          e.outcome,
          describeText(describeTraffic(x.traffic)),
          e.policy,
          e.note ?? '',
        ];
        return { entry, priority: e.rule?.priority ?? 0 };
      })
      .sort(
        (a, b) =>
          a.priority - b.priority ||
          cmp(a.entry[3], b.entry[3]) ||
          cmp(a.entry[1], b.entry[1]) ||
          a.entry[0] - b.entry[0],
      )
      .map((x) => x.entry);
    return { entries };
  }

  private ruleOf(ref: number): number {
    let n = this.ruleNumber.get(ref);
    if (n === undefined) {
      const r = this.engine.ruleRef(ref);
      n = this.rules.length;
      this.rules.push({
        policy: r.layer === 'admin' ? 'avnm' : 'nsg',
        nsg: r.ownerName,
        name: r.name,
        priority: r.priority,
        access: r.access,
        direction: r.direction,
      });
      this.ruleNumber.set(ref, n);
    }
    return n;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The runs, or the same edges as a matrix ('smaller': when that is smaller, at about 12 characters per run against one per cell). */
function viewOf(runs: number[], endpoints: number, form: 'runs' | 'matrix' | 'smaller'): ReportView {
  if (form === 'runs' || (form === 'smaller' && (runs.length / RUN_SIZE) * 12 <= endpoints * endpoints))
    return { runs };
  const rows: string[][] = Array.from({ length: endpoints }, () => []);
  const matrixBundles: number[] = [];
  for (let r = 0; r < runs.length; r += RUN_SIZE) {
    const [from, to, len, bundle, status, flags] = runs.slice(r, r + RUN_SIZE) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const row = rows[from]!;
    while (row.length < to) row.push('.');
    const code = MATRIX_CODES[status * 8 + flags]!;
    for (let k = 0; k < len; k++) {
      row.push(code);
      if (bundle >= 0) matrixBundles.push(from, to + k, bundle);
    }
  }
  if (DIFF_STATUSES.length * 8 > MATRIX_CODES.length)
    throw new Error('matrix codes cannot hold every status');
  return { matrix: rows.map((row) => row.join('').padEnd(endpoints, '.')), matrixBundles };
}
