/**
 * A hash map from pairs of non-negative 32-bit integers to non-negative integers, in typed arrays
 * (open addressing, linear probing). Millions of entries without a JS object or a float key each.
 */
export class IntPairMap {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1 << 12) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.keysA = new Int32Array(cap).fill(-1);
    this.keysB = new Int32Array(cap);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** The value stored for (a, b), or -1. */
  get(a: number, b: number): number {
    let i = hash(a, b) & this.mask;
    for (;;) {
      const k = this.keysA[i]!;
      if (k === -1) return -1;
      if (k === a && this.keysB[i] === b) return this.values[i]!;
      i = (i + 1) & this.mask;
    }
  }

  set(a: number, b: number, value: number): void {
    if ((this.size + 1) * 2 > this.keysA.length) this.grow();
    let i = hash(a, b) & this.mask;
    for (;;) {
      const k = this.keysA[i]!;
      if (k === -1) {
        this.keysA[i] = a;
        this.keysB[i] = b;
        this.values[i] = value;
        this.size++;
        return;
      }
      if (k === a && this.keysB[i] === b) {
        this.values[i] = value;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Removes every entry (keeps the capacity). */
  clear(): void {
    if (this.size === 0) return;
    this.keysA.fill(-1);
    this.size = 0;
  }

  private grow(): void {
    const { keysA, keysB, values } = this;
    const cap = keysA.length * 2;
    this.keysA = new Int32Array(cap).fill(-1);
    this.keysB = new Int32Array(cap);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < keysA.length; i++) if (keysA[i] !== -1) this.set(keysA[i]!, keysB[i]!, values[i]!);
  }
}

function hash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}
