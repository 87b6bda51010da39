/**
 * Canonical sets of integers as sorted, disjoint, non-adjacent inclusive intervals.
 * One implementation serves IPv4 addresses and ports (number) and IPv6 addresses (bigint).
 * Sets are immutable; every operation is a linear merge of the two interval lists.
 */
export interface IntegerDomain<T extends number | bigint> {
  readonly min: T;
  readonly max: T;
  inc(x: T): T;
  dec(x: T): T;
  /** Number of integers in [lo, hi], as a JS number (may be approximate beyond 2^53). */
  count(lo: T, hi: T): number;
}

export type Interval<T> = readonly [lo: T, hi: T];

export class IntervalSet<T extends number | bigint> {
  private hashCache: number | undefined;

  private constructor(
    readonly domain: IntegerDomain<T>,
    /** Flat [lo0, hi0, lo1, hi1, ...], sorted, disjoint, with a gap of at least one between intervals. */
    private readonly bounds: readonly T[],
  ) {}

  static empty<T extends number | bigint>(domain: IntegerDomain<T>): IntervalSet<T> {
    return new IntervalSet(domain, []);
  }

  static full<T extends number | bigint>(domain: IntegerDomain<T>): IntervalSet<T> {
    return new IntervalSet(domain, [domain.min, domain.max]);
  }

  static range<T extends number | bigint>(domain: IntegerDomain<T>, lo: T, hi: T): IntervalSet<T> {
    if (lo > hi || lo < domain.min || hi > domain.max) throw new RangeError(`invalid interval ${lo}-${hi}`);
    return new IntervalSet(domain, [lo, hi]);
  }

  /** Builds a set from intervals in any order, overlapping or adjacent. */
  static of<T extends number | bigint>(
    domain: IntegerDomain<T>,
    intervals: Iterable<Interval<T>>,
  ): IntervalSet<T> {
    // Index loops, not destructuring for-of: this class serves numbers and bigints, and the generic
    // iterator path allocates on every step.
    const list = Array.isArray(intervals) ? (intervals as Interval<T>[]).slice() : [...intervals];
    for (let i = 0; i < list.length; i++) {
      const lo = list[i]![0];
      const hi = list[i]![1];
      if (lo > hi || lo < domain.min || hi > domain.max) throw new RangeError(`invalid interval ${lo}-${hi}`);
    }
    if (list.length > 1) list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const out: T[] = [];
    for (let i = 0; i < list.length; i++) IntervalSet.pushMerged(domain, out, list[i]![0], list[i]![1]);
    return new IntervalSet(domain, out);
  }

  /**
   * A set from flat bounds that are already canonical: sorted, disjoint, with a gap between intervals
   * (e.g. runs read off a bit row). Not checked; for hot paths that produce such bounds themselves.
   */
  static fromCanonicalBounds<T extends number | bigint>(
    domain: IntegerDomain<T>,
    bounds: T[],
  ): IntervalSet<T> {
    return new IntervalSet(domain, bounds);
  }

  get isEmpty(): boolean {
    return this.bounds.length === 0;
  }

  get isFull(): boolean {
    return (
      this.bounds.length === 2 && this.bounds[0] === this.domain.min && this.bounds[1] === this.domain.max
    );
  }

  /** The intervals in ascending order. */
  intervals(): Interval<T>[] {
    const out: Interval<T>[] = [];
    for (let i = 0; i < this.bounds.length; i += 2) out.push([this.bounds[i] as T, this.bounds[i + 1] as T]);
    return out;
  }

  /**
   * Orders sets by their intervals, lexicographically (lower bound, then upper bound, interval by
   * interval; a prefix first), without building the interval pairs.
   */
  compareTo(other: IntervalSet<T>): number {
    const a = this.bounds;
    const b = other.bounds;
    const n = Math.min(a.length, b.length);
    for (let k = 0; k < n; k++) if (a[k] !== b[k]) return a[k]! < b[k]! ? -1 : 1;
    return a.length - b.length;
  }

  get intervalCount(): number {
    return this.bounds.length / 2;
  }

  /** Number of members (approximate above 2^53, as for IPv6). */
  size(): number {
    let n = 0;
    for (let i = 0; i < this.bounds.length; i += 2)
      n += this.domain.count(this.bounds[i] as T, this.bounds[i + 1] as T);
    return n;
  }

  /** Smallest member, or undefined when empty. */
  first(): T | undefined {
    return this.bounds[0];
  }

  has(x: T): boolean {
    let lo = 0;
    let hi = this.bounds.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const a = this.bounds[2 * mid] as T;
      const b = this.bounds[2 * mid + 1] as T;
      if (x < a) hi = mid - 1;
      else if (x > b) lo = mid + 1;
      else return true;
    }
    return false;
  }

  union(other: IntervalSet<T>): IntervalSet<T> {
    if (other.isEmpty || this.isFull) return this;
    if (this.isEmpty || other.isFull) return other;
    return IntervalSet.fromSortedMerge(this.domain, this.bounds, other.bounds);
  }

  intersect(other: IntervalSet<T>): IntervalSet<T> {
    if (this.isEmpty || other.isFull) return this;
    if (other.isEmpty || this.isFull) return other;
    const a = this.bounds;
    const b = other.bounds;
    const out: T[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const lo = (a[i] as T) > (b[j] as T) ? (a[i] as T) : (b[j] as T);
      const hi = (a[i + 1] as T) < (b[j + 1] as T) ? (a[i + 1] as T) : (b[j + 1] as T);
      if (lo <= hi) out.push(lo, hi);
      if ((a[i + 1] as T) < (b[j + 1] as T)) i += 2;
      else j += 2;
    }
    return new IntervalSet(this.domain, out);
  }

  /** `this.intersect(other).size()`, without building the intersection (hot in the plan's accounting). */
  intersectionSize(other: IntervalSet<T>): number {
    const a = this.bounds;
    const b = other.bounds;
    let n = 0;
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const lo = (a[i] as T) > (b[j] as T) ? (a[i] as T) : (b[j] as T);
      const hi = (a[i + 1] as T) < (b[j + 1] as T) ? (a[i + 1] as T) : (b[j + 1] as T);
      if (lo <= hi) n += this.domain.count(lo, hi);
      if ((a[i + 1] as T) < (b[j + 1] as T)) i += 2;
      else j += 2;
    }
    return n;
  }

  complement(): IntervalSet<T> {
    const d = this.domain;
    const out: T[] = [];
    let next: T | null = d.min;
    for (let i = 0; i < this.bounds.length; i += 2) {
      const lo = this.bounds[i] as T;
      const hi = this.bounds[i + 1] as T;
      if (next !== null && lo > next) out.push(next, d.dec(lo));
      next = hi === d.max ? null : d.inc(hi);
    }
    if (next !== null) out.push(next, d.max);
    return new IntervalSet(d, out);
  }

  subtract(other: IntervalSet<T>): IntervalSet<T> {
    if (other.isEmpty || this.isEmpty) return this;
    if (other.isFull) return IntervalSet.empty(this.domain);
    // Walk both lists once, clipping each interval of `this` by the intervals of `other`.
    const d = this.domain;
    const a = this.bounds;
    const b = other.bounds;
    const out: T[] = [];
    let j = 0;
    for (let i = 0; i < a.length; i += 2) {
      let lo = a[i] as T;
      const hi = a[i + 1] as T;
      while (j < b.length && (b[j + 1] as T) < lo) j += 2;
      let k = j;
      let done = false;
      while (k < b.length && (b[k] as T) <= hi) {
        const blo = b[k] as T;
        const bhi = b[k + 1] as T;
        if (blo > lo) out.push(lo, d.dec(blo));
        if (bhi >= hi) {
          done = true;
          break;
        }
        lo = d.inc(bhi);
        k += 2;
      }
      if (!done) out.push(lo, hi);
    }
    return new IntervalSet(d, out);
  }

  isSubsetOf(other: IntervalSet<T>): boolean {
    return this.subtract(other).isEmpty;
  }

  /** Whether the sets share a member (no allocation). */
  overlaps(other: IntervalSet<T>): boolean {
    const a = this.bounds;
    const b = other.bounds;
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      if ((a[i + 1] as T) < (b[j] as T)) i += 2;
      else if ((b[j + 1] as T) < (a[i] as T)) j += 2;
      else return true;
    }
    return false;
  }

  equals(other: IntervalSet<T>): boolean {
    if (this.bounds.length !== other.bounds.length) return false;
    for (let i = 0; i < this.bounds.length; i++) if (this.bounds[i] !== other.bounds[i]) return false;
    return true;
  }

  /** An equal set whose storage has no spare capacity (for sets kept for the whole analysis). */
  compact(): IntervalSet<T> {
    return new IntervalSet(this.domain, this.bounds.slice());
  }

  /** The flat bounds [lo0, hi0, lo1, hi1, …] themselves (no copy: for loops that must not allocate). */
  flatBounds(): readonly T[] {
    return this.bounds;
  }

  /** Whether the set is the one of these flat canonical bounds (see fromCanonicalBounds). */
  hasBounds(bounds: readonly T[]): boolean {
    if (bounds.length !== this.bounds.length) return false;
    for (let i = 0; i < bounds.length; i++) if (bounds[i] !== this.bounds[i]) return false;
    return true;
  }

  /** A stable text key, equal for equal sets. */
  key(): string {
    return this.bounds.join(',');
  }

  /** A 30-bit hash of the members (a small integer, cheap as a map key), equal for equal sets (cached). */
  hash(): number {
    if (this.hashCache === undefined) {
      let h = 0x811c9dc5 ^ this.bounds.length;
      const bounds = this.bounds;
      for (let i = 0; i < bounds.length; i++) {
        const b = bounds[i] as T;
        const x =
          typeof b === 'number'
            ? b
            : Number(BigInt.asUintN(32, b as bigint) ^ BigInt.asUintN(32, (b as bigint) >> 96n));
        h = Math.imul(h ^ (x | 0), 0x01000193);
        h = Math.imul(h ^ ((x / 4294967296) | 0), 0x01000193);
      }
      this.hashCache = h & 0x3fffffff;
    }
    return this.hashCache;
  }

  /** Appends [lo, hi] (lo ≥ every earlier lo) to flat bounds, merging it into the last interval when they touch. */
  private static pushMerged<T extends number | bigint>(
    domain: IntegerDomain<T>,
    out: T[],
    lo: T,
    hi: T,
  ): void {
    const n = out.length;
    if (n > 0) {
      const last = out[n - 1] as T;
      if (last === domain.max || lo <= domain.inc(last)) {
        if (hi > last) out[n - 1] = hi;
        return;
      }
    }
    out.push(lo, hi);
  }

  private static fromSortedMerge<T extends number | bigint>(
    domain: IntegerDomain<T>,
    a: readonly T[],
    b: readonly T[],
  ): IntervalSet<T> {
    const out: T[] = [];
    let i = 0;
    let j = 0;
    const push = (lo: T, hi: T) => IntervalSet.pushMerged(domain, out, lo, hi);
    while (i < a.length || j < b.length) {
      if (j >= b.length || (i < a.length && (a[i] as T) <= (b[j] as T))) {
        push(a[i] as T, a[i + 1] as T);
        i += 2;
      } else {
        push(b[j] as T, b[j + 1] as T);
        j += 2;
      }
    }
    return new IntervalSet(domain, out);
  }
}

export const IPV4_MAX = 0xffffffff;
export const IPV6_MAX = (1n << 128n) - 1n;
export const PORT_MAX = 65535;

export const ipv4Domain: IntegerDomain<number> = {
  min: 0,
  max: IPV4_MAX,
  inc: (x) => x + 1,
  dec: (x) => x - 1,
  count: (lo, hi) => hi - lo + 1,
};

export const portDomain: IntegerDomain<number> = {
  min: 0,
  max: PORT_MAX,
  inc: (x) => x + 1,
  dec: (x) => x - 1,
  count: (lo, hi) => hi - lo + 1,
};

export const ipv6Domain: IntegerDomain<bigint> = {
  min: 0n,
  max: IPV6_MAX,
  inc: (x) => x + 1n,
  dec: (x) => x - 1n,
  count: (lo, hi) => Number(hi - lo + 1n),
};

export type Ipv4Set = IntervalSet<number>;
export type Ipv6Set = IntervalSet<bigint>;
export type PortSet = IntervalSet<number>;
