/**
 * Per class list of all-pairs paths, its endpoints' (shares') summed address counts, in one pool:
 * `id, size, id, size, …` with shares in the order first seen. One pool, not a typed array per list
 * (the typical estate has 300,000 lists), so the millions of reads the effect makes allocate nothing.
 */
import { withLength } from '../util/typed-arrays';

/** Up to this many shares, a list's sums are found by a scan of its place in the pool; past it, by a map. */
export const SCAN_SHARES = 16;

export class ShareSums {
  /** The sums; it may move when a list is summed: read it after `sum`. */
  pool = new Float64Array(1 << 16);
  private used = 0;
  /** Per list: where its sums start in `pool`, + 1 (0: not summed yet). */
  private readonly at: Int32Array;
  /** Per list: where its sums end in `pool`. */
  readonly end: Int32Array;

  constructor(lists: number) {
    this.at = new Int32Array(lists);
    this.end = new Int32Array(lists);
  }

  /** Where list `list`'s sums start in `pool`, or -1 before it is summed. */
  startOf(list: number): number {
    return this.at[list]! - 1;
  }

  /** Sums list `list` once from its members' (share id, size) entries; returns where the sums start. */
  sum(list: number, entries: Iterable<readonly [number, number]>): number {
    const known = this.startOf(list);
    if (known >= 0) return known;
    const start = this.used;
    let places: Map<number, number> | null = null;
    for (const [id, size] of entries) {
      let at: number;
      if (places !== null) at = places.get(id) ?? this.used;
      else {
        at = start;
        while (at < this.used && this.pool[at] !== id) at += 2;
      }
      if (at < this.used) {
        this.pool[at + 1]! += size;
        continue;
      }
      this.pool = withLength(this.pool, this.used + 2);
      places?.set(id, this.used);
      this.pool[this.used++] = id;
      this.pool[this.used++] = size;
      if (places === null && this.used - start > 2 * SCAN_SHARES) {
        places = new Map();
        for (let p = start; p < this.used; p += 2) places.set(this.pool[p]!, p);
      }
    }
    this.at[list] = start + 1;
    this.end[list] = this.used;
    return start;
  }
}
