/**
 * Interning of immutable values by hash and equality: the pool hands out one shared instance per
 * distinct value. Most buckets hold a single value, which is stored without an array around it (the
 * pools hold hundreds of thousands of values on large estates).
 */
export interface Hashable<T> {
  hash(): number;
  equals(other: T): boolean;
}

export class HashPool<T extends Hashable<T>> {
  private readonly buckets = new Map<number, T | T[]>();
  private count = 0;

  /** The pooled instance equal to `value`, or undefined. */
  find(value: T): T | undefined {
    const bucket = this.buckets.get(value.hash());
    if (bucket === undefined) return undefined;
    if (!Array.isArray(bucket)) return bucket === value || bucket.equals(value) ? bucket : undefined;
    for (const other of bucket) if (other === value || other.equals(value)) return other;
    return undefined;
  }

  /** The pooled instance equal to `value`; when there is none, `make(value)` (equal to it) is pooled and returned. */
  intern(value: T, make: (value: T) => T = (v) => v): T {
    const found = this.find(value);
    if (found !== undefined) return found;
    const stored = make(value);
    const h = value.hash();
    const bucket = this.buckets.get(h);
    if (bucket === undefined) this.buckets.set(h, stored);
    else if (Array.isArray(bucket)) bucket.push(stored);
    else this.buckets.set(h, [bucket, stored]);
    this.count++;
    return stored;
  }

  get size(): number {
    return this.count;
  }
}
