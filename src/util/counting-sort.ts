/** `items` stably sorted by `keys[item]`, keys in [0, range): linear time, for index arrays of millions. */
export function countingSort(items: Int32Array, keys: ArrayLike<number>, range: number): Int32Array {
  const start = new Int32Array(range + 1);
  for (let k = 0; k < items.length; k++) start[keys[items[k]!]! + 1]!++;
  for (let v = 0; v < range; v++) start[v + 1]! += start[v]!;
  const out = new Int32Array(items.length);
  for (let k = 0; k < items.length; k++) out[start[keys[items[k]!]!]!++] = items[k]!;
  return out;
}
