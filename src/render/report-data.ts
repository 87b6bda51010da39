/**
 * The one adapter from engine results to the HTML report's data (src/render/report-model.ts): the
 * topology comes from the snapshot, what can talk to what from the all-pairs reachability as the
 * `analyze` report sees it (ReachabilityView). Endpoint classes outside every subnet collapse into a
 * few external endpoints (Internet, the Azure host address, other space), so the Internet is one box.
 */
import type { EndpointClass, Reachability } from '../analyze/reachability';
import { pathSources, pathTargets } from '../analyze/reachability';
import type { Finding, FindingsResult } from '../analyze/findings';
import type { ObservedFlowsInput } from '../analyze/rules';
import { observedEdges, observedGroupEdges } from './report-observed';
import {
  diffReachability,
  endpointIdOf,
  EXTERNAL_ENDPOINTS,
  externalEndpointOf,
  type ReachabilityDiff,
} from '../diff';
import type { SecurityRule, Snapshot } from '../model/snapshot';
import { parseIpv4 } from '../net/address';
import type { PlanResult, ProposedNsg } from '../plan/model';
import { subnetSpace, type PairTraffic, type PolicyEngine, type TrafficSet } from '../policy';
import { IntList } from '../util/int-list';
import { IntPairMap } from '../util/int-pair-map';
import { VERSION } from '../version';
import { ASSUMPTIONS, describeTraffic, type TrafficDescription } from '../analyze/results';
import { sideEntry } from '../analyze/explain';
import {
  TRAFFIC_ALL_PORTS,
  TRAFFIC_MANAGEMENT,
  TRAFFIC_UNKNOWN,
  type DiffStatus,
  type ReportApplianceRoute,
  type ReportClass,
  type ReportFinding,
  type ReportProposedRule,
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
import { countingSort } from '../util/counting-sort';

/**
 * Ports that give a shell or a desktop: open to wide sources, the classic way in. A subset of
 * analyze's SENSITIVE_PORTS: the report's colour tiers mark remote-login exposure only (the wider
 * list would recolour edges that open databases or SMB).
 */
export const MANAGEMENT_PORTS = [22, 23, 3389, 5985, 5986];

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** One analysis: an engine and its all-pairs reachability. */
export interface ReportAnalysis {
  engine: PolicyEngine;
  reach: Reachability;
}

export interface ReportInput {
  snapshot: Snapshot;
  before: ReportAnalysis;
  /** The proposal (After and Diff views): its analysis, and the plan it comes from when there is one. */
  after?: ReportAnalysis & { plan?: PlanResult };
  findings?: FindingsResult;
  /** Flow logs given to the report: edges carry their observed volume. */
  observed?: ObservedFlowsInput | null;
  title: string;
  /** Called now and then with a progress message on large estates. */
  progress?: (message: string) => void;
  /** Open class pairs up to which parts keep their classes (default CLASS_PAIR_BUDGET). */
  classPairBudget?: number;
  /** Bytes of detail (rules, traffic, parts) the report embeds (default DETAIL_BUDGET), shared by the views. */
  detailBudget?: number;
  /** Cell pairs up to which the report compares Before and After (default DIFF_CELL_PAIR_BUDGET). */
  diffCellPairBudget?: number;
  /** Bytes of findings the report embeds (default FINDINGS_BUDGET, FINDINGS_BUDGET_WITH_PROPOSAL with `after`). */
  findingsBudget?: number;
  /** Bytes of proposed rules the report embeds (default PROPOSED_RULES_BUDGET). */
  proposedRulesBudget?: number;
  /** How the view stores its edges (default: the smaller of runs and matrix). */
  viewForm?: 'runs' | 'matrix' | 'smaller';
}

/** Above this many open class pairs, edges keep their rules but not which container groups they join. */
export const CLASS_PAIR_BUDGET = 1_000_000;

/** About this many bytes of JSON for the rules, traffic and parts behind edges (the rest keep their risk only). */
export const DETAIL_BUDGET = 6_000_000;

/** Without class detail, parts are gathered for at most this many of the riskiest edges (the budget holds far fewer). */
const DETAIL_CANDIDATES = 20_000;

/**
 * Above this many cell pairs to compare, the report draws the proposal (After) but no Diff, and its
 * header says why. The typical estate (20,000 container groups) compares about 25 million in a few
 * seconds; this is ten times that.
 */
export const DIFF_CELL_PAIR_BUDGET = 250_000_000;

/** At most this many container-group pairs carry their observed volume (the busiest; the rest are counted). */
export const OBSERVED_GROUP_EDGES = 20_000;

/** About this many bytes of JSON for the findings (most severe first; the rest are counted). */
export const FINDINGS_BUDGET = 3_000_000;

/**
 * About this many bytes of JSON for the proposed rules (added and changed first; the rest are
 * counted), and the findings' share when a proposal is drawn: the page stays under 20 MB on the
 * typical estate (20,000 container groups) with a lock-down plan.
 */
export const PROPOSED_RULES_BUDGET = 1_500_000;
export const FINDINGS_BUDGET_WITH_PROPOSAL = 2_500_000;

/** At most this many changed edges of the After view carry their removed and added traffic. */
export const CHANGE_DETAIL = 20_000;

/** Builds the report data; same input, same data (everything is sorted by resource ID). */
export function buildReportData(input: ReportInput): ReportData {
  const { snapshot, before, after } = input;
  const progress = input.progress ?? (() => undefined);
  const topo = topologyNodes(snapshot);
  const { nodes, nodeIndex } = topo;
  // The report draws endpoint pairs: the group-pair rectangles are not kept, and only the first
  // CHANGE_DETAIL changed pairs in the page's order (node order, external endpoints last) get their traffic.
  const rankOf = (id: string) =>
    nodeIndex.get(id) ?? nodes.length + EXTERNAL_ENDPOINTS.findIndex((e) => e.id === id);
  const diff = after
    ? diffReachability(before, after, progress, {
        groupPairs: false,
        maxCellPairs: input.diffCellPairBudget ?? DIFF_CELL_PAIR_BUDGET,
        pairTraffic: (pairs, ids) => firstInPageOrder(pairs, ids.map(rankOf), CHANGE_DETAIL),
      })
    : null;

  // External endpoints that some class (or a diff cell) lands on, in their fixed order.
  const usedExternals = new Set<string>();
  for (const a of after ? [before, after] : [before])
    for (const c of a.reach.classes) if (c.kind === 'external') usedExternals.add(externalEndpointOf(c));
  for (const e of diff?.endpoints ?? []) if (e.startsWith('external:')) usedExternals.add(e);
  for (const e of EXTERNAL_ENDPOINTS) {
    if (!usedExternals.has(e.id)) continue;
    nodeIndex.set(e.id, nodes.length);
    nodes.push({ id: e.id, kind: 'external', name: e.name, parent: -1, details: [e.detail] });
  }
  const analyses = after ? [before, after] : [before];
  const nodeOfClass = analyses.map((a) =>
    Int32Array.from(a.reach.classes, (c) => nodeIndex.get(endpointIdOf(c))!),
  );
  // Endpoints: every subnet, and every node some class lands on.
  const hasClass = new Uint8Array(nodes.length);
  for (const list of nodeOfClass) for (const n of list) hasClass[n] = 1;
  const endpoints: number[] = [];
  const endpointOf = new Int32Array(nodes.length).fill(-1);
  nodes.forEach((n, i) => {
    if (n.kind === 'subnet' || hasClass[i]) {
      endpointOf[i] = endpoints.length;
      endpoints.push(i);
    }
  });

  const ctx: ViewContext = {
    nodes,
    topo,
    endpoints,
    endpointOf,
    tables: new SharedTables(),
    classPairBudget: input.classPairBudget ?? CLASS_PAIR_BUDGET,
    form: input.viewForm ?? 'smaller',
    progress,
  };
  const budget = input.detailBudget ?? DETAIL_BUDGET;
  const beforeView = buildView(before, nodeOfClass[0]!, ctx, after ? Math.floor(budget / 2) : budget, null);
  const changeTexts: string[] = [];
  let afterView: ReportView | undefined;
  const summary: ReportData['summary'] = {
    vnets: snapshot.virtualNetworks.length,
    subnets: snapshot.subnets.length,
    containerGroups: snapshot.containerGroups.length,
    publicContainerGroups: snapshot.containerGroups.filter(isPublic).length,
    assumptions: ASSUMPTIONS,
  };
  if (after && diff) {
    const changed = changedEdges(diff, nodeIndex, endpointOf);
    if (diff.skipped) summary.diffSkipped = diff.skipped.cellPairs;
    afterView = buildView(after, nodeOfClass[1]!, ctx, budget - ctx.tables.spent, changed);
    const texts = new Map<string, number>();
    const text = (t: TrafficSet) => {
      const line = describeText(describeTraffic(t));
      let n = texts.get(line);
      if (n === undefined) {
        n = changeTexts.length;
        changeTexts.push(line);
        texts.set(line, n);
      }
      return n;
    };
    const changes: number[] = [];
    for (const [key, c] of [...changed.traffic].sort((x, y) => x[0] - y[0])) {
      const from = Math.floor(key / endpoints.length);
      changes.push(from, key % endpoints.length, text(c.removed), text(c.added));
    }
    afterView.changes = changes;
    if (!diff.skipped) {
      const counts = Object.fromEntries(DIFF_STATUSES.map((s) => [s, 0])) as Record<DiffStatus, number>;
      for (const st of changed.status) counts[DIFF_STATUSES[st]!]++;
      counts.unchanged =
        afterView.edges - (counts.opened + counts.closed + counts.narrowed + counts.widened + counts.changed);
      summary.diff = counts;
      summary.groupPairsClosed = diff.counts.closed;
      summary.groupPairsNarrowed = diff.counts.narrowed;
    }
    if (after.plan) summary.proofOk = after.plan.proof.ok;
  }
  const shown = input.findings
    ? reportFindings(
        input.findings,
        nodeIndex,
        snapshot,
        input.findingsBudget ?? (after ? FINDINGS_BUDGET_WITH_PROPOSAL : FINDINGS_BUDGET),
      )
    : { findings: [], rules: [], omitted: 0 };
  if (input.findings) {
    summary.findings = { ...input.findings.counts };
    summary.findingsOmitted = shown.omitted;
    if (input.findings.window) {
      const w = input.findings.window;
      summary.observed = { first: w.first, last: w.last, files: w.files, tuples: w.tuples };
    }
  }
  const proposed = after?.plan
    ? proposedRules(after.plan, nodeIndex, snapshot, input.proposedRulesBudget ?? PROPOSED_RULES_BUDGET)
    : { rules: [], omitted: 0 };
  if (proposed.omitted > 0) summary.proposedRulesOmitted = proposed.omitted;
  const observedGroups = input.observed
    ? observedGroupEdges(input.observed, before.engine.index, nodeIndex, OBSERVED_GROUP_EDGES)
    : null;
  if (observedGroups && observedGroups.omitted > 0)
    summary.observedGroupEdgesOmitted = observedGroups.omitted;
  const { traffic, sides, rules } = ctx.tables;
  return {
    schemaVersion: 2,
    kind: 'aciseg.report',
    generator: { name: 'aciseg', version: VERSION },
    title: input.title,
    collectedAt: snapshot.source.collectedAt,
    summary,
    nodes,
    peerings: topo.peerings,
    applianceRoutes: topo.applianceRoutes,
    rules,
    traffic,
    sides,
    endpoints,
    views: afterView ? { before: beforeView, after: afterView } : { before: beforeView },
    changeTexts,
    findings: shown.findings,
    findingRules: shown.rules,
    proposedRules: proposed.rules,
    ...(observedGroups
      ? {
          observedEdges: observedEdges(input.observed!, before.engine.index, nodeIndex),
          observedGroupEdges: observedGroups.edges,
        }
      : {}),
  };
}

interface ViewContext {
  nodes: ReportNode[];
  topo: Topo;
  endpoints: number[];
  endpointOf: Int32Array;
  tables: SharedTables;
  classPairBudget: number;
  form: 'runs' | 'matrix' | 'smaller';
  progress: (message: string) => void;
}

/**
 * Changed endpoint pairs of a diff, keyed by report endpoint pair (from * endpoints + to): every
 * changed pair's status (millions on a large estate, so sorted arrays, not objects), and the removed
 * and added traffic of those the diff gave it for.
 */
interface ChangedEdges {
  keys: Float64Array;
  /** Index in DIFF_STATUSES, per key. */
  status: Uint8Array;
  traffic: Map<number, { removed: TrafficSet; added: TrafficSet }>;
}

/** Positions of the first `limit` pairs in the page's order of their ends (`rank` per diff endpoint). */
function firstInPageOrder(
  pairs: { from: Int32Array; to: Int32Array },
  rank: number[],
  limit: number,
): number[] {
  const stride = rank.length + 1;
  const order = Array.from(pairs.from, (_, k) => k);
  const key = (k: number) => rank[pairs.from[k]!]! * stride + rank[pairs.to[k]!]!;
  return order.sort((u, v) => key(u) - key(v)).slice(0, limit);
}

function changedEdges(
  diff: ReachabilityDiff,
  nodeIndex: Map<string, number>,
  endpointOf: Int32Array,
): ChangedEdges {
  const stride = endpointOf.filter((e) => e >= 0).length;
  const endpoint = diff.endpoints.map((id) => endpointOf[nodeIndex.get(id) ?? -1] ?? -1);
  const { from, to, status } = diff.changedPairs;
  // Key and status packed in one number, so that one numeric sort orders both.
  const packed = new Float64Array(from.length);
  let count = 0;
  for (let k = 0; k < from.length; k++) {
    const f = endpoint[from[k]!]!;
    const t = endpoint[to[k]!]!;
    if (f >= 0 && t >= 0) packed[count++] = (f * stride + t) * 8 + status[k]!;
  }
  const sorted = packed.subarray(0, count).sort();
  const traffic: ChangedEdges['traffic'] = new Map();
  for (const p of diff.endpointPairs) {
    const f = endpoint[p.from]!;
    const t = endpoint[p.to]!;
    if (f >= 0 && t >= 0) traffic.set(f * stride + t, { removed: p.removed, added: p.added });
  }
  return {
    keys: sorted.map((v) => Math.floor(v / 8)),
    status: Uint8Array.from(sorted, (v) => v % 8),
    traffic,
  };
}

/** The status of edge `key` (index in DIFF_STATUSES), 0 (unchanged) when it did not change. */
function statusAt(changed: ChangedEdges, key: number): number {
  let a = 0;
  let b = changed.keys.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (changed.keys[m]! < key) a = m + 1;
    else b = m;
  }
  return a < changed.keys.length && changed.keys[a] === key ? changed.status[a]! : 0;
}

/**
 * One analysis as a view. Edges are made per endpoint pair straight from the paths: without class
 * detail a path adds one part to each (source endpoint, target endpoint) pair it joins, so the work
 * is the paths' endpoint pairs, not their millions of class pairs.
 */
function buildView(
  a: ReportAnalysis,
  nodeOfClass: Int32Array,
  ctx: ViewContext,
  budget: number,
  changed: ChangedEdges | null,
): ReportView {
  const { engine, reach } = a;
  const { nodes, endpoints, endpointOf } = ctx;
  // Classes listed by node, so that a class is (node, rank); every external class of an endpoint is rank 0.
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
  nodes.forEach((_, i) => {
    classesOfNode.get(i)?.forEach((c, rank) => {
      rankOf[c.index] = rank;
      classes.push({ node: i, members: c.kind === 'external' ? [] : classMembers(c, ctx.topo) });
    });
  });
  for (const c of reach.classes) if (c.kind === 'external') rankOf[c.index] = 0;
  const endpointOfClass = Int32Array.from(nodeOfClass, (n) => endpointOf[n]!);
  const isExternal = Uint8Array.from(reach.classes, (c) => (c.kind === 'external' ? 1 : 0));

  const classDetail = reach.stats.openPairs <= ctx.classPairBudget;
  const raw = new RawTraffic(engine);
  const E = endpoints.length;
  const edges = new EdgeStore();
  const { paths } = reach;
  // The distinct endpoints of a path's sources and targets (stamped per path).
  const stampFrom = new Int32Array(E);
  const stampTo = new Int32Array(E);
  const fromList = new Int32Array(E);
  const toList = new Int32Array(E);
  const endpointPairs = (i: number, visit: (fe: number, te: number) => void) => {
    const from = pathSources(paths, i);
    const to = pathTargets(paths, i);
    const mark = i + 1;
    let nf = 0;
    let nt = 0;
    for (let x = 0; x < from.length; x++) {
      const fe = endpointOfClass[from[x]!]!;
      if (stampFrom[fe] !== mark) {
        stampFrom[fe] = mark;
        fromList[nf++] = fe;
      }
    }
    for (let y = 0; y < to.length; y++) {
      const te = endpointOfClass[to[y]!]!;
      if (stampTo[te] !== mark) {
        stampTo[te] = mark;
        toList[nt++] = te;
      }
    }
    for (let x = 0; x < nf; x++) for (let y = 0; y < nt; y++) visit(fromList[x]!, toList[y]!);
  };
  for (let i = 0; i < paths.count; i++) {
    const out = paths.out.get(i);
    const inb = paths.in.get(i);
    if (classDetail) {
      const r = raw.result(out, inb);
      const t = raw.trafficOf(r);
      const flags = raw.report(t).flags;
      const from = pathSources(paths, i);
      const to = pathTargets(paths, i);
      for (let x = 0; x < from.length; x++) {
        const fc = from[x]!;
        const fe = endpointOfClass[fc]!;
        for (let y = 0; y < to.length; y++) {
          const tc = to[y]!;
          const e = edges.edge(fe, endpointOfClass[tc]!);
          // Only external classes, which an endpoint merges, can repeat a part.
          if ((isExternal[fc] || isExternal[tc]) && edges.seen(e, r, rankOf[fc]!, rankOf[tc]!)) continue;
          edges.add(e, rankOf[fc]!, rankOf[tc]!, t, out, inb, flags);
        }
      }
    } else {
      const flags = raw.flags(out, inb);
      endpointPairs(i, (fe, te) => edges.mark(edges.edge(fe, te), flags));
    }
    if ((i + 1) % 500000 === 0) ctx.progress(`report: ${i + 1}/${paths.count} paths`);
  }

  // Closed edges of the After view are edges too (no parts: Before holds their rules).
  const closed = DIFF_STATUSES.indexOf('closed');
  if (changed)
    changed.keys.forEach((key, k) => {
      if (changed.status[k] === closed) edges.edge(Math.floor(key / E), key % E);
    });

  // Edges in (from, to) order; then the rules behind edges, riskiest first, while they fit the budget.
  const order = edges.sorted(E);
  const internet = ctx.endpointOf[nodes.findIndex((n) => n.id === EXTERNAL_ENDPOINTS[0].id)] ?? -1;
  const levelOf = (e: number) => {
    const wide = (edges.flags[e]! & (TRAFFIC_ALL_PORTS | TRAFFIC_MANAGEMENT)) !== 0;
    return edges.from[e] === internet ? (wide ? 3 : 2) : wide ? 1 : 0;
  };
  const byRisk: number[] = [];
  for (let level = 3; level >= 0; level--) for (const e of order) if (levelOf(e) === level) byRisk.push(e);
  // Without class detail only the edges the budget may hold get their parts, in a second pass: the
  // parts of millions of edges would cost gigabytes and be thrown away.
  if (!classDetail) {
    const candidates = new IntPairMap(1 << 12);
    const isSource = new Uint8Array(E);
    for (const e of byRisk.slice(0, DETAIL_CANDIDATES)) {
      candidates.set(edges.from[e]!, edges.to[e]!, e);
      isSource[edges.from[e]!] = 1;
    }
    stampFrom.fill(0);
    stampTo.fill(0);
    for (let i = 0; i < paths.count; i++) {
      const out = paths.out.get(i);
      const inb = paths.in.get(i);
      let r = -1;
      endpointPairs(i, (fe, te) => {
        if (isSource[fe] === 0) return;
        const e = candidates.get(fe, te);
        if (e < 0) return;
        if (r < 0) r = raw.result(out, inb);
        if (!edges.seen(e, r, -1, -1)) edges.add(e, -1, -1, raw.trafficOf(r), out, inb, 0);
      });
    }
  }
  const detail = new DetailTables(engine, raw, ctx.tables, budget);
  const bundleOfEdge = new Int32Array(edges.count).fill(-1);
  const bundles: number[][] = [];
  const bundleOf = new Map<string, number>();
  let detailed = 0;
  for (const e of byRisk) {
    const own = edges.parts(e);
    if (own.length === 0) continue;
    const parts = detail.take(own);
    if (parts === null) break;
    const sorted = sortParts(parts);
    const text = sorted.join(',');
    let bundle = bundleOf.get(text);
    if (bundle === undefined) {
      bundle = bundles.length;
      bundles.push(sorted);
      bundleOf.set(text, bundle);
    }
    bundleOfEdge[e] = bundle;
    detailed++;
  }

  // Runs: consecutive destinations of one source with the same bundle (or none), status and flags.
  const runs: number[] = [];
  for (const e of order) {
    const from = edges.from[e]!;
    const to = edges.to[e]!;
    const bundle = bundleOfEdge[e]!;
    const flags = edges.flags[e]!;
    const status = changed ? statusAt(changed, from * E + to) : 0;
    const last = runs.length - RUN_SIZE;
    if (
      last >= 0 &&
      runs[last] === from &&
      runs[last + 1]! + runs[last + 2]! === to &&
      runs[last + 3] === bundle &&
      runs[last + 4] === status &&
      runs[last + 5] === flags
    )
      runs[last + 2]!++;
    else runs.push(from, to, 1, bundle, status, flags);
  }
  return {
    classes,
    classDetail,
    bundles,
    edges: edges.count,
    detailedEdges: detailed,
    ...viewOf(runs, E, ctx.form),
  };
}

/** Edges between endpoints, and their parts as linked records in integer lists. */
class EdgeStore {
  readonly from: number[] = [];
  readonly to: number[] = [];
  readonly flags: number[] = [];
  private readonly head: number[] = [];
  private readonly index = new IntPairMap(1 << 16);
  /** Part records: source rank, destination rank, traffic, out, in, next record (-1 ends). */
  private readonly records = new IntList(1 << 16);
  private readonly seenParts = new IntPairMap(1 << 16);
  private readonly seenRanked = new Set<string>();

  get count(): number {
    return this.from.length;
  }

  edge(from: number, to: number): number {
    let e = this.index.get(from, to);
    if (e < 0) {
      e = this.from.length;
      this.from.push(from);
      this.to.push(to);
      this.flags.push(0);
      this.head.push(-1);
      this.index.set(from, to, e);
    }
    return e;
  }

  /** Whether edge e has a part with this result between these ranks; marks it as seen. */
  seen(e: number, result: number, fr: number, tr: number): boolean {
    if (fr < 0 && tr < 0) {
      if (this.seenParts.get(e, result) >= 0) return true;
      this.seenParts.set(e, result, 1);
      return false;
    }
    const key = `${e},${result},${fr},${tr}`;
    if (this.seenRanked.has(key)) return true;
    this.seenRanked.add(key);
    return false;
  }

  /** Adds risk flags to edge e. */
  mark(e: number, flags: number): void {
    this.flags[e]! |= flags;
  }

  add(e: number, fr: number, tr: number, t: number, out: number, inb: number, flags: number): void {
    const at = this.records.length / 6;
    this.records.push(fr);
    this.records.push(tr);
    this.records.push(t);
    this.records.push(out);
    this.records.push(inb);
    this.records.push(this.head[e]!);
    this.head[e] = at;
    this.flags[e]! |= flags;
  }

  /** Edge e's parts, five numbers each (raw traffic and decision ids), in the order they were added. */
  parts(e: number): number[] {
    const out: number[] = [];
    for (let r = this.head[e]!; r >= 0; r = this.records.get(r * 6 + 5)) {
      const k = r * 6;
      out.push(
        this.records.get(k),
        this.records.get(k + 1),
        this.records.get(k + 2),
        this.records.get(k + 3),
        this.records.get(k + 4),
      );
    }
    return out;
  }

  /** Edge numbers in (from, to) order: two stable counting sorts. */
  sorted(endpoints: number): Int32Array {
    const byTo = countingSort(
      Int32Array.from({ length: this.count }, (_, i) => i),
      this.to,
      endpoints,
    );
    return countingSort(byTo, this.from, endpoints);
  }
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

  const subnetSpaces = [...snapshot.subnets].sort(byId).map((s) => ({ id: s.id, space: subnetSpace(s) }));
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

/** Decision pairs numbered as results, and their traffic numbered by content, as first met. */
class RawTraffic {
  private readonly resultNumber = new IntPairMap(1 << 12);
  private readonly resultTraffic: number[] = [];
  private readonly contentNumber = new IntPairMap(1 << 10);
  private readonly pairs: PairTraffic[] = [];
  private readonly reports: (ReportTraffic | undefined)[] = [];
  private readonly flagMemo = new IntPairMap(1 << 10);

  constructor(private readonly engine: PolicyEngine) {}

  /** The result number of (outbound decision, inbound decision). */
  result(out: number, inb: number): number {
    let r = this.resultNumber.get(out, inb);
    if (r < 0) {
      const engine = this.engine;
      const t = this.content(engine.trafficBetween(engine.decision(out), engine.decision(inb)));
      r = this.resultTraffic.length;
      this.resultTraffic.push(t);
      this.resultNumber.set(out, inb, r);
    }
    return r;
  }

  /**
   * The risk flags of what (out, in) lets through, memoized on the two decisions' traffic (many
   * decisions share one), so millions of paths cost a few thousand meets.
   */
  flags(out: number, inb: number): number {
    const engine = this.engine;
    const decisions = engine.decisions();
    const a = decisions[out]!;
    const b = decisions[inb]!;
    let f = this.flagMemo.get(a.traffic, b.traffic);
    if (f < 0) {
      f = this.report(this.content(engine.trafficBetween(a, b))).flags;
      this.flagMemo.set(a.traffic, b.traffic, f);
    }
    return f;
  }

  /** The number of a traffic result by content. */
  private content(pair: PairTraffic): number {
    const engine = this.engine;
    const allow = engine.trafficId(pair.allow);
    const unknown = engine.trafficId(pair.unknown);
    let t = this.contentNumber.get(allow, unknown);
    if (t < 0) {
      t = this.pairs.length;
      this.pairs.push(pair);
      this.contentNumber.set(allow, unknown, t);
    }
    return t;
  }

  trafficOf(result: number): number {
    return this.resultTraffic[result]!;
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

/** The tables every view's bundles refer to, each entry listed once by content, with the bytes spent. */
class SharedTables {
  readonly traffic: ReportTraffic[] = [];
  readonly sides: ReportSide[] = [];
  readonly rules: ReportRule[] = [];
  readonly trafficNumber = new Map<string, number>();
  readonly sideNumber = new Map<string, number>();
  readonly ruleNumber = new Map<string, number>();
  spent = 0;

  static number<T>(list: T[], numbers: Map<string, number>, value: T, text = JSON.stringify(value)): number {
    let n = numbers.get(text);
    if (n === undefined) {
      n = list.length;
      list.push(value);
      numbers.set(text, n);
    }
    return n;
  }
}

/**
 * The traffic, sides and rules one view's embedded edges use, put into the shared tables as they are
 * first taken, with the bytes they cost; `take` refuses an edge once the view's budget is spent.
 */
class DetailTables {
  private readonly trafficNumber = new Map<number, number>();
  private readonly sideNumber = new Map<string, number>();
  private readonly sideMemo = new Map<string, { side: ReportSide; text: string }>();
  private spent = 0;

  constructor(
    private readonly engine: PolicyEngine,
    private readonly raw: RawTraffic,
    private readonly shared: SharedTables,
    private readonly budget: number,
  ) {}

  /** The parts renumbered into the tables, or null (and nothing added) when they would not fit. */
  take(parts: number[]): number[] | null {
    const { shared } = this;
    let cost = parts.length * 4;
    const newTraffic = new Set<number>();
    const newSides = new Set<string>();
    for (let k = 0; k < parts.length; k += PART_SIZE) {
      const t = parts[k + 2]!;
      if (!this.trafficNumber.has(t) && !newTraffic.has(t)) {
        newTraffic.add(t);
        const text = JSON.stringify(this.raw.report(t));
        if (!shared.trafficNumber.has(text)) cost += text.length;
      }
      for (const [decision, source] of [
        [parts[k + 3]!, true],
        [parts[k + 4]!, false],
      ] as const) {
        const id = `${source ? 'o' : 'i'}${decision}`;
        if (this.sideNumber.has(id) || newSides.has(id)) continue;
        newSides.add(id);
        const { text } = this.sideOf(id, decision, source);
        if (!shared.sideNumber.has(text)) cost += text.length;
      }
    }
    if (this.spent + cost > this.budget) return null;
    this.spent += cost;
    shared.spent += cost;
    for (const t of newTraffic)
      this.trafficNumber.set(
        t,
        SharedTables.number(shared.traffic, shared.trafficNumber, this.raw.report(t)),
      );
    for (const id of newSides) {
      const { side, text } = this.sideMemo.get(id)!;
      this.sideNumber.set(id, SharedTables.number(shared.sides, shared.sideNumber, side, text));
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
  private sideOf(id: string, decision: number, source: boolean): { side: ReportSide; text: string } {
    const memo = this.sideMemo.get(id);
    if (memo) return memo;
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
    const value = { side: { entries }, text: JSON.stringify({ entries }) };
    this.sideMemo.set(id, value);
    return value;
  }

  /** Rules are listed when a side is priced (a side not taken may leave a few listed: harmless). */
  private ruleOf(ref: number): number {
    const r = this.engine.ruleRef(ref);
    const rule: ReportRule = {
      policy: r.layer === 'admin' ? 'avnm' : 'nsg',
      nsg: r.ownerName,
      name: r.name,
      priority: r.priority,
      access: r.access,
      direction: r.direction,
    };
    const text = JSON.stringify(rule);
    const known = this.shared.ruleNumber.has(text);
    const n = SharedTables.number(this.shared.rules, this.shared.ruleNumber, rule, text);
    // A rule is listed when a side is priced, so it is paid for then (even if the side is not taken).
    if (!known) {
      this.spent += text.length;
      this.shared.spent += text.length;
    }
    return n;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A matrix row with runs of three or more equal cells written as the cell and its count. */
export function compressRow(row: string): string {
  return row.replace(/(.)\1{2,}/g, (run, cell: string) => `${cell}${run.length}`);
}

/** The runs, or the same edges as a matrix ('smaller': when that is smaller, at about 12 characters per run against one per cell). */
function viewOf(
  runs: number[],
  endpoints: number,
  form: 'runs' | 'matrix' | 'smaller',
): Pick<ReportView, 'runs' | 'matrix' | 'matrixBundles'> {
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
  return {
    matrix: rows.map((row) => compressRow(row.join('').padEnd(endpoints, '.'))),
    matrixBundles,
  };
}

/** Node indexes of the resources a finding names (an NSG or rule: the subnets it governs). */
function findingNodes(
  resources: Finding['resources'],
  nodeIndex: Map<string, number>,
  subnetsOfNsg: Map<string, string[]>,
): number[] {
  const out = new Set<number>();
  for (const r of resources) {
    const id = r.id.toLowerCase();
    const direct = nodeIndex.get(id);
    if (direct !== undefined) out.add(direct);
    const nsg = r.kind === 'securityRule' ? id.replace(/\/securityrules\/[^/]*$/, '') : id;
    for (const s of subnetsOfNsg.get(nsg) ?? []) {
      const n = nodeIndex.get(s);
      if (n !== undefined) out.add(n);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** The node of an endpoint group key (README "Result keys"): subnet, public container group, or external. */
function nodeOfGroupKey(
  key: string | null,
  label: string,
  nodeIndex: Map<string, number>,
): number | undefined {
  if (key === null) return label === 'Internet' ? nodeIndex.get('external:internet') : undefined;
  const subnet = /^subnet:(.*?)(?::[^/]*)?$/.exec(key);
  if (subnet) return nodeIndex.get(subnet[1]!.toLowerCase());
  const group = /^publicContainerGroup:(.*)$/.exec(key);
  if (group) return nodeIndex.get(group[1]!.toLowerCase());
  if (key.startsWith('external:'))
    return /internet/.test(key) || key === 'external:outside'
      ? nodeIndex.get('external:internet')
      : (nodeIndex.get('external:other') ?? nodeIndex.get('external:internet'));
  return undefined;
}

function subnetsByNsg(snapshot: Snapshot): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of snapshot.subnets)
    if (s.networkSecurityGroupId) {
      const id = s.networkSecurityGroupId.toLowerCase();
      out.set(id, [...(out.get(id) ?? []), s.id.toLowerCase()]);
    }
  return out;
}

/**
 * The findings as the page shows them, most severe first, while they fit FINDINGS_BUDGET bytes (the
 * rest are counted; `aciseg analyze` lists them all). Title and remediation are kept once per rule
 * (`findingRules`) and per finding only where a finding has its own.
 */
function reportFindings(
  result: FindingsResult,
  nodeIndex: Map<string, number>,
  snapshot: Snapshot,
  budget: number,
): { findings: ReportFinding[]; rules: ReportData['findingRules']; omitted: number } {
  const lower = new Map([...nodeIndex].map(([id, n]) => [id.toLowerCase(), n]));
  const bySubnet = subnetsByNsg(snapshot);
  const meta = new Map(result.rules.map((r) => [r.id, r]));
  const findings: ReportFinding[] = [];
  const used = new Set<string>();
  let spent = 0;
  for (const f of result.findings) {
    const edges: [number, number][] = [];
    for (const flow of f.flows) {
      const from = nodeOfGroupKey(flow.fromKey, flow.from, lower);
      const to = nodeOfGroupKey(flow.toKey, flow.to, lower);
      if (from !== undefined && to !== undefined && !edges.some(([a, b]) => a === from && b === to))
        edges.push([from, to]);
    }
    const rule = meta.get(f.ruleId);
    const finding: ReportFinding = {
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      explain: f.explain,
      fingerprint: f.fingerprint,
      accepted: f.accepted !== null,
      rules: f.rules.map((r) => `${r.containerName}/${r.name} (${r.priority})`),
      nodes: findingNodes(f.resources, lower, bySubnet),
      edges,
    };
    if (f.title !== rule?.title) finding.title = f.title;
    if (f.remediation !== rule?.remediation) finding.remediation = f.remediation;
    spent += JSON.stringify(finding).length;
    if (spent > budget) break;
    findings.push(finding);
    used.add(f.ruleId);
  }
  const rules = result.rules
    .filter((r) => used.has(r.id))
    .map((r) => ({ id: r.id, title: r.title, remediation: r.remediation }));
  return { findings, rules, omitted: result.findings.length - findings.length };
}

function ruleLine(values: readonly string[]): string {
  return values.length === 0 ? '*' : values.join(', ');
}

/** The plan's added, changed and removed rules, NSG by NSG (kept rules are what Before shows). */
/**
 * The plan's added, changed and removed rules, NSG by NSG, while they fit `budget` bytes of JSON
 * (a lock-down of thousands of NSGs removes hundreds of thousands of rules); how many did not fit.
 */
function proposedRules(
  plan: PlanResult,
  nodeIndex: Map<string, number>,
  snapshot: Snapshot,
  budget: number,
): { rules: ReportProposedRule[]; omitted: number } {
  void snapshot;
  const lower = new Map([...nodeIndex].map(([id, n]) => [id.toLowerCase(), n]));
  const out: ReportProposedRule[] = [];
  const row = (
    nsg: ProposedNsg,
    status: ReportProposedRule['status'],
    rule: SecurityRule,
    why: string[],
  ): ReportProposedRule => ({
    nsg: nsg.name,
    status,
    name: rule.name,
    priority: rule.priority,
    direction: rule.direction,
    access: rule.access,
    protocol: rule.protocol,
    source: ruleLine(rule.sourceAddressPrefixes),
    destination: ruleLine(rule.destinationAddressPrefixes),
    ports: ruleLine(rule.destinationPortRanges),
    why,
    nodes: nsg.subnets
      .map((s) => lower.get(s.toLowerCase()))
      .filter((n): n is number => n !== undefined)
      .sort((a, b) => a - b),
  });
  // Added and changed rules first (what to review), then removed ones, while they fit the budget;
  // the table keeps the plan's order (NSG by NSG).
  const nsgs = [...plan.nsgs].sort((a, b) => cmp(a.id, b.id));
  const keep: boolean[][] = nsgs.map((nsg) =>
    new Array<boolean>(nsg.rules.length + nsg.removed.length).fill(false),
  );
  let spent = 0;
  let omitted = 0;
  const rowOf = (n: number, k: number): ReportProposedRule => {
    const nsg = nsgs[n]!;
    if (k >= nsg.rules.length)
      return row(nsg, 'removed', nsg.removed[k - nsg.rules.length]!, ['dropped by the proposal']);
    const r = nsg.rules[k]!;
    return row(
      nsg,
      r.status as ReportProposedRule['status'],
      r.rule,
      r.provenance.map((p) => p.text),
    );
  };
  for (const removed of [false, true])
    nsgs.forEach((nsg, n) => {
      const from = removed ? nsg.rules.length : 0;
      const to = removed ? nsg.rules.length + nsg.removed.length : nsg.rules.length;
      for (let k = from; k < to; k++) {
        if (!removed && nsg.rules[k]!.status === 'kept') continue;
        const size = JSON.stringify(rowOf(n, k)).length + 1;
        if (spent + size > budget) omitted++;
        else {
          spent += size;
          keep[n]![k] = true;
        }
      }
    });
  nsgs.forEach((_, n) => keep[n]!.forEach((kept, k) => kept && out.push(rowOf(n, k))));
  return { rules: out, omitted };
}
