/**
 * The reachability diff of two analyses (before and after: two snapshots, or a snapshot and its
 * plan's proposal). The two analyses cut the address space into different endpoint groups, so the
 * diff works on their common refinement: inside subnets (and public container groups) a cell is the
 * set of addresses in one group of each side (`before`, `after`). The outside of every subnet is cut
 * into groups that overlap, so it is compared per partner (./outside): an outside cell is a piece of
 * the outside as some inside cell sees it, one group (or none) on each side. For every ordered pair
 * of cells it compares what the two analyses let through, and keeps the pairs that changed, as
 * rectangles (one source cell, many target cells, one change) like the analysis keeps its paths; and
 * it aggregates every pair to its two endpoints (subnets, public container groups, the Internet and
 * other external space) as `aciseg report` draws them and a later `aciseg diff` reports them.
 *
 * Pure: reads the two analyses, writes nothing. Cost: linear in the open inside cell pairs of both
 * analyses, plus a few pieces of the outside per inside cell.
 */
import type { Reachability } from '../analyze/reachability';
import { pathSources, pathTargets } from '../analyze/reachability';
import type { PairTraffic, PolicyEngine, TrafficSet } from '../policy';
import { IntList } from '../util/int-list';
import { IntPairMap } from '../util/int-pair-map';
import { endpointIdOf } from './endpoints';
import { FROM_OUTSIDE, outsideLinks, outsidePieces, TO_OUTSIDE, type OutsidePiece } from './outside';
import { SideTraffic } from './traffic';

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

/**
 * A cell of the refinement: the groups (class indexes) holding it on each side, and its endpoint
 * (position). Inside cells come first and are disjoint; an outside cell (after them) is one group or
 * none per side, and only means the addresses of that piece for the inside cells it pairs with.
 */
export interface DiffCell {
  before: number[];
  after: number[];
  endpoint: number;
  /** One address: a pair from it to itself is no network flow (not compared). */
  single?: true;
}

/** A changed endpoint pair (positions in `endpoints`) with its traffic, aggregated over its cell pairs. */
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
  /** The distinct changes that the rectangles and `endpointPairs` name (made only where needed). */
  changes: TrafficChange[];
  /**
   * Changed cell pairs (empty with `groupPairs: false`): rectangle r goes from cell `from[r]` to the cells of `targets` between
   * `targetStart[r]` and `targetStart[r + 1]`, all with change `change[r]`.
   */
  rectangles: { from: IntList; change: IntList; targetStart: IntList; targets: IntList };
  /** Every changed endpoint pair, by (from, to): its ends and its status (index in CHANGE_STATUSES). */
  changedPairs: { from: Int32Array; to: Int32Array; status: Uint8Array };
  /** The changed endpoint pairs with their traffic, by (from, to): all, or those `pairTraffic` picks. */
  endpointPairs: EndpointPairChange[];
  /** Cell pairs open on either side, by status (an outside cell pair is a piece and its partner). */
  counts: Record<ChangeStatus, number>;
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
 * The common refinement of the inside: groups inside subnets (and public container groups) partition
 * their addresses, so a cell is the set of addresses in one group of each side (or of one side only,
 * where the two snapshots' subnets differ). The outside is compared per partner (./outside).
 */
function refine(before: Reachability, after: Reachability): { cells: DiffCell[]; endpointOfCell: string[] } {
  // Events: a group's interval starts (+) or ends (-) at a position; side 0 before, 1 after. Groups
  // are swept per domain (a subnet, a public container group), so that cells never mix two subnets
  // even where their prefixes overlap (two VNets with the same space).
  const domains = new Map<string, number>();
  const domainOf = (c: Reachability['classes'][number]) => {
    const key = c.kind === 'subnet' ? `s:${c.subnet!.id}` : `g:${c.group!.id}`;
    let d = domains.get(key);
    if (d === undefined) domains.set(key, (d = domains.size));
    return d;
  };
  const events: [number, number, number, number, number][] = [];
  [before, after].forEach((reach, side) => {
    for (const c of reach.classes) {
      if (c.kind === 'external') continue;
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
    }
    size[cell]! += end - at + 1;
  }
  cells.forEach((c, k) => {
    if (size[k] === 1) c.single = true;
  });
  const endpointOfCell = cells.map((cell) =>
    endpointIdOf(cell.before.length > 0 ? before.classes[cell.before[0]!]! : after.classes[cell.after[0]!]!),
  );
  return { cells, endpointOfCell };
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
  /**
   * Which changed endpoint pairs (positions in `changedPairs`) get their traffic in `endpointPairs`
   * (default: all), given the pairs and the endpoint IDs. Millions of pairs can change; a page
   * shows the traffic of a few thousand.
   */
  pairTraffic?: (pairs: ReachabilityDiff['changedPairs'], endpoints: string[]) => ArrayLike<number>;
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
    changedPairs: { from: new Int32Array(0), to: new Int32Array(0), status: new Uint8Array(0) },
    endpointPairs: [],
    counts,
    skipped: { cellPairs },
  };
}

const STATUS = Object.fromEntries(CHANGE_STATUSES.map((s, k) => [s, k])) as Record<ChangeStatus, number>;
const STATUS_BIT = CHANGE_STATUSES.map((s) => BIT[s]);

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
  const { cells, endpointOfCell } = refine(before.reach, after.reach);
  const n = cells.length;
  const sides = [before, after].map((a, s) => {
    const traffic = new SideTraffic(a.engine, a.reach);
    return {
      reach: a.reach,
      traffic,
      bySource: pathsBySource(a.reach),
      outside: outsideLinks(a.reach, traffic.pathKey, (x, y) => traffic.combine(x, y)),
      cellsOf: listsOf(a.reach.classes.length, (emit) =>
        cells.forEach((c, k) => {
          for (const cls of s === 0 ? c.before : c.after) emit(cls, k);
        }),
      ),
    };
  });

  // The outside as each inside cell sees it, per direction: the pieces of its two lists (memoized:
  // cells with the same remote maps share them). An inside cell is in one class per side at most.
  const pieceMemo = new Map<string, OutsidePiece[]>();
  const piecesOf = (x: number, dir: number): OutsidePiece[] => {
    const ids = sides.map((side, s) => {
      const cls = s === 0 ? cells[x]!.before : cells[x]!.after;
      return cls.length > 0 ? side.outside.list[dir]![cls[0]!]! : 0;
    });
    if (ids[0] === 0 && ids[1] === 0) return [];
    const key = `${dir}|${ids[0]}|${ids[1]}`;
    let pieces = pieceMemo.get(key);
    if (!pieces) {
      pieces = outsidePieces(
        before.reach.classes,
        sides[0]!.outside.lists[ids[0]!]!,
        after.reach.classes,
        sides[1]!.outside.lists[ids[1]!]!,
      );
      pieceMemo.set(key, pieces);
    }
    return pieces;
  };
  const outsideOf = [FROM_OUTSIDE, TO_OUTSIDE].map((dir) =>
    Array.from({ length: n }, (_, x) => piecesOf(x, dir)),
  );

  // Endpoints: those of the inside cells and of the outside pieces. Outside cells are the distinct
  // (before group, after group, endpoint) of the pieces: unlike inside cells, two may share addresses.
  const endpoints = [
    ...new Set([...endpointOfCell, ...outsideOf.flatMap((l) => l.flatMap((p) => p.map((q) => q.endpoint)))]),
  ].sort();
  const position = new Map(endpoints.map((e, k) => [e, k]));
  cells.forEach((c, k) => (c.endpoint = position.get(endpointOfCell[k]!)!));
  const outsideCell = new Map<string, number>();
  const cellOfPiece = (p: OutsidePiece): number => {
    const endpoint = position.get(p.endpoint)!;
    const key = `${p.before}|${p.after}|${endpoint}`;
    let cell = outsideCell.get(key);
    if (cell === undefined) {
      cell = cells.length;
      outsideCell.set(key, cell);
      cells.push({ before: p.before >= 0 ? [p.before] : [], after: p.after >= 0 ? [p.after] : [], endpoint });
    }
    return cell;
  };
  const pieceCells = outsideOf.map((l) => l.map((pieces) => pieces.map(cellOfPiece)));

  // Distinct (before traffic, after traffic) contents as changes, made when first needed; -1 is closed.
  const changeOf = new IntPairMap(1 << 10);
  const changes: TrafficChange[] = [];
  const changeId = (kb: number, ka: number): number => {
    const cb = kb >= 0 ? sides[0]!.traffic.content(kb) : -1;
    const ca = ka >= 0 ? sides[1]!.traffic.content(ka) : -1;
    let c = changeOf.get(cb + 1, ca + 1);
    if (c < 0) {
      c = changes.length;
      changes.push(
        compareTraffic(
          kb >= 0 ? sides[0]!.traffic.traffic(kb) : null,
          ka >= 0 ? sides[1]!.traffic.traffic(ka) : null,
        ),
      );
      changeOf.set(cb + 1, ca + 1, c);
    }
    return c;
  };
  // The status of a pair of keys: a side with no path needs no traffic (every path lets something through).
  const statusMemo = new IntPairMap(1 << 12);
  const statusOf = (kb: number, ka: number): number => {
    if (ka < 0) return STATUS.closed;
    if (kb < 0) return STATUS.opened;
    let st = statusMemo.get(kb, ka);
    if (st < 0) {
      st = STATUS[changes[changeId(kb, ka)]!.status];
      statusMemo.set(kb, ka, st);
    }
    return st;
  };

  // The work is the inside cell pairs the paths open on both sides, and the outside pieces. Over
  // the caller's limit, stop before the pass and say so.
  if (options.maxCellPairs !== undefined) {
    let work = 0;
    for (const l of outsideOf) for (const p of l) work += p.length;
    for (const side of sides) {
      const cellCount = (c: number) => side.cellsOf.start[c + 1]! - side.cellsOf.start[c]!;
      const { paths } = side.reach;
      for (let i = 0; i < paths.count && work <= options.maxCellPairs; i++) {
        if (side.outside.external[i]) continue;
        let from = 0;
        let to = 0;
        for (const c of pathSources(paths, i)) from += cellCount(c);
        for (const c of pathTargets(paths, i)) to += cellCount(c);
        work += from * to;
      }
    }
    if (work > options.maxCellPairs) return skippedDiff(work);
  }

  // One row: the keys each side opens from inside cell x to every inside cell (-1: closed), in
  // `row`, for the cells listed in `touched` (sorted); returns how many.
  const row = [new Int32Array(n), new Int32Array(n)];
  const stamp = new Int32Array(n);
  const touched = new Int32Array(n);
  let mark = 0;
  const scanRow = (x: number): number => {
    let count = 0;
    mark++;
    for (let s = 0; s < 2; s++) {
      const side = sides[s]!;
      const r = row[s]!;
      const { paths } = side.reach;
      const { pathKey } = side.traffic;
      for (const cls of s === 0 ? cells[x]!.before : cells[x]!.after)
        for (let k = side.bySource.start[cls]!; k < side.bySource.start[cls + 1]!; k++) {
          const p = side.bySource.items[k]!;
          if (side.outside.external[p]) continue;
          const t = pathKey[p]!;
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
              r[y] = r[y]! < 0 || r[y] === t ? t : side.traffic.combine(r[y]!, t);
            }
          }
        }
    }
    touched.subarray(0, count).sort();
    return count;
  };

  const rectangles = {
    from: new IntList(),
    change: new IntList(),
    targetStart: new IntList(),
    targets: new IntList(),
  };
  const counts = [0, 0, 0, 0, 0, 0];
  const pairs = new PairTable(endpoints.length);
  // Changed pairs from outside cells, as (from cell, change, target cell), gathered over the rows.
  const fromOutside: number[] = [];
  const add = (byChange: Map<number, number[]>, c: number, y: number) => {
    const list = byChange.get(c);
    if (list) list.push(y);
    else byChange.set(c, [y]);
  };

  // Pass 1: every cell pair's status, counted and aggregated per endpoint pair (and kept per cell
  // pair with `groupPairs`).
  for (let x = 0; x < n; x++) {
    if (x > 0 && x % 10_000 === 0) progress(`diff: ${x}/${n} cells`);
    const ex = cells[x]!.endpoint;
    const byChange = groupPairs ? new Map<number, number[]>() : null;
    outsideOf[FROM_OUTSIDE]![x]!.forEach((piece, k) => {
      const cell = pieceCells[FROM_OUTSIDE]![x]![k]!;
      const st = statusOf(piece.beforeTraffic, piece.afterTraffic);
      counts[st]!++;
      pairs.mask[pairs.index(cells[cell]!.endpoint, ex)]! |= STATUS_BIT[st]!;
      if (groupPairs && st !== STATUS.unchanged)
        fromOutside.push(cell, changeId(piece.beforeTraffic, piece.afterTraffic), x);
    });
    outsideOf[TO_OUTSIDE]![x]!.forEach((piece, k) => {
      const cell = pieceCells[TO_OUTSIDE]![x]![k]!;
      const st = statusOf(piece.beforeTraffic, piece.afterTraffic);
      counts[st]!++;
      pairs.mask[pairs.index(ex, cells[cell]!.endpoint)]! |= STATUS_BIT[st]!;
      if (byChange && st !== STATUS.unchanged)
        add(byChange, changeId(piece.beforeTraffic, piece.afterTraffic), cell);
    });
    const count = scanRow(x);
    // Neighbouring targets mostly share their results: remember the last status and pair.
    let lastB = -2;
    let lastA = -2;
    let st = -1;
    let c = -1;
    let lastEndpoint = -1;
    let p = -1;
    for (let k = 0; k < count; k++) {
      const y = touched[k]!;
      if (y === x && cells[x]!.single) continue;
      const b = row[0]![y]!;
      const a = row[1]![y]!;
      if (b !== lastB || a !== lastA) {
        st = statusOf(b, a);
        c = byChange && st !== STATUS.unchanged ? changeId(b, a) : -1;
        lastB = b;
        lastA = a;
      }
      counts[st]!++;
      const ey = cells[y]!.endpoint;
      if (ey !== lastEndpoint) {
        p = pairs.index(ex, ey);
        lastEndpoint = ey;
      }
      pairs.mask[p]! |= STATUS_BIT[st]!;
      if (byChange && st !== STATUS.unchanged) add(byChange, c, y);
    }
    if (byChange) pushRectangles(rectangles, x, byChange);
  }
  // Rows of the outside cells (after every inside row: their numbers are higher).
  if (groupPairs) {
    const byCell = new Map<number, Map<number, number[]>>();
    for (let k = 0; k < fromOutside.length; k += 3) {
      const cell = fromOutside[k]!;
      let byChange = byCell.get(cell);
      if (!byChange) byCell.set(cell, (byChange = new Map()));
      add(byChange, fromOutside[k + 1]!, fromOutside[k + 2]!);
    }
    for (const cell of [...byCell.keys()].sort((u, v) => u - v))
      pushRectangles(rectangles, cell, byCell.get(cell)!);
  }
  rectangles.targetStart.push(rectangles.targets.length);

  // The changed endpoint pairs, by (from, to).
  const changedList: number[] = [];
  for (let p = 0; p < pairs.count; p++) if ((pairs.mask[p]! & ~BIT.unchanged) !== 0) changedList.push(p);
  changedList.sort((u, v) => pairs.from[u]! - pairs.from[v]! || pairs.to[u]! - pairs.to[v]!);
  const changedPairs = {
    from: Int32Array.from(changedList, (p) => pairs.from[p]!),
    to: Int32Array.from(changedList, (p) => pairs.to[p]!),
    status: Uint8Array.from(changedList, (p) => STATUS[aggregateStatus(pairs.mask[p]!)]),
  };
  const picked = options.pairTraffic
    ? Array.from(options.pairTraffic(changedPairs, endpoints))
    : changedList.map((_, k) => k);
  const endpointPairs = pairTraffic(picked.map((k) => changedList[k]!));
  return {
    cells,
    endpoints,
    changes,
    rectangles,
    changedPairs,
    endpointPairs,
    counts: Object.fromEntries(CHANGE_STATUSES.map((s, k) => [s, counts[k]!])) as Record<
      ChangeStatus,
      number
    >,
  };

  /** Pass 2: the changes of the picked endpoint pairs (PairTable numbers), read again from their rows. */
  function pairTraffic(picked: number[]): EndpointPairChange[] {
    if (picked.length === 0) return [];
    const isPicked = new Uint8Array(pairs.count);
    const fromPicked = new Uint8Array(endpoints.length);
    const toPicked = new Uint8Array(endpoints.length);
    for (const p of picked) {
      isPicked[p] = 1;
      fromPicked[pairs.from[p]!] = 1;
      toPicked[pairs.to[p]!] = 1;
    }
    const changeSets = new ChangeSets();
    const setOf = new Int32Array(pairs.count);
    const note = (p: number, kb: number, ka: number) => {
      if (isPicked[p] === 0 || statusOf(kb, ka) === STATUS.unchanged) return;
      setOf[p] = changeSets.with(setOf[p]!, changeId(kb, ka));
    };
    for (let x = 0; x < n; x++) {
      const ex = cells[x]!.endpoint;
      if (toPicked[ex])
        outsideOf[FROM_OUTSIDE]![x]!.forEach((piece, k) => {
          const cell = pieceCells[FROM_OUTSIDE]![x]![k]!;
          note(pairs.index(cells[cell]!.endpoint, ex), piece.beforeTraffic, piece.afterTraffic);
        });
      if (!fromPicked[ex]) continue;
      outsideOf[TO_OUTSIDE]![x]!.forEach((piece, k) => {
        const cell = pieceCells[TO_OUTSIDE]![x]![k]!;
        note(pairs.index(ex, cells[cell]!.endpoint), piece.beforeTraffic, piece.afterTraffic);
      });
      const count = scanRow(x);
      let lastEndpoint = -1;
      let p = -1;
      let lastB = -2;
      let lastA = -2;
      let lastP = -1;
      for (let k = 0; k < count; k++) {
        const y = touched[k]!;
        if (y === x && cells[x]!.single) continue;
        const ey = cells[y]!.endpoint;
        if (ey !== lastEndpoint) {
          p = pairs.index(ex, ey);
          lastEndpoint = ey;
        }
        if (isPicked[p] === 0) continue;
        const b = row[0]![y]!;
        const a = row[1]![y]!;
        if (b === lastB && a === lastA && p === lastP) continue;
        note(p, b, a);
        lastB = b;
        lastA = a;
        lastP = p;
      }
    }
    // Removed and added traffic once per distinct set of changes (few), not per pair (millions).
    const unions = new Map<number, { removed: TrafficSet; added: TrafficSet }>();
    return picked.map((p) => {
      const set = setOf[p]!;
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
      return {
        from: pairs.from[p]!,
        to: pairs.to[p]!,
        status: aggregateStatus(pairs.mask[p]!),
        changes: ids,
        ...union,
      };
    });
  }
}

/** Appends one row's rectangles: one per change, in change order, its targets sorted. */
function pushRectangles(
  rectangles: ReachabilityDiff['rectangles'],
  from: number,
  byChange: Map<number, number[]>,
): void {
  for (const k of [...byChange.keys()].sort((u, v) => u - v)) {
    rectangles.from.push(from);
    rectangles.change.push(k);
    rectangles.targetStart.push(rectangles.targets.length);
    for (const y of byChange.get(k)!.sort((u, v) => u - v)) rectangles.targets.push(y);
  }
}
