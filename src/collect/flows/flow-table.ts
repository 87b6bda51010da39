/**
 * The counts of each distinct flow in columns of typed arrays, found through an open-addressing hash
 * of a three-number key. About 100 bytes a flow (a Map per address pair and an object per flow
 * cost ten times that), so a day of a large estate's flows fits in memory.
 */

export class FlowTable {
  size = 0;
  private capacity: number;
  /** Row + 1 per slot (0 = empty); twice as many slots as rows, so probes stay short. */
  private slots: Int32Array;
  a: Uint32Array;
  b: Uint32Array;
  c: Float64Array;
  tuples: Float64Array;
  started: Float64Array;
  packetsOut: Float64Array;
  bytesOut: Float64Array;
  packetsIn: Float64Array;
  bytesIn: Float64Array;
  first: Float64Array;
  last: Float64Array;

  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.slots = new Int32Array(capacity * 2);
    this.a = new Uint32Array(capacity);
    this.b = new Uint32Array(capacity);
    this.c = new Float64Array(capacity);
    this.tuples = new Float64Array(capacity);
    this.started = new Float64Array(capacity);
    this.packetsOut = new Float64Array(capacity);
    this.bytesOut = new Float64Array(capacity);
    this.packetsIn = new Float64Array(capacity);
    this.bytesIn = new Float64Array(capacity);
    this.first = new Float64Array(capacity);
    this.last = new Float64Array(capacity);
  }

  /** The row of key (a, b, c) — 32-bit, 32-bit, an integer below 2^53 — added when absent. */
  find(a: number, b: number, c: number): number {
    const mask = this.slots.length - 1;
    let i = hash(a, b, c) & mask;
    for (;;) {
      const slot = this.slots[i]!;
      if (slot === 0) break;
      const row = slot - 1;
      if (this.a[row] === a && this.b[row] === b && this.c[row] === c) return row;
      i = (i + 1) & mask;
    }
    const row = this.append();
    this.a[row] = a;
    this.b[row] = b;
    this.c[row] = c;
    if (this.slots.length !== mask + 1) this.place(row);
    else this.slots[i] = row + 1;
    return row;
  }

  /** A new row that is not found by key (its key is kept by the caller). */
  append(): number {
    if (this.size === this.capacity) this.grow();
    const row = this.size++;
    this.c[row] = -1;
    this.first[row] = Infinity;
    this.last[row] = -Infinity;
    return row;
  }

  private place(row: number): void {
    const mask = this.slots.length - 1;
    let i = hash(this.a[row]!, this.b[row]!, this.c[row]!) & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = row + 1;
  }

  private grow(): void {
    this.capacity *= 2;
    const bigger = <T extends Uint32Array | Float64Array>(old: T): T => {
      const next = new (old.constructor as new (n: number) => T)(this.capacity);
      next.set(old);
      return next;
    };
    this.a = bigger(this.a);
    this.b = bigger(this.b);
    this.c = bigger(this.c);
    this.tuples = bigger(this.tuples);
    this.started = bigger(this.started);
    this.packetsOut = bigger(this.packetsOut);
    this.bytesOut = bigger(this.bytesOut);
    this.packetsIn = bigger(this.packetsIn);
    this.bytesIn = bigger(this.bytesIn);
    this.first = bigger(this.first);
    this.last = bigger(this.last);
    // Rows appended without a key (c = -1) are not hashed.
    this.slots = new Int32Array(this.capacity * 2);
    for (let row = 0; row < this.size; row++) if (this.c[row]! >= 0) this.place(row);
  }
}

function hash(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15) ^ b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13) ^ (c % 4294967296), 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16) ^ Math.floor(c / 4294967296), 0x165667b1);
  return h ^ (h >>> 15);
}
