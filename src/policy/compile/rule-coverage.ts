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
import { FALSE, TRUE } from '../sets/unknowns';
import type { TrafficSet } from '../sets/traffic';
import type { CompiledRule } from './side-policy';

/** One subnet context of the NSG: its compiled rules (same order in every context) and local addresses. */
export interface CoverageContext {
  rules: readonly CompiledRule[];
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

/** A cell: one combination of address slices, as each rule's match there. */
interface Cell {
  match: Uint8Array;
}

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
  const removable = new Array<boolean>(n).fill(false);
  const coveredBy: number[][] = Array.from({ length: n }, () => []);
  if (contexts.length === 0 || n === 0)
    return {
      shadowed: shadowed.map(() => false),
      matchesNothing: shadowed.map(() => false),
      removable,
      coveredBy,
    };

  const atoms = new PortAtoms(contexts[0]!.rules.map((r) => r.traffic));
  const bits = contexts[0]!.rules.map((r) => atoms.encode(r.traffic));
  const W = atoms.words;
  const hasTraffic = bits.map((b) => b.some((w) => w !== 0));
  const cellsPer = contexts.map((ctx) => cellsOf(ctx, direction));

  // Forward: what each rule may decide per cell (its bits not surely taken earlier); shadowed iff never any.
  const decides: Uint32Array[][] = [];
  const empty = candidate.map(() => true);
  cellsPer.forEach((cells) => {
    const perCell: Uint32Array[] = [];
    for (const cell of cells) {
      const taken = new Uint32Array(W);
      const own = new Uint32Array(n * W);
      for (let i = 0; i < n; i++) {
        const m = cell.match[i]!;
        if (m === NONE) continue;
        const b = bits[i]!;
        let any = 0;
        for (let k = 0; k < W; k++) {
          const x = b[k]! & ~taken[k]!;
          own[i * W + k] = x;
          any |= x;
        }
        if (candidate[i] && hasTraffic[i]) empty[i] = false;
        if (any !== 0 && candidate[i]) shadowed[i] = false;
        if (m === SURE) for (let k = 0; k < W; k++) taken[k]! |= b[k]!;
      }
      perCell.push(own);
    }
    decides.push(perCell);
  });

  // Backward, lowest priority first: remove a rule when the reduced suffix decides its traffic alike.
  const suffix = cellsPer.map((cells) =>
    cells.map(() => ({ allow: new Uint32Array(W), deny: new Uint32Array(W) })),
  );
  const actionOf = contexts[0]!.rules.map((r) => r.action);
  for (let i = n - 1; i >= 0; i--) {
    const allow = actionOf[i] === 'allow';
    let redundant = candidate[i]! && actionOf[i] !== 'pass';
    for (let c = 0; c < cellsPer.length && redundant; c++) {
      const cells = cellsPer[c]!;
      for (let x = 0; x < cells.length && redundant; x++) {
        if (cells[x]!.match[i] === NONE) continue;
        const own = decides[c]![x]!;
        const s = suffix[c]![x]!;
        const same = allow ? s.allow : s.deny;
        const other = allow ? s.deny : s.allow;
        for (let k = 0; k < W; k++) {
          const d = own[i * W + k]!;
          if ((d & other[k]!) !== 0 || (d & ~same[k]!) !== 0) {
            redundant = false;
            break;
          }
        }
      }
    }
    if (redundant) {
      removable[i] = true;
      continue;
    }
    const b = bits[i]!;
    cellsPer.forEach((cells, c) =>
      cells.forEach((cell, x) => {
        const m = cell.match[i]!;
        if (m === NONE) return;
        const s = suffix[c]![x]!;
        const into = allow ? s.allow : s.deny;
        const away = allow ? s.deny : s.allow;
        for (let k = 0; k < W; k++) {
          into[k]! |= b[k]!;
          if (m === SURE) away[k]! &= ~b[k]!;
        }
      }),
    );
  }
  for (let i = 0; i < n; i++)
    if (shadowed[i] && !removable[i]) throw new Error('internal: a shadowed rule was kept');

  // Who decides the traffic of each removed rule: earlier sure matches (shadowed) or the reduced list.
  const kept = removable.map((r) => !r);
  const all = removable.map(() => true);
  cellsPer.forEach((cells) => {
    for (const cell of cells) {
      const full = owners(cell, bits, W, all);
      const reduced = owners(cell, bits, W, kept);
      for (let i = 0; i < n; i++) {
        if (!removable[i] || cell.match[i] === NONE) continue;
        const owner = shadowed[i] ? full : reduced;
        const b = bits[i]!;
        const found = coveredBy[i]!;
        for (let k = 0; k < W; k++) {
          let word = b[k]!;
          while (word !== 0) {
            const low = word & -word;
            const o = owner[k * 32 + (31 - Math.clz32(low))]!;
            if (o >= 0 && o !== i && !found.includes(o)) found.push(o);
            word ^= low;
          }
        }
      }
    }
  });
  for (const list of coveredBy) list.sort((a, b) => a - b);
  const matchesNothing = candidate.map((c, i) => c && empty[i]!);
  return { shadowed: shadowed.map((s, i) => s && !matchesNothing[i]), matchesNothing, removable, coveredBy };
}

/** Per port atom of a cell: the first rule (among `active`) that surely matches it, or -1. */
function owners(cell: Cell, bits: readonly Uint32Array[], W: number, active: readonly boolean[]): Int32Array {
  const owner = new Int32Array(W * 32).fill(-1);
  const taken = new Uint32Array(W);
  for (let i = 0; i < bits.length; i++) {
    if (!active[i] || cell.match[i] !== SURE) continue;
    const b = bits[i]!;
    for (let k = 0; k < W; k++) {
      let fresh = b[k]! & ~taken[k]!;
      taken[k]! |= fresh;
      while (fresh !== 0) {
        const low = fresh & -fresh;
        owner[k * 32 + (31 - Math.clz32(low))] = i;
        fresh ^= low;
      }
    }
  }
  return owner;
}

/** The address cells of a context: local slices (inside its subnets) × remote slices, deduplicated. */
function cellsOf(ctx: CoverageContext, direction: 'Inbound' | 'Outbound'): Cell[] {
  const localOf = (r: CompiledRule) => (direction === 'Outbound' ? r.src : r.dst);
  const remoteOf = (r: CompiledRule) => (direction === 'Outbound' ? r.dst : r.src);
  const localVectors = sliceVectors(ctx.rules.map(localOf), ctx.local);
  const remoteVectors = sliceVectors(ctx.rules.map(remoteOf), null);
  const n = ctx.rules.length;
  const seen = new Set<string>();
  const cells: Cell[] = [];
  for (const l of localVectors) {
    for (const r of remoteVectors) {
      const match = new Uint8Array(n);
      for (let i = 0; i < n; i++) match[i] = Math.min(l[i]!, r[i]!);
      const key = match.join('');
      if (seen.has(key)) continue;
      seen.add(key);
      cells.push({ match });
    }
  }
  return cells;
}

/**
 * The distinct match vectors of the slices of one address axis (within `within` when given): the axis
 * is cut at every edge of every rule's field, and each slice gets each rule's match there.
 */
function sliceVectors(fields: readonly SymbolicAddressSet[], within: Ipv4Set | null): Uint8Array[] {
  const cuts = new Set<number>([0]);
  const add = (lo: number, hi: number) => {
    cuts.add(lo);
    if (hi < IPV4_MAX) cuts.add(hi + 1);
  };
  if (within) for (const [lo, hi] of within.intervals()) add(lo, hi);
  for (const f of fields) for (const s of f.segments()) add(s.lo, s.hi);
  const starts = [...cuts].sort((a, b) => a - b);
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  for (const start of starts) {
    if (within && !within.has(start)) continue;
    const v = new Uint8Array(fields.length);
    for (let i = 0; i < fields.length; i++) {
      const m = fields[i]!.membership(start);
      v[i] = m === TRUE ? SURE : m === FALSE ? NONE : MAYBE;
    }
    const key = v.join('');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

/** The port space cut at every rule's port edges: TCP and UDP (source atom × destination atom), then ICMP. */
class PortAtoms {
  private readonly src: number[];
  private readonly dst: number[];
  readonly words: number;
  private readonly icmpBit: number;

  constructor(traffic: readonly TrafficSet[]) {
    const src = new Set<number>([0]);
    const dst = new Set<number>([0]);
    const add = (set: Set<number>, lo: number, hi: number) => {
      set.add(lo);
      if (hi < PORT_MAX) set.add(hi + 1);
    };
    for (const t of traffic) {
      for (const region of [t.tcp, t.udp]) {
        for (const [s, d] of region.layers) {
          for (const [lo, hi] of s.intervals()) add(src, lo, hi);
          for (const [lo, hi] of d.intervals()) add(dst, lo, hi);
        }
      }
    }
    this.src = [...src].sort((a, b) => a - b);
    this.dst = [...dst].sort((a, b) => a - b);
    this.icmpBit = 2 * this.src.length * this.dst.length;
    this.words = (this.icmpBit + 1 + 31) >>> 5;
  }

  encode(t: TrafficSet): Uint32Array {
    const bits = new Uint32Array(this.words);
    const S = this.src.length;
    const D = this.dst.length;
    [t.tcp, t.udp].forEach((region, p) => {
      for (const [srcSet, dstSet] of region.layers) {
        for (const [slo, shi] of srcSet.intervals()) {
          for (let s = this.src.indexOf(slo); s < S && this.src[s]! <= shi; s++) {
            for (const [dlo, dhi] of dstSet.intervals()) {
              for (let d = this.dst.indexOf(dlo); d < D && this.dst[d]! <= dhi; d++) {
                const c = (p * S + s) * D + d;
                bits[c >>> 5]! |= 1 << (c & 31);
              }
            }
          }
        }
      }
    });
    if (t.icmp) bits[this.icmpBit >>> 5]! |= 1 << (this.icmpBit & 31);
    return bits;
  }
}
