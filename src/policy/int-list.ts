/** A growable list of 32-bit integers backed by an Int32Array (compact storage for millions of entries). */
export class IntList {
  private data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(capacity, 16));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  /** A view of entries [from, to) (shares memory; valid until the next push). */
  slice(from: number, to: number): Int32Array {
    return this.data.subarray(from, to);
  }
}
