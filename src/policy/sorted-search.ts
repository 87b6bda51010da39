/** Binary search over ascending numbers. */

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
