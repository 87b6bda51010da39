/** Typed arrays that grow as they fill (pools of numbers read in hot loops). */
type Growable = Uint8Array | Int32Array | Uint32Array | Float64Array;

/**
 * `array` when it has room for `length` entries, else a copy at least twice as long (the entries
 * kept, the rest zero): callers grow their pools through this, never one entry at a time.
 */
export function withLength<T extends Growable>(array: T, length: number): T {
  if (length <= array.length) return array;
  const grown = new (array.constructor as new (size: number) => T)(Math.max(2 * array.length, length));
  grown.set(array);
  return grown;
}

/** Whether two arrays of numbers hold the same values (same length, entry by entry). */
export function sameNumbers(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
