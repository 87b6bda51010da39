/**
 * Data shaping for the report page: risk of an edge, the search and port filter, aggregation to a
 * drawable number of edges, the container-group expansion of an edge, and a deterministic nested
 * layout. Pure TypeScript: no DOM, no d3, so jest tests it directly.
 */
import {
  CHANGE_SIZE,
  DIFF_STATUSES,
  MATRIX_CODES,
  PART_SIZE,
  RUN_SIZE,
  TRAFFIC_ALL_PORTS,
  TRAFFIC_MANAGEMENT,
  TRAFFIC_UNKNOWN,
  type DiffStatus,
  type ReportData,
  type ReportFinding,
  type ReportObservedEdge,
  type ReportView,
} from '../../src/render/report-model';

/** One edge of a view: from and to are node indexes; its parts are `view.bundles[bundle]` (none when -1). */
export interface ReportEdge {
  from: number;
  to: number;
  bundle: number;
  status: DiffStatus;
  /** TRAFFIC_* bits of what it opens. */
  flags: number;
}

const NO_PARTS: number[] = [];

/** The parts of an edge of a view; none when its rules are not embedded. */
export function partsOf(view: ReportView, edge: ReportEdge): number[] {
  return edge.bundle >= 0 ? view.bundles[edge.bundle]! : NO_PARTS;
}

/** Restores the node IDs of the embedded form (`idPrefixes[p] + id`, see ReportData.idPrefixes). */
export function expandIds(data: ReportData): ReportData {
  const prefixes = data.idPrefixes;
  if (!prefixes) return data;
  for (const n of data.nodes)
    if (n.p !== undefined) {
      n.id = prefixes[n.p]! + n.id;
      delete n.p;
    }
  delete data.idPrefixes;
  return data;
}

/** A matrix row with its counted runs (`A12`) written out. */
export function expandRow(row: string): string {
  return row.replace(/(\D)(\d+)/g, (_, cell: string, count: string) => cell.repeat(Number(count)));
}

/** The edges of a view, from its runs or its matrix, in order. */
export function decodeEdges(data: ReportData, view: ReportView): ReportEdge[] {
  const edges: ReportEdge[] = [];
  if (view.matrix) {
    const bundles = new Map<number, number>();
    const mb = view.matrixBundles ?? [];
    const n = data.endpoints.length;
    for (let k = 0; k < mb.length; k += 3) bundles.set(mb[k]! * n + mb[k + 1]!, mb[k + 2]!);
    view.matrix.forEach((packed, from) => {
      const row = expandRow(packed);
      for (let to = 0; to < row.length; to++) {
        const c = row.charCodeAt(to);
        if (c === 46) continue; // '.'
        const code = MATRIX_CODES.indexOf(row[to]!);
        edges.push({
          from: data.endpoints[from]!,
          to: data.endpoints[to]!,
          bundle: bundles.get(from * n + to) ?? -1,
          status: DIFF_STATUSES[code >> 3]!,
          flags: code & 7,
        });
      }
    });
    return edges;
  }
  const runs = view.runs ?? [];
  for (let r = 0; r < runs.length; r += RUN_SIZE) {
    const from = data.endpoints[runs[r]!]!;
    const status = DIFF_STATUSES[runs[r + 4]!]!;
    const bundle = runs[r + 3]!;
    const flags = runs[r + 5]!;
    for (let k = 0; k < runs[r + 2]!; k++)
      edges.push({ from, to: data.endpoints[runs[r + 1]! + k]!, bundle, status, flags });
  }
  return edges;
}

/**
 * The position of the edge from → to (node indexes) in a view's edges, or -1. Edges come in
 * endpoint order and endpoints in node order, so this is a binary search (a map of millions of
 * edges would cost seconds at load).
 */
export function edgeAt(edges: ReportEdge[], from: number, to: number): number {
  let a = 0;
  let b = edges.length;
  while (a < b) {
    const m = (a + b) >> 1;
    const e = edges[m]!;
    if (e.from < from || (e.from === from && e.to < to)) a = m + 1;
    else b = m;
  }
  return a < edges.length && edges[a]!.from === from && edges[a]!.to === to ? a : -1;
}

/** The class indexes of each node in a view, by rank. */
export function classesByNode(data: ReportData, view: ReportView): number[][] {
  const out: number[][] = data.nodes.map(() => []);
  view.classes.forEach((c, i) => out[c.node]!.push(i));
  return out;
}

/** The views the page switches between: Before; After (the proposal, without what it closes); Diff (all, by status). */
export type ViewName = 'before' | 'after' | 'diff';

/** The edges of a view by name: After and Diff both read the After data, After leaves closed edges out. */
export function viewEdges(data: ReportData, name: ViewName): { view: ReportView; edges: ReportEdge[] } {
  if (name === 'before' || !data.views.after)
    return { view: data.views.before, edges: decodeEdges(data, data.views.before) };
  const view = data.views.after;
  const edges = decodeEdges(data, view);
  return { view, edges: name === 'after' ? edges.filter((e) => e.status !== 'closed') : edges };
}

/** What changed on an edge of the After view: removed and added traffic, by `from,to` node indexes. */
export function changesOf(data: ReportData): Map<string, { removed: string; added: string }> {
  const out = new Map<string, { removed: string; added: string }>();
  const changes = data.views.after?.changes ?? [];
  for (let k = 0; k < changes.length; k += CHANGE_SIZE)
    out.set(`${data.endpoints[changes[k]!]},${data.endpoints[changes[k + 1]!]}`, {
      removed: data.changeTexts[changes[k + 2]!]!,
      added: data.changeTexts[changes[k + 3]!]!,
    });
  return out;
}

export const SEVERITY_NAMES = ['critical', 'high', 'medium', 'low', 'info'] as const;

/** Findings (indexes) concerning each node: a node is concerned by findings naming it, its ancestors or its children. */
export function findingsByNode(data: ReportData): number[][] {
  const out: number[][] = data.nodes.map(() => []);
  const add = (n: number, f: number) => {
    const list = out[n]!;
    if (list[list.length - 1] !== f) list.push(f);
  };
  data.findings.forEach((f, i) => {
    const named = new Set<number>(f.nodes);
    for (const [a, b] of f.edges) named.add(a).add(b);
    for (const n of [...named].sort((x, y) => x - y)) {
      add(n, i);
      for (let p = data.nodes[n]!.parent; p >= 0; p = data.nodes[p]!.parent) add(p, i);
    }
  });
  for (const list of out) list.sort((x, y) => x - y);
  out.forEach((list, i) => (out[i] = [...new Set(list)]));
  return out;
}

/** Findings concerning an edge: those whose flows join its two ends, else those naming either end. */
export function findingsOfEdge(
  data: ReportData,
  byNode: number[][],
  from: number,
  to: number,
): ReportFinding[] {
  const direct = data.findings.filter((f) => f.edges.some(([a, b]) => a === from && b === to));
  if (direct.length > 0) return direct;
  const ids = new Set([...byNode[from]!, ...byNode[to]!]);
  return [...ids].sort((x, y) => x - y).map((i) => data.findings[i]!);
}

/** 3 critical (from the Internet to management or all ports), 2 high (from the Internet), 1 medium (management or all ports), 0 low. */
export type RiskLevel = 0 | 1 | 2 | 3;

export const RISK_NAMES = [
  'narrow ports',
  'management or all ports',
  'from the Internet',
  'from the Internet to management or all ports',
];

export interface EdgeRisk {
  internet: boolean;
  management: boolean;
  allPorts: boolean;
  unknown: boolean;
  level: RiskLevel;
}

/** An edge to draw: between two nodes, standing for one or more report edges. */
export interface DrawEdge {
  id: string;
  from: number;
  to: number;
  /** Indexes into the view's edges. */
  members: number[];
  risk: EdgeRisk;
  status: DiffStatus;
  /** Observed volume of its members (zero: none seen in the window); null without flow logs. */
  volume: EdgeVolume | null;
}

/** Allowed flows observed between the ends of a drawn edge, summed over its members. */
export interface EdgeVolume {
  tuples: number;
  flows: number;
  first: string | null;
  last: string | null;
}

const volumeTables = new WeakMap<ReportData, Map<string, ReportObservedEdge>>();

/** The observed volume of some report edges, or null when the report was built without flow logs. */
export function volumeOf(data: ReportData, edges: ReportEdge[], members: number[]): EdgeVolume | null {
  if (!data.observedEdges) return null;
  let byPair = volumeTables.get(data);
  if (!byPair) {
    byPair = new Map(data.observedEdges.map((o) => [`${o.from},${o.to}`, o]));
    volumeTables.set(data, byPair);
  }
  const v: EdgeVolume = { tuples: 0, flows: 0, first: null, last: null };
  for (const i of members) {
    const o = byPair.get(`${edges[i]!.from},${edges[i]!.to}`);
    if (!o) continue;
    v.tuples += o.tuples;
    v.flows += o.flows;
    if (v.first === null || o.first < v.first) v.first = o.first;
    if (v.last === null || o.last > v.last) v.last = o.last;
  }
  return v;
}

/** Stroke width by observed volume, log-scaled against the busiest drawn edge: 1 (none seen) to 9. */
export function volumeWidth(tuples: number, max: number): number {
  if (tuples <= 0 || max <= 0) return 1;
  return 2 + (7 * Math.log1p(tuples)) / Math.log1p(Math.max(max, tuples));
}

export const INTERNET_ID = 'external:internet';

/** The risk of one report edge, from where it starts and what its parts open. */
export function edgeRisk(data: ReportData, edge: ReportEdge): EdgeRisk {
  const flags = edge.flags;
  const internet = data.nodes[edge.from]!.id === INTERNET_ID;
  const management = (flags & TRAFFIC_MANAGEMENT) !== 0;
  const allPorts = (flags & TRAFFIC_ALL_PORTS) !== 0;
  const wide = management || allPorts;
  const level: RiskLevel = internet ? (wide ? 3 : 2) : wide ? 1 : 0;
  return { internet, management, allPorts, unknown: (flags & TRAFFIC_UNKNOWN) !== 0, level };
}

function mergeRisk(a: EdgeRisk, b: EdgeRisk): EdgeRisk {
  return {
    internet: a.internet || b.internet,
    management: a.management || b.management,
    allPorts: a.allPorts || b.allPorts,
    unknown: a.unknown || b.unknown,
    level: Math.max(a.level, b.level) as RiskLevel,
  };
}

/** The status of a line that stands for edges of two statuses (as src/diff aggregates endpoint pairs). */
export function mergeStatus(a: DiffStatus, b: DiffStatus): DiffStatus {
  if (a === b) return a;
  const pair = new Set([a, b]);
  const within = (allowed: DiffStatus[]) => [...pair].every((s) => allowed.includes(s));
  if (within(['unchanged', 'narrowed', 'closed'])) return 'narrowed';
  if (within(['unchanged', 'widened', 'opened'])) return 'widened';
  return 'changed';
}

/** The data-edge-id of an edge: the two resource IDs. */
export function edgeKey(data: ReportData, from: number, to: number): string {
  return `${data.nodes[from]!.id} -> ${data.nodes[to]!.id}`;
}

export interface Filter {
  /** Case-insensitive text matched against names and IDs of either end (its VNet, subnet or groups). */
  text: string;
  /** A destination port the edge must open, or null. */
  port: number | null;
  /** Lowest risk level shown. */
  minRisk: RiskLevel;
  /** Only edges an unaccepted finding of at least this severity concerns (index in SEVERITY_NAMES), or null. */
  severity?: number | null;
  /** Only edges with one of these diff statuses, or null (all). */
  statuses?: DiffStatus[] | null;
}

/** The lowercase names and IDs a node is found by: its own, its ancestors' and its container groups'. */
export function searchTexts(data: ReportData): string[] {
  const own = data.nodes.map((n) => `${n.name}\n${n.id}`.toLowerCase());
  const texts = own.slice();
  data.nodes.forEach((n, i) => {
    for (let p = n.parent; p >= 0; p = data.nodes[p]!.parent) {
      texts[i] += `\n${own[p]}`;
      texts[p] += `\n${own[i]}`;
    }
  });
  return texts;
}

function opensPort(data: ReportData, view: ReportView, edge: ReportEdge, port: number): boolean {
  const parts = partsOf(view, edge);
  for (let k = 2; k < parts.length; k += PART_SIZE) {
    const ports = data.traffic[parts[k]!]!.ports;
    for (let j = 0; j < ports.length; j += 2) if (ports[j]! <= port && port <= ports[j + 1]!) return true;
  }
  return false;
}

/** The indexes of the view's edges that pass the filter, in order. */
export function filterEdges(
  data: ReportData,
  view: ReportView,
  edges: ReportEdge[],
  filter: Filter,
  texts: string[],
): number[] {
  const text = filter.text.trim().toLowerCase();
  const out: number[] = [];
  // Node matches and risks are worked out once per node and per (bundle, source).
  const matches = text ? texts.map((t) => t.includes(text)) : null;
  const risk = new Map<string, number>();
  const severe =
    filter.severity === null || filter.severity === undefined ? null : severeEdges(data, filter.severity);
  edges.forEach((e, i) => {
    if (filter.statuses && !filter.statuses.includes(e.status)) return;
    if (matches && !matches[e.from] && !matches[e.to]) return;
    if (
      severe &&
      !severe.nodes.has(e.from) &&
      !severe.nodes.has(e.to) &&
      !severe.edges.has(`${e.from},${e.to}`)
    )
      return;
    if (filter.port !== null && !opensPort(data, view, e, filter.port)) return;
    if (filter.minRisk > 0) {
      const key = `${e.bundle},${e.from}`;
      let level = risk.get(key);
      if (level === undefined) {
        level = edgeRisk(data, e).level;
        risk.set(key, level);
      }
      if (level < filter.minRisk) return;
    }
    out.push(i);
  });
  return out;
}

/**
 * What unaccepted findings of at least a severity concern: their flows' edges, and the nodes they
 * name with everything inside those nodes (a finding on a VNet concerns its subnets' edges).
 */
function severeEdges(data: ReportData, severity: number): { nodes: Set<number>; edges: Set<string> } {
  const nodes = new Set<number>();
  const edges = new Set<string>();
  const children = childrenOf(data);
  for (const f of data.findings) {
    if (f.accepted || SEVERITY_NAMES.indexOf(f.severity) > severity) continue;
    for (const [a, b] of f.edges) edges.add(`${a},${b}`);
    const stack = [...f.nodes];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (nodes.has(n)) continue;
      nodes.add(n);
      stack.push(...children[n]!);
    }
  }
  return { nodes, edges };
}

/** The top-level node (VNet, or a node without parent) holding node i. */
export function topOf(data: ReportData, i: number): number {
  let n = i;
  while (data.nodes[n]!.parent >= 0) n = data.nodes[n]!.parent;
  return n;
}

/**
 * The edges to draw: one per subnet pair when at most `budget` of them pass, else one per pair of
 * top-level boxes (VNet to VNet, Internet to VNet). Deterministic: ordered by first member.
 */
export function drawEdges(
  data: ReportData,
  edges: ReportEdge[],
  selected: number[],
  budget: number,
): { edges: DrawEdge[]; level: 'subnet' | 'vnet' } {
  const single = (i: number): DrawEdge => {
    const e = edges[i]!;
    return {
      id: edgeKey(data, e.from, e.to),
      from: e.from,
      to: e.to,
      members: [i],
      risk: edgeRisk(data, e),
      status: e.status,
      volume: volumeOf(data, edges, [i]),
    };
  };
  if (selected.length <= budget) return { edges: selected.map(single), level: 'subnet' };
  // Numeric keys and top-level lookups per node: this runs over millions of edges.
  const tops = data.nodes.map((_, i) => topOf(data, i));
  const stride = data.nodes.length;
  const byPair = new Map<number, DrawEdge>();
  const out: DrawEdge[] = [];
  for (const i of selected) {
    const e = edges[i]!;
    const from = tops[e.from]!;
    const to = tops[e.to]!;
    const key = from * stride + to;
    const d = byPair.get(key);
    if (d) {
      d.members.push(i);
      d.risk = mergeRisk(d.risk, edgeRisk(data, e));
      d.status = mergeStatus(d.status, e.status);
    } else {
      const edge: DrawEdge = {
        id: edgeKey(data, from, to),
        from,
        to,
        members: [i],
        risk: edgeRisk(data, e),
        status: e.status,
        volume: null,
      };
      byPair.set(key, edge);
      out.push(edge);
    }
  }
  for (const d of out) d.volume = volumeOf(data, edges, d.members);
  return { edges: out, level: 'vnet' };
}

/** One container-group level flow of an edge: classes expanded to their groups. */
export interface GroupFlow {
  from: number;
  to: number;
  traffic: number;
  sourceSide: number;
  destinationSide: number;
}

/**
 * The container-group level flows of an edge, at most `limit` (the rest counted). A class without
 * container groups (an external endpoint, or a subnet's unused addresses) stands for itself: its node.
 */
export function expandEdge(
  view: ReportView,
  byNode: number[][],
  edge: ReportEdge,
  limit: number,
): { flows: GroupFlow[]; omitted: number } {
  const flows: GroupFlow[] = [];
  let omitted = 0;
  // Without class detail the parts do not say which groups they join: nothing to expand.
  if (!view.classDetail) return { flows, omitted };
  const parts = partsOf(view, edge);
  for (let k = 0; k < parts.length; k += PART_SIZE) {
    const fc = view.classes[byNode[edge.from]![parts[k]!]!]!;
    const tc = view.classes[byNode[edge.to]![parts[k + 1]!]!]!;
    const fromMembers = fc.members.length > 0 ? fc.members : [fc.node];
    const toMembers = tc.members.length > 0 ? tc.members : [tc.node];
    for (const from of fromMembers)
      for (const to of toMembers) {
        if (from === to) continue;
        if (flows.length >= limit) {
          omitted++;
          continue;
        }
        flows.push({
          from,
          to,
          traffic: parts[k + 2]!,
          sourceSide: parts[k + 3]!,
          destinationSide: parts[k + 4]!,
        });
      }
  }
  return { flows, omitted };
}

/** Box of a node in the layout (x, y of the top-left corner). */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const CELL = 14;
const DOT_GAP = 4;
const SUBNET_MIN_W = 150;
const HEADER = 34;
/** A VNet's title and address space sit above its subnets. */
const VNET_HEADER = 46;
const PAD = 12;
/** Height of the appliance-route line of a subnet. */
export const ROUTE_LINE = 13;
/** Left column (external endpoints) width. */
const LEFT_W = 230;

/** Room for a title in a box, at about 0.6 em per character, within bounds (longer names are clipped). */
function titleWidth(name: string, size: number): number {
  return Math.min(Math.ceil(name.length * size * 0.6) + 20, 340);
}

/** Children of each node, in data order. */
export function childrenOf(data: ReportData): number[][] {
  const children: number[][] = data.nodes.map(() => []);
  data.nodes.forEach((n, i) => {
    if (n.parent >= 0) children[n.parent]!.push(i);
  });
  return children;
}

/** Places boxes left to right in rows no wider than `maxWidth` (shelf packing); returns the extent. */
function shelf(boxes: Box[], maxWidth: number, gap: number): { w: number; h: number } {
  let x = 0;
  let y = 0;
  let rowH = 0;
  let w = 0;
  for (const b of boxes) {
    if (x > 0 && x + b.w > maxWidth) {
      x = 0;
      y += rowH + gap;
      rowH = 0;
    }
    b.x = x;
    b.y = y;
    x += b.w + gap;
    rowH = Math.max(rowH, b.h);
    w = Math.max(w, x - gap);
  }
  return { w, h: y + rowH };
}

function translate(boxes: Box[], children: number[][], i: number, dx: number, dy: number): void {
  const stack = [i];
  while (stack.length > 0) {
    const n = stack.pop()!;
    boxes[n]!.x += dx;
    boxes[n]!.y += dy;
    stack.push(...children[n]!);
  }
}

/**
 * A deterministic nested grid: container groups as dots in their subnet, subnets shelf-packed in
 * their VNet, external endpoints and public groups in a column on the left, VNets shelf-packed to the
 * right. Linear in the number of nodes; same data, same boxes.
 */
export function layout(data: ReportData): { boxes: Box[]; width: number; height: number } {
  const children = childrenOf(data);
  const boxes: Box[] = data.nodes.map(() => ({ x: 0, y: 0, w: 0, h: 0 }));
  // A subnet whose route table sends traffic to an appliance gets a line for it under its title.
  const routed = new Set(data.applianceRoutes.map((r) => r.subnet));
  const sizeSubnet = (s: number) => {
    const dots = children[s]!;
    const cols = Math.max(1, Math.ceil(Math.sqrt(dots.length * 3)));
    const rows = Math.ceil(dots.length / cols);
    const header = HEADER + (routed.has(s) ? ROUTE_LINE : 0);
    dots.forEach((d, k) => {
      boxes[d] = {
        x: PAD + (k % cols) * CELL,
        y: header + Math.floor(k / cols) * CELL,
        w: CELL - DOT_GAP,
        h: CELL - DOT_GAP,
      };
    });
    boxes[s]!.w = Math.max(SUBNET_MIN_W, 2 * PAD + cols * CELL, titleWidth(data.nodes[s]!.name, 12));
    boxes[s]!.h = header + rows * CELL + PAD / 2;
  };
  const sizeVnet = (v: number) => {
    const subs = children[v]!;
    for (const s of subs) sizeSubnet(s);
    const area = subs.reduce((a, s) => a + boxes[s]!.w * boxes[s]!.h, 0);
    const maxW = Math.max(2 * SUBNET_MIN_W + PAD, Math.sqrt(area) * 1.6);
    const inner = shelf(
      subs.map((s) => boxes[s]!),
      maxW,
      PAD,
    );
    // Dots were placed relative to their subnet: move them to it, then everything below the header.
    for (const s of subs)
      for (const d of children[s]!) translate(boxes, children, d, boxes[s]!.x, boxes[s]!.y);
    for (const s of subs) translate(boxes, children, s, PAD, VNET_HEADER);
    boxes[v]!.w = Math.max(SUBNET_MIN_W + 2 * PAD, inner.w + 2 * PAD, titleWidth(data.nodes[v]!.name, 14));
    boxes[v]!.h = VNET_HEADER + inner.h + PAD;
  };
  const tops = data.nodes.map((n, i) => (n.parent < 0 ? i : -1)).filter((i) => i >= 0);
  const left = tops.filter(
    (i) => data.nodes[i]!.kind === 'external' || data.nodes[i]!.kind === 'containerGroup',
  );
  const leftSet = new Set(left);
  const right = tops.filter((i) => !leftSet.has(i));
  for (const t of right) {
    if (data.nodes[t]!.kind === 'vnet') sizeVnet(t);
    else sizeSubnet(t);
  }
  // The left column: Internet first, then other externals, then public container groups.
  let y = 0;
  const leftW = LEFT_W;
  for (const t of left) {
    boxes[t] = { x: 0, y, w: leftW, h: data.nodes[t]!.kind === 'external' ? 64 : 44 };
    y += boxes[t]!.h + PAD;
  }
  const area = right.reduce((a, t) => a + boxes[t]!.w * boxes[t]!.h, 0);
  const widest = right.reduce((a, t) => Math.max(a, boxes[t]!.w), 0);
  const maxW = Math.max(widest, Math.sqrt(area) * 1.8);
  const before = right.map((t) => ({ x: boxes[t]!.x, y: boxes[t]!.y }));
  const extent = shelf(
    right.map((t) => boxes[t]!),
    maxW,
    3 * PAD,
  );
  const x0 = left.length > 0 ? leftW + 12 * PAD : 0;
  right.forEach((t, k) => {
    const dx = boxes[t]!.x - before[k]!.x + x0;
    const dy = boxes[t]!.y - before[k]!.y;
    boxes[t]!.x = before[k]!.x;
    boxes[t]!.y = before[k]!.y;
    translate(boxes, children, t, dx, dy);
  });
  return { boxes, width: x0 + extent.w, height: Math.max(y, extent.h) };
}

/** Summary counts for the header: edges by risk level, Internet-exposed container groups. */
export function riskCounts(data: ReportData, edges: ReportEdge[]): number[] {
  const counts = [0, 0, 0, 0];
  for (const e of edges) counts[edgeRisk(data, e).level]!++;
  return counts;
}
