/** Entries per chunk of a large list (4 MB). */
const SHIFT = 20;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;

/**
 * A growable list of 32-bit integers in Int32Arrays (compact storage for hundreds of millions of
 * entries). Up to one chunk it is a single array that doubles; beyond, it adds fixed-size chunks, so a
 * large list never holds an old and a new copy of itself at once while growing.
 */
export class IntList {
  private readonly chunks: Int32Array[];
  /** The chunk being filled, and how many of its entries are used. */
  private tail: Int32Array;
  private tailFill = 0;
  length = 0;

  constructor(capacity = 1024) {
    this.tail = new Int32Array(Math.min(Math.max(capacity, 16), CHUNK));
    this.chunks = [this.tail];
  }

  push(value: number): void {
    if (this.tailFill === this.tail.length) this.grow();
    this.tail[this.tailFill++] = value;
    this.length++;
  }

  get(i: number): number {
    return this.chunks[i >>> SHIFT]![i & MASK]!;
  }

  /** Entries [from, to): a view when they lie in one chunk (valid until the next push), else a copy. */
  slice(from: number, to: number): Int32Array {
    if (to <= from) return new Int32Array(0);
    const first = from >>> SHIFT;
    if (first === (to - 1) >>> SHIFT) return this.chunks[first]!.subarray(from & MASK, ((to - 1) & MASK) + 1);
    const out = new Int32Array(to - from);
    for (let i = from; i < to; i++) out[i - from] = this.get(i);
    return out;
  }

  private grow(): void {
    if (this.tail.length < CHUNK) {
      const next = new Int32Array(Math.min(this.tail.length * 2, CHUNK));
      next.set(this.tail);
      this.tail = next;
      this.chunks[this.chunks.length - 1] = next;
    } else {
      this.tail = new Int32Array(CHUNK);
      this.tailFill = 0;
      this.chunks.push(this.tail);
    }
  }
}
