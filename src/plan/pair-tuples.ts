/**
 * What two side decisions certainly allow, for the effect's accounting, without building their meet
 * where it can be avoided: all-pairs paths meet about a million distinct decision pairs, and the
 * effect needs of most only a count, of a few the traffic.
 *
 * A decision's `sure` set is what it allows under every assignment of its unknowns, and what two
 * decisions certainly allow together is the meet over every assignment, ∩ₘ (outₘ ∩ inₘ) =
 * (∩ₘ outₘ) ∩ (∩ₘ inₘ) = `out.sure ∩ in.sure` — shared unknowns or not (the engine's meet computes
 * the same; its `unknown` part, which needs the assignments, is not read here). The count of (destination port with some source port) in a port region's
 * meet is the size of the union, over pairs of layers whose source ports overlap, of their
 * destination ports' intersection — no region is canonicalized.
 */
import { PortRegion, TrafficSet, type Decision } from '../policy';
import { IntPairMap } from '../util/int-pair-map';
import { withLength } from '../util/typed-arrays';

/** Destination ports that some source port pairs with in `a ∩ b`, counted. */
export function meetPortCount(a: PortRegion, b: PortRegion): number {
  if (a.isEmpty || b.isEmpty) return 0;
  const la = a.layers;
  const lb = b.layers;
  // One layer over every source port: the meet's destination ports are its own ∩ the other's.
  if (la.length === 1 && la[0]![0].isFull)
    return la[0]![1].intersectionSize(lb.length === 1 ? lb[0]![1] : b.destinationPorts());
  if (lb.length === 1 && lb[0]![0].isFull)
    return lb[0]![1].intersectionSize(la.length === 1 ? la[0]![1] : a.destinationPorts());
  let ports: ReturnType<PortRegion['destinationPorts']> | null = null;
  for (const [sa, da] of la)
    for (const [sb, db] of lb) {
      if (!sa.overlaps(sb)) continue;
      const d = da.intersect(db);
      ports = ports === null ? d : ports.union(d);
    }
  return ports === null ? 0 : ports.size();
}

/** `tupleCount(a.intersect(b))`, without the intersection. */
export function meetTupleCount(a: TrafficSet, b: TrafficSet): number {
  return meetPortCount(a.tcp, b.tcp) + meetPortCount(a.udp, b.udp) + (a.icmp && b.icmp ? 1 : 0);
}

/**
 * Certainly allowed tuples through two side decisions. Most paths meet regions of one layer over
 * every source port: those are counted directly on flat copies of their destination bounds, made once
 * per traffic id — a memo of the million distinct pairs, or reading the sets' objects scattered over
 * a large heap, cost several times more. Other shapes take `meetTupleCount`, memoized per pair of
 * traffic ids.
 */
export class PairTuples {
  private readonly memo = new IntPairMap(1 << 10);
  /** Per traffic id: where its summary starts in `pool`, + 1 (0: not made yet). */
  private at = new Int32Array(1 << 12);
  private readonly sparse = new Map<number, number>();
  /**
   * Per decision id: where its `sure` set's summary starts in `pool`, + 1 (0: not looked up yet), so
   * that a path's count reads no decision object after the first (on a large heap each is a miss).
   */
  private byDecision: Int32Array;
  /**
   * Summaries: ICMP (0 or 1), then for TCP and for UDP a kind: EMPTY; FLAT (one layer over every
   * source port), then the number of bounds and the destination bounds; LAYERS (up to MAX_LAYERS),
   * then the words the summary takes, the layer count and per layer the number of source bounds, the
   * source bounds, the number of destination bounds and the destination bounds; OTHER (more layers).
   */
  private pool = new Int32Array(1 << 16);
  private used = 0;
  /** Intersections of destination bounds, gathered while counting layered summaries. */
  private scratch = new Int32Array(64);

  /** @param decisions the store's decisions, by id (`PolicyEngine.decisions()`). */
  constructor(private readonly decisions: readonly Decision[]) {
    this.byDecision = new Int32Array(decisions.length);
  }

  /** Certainly allowed tuples through decisions `out` and `inbound` (decision ids). */
  of(out: number, inbound: number): number {
    const a = this.summaryOf(out);
    const b = this.summaryOf(inbound);
    const pool = this.pool;
    const tcpA = a + 1;
    const tcpB = b + 1;
    const udpA = tcpA + regionWords(pool, tcpA);
    const udpB = tcpB + regionWords(pool, tcpB);
    if (pool[tcpA] === OTHER || pool[tcpB] === OTHER || pool[udpA] === OTHER || pool[udpB] === OTHER) {
      const o = this.decisions[out]!;
      const i = this.decisions[inbound]!;
      let n = this.memo.get(o.traffic, i.traffic);
      if (n < 0) {
        n = meetTupleCount(o.sure, i.sure);
        this.memo.set(o.traffic, i.traffic, n);
      }
      return n;
    }
    return this.count(tcpA, tcpB) + this.count(udpA, udpB) + (pool[a]! & pool[b]!);
  }

  /** Destination ports two region summaries (neither OTHER) share with some source port. */
  private count(a: number, b: number): number {
    const pool = this.pool;
    if (pool[a] === EMPTY || pool[b] === EMPTY) return 0;
    if (pool[a] === FLAT && pool[b] === FLAT) return flatCount(pool, a, b);
    // Layers whose source ports overlap add their destination ports' intersection; unions of
    // those intersections are merged in `scratch` (one pair, the common case, is counted directly).
    let n = 0;
    let pairs = 0;
    let single = 0;
    const layersA = pool[a] === FLAT ? 1 : pool[a + 2]!;
    const layersB = pool[b] === FLAT ? 1 : pool[b + 2]!;
    for (let i = 0, p = pool[a] === FLAT ? -1 : a + 3; i < layersA; i++) {
      // A FLAT summary is one layer over every source port (no source bounds: -1).
      const sA = p;
      const dA = p < 0 ? a + 1 : p + 1 + pool[p]!;
      for (let j = 0, q = pool[b] === FLAT ? -1 : b + 3; j < layersB; j++) {
        const sB = q;
        const dB = q < 0 ? b + 1 : q + 1 + pool[q]!;
        if (sA < 0 || sB < 0 || boundsOverlap(pool, sA, sB)) {
          pairs++;
          this.scratch = withLength(this.scratch, n + pool[dA]! + pool[dB]!);
          const before = n;
          n = intersectInto(pool, dA, dB, this.scratch, n);
          for (let k = before; k < n; k += 2) single += this.scratch[k + 1]! - this.scratch[k]! + 1;
        }
        if (q >= 0) q = dB + 1 + pool[dB]!;
      }
      if (p >= 0) p = dA + 1 + pool[dA]!;
    }
    return pairs <= 1 ? single : mergedSize(this.scratch, n);
  }

  /** Where the summary of decision `id`'s `sure` set starts in `pool`. */
  private summaryOf(id: number): number {
    this.byDecision = withLength(this.byDecision, id + 1);
    const known = this.byDecision[id]!;
    if (known > 0) return known - 1;
    const start = this.summary(this.decisions[id]!);
    this.byDecision[id] = start + 1;
    return start;
  }

  /** Where the summary of a decision's `sure` set starts in `pool` (made on first use of its traffic). */
  private summary(d: Decision): number {
    const id = d.traffic;
    // Traffic ids count up from 0 in a store: a typed array for those, a map for any far beyond.
    if (id < MAX_DENSE_ID) this.at = withLength(this.at, id + 1);
    const known = id < this.at.length ? this.at[id]! : (this.sparse.get(id) ?? 0);
    if (known > 0) return known - 1;
    const start = this.used;
    this.push(d.sure.icmp ? 1 : 0);
    this.pushRegion(d.sure.tcp);
    this.pushRegion(d.sure.udp);
    if (id < this.at.length) this.at[id] = start + 1;
    else this.sparse.set(id, start + 1);
    return start;
  }

  private pushRegion(r: PortRegion): void {
    if (r.isEmpty) return this.push(EMPTY);
    const layers = r.layers;
    if (layers.length === 1 && layers[0]![0].isFull) {
      this.push(FLAT);
      this.pushBounds(layers[0]![1]);
      return;
    }
    if (layers.length > MAX_LAYERS) return this.push(OTHER);
    const start = this.used;
    this.push(LAYERS);
    this.push(0);
    this.push(layers.length);
    for (const [sources, destinations] of layers) {
      this.pushBounds(sources);
      this.pushBounds(destinations);
    }
    this.pool[start + 1] = this.used - start;
  }

  /** The number of bounds of a port set, then its bounds (inclusive, in order). */
  private pushBounds(set: ReturnType<PortRegion['destinationPorts']>): void {
    const intervals = set.intervals();
    this.push(2 * intervals.length);
    for (const [lo, hi] of intervals) {
      this.push(lo);
      this.push(hi);
    }
  }

  private push(v: number): void {
    this.pool = withLength(this.pool, this.used + 1);
    this.pool[this.used++] = v;
  }
}

/** Traffic ids below this are looked up in a typed array (4 bytes each). */
const MAX_DENSE_ID = 1 << 22;

/** A region summary's kinds. */
const EMPTY = 0;
const FLAT = 1;
const OTHER = 2;
const LAYERS = 3;

/** Regions of more layers than this are met as objects (memoized): summaries stay short. */
const MAX_LAYERS = 4;

/** Words a region summary takes in the pool. */
function regionWords(pool: Int32Array, at: number): number {
  const kind = pool[at];
  return kind === FLAT ? 2 + pool[at + 1]! : kind === LAYERS ? pool[at + 1]! : 1;
}

/** Destination ports two FLAT (or EMPTY) summaries share: their bounds' intersection size. */
function flatCount(pool: Int32Array, a: number, b: number): number {
  if (pool[a] === EMPTY || pool[b] === EMPTY) return 0;
  let i = a + 2;
  let j = b + 2;
  const iEnd = i + pool[a + 1]!;
  const jEnd = j + pool[b + 1]!;
  let n = 0;
  while (i < iEnd && j < jEnd) {
    const loA = pool[i]!;
    const hiA = pool[i + 1]!;
    const loB = pool[j]!;
    const hiB = pool[j + 1]!;
    const lo = loA > loB ? loA : loB;
    const hi = hiA < hiB ? hiA : hiB;
    if (lo <= hi) n += hi - lo + 1;
    if (hiA < hiB) i += 2;
    else j += 2;
  }
  return n;
}

/** Whether two runs of bounds (each after its count, at `a` and `b`) share a port. */
function boundsOverlap(pool: Int32Array, a: number, b: number): boolean {
  let i = a + 1;
  let j = b + 1;
  const iEnd = i + pool[a]!;
  const jEnd = j + pool[b]!;
  while (i < iEnd && j < jEnd) {
    if (pool[i + 1]! < pool[j]!) i += 2;
    else if (pool[j + 1]! < pool[i]!) j += 2;
    else return true;
  }
  return false;
}

/** Appends the intersection of two runs of bounds (each after its count) to `out` from `n`; returns the new end. */
function intersectInto(pool: Int32Array, a: number, b: number, out: Int32Array, n: number): number {
  let i = a + 1;
  let j = b + 1;
  const iEnd = i + pool[a]!;
  const jEnd = j + pool[b]!;
  while (i < iEnd && j < jEnd) {
    const lo = pool[i]! > pool[j]! ? pool[i]! : pool[j]!;
    const hi = pool[i + 1]! < pool[j + 1]! ? pool[i + 1]! : pool[j + 1]!;
    if (lo <= hi) {
      out[n++] = lo;
      out[n++] = hi;
    }
    if (pool[i + 1]! < pool[j + 1]!) i += 2;
    else j += 2;
  }
  return n;
}

/** The ports of the union of `n / 2` inclusive bounds in `bounds` (sorted here by their start: few). */
function mergedSize(bounds: Int32Array, n: number): number {
  for (let k = 2; k < n; k += 2) {
    const lo = bounds[k]!;
    const hi = bounds[k + 1]!;
    let m = k - 2;
    for (; m >= 0 && bounds[m]! > lo; m -= 2) {
      bounds[m + 2] = bounds[m]!;
      bounds[m + 3] = bounds[m + 1]!;
    }
    bounds[m + 2] = lo;
    bounds[m + 3] = hi;
  }
  let size = 0;
  let end = -1;
  for (let k = 0; k < n; k += 2) {
    const lo = bounds[k]! > end + 1 ? bounds[k]! : end + 1;
    if (bounds[k + 1]! >= lo) size += bounds[k + 1]! - lo + 1;
    if (bounds[k + 1]! > end) end = bounds[k + 1]!;
  }
  return size;
}

/**
 * The union of what many decision pairs certainly allow, gathered one pair at a time: pairs sharing
 * a decision on one side (`fixed`) are met once, with the union of the other sides —
 * ∪ (f ∩ oᵢ) = f ∩ ∪ oᵢ.
 */
export class AllowUnion {
  /** Per fixed side's traffic id: the other sides' traffic ids. */
  private readonly byFixed = new Map<number, Set<number>>();

  /**
   * @param sets `sure` sets by traffic id, shareable by the unions of one store's decisions (a traffic
   *   id has one `sure` set there): the effect gathers a thousand unions over the same decisions.
   */
  constructor(private readonly sets = new Map<number, TrafficSet>()) {}

  add(out: Decision, inbound: Decision, fixedIsOut: boolean): void {
    const fixed = fixedIsOut ? out : inbound;
    const other = fixedIsOut ? inbound : out;
    let others = this.byFixed.get(fixed.traffic);
    if (others === undefined) {
      this.byFixed.set(fixed.traffic, (others = new Set()));
      if (!this.sets.has(fixed.traffic)) this.sets.set(fixed.traffic, fixed.sure);
    }
    if (!others.has(other.traffic)) {
      others.add(other.traffic);
      if (!this.sets.has(other.traffic)) this.sets.set(other.traffic, other.sure);
    }
  }

  /** The union (canonical: equal whatever order the pairs came in). */
  result(): TrafficSet {
    let out = TrafficSet.none;
    for (const [fixed, others] of this.byFixed) {
      let union = TrafficSet.none;
      for (const o of others) union = union.union(this.sets.get(o)!);
      out = out.union(this.sets.get(fixed)!.intersect(union));
    }
    return out;
  }
}
