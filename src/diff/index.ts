/**
 * The reachability diff of two analyses (before and after: two snapshots, or a snapshot and its
 * plan's proposal). The two analyses cut the address space into different endpoint groups, so the
 * diff works on their common refinement: a cell is the set of addresses that are in one group of
 * each (`before`, `after`). For every ordered pair of cells it compares what the two analyses let
 * through, and keeps the pairs that changed, as rectangles (one source cell, many target cells, one
 * change) like the analysis keeps its paths; and it aggregates every pair to its two endpoints
 * (subnets, public container groups, the Internet and other external space) as `aciseg report`
 * draws them and a later `aciseg diff` reports them.
 *
 * Pure: reads the two analyses, writes nothing. Cost: linear in the open pairs of both analyses.
 */
import type { Reachability } from '../analyze/reachability';
import { pathSources, pathTargets } from '../analyze/reachability';
import { IntervalSet, ipv4Domain } from '../net/interval-set';
import { AZURE_HOST_IP, PUBLIC_IPV4, type PairTraffic, type PolicyEngine, type TrafficSet } from '../policy';
import { IntList } from '../util/int-list';
import { IntPairMap } from '../util/int-pair-map';
import { endpointIdOf } from './endpoints';

const INTERNET = PUBLIC_IPV4.subtract(IntervalSet.range(ipv4Domain, AZURE_HOST_IP, AZURE_HOST_IP));

export { EXTERNAL_ENDPOINTS, endpointIdOf, externalEndpointOf } from './endpoints';

/** One analysis: the engine that compiled a snapshot, and its all-pairs reachability. */
export interface Analysis {
  engine: PolicyEngine;
  reach: Reachability;
}

/**
 * How a pair changed. `opened`: nothing passed before; `closed`: nothing passes after; `narrowed`:
 * what passes after is within what passed before (allowed within allowed, and allowed-or-unknown
 * within allowed-or-unknown); `widened`: the reverse; `changed`: some traffic each way.
 */
export const CHANGE_STATUSES = ['unchanged', 'opened', 'closed', 'narrowed', 'widened', 'changed'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

/** A distinct (before, after) result: what passed, what passes, and what no longer / newly passes. */
export interface TrafficChange {
  status: ChangeStatus;
  /** null: the pair was (is) closed. */
  before: PairTraffic | null;
  after: PairTraffic | null;
  /** Allowed or unknown before, neither after. */
  removed: TrafficSet;
  /** Allowed or unknown after, neither before. */
  added: TrafficSet;
}

/** A cell of the refinement: the groups (class indexes) holding it on each side, and its endpoint (position). */
export interface DiffCell {
  before: number[];
  after: number[];
  endpoint: number;
  /** One address: a pair from it to itself is no network flow (not compared). */
  single?: true;
}

/** Every endpoint pair (positions in `endpoints`) whose traffic changed, aggregated over its cell pairs. */
export interface EndpointPairChange {
  from: number;
  to: number;
  status: ChangeStatus;
  /** Positions in `changes` of the distinct changes of its cell pairs (unchanged ones left out). */
  changes: number[];
  removed: TrafficSet;
  added: TrafficSet;
}

export interface ReachabilityDiff {
  /** Set when the diff was not computed: the cell pairs it would compare exceed `maxCellPairs` (at least this many). */
  skipped?: { cellPairs: number };
  cells: DiffCell[];
  /** Endpoint IDs (subnet, public container group, `external:*`), sorted. */
  endpoints: string[];
  changes: TrafficChange[];
  /**
   * Changed cell pairs (empty with `groupPairs: false`): rectangle r goes from cell `from[r]` to the cells of `targets` between
   * `targetStart[r]` and `targetStart[r + 1]`, all with change `change[r]`.
   */
  rectangles: { from: IntList; change: IntList; targetStart: IntList; targets: IntList };
  endpointPairs: EndpointPairChange[];
  /** Cell pairs open on either side, by status. */
  counts: Record<ChangeStatus, number>;
}

/** The traffic of every path as a number, equal content equal number (per analysis). */
function numberTraffic(a: Analysis): { pathTraffic: Int32Array; traffic: PairTraffic[] } {
  const { engine } = a;
  const { paths } = a.reach;
  const decisions = engine.decisions();
  const byDecisions = new IntPairMap(1 << 12);
  const byContent = new IntPairMap(1 << 12);
  const traffic: PairTraffic[] = [];
  const pathTraffic = new Int32Array(paths.count);
  for (let i = 0; i < paths.count; i++) {
    const out = decisions[paths.out.get(i)]!;
    const inb = decisions[paths.in.get(i)]!;
    // What passes depends only on the two decisions' traffic (many decisions share one).
    let t = byDecisions.get(out.traffic, inb.traffic);
    if (t < 0) {
      const pair = engine.trafficBetween(out, inb);
      const allowId = engine.trafficId(pair.allow);
      const unknownId = engine.trafficId(pair.unknown);
      t = byContent.get(allowId, unknownId);
      if (t < 0) {
        t = traffic.length;
        traffic.push(pair);
        byContent.set(allowId, unknownId, t);
      }
      byDecisions.set(out.traffic, inb.traffic, t);
    }
    pathTraffic[i] = t;
  }
  return { pathTraffic, traffic };
}

/** Adds the union of two traffic results to `traffic`, once per pair; returns its number. */
function combiner(traffic: PairTraffic[]): (x: number, y: number) => number {
  const memo = new IntPairMap(16);
  return (x, y) => {
    const [u, v] = x < y ? [x, y] : [y, x];
    let t = memo.get(u, v);
    if (t < 0) {
      const allow = traffic[u]!.allow.union(traffic[v]!.allow);
      const unknown = traffic[u]!.unknown.union(traffic[v]!.unknown).subtract(allow);
      t = traffic.length;
      traffic.push({ allow, unknown });
      memo.set(u, v, t);
    }
    return t;
  };
}

/** Compressed lists: list k is `items` from `start[k]` to `start[k + 1]`. */
interface Lists {
  start: Int32Array;
  items: Int32Array;
}

function listsOf(count: number, each: (emit: (list: number, item: number) => void) => void): Lists {
  const start = new Int32Array(count + 1);
  each((list) => start[list + 1]!++);
  for (let k = 0; k < count; k++) start[k + 1]! += start[k]!;
  const items = new Int32Array(start[count]!);
  const at = start.slice(0, count);
  each((list, item) => (items[at[list]!++] = item));
  return { start, items };
}

/** The paths of each source class. */
function pathsBySource(reach: Reachability): Lists {
  const { paths } = reach;
  return listsOf(reach.classes.length, (emit) => {
    for (let i = 0; i < paths.count; i++) {
      const list = paths.sources.get(i);
      const end = paths.listStart.get(list + 1);
      for (let k = paths.listStart.get(list); k < end; k++) emit(paths.members.get(k), i);
    }
  });
}

/**
 * The common refinement. Groups inside subnets partition their addresses, but external groups may
 * overlap (each is what some targets see of the outside), so a cell is a maximal set of addresses
 * that lie in the same groups on each side: `before` and `after` list those groups.
 */
function refine(before: Reachability, after: Reachability): { cells: DiffCell[]; endpoints: string[] } {
  // Events: a group's interval starts (+) or ends (-) at a position; side 0 before, 1 after. Groups
  // are swept per domain (a subnet, a public container group, the outside), so that cells never mix
  // two subnets even where their prefixes overlap (two VNets with the same space).
  const domains = new Map<string, number>();
  const domainOf = (c: Reachability['classes'][number]) => {
    const key =
      c.kind === 'subnet'
        ? `s:${c.subnet!.id}`
        : c.kind === 'publicContainerGroup'
          ? `g:${c.group!.id}`
          : 'x';
    let d = domains.get(key);
    if (d === undefined) domains.set(key, (d = domains.size));
    return d;
  };
  const events: [number, number, number, number, number][] = [];
  [before, after].forEach((reach, side) => {
    for (const c of reach.classes) {
      const d = domainOf(c);
      for (const [lo, hi] of c.ranges.intervals()) {
        events.push([d, lo, 1, side, c.index]);
        events.push([d, hi + 1, -1, side, c.index]);
      }
    }
  });
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || x[3] - y[3] || x[4] - y[4]);
  const active = [new Set<number>(), new Set<number>()];
  const cellOf = new Map<string, number>();
  const cells: DiffCell[] = [];
  const size: number[] = [];
  const internet: boolean[] = [];
  const host: boolean[] = [];
  for (let k = 0; k < events.length;) {
    const [domain, at] = events[k]!;
    for (; k < events.length && events[k]![0] === domain && events[k]![1] === at; k++) {
      const [, , delta, side, c] = events[k]!;
      if (delta > 0) active[side]!.add(c);
      else active[side]!.delete(c);
    }
    if (k === events.length || events[k]![0] !== domain) continue;
    if (active[0]!.size === 0 && active[1]!.size === 0) continue;
    const end = events[k]![1] - 1;
    const b = [...active[0]!].sort((u, v) => u - v);
    const a = [...active[1]!].sort((u, v) => u - v);
    const key = `${domain}|${b.join(',')}|${a.join(',')}`;
    let cell = cellOf.get(key);
    if (cell === undefined) {
      cell = cells.length;
      cellOf.set(key, cell);
      cells.push({ before: b, after: a, endpoint: -1 });
      size.push(0);
      internet.push(false);
      host.push(false);
    }
    size[cell]! += end - at + 1;
    if (!IntervalSet.range(ipv4Domain, at, end).intersect(INTERNET).isEmpty) internet[cell] = true;
    if (at <= AZURE_HOST_IP && AZURE_HOST_IP <= end) host[cell] = true;
  }
  const endpointOfCell = cells.map((cell, k) => {
    const inside = [
      ...cell.before.map((c) => before.classes[c]!),
      ...cell.after.map((c) => after.classes[c]!),
    ].find((c) => c.kind !== 'external');
    if (inside) return endpointIdOf(inside);
    return internet[k] ? 'external:internet' : host[k] ? 'external:azure-host' : 'external:other';
  });
  const endpoints = [...new Set(endpointOfCell)].sort();
  const position = new Map(endpoints.map((e, k) => [e, k]));
  cells.forEach((c, k) => {
    c.endpoint = position.get(endpointOfCell[k]!)!;
    if (size[k] === 1) c.single = true;
  });
  return { cells, endpoints };
}

/** How one pair changed, from its two results (null: closed). */
export function compareTraffic(before: PairTraffic | null, after: PairTraffic | null): TrafficChange {
  const openBefore = before ? before.allow.union(before.unknown) : null;
  const openAfter = after ? after.allow.union(after.unknown) : null;
  const empty = (openBefore ?? openAfter)!.subtract((openBefore ?? openAfter)!);
  const removed = openBefore ? (openAfter ? openBefore.subtract(openAfter) : openBefore) : empty;
  const added = openAfter ? (openBefore ? openAfter.subtract(openBefore) : openAfter) : empty;
  let status: ChangeStatus;
  if (!before || openBefore!.isEmpty) status = 'opened';
  else if (!after || openAfter!.isEmpty) status = 'closed';
  else if (before.allow.equals(after.allow) && before.unknown.equals(after.unknown)) status = 'unchanged';
  else if (added.isEmpty && after.allow.subtract(before.allow).isEmpty) status = 'narrowed';
  else if (removed.isEmpty && before.allow.subtract(after.allow).isEmpty) status = 'widened';
  else status = 'changed';
  return { status, before, after, removed, added };
}

const BIT: Record<ChangeStatus, number> = {
  unchanged: 1,
  opened: 2,
  closed: 4,
  narrowed: 8,
  widened: 16,
  changed: 32,
};

/** The status of an endpoint pair from the statuses of its cell pairs (BIT mask). */
export function aggregateStatus(mask: number): ChangeStatus {
  if (mask === BIT.unchanged) return 'unchanged';
  if ((mask & ~BIT.opened) === 0) return 'opened';
  if ((mask & ~BIT.closed) === 0) return 'closed';
  if ((mask & ~(BIT.unchanged | BIT.narrowed | BIT.closed)) === 0) return 'narrowed';
  if ((mask & ~(BIT.unchanged | BIT.widened | BIT.opened)) === 0) return 'widened';
  return 'changed';
}

/** Endpoint pairs numbered as first met, with their status bits and their set of changes. */
class PairTable {
  readonly from: number[] = [];
  readonly to: number[] = [];
  readonly mask: number[] = [];
  /** ChangeSets id of the pair's changes (0: none). */
  readonly changes: number[] = [];
  /** (from, to) → pair number: a dense table while endpoints² is small, else a hash map. */
  private readonly dense: Int32Array | null;
  private readonly sparse: IntPairMap | null;

  constructor(private readonly endpoints: number) {
    const dense = endpoints * endpoints <= 1 << 24;
    this.dense = dense ? new Int32Array(endpoints * endpoints).fill(-1) : null;
    this.sparse = dense ? null : new IntPairMap(1 << 16);
  }

  get count(): number {
    return this.from.length;
  }

  index(from: number, to: number): number {
    let p = this.dense ? this.dense[from * this.endpoints + to]! : this.sparse!.get(from, to);
    if (p < 0) {
      p = this.from.length;
      this.from.push(from);
      this.to.push(to);
      this.mask.push(0);
      this.changes.push(0);
      if (this.dense) this.dense[from * this.endpoints + to] = p;
      else this.sparse!.set(from, to, p);
    }
    return p;
  }
}

/** Sets of change numbers, interned: a pair holds the id of its set, and adding a change is a lookup. */
class ChangeSets {
  private readonly sets: number[][] = [[]];
  private readonly byKey = new Map<string, number>([['', 0]]);
  private readonly step = new IntPairMap(1 << 10);

  /** The id of set `id` with change `c` added. */
  with(id: number, c: number): number {
    let next = this.step.get(id, c);
    if (next < 0) {
      const members = this.sets[id]!.includes(c)
        ? this.sets[id]!
        : [...this.sets[id]!, c].sort((u, v) => u - v);
      const key = members.join(',');
      next = this.byKey.get(key) ?? -1;
      if (next < 0) {
        next = this.sets.length;
        this.sets.push(members);
        this.byKey.set(key, next);
      }
      this.step.set(id, c, next);
    }
    return next;
  }

  members(id: number): number[] {
    return this.sets[id]!;
  }
}

export interface DiffOptions {
  /** Keep the changed group pairs (`rectangles`); false: endpoint pairs and counts only (the report). */
  groupPairs?: boolean;
  /** Compare nothing (`skipped`) when the cell pairs to compare exceed this. */
  maxCellPairs?: number;
}

/** A diff that compared nothing: `cellPairs` (at least) were over the limit. */
function skippedDiff(cellPairs: number): ReachabilityDiff {
  const counts = { unchanged: 0, opened: 0, closed: 0, narrowed: 0, widened: 0, changed: 0 };
  const rectangles = {
    from: new IntList(),
    change: new IntList(),
    targetStart: new IntList(),
    targets: new IntList(),
  };
  return {
    cells: [],
    endpoints: [],
    changes: [],
    rectangles,
    endpointPairs: [],
    counts,
    skipped: { cellPairs },
  };
}

/** The diff of two analyses (see the module comment). */
export function diffReachability(
  before: Analysis,
  after: Analysis,
  progress: (message: string) => void = () => undefined,
  options: DiffOptions = {},
): ReachabilityDiff {
  const groupPairs = options.groupPairs ?? true;
  // Every open group pair is at least one cell pair: over the limit already, skip the refinement too.
  const groupPairs0 = before.reach.stats.openPairs + after.reach.stats.openPairs;
  if (options.maxCellPairs !== undefined && groupPairs0 > options.maxCellPairs)
    return skippedDiff(groupPairs0);
  const { cells, endpoints } = refine(before.reach, after.reach);
  const sides = [before, after].map((a, s) => {
    const { pathTraffic, traffic } = numberTraffic(a);
    return {
      reach: a.reach,
      pathTraffic,
      traffic,
      bySource: pathsBySource(a.reach),
      combine: combiner(traffic),
      cellsOf: listsOf(a.reach.classes.length, (emit) =>
        cells.forEach((c, k) => {
          for (const cls of s === 0 ? c.before : c.after) emit(cls, k);
        }),
      ),
    };
  });

  // Distinct (before traffic, after traffic) pairs; -1 is closed.
  const changeOf = new IntPairMap(1 << 10);
  const changes: TrafficChange[] = [];
  const change = (x: number, y: number) => {
    let c = changeOf.get(x + 1, y + 1);
    if (c < 0) {
      c = changes.length;
      changes.push(
        compareTraffic(x >= 0 ? sides[0]!.traffic[x]! : null, y >= 0 ? sides[1]!.traffic[y]! : null),
      );
      changeOf.set(x + 1, y + 1, c);
    }
    return c;
  };

  // The work is the cell pairs the paths open on both sides; where external groups overlap (one
  // covering all the outside space, others parts of it) one group pair can stand for millions of
  // cell pairs. Over the caller's limit, stop before the pass and say so.
  if (options.maxCellPairs !== undefined) {
    let work = 0;
    for (const side of sides) {
      const cellCount = (c: number) => side.cellsOf.start[c + 1]! - side.cellsOf.start[c]!;
      const { paths } = side.reach;
      for (let i = 0; i < paths.count && work <= options.maxCellPairs; i++) {
        let from = 0;
        let to = 0;
        for (const c of pathSources(paths, i)) from += cellCount(c);
        for (const c of pathTargets(paths, i)) to += cellCount(c);
        work += from * to;
      }
    }
    if (work > options.maxCellPairs) return skippedDiff(work);
  }

  const n = cells.length;
  const row = [new Int32Array(n), new Int32Array(n)];
  const stamp = new Int32Array(n);
  const touched = new Int32Array(n);
  const rectangles = {
    from: new IntList(),
    change: new IntList(),
    targetStart: new IntList(),
    targets: new IntList(),
  };
  const counts: Record<ChangeStatus, number> = {
    unchanged: 0,
    opened: 0,
    closed: 0,
    narrowed: 0,
    widened: 0,
    changed: 0,
  };
  const pairs = new PairTable(endpoints.length);
  const changeSets = new ChangeSets();

  for (let x = 0; x < n; x++) {
    if (x > 0 && x % 10_000 === 0) progress(`diff: ${x}/${n} cells`);
    let count = 0;
    const mark = x + 1;
    for (let s = 0; s < 2; s++) {
      const side = sides[s]!;
      const r = row[s]!;
      const { paths } = side.reach;
      for (const cls of s === 0 ? cells[x]!.before : cells[x]!.after)
        for (let k = side.bySource.start[cls]!; k < side.bySource.start[cls + 1]!; k++) {
          const p = side.bySource.items[k]!;
          const t = side.pathTraffic[p]!;
          const targets = pathTargets(paths, p);
          for (let q = 0; q < targets.length; q++) {
            const c = targets[q]!;
            for (let m = side.cellsOf.start[c]!; m < side.cellsOf.start[c + 1]!; m++) {
              const y = side.cellsOf.items[m]!;
              if (stamp[y] !== mark) {
                stamp[y] = mark;
                row[0]![y] = -1;
                row[1]![y] = -1;
                touched[count++] = y;
              }
              // Overlapping external groups could both reach y: what passes is then their union.
              r[y] = r[y]! < 0 || r[y] === t ? t : side.combine(r[y]!, t);
            }
          }
        }
    }
    if (count === 0) continue;
    const targets = touched.subarray(0, count).sort();
    // Group the row's changed targets by change, in target order (so rectangles come out sorted).
    const byChange = groupPairs ? new Map<number, number[]>() : null;
    const ex = cells[x]!.endpoint;
    // Neighbouring targets mostly share their results: remember the last change and pair.
    let lastB = -2;
    let lastA = -2;
    let c = -1;
    let lastEndpoint = -1;
    let p = -1;
    let lastAdded = -1;
    for (const y of targets) {
      if (y === x && cells[x]!.single) continue;
      const b = row[0]![y]!;
      const a = row[1]![y]!;
      if (b !== lastB || a !== lastA) {
        c = change(b, a);
        lastB = b;
        lastA = a;
        lastAdded = -1;
      }
      const status = changes[c]!.status;
      counts[status]++;
      const ey = cells[y]!.endpoint;
      if (ey !== lastEndpoint) {
        p = pairs.index(ex, ey);
        lastEndpoint = ey;
        lastAdded = -1;
      }
      pairs.mask[p]! |= BIT[status];
      if (status === 'unchanged') continue;
      if (byChange) {
        const list = byChange.get(c);
        if (list) list.push(y);
        else byChange.set(c, [y]);
      }
      if (lastAdded !== c) {
        pairs.changes[p] = changeSets.with(pairs.changes[p]!, c);
        lastAdded = c;
      }
    }
    if (!byChange) continue;
    for (const k of [...byChange.keys()].sort((u, v) => u - v)) {
      rectangles.from.push(x);
      rectangles.change.push(k);
      rectangles.targetStart.push(rectangles.targets.length);
      for (const y of byChange.get(k)!) rectangles.targets.push(y);
    }
  }
  rectangles.targetStart.push(rectangles.targets.length);

  const endpointPairs: EndpointPairChange[] = [];
  // Removed and added traffic once per distinct set of changes (few), not per pair (millions).
  const unions = new Map<number, { removed: TrafficSet; added: TrafficSet }>();
  for (let p = 0; p < pairs.count; p++) {
    const set = pairs.changes[p]!;
    if (set === 0) continue;
    const ids = changeSets.members(set);
    let union = unions.get(set);
    if (!union) {
      union = { removed: changes[ids[0]!]!.removed, added: changes[ids[0]!]!.added };
      for (const c of ids.slice(1))
        union = {
          removed: union.removed.union(changes[c]!.removed),
          added: union.added.union(changes[c]!.added),
        };
      unions.set(set, union);
    }
    endpointPairs.push({
      from: pairs.from[p]!,
      to: pairs.to[p]!,
      status: aggregateStatus(pairs.mask[p]!),
      changes: ids,
      ...union,
    });
  }
  endpointPairs.sort((u, v) => u.from - v.from || u.to - v.to);
  return { cells, endpoints, changes, rectangles, endpointPairs, counts };
}
