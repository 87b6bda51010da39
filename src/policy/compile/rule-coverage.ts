/**
 * Which custom rules of an NSG decide nothing (shadowed) and which can be removed without changing
 * any verdict (redundant), for one direction, exactly, by set algebra rather than per-flow work.
 *
 * The traffic an NSG side sees is local address (inside the subnets it applies to) × remote address
 * × (protocol, source port, destination port). Every rule boundary cuts both address axes into
 * slices that no rule tells apart, and the port space into atoms (as the side painter does), so a
 * rule is, per address cell, a bit set of port atoms that it matches surely (`T`), maybe (`M`: its
 * address fields depend on an unresolved service tag or ASG) or not at all.
 *
 * - Shadowed: in every cell where the rule may match, earlier rules that surely match cover all of
 *   its traffic, in every subnet context. Only sure matches cover, so coverage that depends on an
 *   unknown is never claimed.
 * - Removable set: rules are tried lowest priority first; a rule goes when, in every cell, the traffic
 *   it may decide (its traffic not surely taken by an earlier rule) is decided the same way by what
 *   follows it in the list as reduced so far (maybe-matches count as possible other outcomes). Each
 *   removal keeps the side's whole decision function, so the set can be removed together.
 *
 * Admin rules come before the NSG; ignoring them only adds traffic to check, so every claim stays true.
 */
import type { Ipv4Set } from '../../net/interval-set';
import { IPV4_MAX, PORT_MAX } from '../../net/interval-set';
import type { SymbolicAddressSet } from '../sets/address-sets';
import { TRUE } from '../sets/unknowns';
import { lastAtOrBelow, sortedDistinct } from '../../util/sorted-search';
import { sameNumbers } from '../../util/typed-arrays';
import type { TrafficSet } from '../sets/traffic';
/** A rule as coverage reads it: what it does with the traffic and addresses it matches. */
export interface CoverageRule {
  action: 'allow' | 'deny';
  traffic: TrafficSet;
  src: SymbolicAddressSet;
  dst: SymbolicAddressSet;
}

/** One subnet context of the NSG: its rules in evaluation order (the same in every context) and local addresses. */
export interface CoverageContext {
  rules: readonly CoverageRule[];
  local: Ipv4Set;
}

export interface CoverageAnswer {
  /** Per position: earlier rules decide all of its traffic in every context (only candidates). */
  shadowed: boolean[];
  /** Per position: a candidate that may match no traffic of the subnets at all (shadowed by nothing). */
  matchesNothing: boolean[];
  /** Per position: in the set that can be removed together (every shadowed rule is in it). */
  removable: boolean[];
  /**
   * Per removable position: the positions of the rules that surely decide its traffic — for a
   * shadowed rule the earlier rules of the full list, else the rules of the reduced list.
   */
  coveredBy: number[][];
}

const NONE = 0;
const MAYBE = 1;
const SURE = 2;

/**
 * Answers for one direction of one NSG. `candidate[i]` says whether position i may be reported
 * (custom rules the model fully evaluates); the others are only ever covering rules.
 */
export function ruleCoverage(
  contexts: readonly CoverageContext[],
  direction: 'Inbound' | 'Outbound',
  candidate: readonly boolean[],
): CoverageAnswer {
  const n = candidate.length;
  const shadowed = candidate.map((c) => c);
  const empty = candidate.map((c) => c);
  const removable = new Array<boolean>(n).fill(false);
  const coveredBy: number[][] = Array.from({ length: n }, () => []);
  if (contexts.length === 0 || n === 0)
    return { shadowed: removable.slice(), matchesNothing: removable.slice(), removable, coveredBy };

  const rules = contexts[0]!.rules;
  const atoms = new PortAtoms(rules.map((r) => r.traffic));
  const bits = rules.map((r) => atoms.encode(r.traffic));
  const W = atoms.words;
  // Each rule's bits are zero outside its words [lo, hi]: loops stay inside, `own` stores only those.
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  const offset = new Int32Array(n + 1);
  bits.forEach((b, i) => {
    let a = 0;
    while (a < W && b[a] === 0) a++;
    let z = W - 1;
    while (z > a && b[z] === 0) z--;
    lo[i] = a;
    hi[i] = a < W ? z : a - 1;
    offset[i + 1] = offset[i]! + (hi[i]! - lo[i]! + 1);
  });
  const stride = offset[n]!;
  // Cells of every context together: a cell is only its match vector, whichever subnet it came from.
  const match = cellMatches(contexts, direction, n);
  const C = match.length / n;

  // Forward: the traffic each rule may decide per cell (its bits not surely taken by an earlier rule).
  const own = scratch(C * stride);
  const taken = new Uint32Array(W);
  for (let c = 0; c < C; c++) {
    taken.fill(0);
    for (let i = 0; i < n; i++) {
      const m = match[c * n + i]!;
      if (m === NONE || lo[i]! > hi[i]!) continue;
      empty[i] = false;
      const b = bits[i]!;
      const at = c * stride + offset[i]! - lo[i]!;
      let any = 0;
      for (let k = lo[i]!; k <= hi[i]!; k++) {
        const x = b[k]! & ~taken[k]!;
        own[at + k] = x;
        any |= x;
      }
      if (any !== 0) shadowed[i] = false;
      if (m === SURE) for (let k = lo[i]!; k <= hi[i]!; k++) taken[k]! |= b[k]!;
    }
  }

  // Backward, lowest priority first: a rule goes when the reduced suffix decides its traffic alike.
  const canAllow = new Uint32Array(C * W);
  const canDeny = new Uint32Array(C * W);
  for (let i = n - 1; i >= 0; i--) {
    const action = rules[i]!.action;
    const same = action === 'allow' ? canAllow : canDeny;
    const other = action === 'allow' ? canDeny : canAllow;
    let redundant = candidate[i]!;
    for (let c = 0; c < C && redundant; c++) {
      if (match[c * n + i] === NONE) continue;
      const at = c * stride + offset[i]! - lo[i]!;
      const base = c * W;
      for (let k = lo[i]!; k <= hi[i]!; k++) {
        const d = own[at + k]!;
        if ((d & other[base + k]!) !== 0 || (d & ~same[base + k]!) !== 0) {
          redundant = false;
          break;
        }
      }
    }
    if (redundant) {
      removable[i] = true;
      continue;
    }
    const b = bits[i]!;
    for (let c = 0; c < C; c++) {
      const m = match[c * n + i]!;
      if (m === NONE) continue;
      const base = c * W;
      for (let k = lo[i]!; k <= hi[i]!; k++) {
        same[base + k]! |= b[k]!;
        if (m === SURE) other[base + k]! &= ~b[k]!;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (empty[i]) shadowed[i] = false;
    if (candidate[i] && (shadowed[i] || empty[i]) && !removable[i])
      throw new Error('internal: a rule that decides nothing was kept');
  }

  // Who decides the traffic of each removed rule: earlier sure matches (shadowed) or the reduced list.
  coverers(coveredBy, { match, n, C, W, bits, lo, hi, removable, shadowed });
  for (const list of coveredBy) list.sort((a, b) => a - b);
  return { shadowed, matchesNothing: empty, removable, coveredBy };
}

interface CoverInput {
  match: Uint8Array;
  n: number;
  C: number;
  W: number;
  bits: readonly Uint32Array[];
  lo: Int32Array;
  hi: Int32Array;
  removable: readonly boolean[];
  shadowed: readonly boolean[];
}

/** Fills `coveredBy[i]` for each removable rule i: the rules that surely decide its traffic. */
function coverers(coveredBy: number[][], input: CoverInput): void {
  const { match, n, C, W, bits, lo, hi, removable, shadowed } = input;
  // Per rule of the list walked: the bits it surely decides in the current cell (first sure match).
  const decided = new Uint32Array(n * W);
  const deciding = new Uint8Array(n);
  const taken = new Uint32Array(W);
  const known = new Uint8Array(n * n);
  // Only rules whose traffic overlaps a reported rule's can cover it: list those once.
  const overlapping: number[][] = bits.map((b, i) => {
    if (!removable[i]) return [];
    const out: number[] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const from = Math.max(lo[i]!, lo[j]!);
      const to = Math.min(hi[i]!, hi[j]!);
      for (let k = from; k <= to; k++) {
        if ((b[k]! & bits[j]![k]!) !== 0) {
          out.push(j);
          break;
        }
      }
    }
    return out;
  });
  for (const wantShadowed of [true, false]) {
    const asked = removable.map((r, i) => r && shadowed[i] === wantShadowed);
    if (!asked.includes(true)) continue;
    for (let c = 0; c < C; c++) {
      const row = c * n;
      let needed = false;
      for (let i = 0; i < n && !needed; i++) needed = asked[i]! && match[row + i] !== NONE;
      if (!needed) continue;
      // Shadowed rules are covered by the full list's earlier rules, the others by the reduced list.
      taken.fill(0);
      for (let j = 0; j < n; j++) {
        deciding[j] = 0;
        if (match[row + j] !== SURE || (!wantShadowed && removable[j])) continue;
        const b = bits[j]!;
        let any = 0;
        for (let k = lo[j]!; k <= hi[j]!; k++) {
          const x = b[k]! & ~taken[k]!;
          decided[j * W + k] = x;
          taken[k]! |= x;
          any |= x;
        }
        deciding[j] = any !== 0 ? 1 : 0;
      }
      for (let i = 0; i < n; i++) {
        if (!asked[i] || match[row + i] === NONE) continue;
        const b = bits[i]!;
        for (const j of overlapping[i]!) {
          if (deciding[j] === 0 || known[i * n + j] === 1) continue;
          const from = Math.max(lo[i]!, lo[j]!);
          const to = Math.min(hi[i]!, hi[j]!);
          for (let k = from; k <= to; k++) {
            if ((b[k]! & decided[j * W + k]!) !== 0) {
              known[i * n + j] = 1;
              coveredBy[i]!.push(j);
              break;
            }
          }
        }
      }
    }
  }
}

let scratchBuffer = new Uint32Array(1 << 16);
let cutScratch = new Float64Array(1 << 12);

/** A zeroed buffer of at least `size` words, reused between calls. */
function scratch(size: number): Uint32Array {
  if (scratchBuffer.length < size) scratchBuffer = new Uint32Array(Math.max(size, scratchBuffer.length * 2));
  const view = scratchBuffer.subarray(0, size);
  view.fill(0);
  return view;
}

/** Distinct rows of bytes, told apart by hash and confirmed by comparison (no string keys). */
class RowSet {
  private readonly byHash = new Map<number, Uint8Array[]>();
  readonly rows: Uint8Array[] = [];

  /** Adds a copy of the row unless an equal one is there. */
  add(row: Uint8Array): void {
    let h = 0x811c9dc5;
    for (let i = 0; i < row.length; i++) h = Math.imul(h ^ row[i]!, 0x01000193);
    let bucket = this.byHash.get(h);
    if (bucket) {
      for (const other of bucket) if (sameNumbers(other, row)) return;
    } else {
      bucket = [];
      this.byHash.set(h, bucket);
    }
    const copy = row.slice();
    bucket.push(copy);
    this.rows.push(copy);
  }
}

/**
 * The distinct cells of every context, as one flat matrix (cell c, rule i at c * n + i): local slices
 * (inside the context's subnets) × remote slices, each rule's match being the weaker of its two.
 */
function cellMatches(
  contexts: readonly CoverageContext[],
  direction: 'Inbound' | 'Outbound',
  n: number,
): Uint8Array {
  const cells = new RowSet();
  const cell = new Uint8Array(n);
  for (const ctx of contexts) {
    const local = sliceRows(
      ctx.rules.map((r) => (direction === 'Outbound' ? r.src : r.dst)),
      ctx.local,
    );
    const remote = sliceRows(
      ctx.rules.map((r) => (direction === 'Outbound' ? r.dst : r.src)),
      null,
    );
    for (const l of local) {
      for (const r of remote) {
        for (let i = 0; i < n; i++) cell[i] = l[i]! < r[i]! ? l[i]! : r[i]!;
        cells.add(cell);
      }
    }
  }
  const out = new Uint8Array(cells.rows.length * n);
  cells.rows.forEach((row, c) => out.set(row, c * n));
  return out;
}

/**
 * The distinct match rows of the slices of one address axis (within `within` when given): the axis is
 * cut at every edge of every field's membership segments, and each field painted over its slices.
 */
function sliceRows(fields: readonly SymbolicAddressSet[], within: Ipv4Set | null): Uint8Array[] {
  const n = fields.length;
  let size = 1;
  if (within) size += 2 * within.intervalCount;
  for (const f of fields) size += 2 * f.segments().length;
  if (cutScratch.length < size) cutScratch = new Float64Array(size * 2);
  const cutBuffer = cutScratch;
  let m = 1; // cutBuffer[0] = 0: the axis start
  const add = (lo: number, hi: number) => {
    cutBuffer[m++] = lo;
    if (hi < IPV4_MAX) cutBuffer[m++] = hi + 1;
  };
  if (within) for (const [a, b] of within.intervals()) add(a, b);
  for (const f of fields) for (const s of f.segments()) add(s.lo, s.hi);
  const starts = sortedDistinct(cutBuffer, m);
  const S = starts.length;
  const matrix = new Uint8Array(S * n);
  fields.forEach((f, i) => {
    for (const seg of f.segments()) {
      const value = seg.membership === TRUE ? SURE : MAYBE;
      const a = lastAtOrBelow(starts, seg.lo);
      const b = lastAtOrBelow(starts, seg.hi);
      for (let x = a; x <= b; x++) matrix[x * n + i] = value;
    }
  });
  const rows = new RowSet();
  for (let x = 0; x < S; x++) {
    if (within && !within.has(starts[x]!)) continue;
    rows.add(matrix.subarray(x * n, (x + 1) * n));
  }
  return rows.rows;
}

/** The port space cut at every rule's port edges: TCP and UDP (source atom × destination atom), then ICMP. */
class PortAtoms {
  private readonly src: number[];
  private readonly dst: number[];
  readonly words: number;
  private readonly icmpBit: number;

  constructor(traffic: readonly TrafficSet[]) {
    const edges = (pick: 0 | 1): number[] => {
      let size = 1;
      for (const t of traffic)
        for (const region of [t.tcp, t.udp])
          for (const layer of region.layers) size += 2 * layer[pick].intervalCount;
      const buf = new Int32Array(size); // buf[0] = 0: the axis start
      let m = 1;
      for (const t of traffic) {
        for (const region of [t.tcp, t.udp]) {
          for (const layer of region.layers) {
            const b = layer[pick].flatBounds();
            for (let i = 0; i < b.length; i += 2) {
              buf[m++] = b[i]!;
              if (b[i + 1]! < PORT_MAX) buf[m++] = b[i + 1]! + 1;
            }
          }
        }
      }
      return sortedDistinct(buf, m);
    };
    this.src = edges(0);
    this.dst = edges(1);
    this.icmpBit = 2 * this.src.length * this.dst.length;
    this.words = (this.icmpBit + 1 + 31) >>> 5;
  }

  encode(t: TrafficSet): Uint32Array {
    const bits = new Uint32Array(this.words);
    const S = this.src.length;
    const D = this.dst.length;
    [t.tcp, t.udp].forEach((region, p) => {
      for (const [srcSet, dstSet] of region.layers) {
        const sb = srcSet.flatBounds();
        const db = dstSet.flatBounds();
        for (let i = 0; i < sb.length; i += 2) {
          const s0 = lastAtOrBelow(this.src, sb[i]!);
          const s1 = lastAtOrBelow(this.src, sb[i + 1]!);
          for (let j = 0; j < db.length; j += 2) {
            const d0 = lastAtOrBelow(this.dst, db[j]!);
            const d1 = lastAtOrBelow(this.dst, db[j + 1]!);
            // Destination atoms are the fastest index: each source atom sets one run of bits.
            for (let s = s0; s <= s1; s++) setBits(bits, (p * S + s) * D + d0, (p * S + s) * D + d1);
          }
        }
      }
    });
    if (t.icmp) bits[this.icmpBit >>> 5]! |= 1 << (this.icmpBit & 31);
    return bits;
  }
}

/** Sets bits from..to (inclusive) of a bit set, a word at a time. */
function setBits(bits: Uint32Array, from: number, to: number): void {
  let w = from >>> 5;
  const last = to >>> 5;
  if (w === last) {
    bits[w]! |= mask(from & 31, to & 31);
    return;
  }
  bits[w]! |= mask(from & 31, 31);
  for (w++; w < last; w++) bits[w] = 0xffffffff;
  bits[last]! |= mask(0, to & 31);
}

/** Bits a..b (0 ≤ a ≤ b ≤ 31) of a word. */
function mask(a: number, b: number): number {
  const upTo = b === 31 ? 0xffffffff : (1 << (b + 1)) - 1;
  return (upTo & ~((1 << a) - 1)) >>> 0;
}
