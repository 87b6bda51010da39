/** Ascending numbers: binary search, and sorting cut points. */

/**
 * The index of the last entry of `sorted` (ascending) that is at most `x`; 0 when none is (callers
 * keep the axis start as entry 0, so every value has one).
 */
export function lastAtOrBelow(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The distinct values among the first `count` entries of `values`, ascending, as a view of `values`
 * (sorted and compacted in place: no array built for every table).
 */
export function distinctInPlace<T extends Float64Array | Int32Array>(values: T, count: number): T {
  const sorted = values.subarray(0, count).sort();
  let m = 0;
  for (let i = 0; i < count; i++) if (m === 0 || sorted[i] !== sorted[m - 1]) sorted[m++] = sorted[i]!;
  return sorted.subarray(0, m) as T;
}

/**
 * The distinct values among the first `count` entries of `values`, ascending (sorts `values` in
 * place). Cut points go through a typed array: no set or sort of boxed numbers for every table.
 */
export function sortedDistinct(values: Float64Array | Int32Array, count: number): number[] {
  return Array.from(distinctInPlace(values, count));
}
