/**
 * First-match evaluation of one side's policy (admin rules, then the NSG) over traffic, as bit sets.
 *
 * The ports the table's rules name cut the (protocol, source port, destination port) space into a few
 * cells; every traffic set of the table is then a short bit string, and applying a rule is a handful of
 * word operations instead of set algebra on objects. A rule either certainly matches the addresses in
 * question (`T`), or may match (`M`, when its match depends on an unknown that is not being
 * enumerated): a maybe-match adds its outcome to the possible outcomes without taking the traffic out
 * of the running. States are immutable and numbered; `step` returns the same number when nothing
 * changes. Results are turned back into `TrafficSet`s only for final states.
 */
import type { Decider, DeciderIdentity, TrafficSummary } from './decision';
import { IntervalSet, PORT_MAX, portDomain, type PortSet } from '../../net/interval-set';
import { PortRegion } from '../sets/port-region';
import type { CompiledRule, NsgLayer } from './side-policy';
import { lastAtOrBelow, sortedDistinct } from '../../util/sorted-search';
import { TrafficSet } from '../sets/traffic';
import { sameNumbers, withLength } from '../../util/typed-arrays';

export type Match = 'T' | 'M';

/** Shared instances of traffic sets (see TrafficInterner). */
export interface TrafficSharing {
  canonical(set: TrafficSet): TrafficSet;
  /** The shared set `TrafficSet.anySourcePort(tcpDst, udpDst, icmp)`. */
  anySourcePort(tcpDst: number[], udpDst: number[], icmp: boolean): TrafficSet;
}

/** Cuts of the port axis: atom i is [cuts[i], cuts[i+1] - 1] (the last one ends at 65535). */
function portCuts(sets: readonly PortSet[]): number[] {
  let size = 1;
  for (const set of sets) size += 2 * set.intervalCount;
  const buf = new Int32Array(size);
  let m = 1;
  for (const set of sets) {
    const b = set.flatBounds();
    for (let i = 0; i < b.length; i += 2) {
      buf[m++] = b[i]!;
      if (b[i + 1]! < PORT_MAX) buf[m++] = b[i + 1]! + 1;
    }
  }
  return sortedDistinct(buf, m);
}

function atomRange(cuts: number[], lo: number, hi: number): [number, number] {
  // Cuts include every set edge, so lo is a cut and hi + 1 is a cut (or the end).
  const a = lastAtOrBelow(cuts, lo);
  let e = a;
  while (e + 1 < cuts.length && cuts[e + 1]! <= hi) e++;
  return [a, e];
}

function identityKey(d: DeciderIdentity): string {
  return `${d.kind}:${d.ref}:${d.outcome}:${d.detail ?? ''}:${d.maybe ? 1 : 0}`;
}

export class SidePainter {
  private readonly srcCuts: number[];
  private readonly dstCuts: number[];
  /** Words per bit set. */
  private readonly words: number;
  private readonly icmpBit: number;
  private readonly ruleBits = new Map<CompiledRule, Uint32Array>();
  /** Per rule: the numbers (in `identityList`) of its sure and its maybe identity. */
  private readonly identities = new Map<CompiledRule, [number, number]>();
  private readonly identityList: DeciderIdentity[] = [];
  /** Per identity number, its `identityKey` (made when decidersOf first meets it). */
  private readonly identityKeys: (string | undefined)[] = [];
  /** The number of the missing NSG layer's identity, once made (see nsgLayerIdentity). */
  private nsgLayer = -1;
  /** Per state: [rem | canAllow | canDeny | canPass], `words` each. */
  private pool: Uint32Array;
  private count = 0;
  private readonly phase: number[] = [];
  private readonly deciderHead: number[] = [];
  /**
   * Decider entries, one linked list per state, in typed arrays (a table makes millions): entry e has
   * identity `entryIdentity[e]` (in identityList), the next entry `entryNext[e]` (-1 at the end), its
   * bits at `entryAt[e]` in deciderBits (-1 when the painter does not record traffic) and its content
   * hash `entryHashes[e]` (-1 until computed, see `entryHash`). They start small: explanations make
   * a painter per point and add a few entries.
   */
  private entryIdentity = new Int32Array(16);
  private entryNext = new Int32Array(16);
  private entryAt = new Int32Array(16);
  private entryHashes = new Int32Array(16);
  private entryCount = 0;
  private deciderBits: Uint32Array;
  private deciderBitsUsed = 0;
  private readonly tmp: Uint32Array[];
  private readonly converted = new Map<number, { bits: Uint32Array; set: TrafficSet }[]>();

  /**
   * @param withTraffic also record which traffic each rule decided (for explanations); tables only
   *   need which rules took part, which keeps them small.
   */
  constructor(
    rules: readonly CompiledRule[],
    private readonly nsg: NsgLayer,
    private readonly withTraffic: boolean,
    /** Where decoded traffic sets are shared (a store's interner), once per distinct bit pattern. */
    private readonly sharing: TrafficSharing | null = null,
  ) {
    const srcSets: PortSet[] = [];
    const dstSets: PortSet[] = [];
    for (const r of rules) {
      for (const region of [r.traffic.tcp, r.traffic.udp]) {
        for (const [s, d] of region.layers) {
          srcSets.push(s);
          dstSets.push(d);
        }
      }
    }
    this.srcCuts = portCuts(srcSets);
    this.dstCuts = portCuts(dstSets);
    const cells = 2 * this.srcCuts.length * this.dstCuts.length;
    this.icmpBit = cells;
    this.words = (cells + 1 + 31) >>> 5;
    this.pool = new Uint32Array(this.words * 4 * 64);
    this.deciderBits = new Uint32Array(this.words * 64);
    this.tmp = [0, 1, 2, 3, 4].map(() => new Uint32Array(this.words));
    // State 0: nothing decided, every cell still in the running.
    const full = new Uint32Array(this.words);
    for (let c = 0; c <= this.icmpBit; c++) full[c >>> 5]! |= 1 << (c & 31);
    const zero = new Uint32Array(this.words);
    this.push(0, full, zero, zero, zero, -1);
  }

  /** The number of the initial state. */
  readonly initial = 0;

  /** Applies one rule (or a group of equal-priority admin rules) to a state; returns the new state's number. */
  step(from: number, rules: readonly CompiledRule[], matches: readonly Match[]): number {
    const w = this.words;
    const base = from * 4 * w;
    const pool = this.pool;
    const [m, canAllow, canDeny, canPass, taken] = this.tmp as [
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
    ];
    let changed = false;
    let head = this.deciderHead[from]!;
    for (let i = 0; i < rules.length; i++) {
      const bits = this.bitsOf(rules[i]!);
      let any = 0;
      for (let k = 0; k < w; k++) {
        const x = pool[base + k]! & bits[k]!;
        m[k] = x;
        any |= x;
      }
      if (any === 0) continue;
      if (!changed) {
        changed = true;
        // Word loops, not subarray views: a view is an object, and this runs millions of times.
        for (let k = 0; k < w; k++) {
          canAllow[k] = pool[base + w + k]!;
          canDeny[k] = pool[base + 2 * w + k]!;
          canPass[k] = pool[base + 3 * w + k]!;
        }
        taken.fill(0);
      }
      const rule = rules[i]!;
      const into = rule.action === 'allow' ? canAllow : rule.action === 'deny' ? canDeny : canPass;
      for (let k = 0; k < w; k++) into[k]! |= m[k]!;
      if (matches[i] === 'T') for (let k = 0; k < w; k++) taken[k]! |= m[k]!;
      head = this.addDecider(this.identityOf(rule, matches[i]!), m, head);
    }
    if (!changed) return from;
    const rem = this.tmp[4]!; // reuse `taken` as the new remainder
    for (let k = 0; k < w; k++) rem[k] = this.pool[base + k]! & ~taken[k]!;
    return this.push(this.phase[from]!, rem, canAllow, canDeny, canPass, head);
  }

  /** Ends the admin layer: what may pass, and what no admin rule decided, goes to the NSG layer. */
  enterNsgLayer(from: number): number {
    const w = this.words;
    const base = from * 4 * w;
    const [toNsg, canAllow, canDeny] = this.tmp as [Uint32Array, Uint32Array, Uint32Array];
    let any = 0;
    for (let k = 0; k < w; k++) {
      const x = this.pool[base + k]! | this.pool[base + 3 * w + k]!;
      toNsg[k] = x;
      any |= x;
    }
    for (let k = 0; k < w; k++) {
      canAllow[k] = this.pool[base + w + k]!;
      canDeny[k] = this.pool[base + 2 * w + k]!;
    }
    let head = this.deciderHead[from]!;
    const zero = this.tmp[3]!.fill(0);
    if (this.nsg.kind === 'rules' || any === 0) return this.push(1, toNsg, canAllow, canDeny, zero, head);
    for (let k = 0; k < w; k++) canAllow[k]! |= toNsg[k]!;
    if (this.nsg.kind === 'none') {
      head = this.addDecider(this.nsgLayerIdentity(), toNsg, head);
    } else {
      for (let k = 0; k < w; k++) canDeny[k]! |= toNsg[k]!;
      head = this.addDecider(this.nsgLayerIdentity(), toNsg, head);
    }
    return this.push(1, zero, canAllow, canDeny, zero, head);
  }

  /** The certain and open traffic of each of several final states (one per assignment of the enumerated unknowns). */
  finish(ids: readonly number[]): { allow: TrafficSet; unknown: TrafficSet }[] {
    const w = this.words;
    // Scratch words: decode copies a pattern only when it is new.
    const [allow, unknown] = this.tmp as [Uint32Array, Uint32Array];
    const leaves = ids.map((id) => {
      const base = id * 4 * w;
      for (let k = 0; k < w; k++) {
        const a = this.pool[base + w + k]!;
        const d = this.pool[base + 2 * w + k]!;
        allow[k] = a & ~d;
        unknown[k] = a & d;
      }
      return { allow: this.decode(allow), unknown: this.decode(unknown) };
    });
    return leaves;
  }

  /**
   * What several final states (one per assignment of the unknowns) allow whatever the assignment, and
   * under at least one, decoded from their bits: building them as the intersection and union of the
   * leaves would cut and merge port regions again.
   */
  summary(ids: readonly number[]): TrafficSummary {
    const w = this.words;
    const [sure, possible] = this.tmp as [Uint32Array, Uint32Array];
    sure.fill(0xffffffff);
    possible.fill(0);
    for (const id of ids) {
      const base = id * 4 * w;
      for (let k = 0; k < w; k++) {
        const a = this.pool[base + w + k]!;
        sure[k]! &= a & ~this.pool[base + 2 * w + k]!;
        possible[k]! |= a;
      }
    }
    // Sure first, then possible: the order the store interned them in when it built them itself.
    const sureSet = this.decode(sure);
    return { sure: sureSet, possible: this.decode(possible) };
  }

  /**
   * The deciders of several final states with the traffic each decided, merged over the states: one per
   * (rule, outcome). Only for a painter made `withTraffic`.
   */
  decidersOf(ids: readonly number[]): Decider[] {
    if (!this.withTraffic) throw new Error('internal: this painter does not record decided traffic');
    const w = this.words;
    const merged = new Map<string, { decider: DeciderIdentity; bits: Uint32Array }>();
    for (const id of ids) {
      for (let e = this.deciderHead[id]!; e >= 0; e = this.entryNext[e]!) {
        const identity = this.entryIdentity[e]!;
        const decider = this.identityList[identity]!;
        const at = this.entryAt[e]!;
        // Merged by content, as explanations show them (one per rule and outcome).
        const key = (this.identityKeys[identity] ??= identityKey(decider));
        const found = merged.get(key);
        if (!found) merged.set(key, { decider, bits: this.deciderBits.slice(at, at + w) });
        else for (let k = 0; k < w; k++) found.bits[k]! |= this.deciderBits[at + k]!;
      }
    }
    return [...merged.values()].map((m) => withTraffic(m.decider, this.decode(m.bits)));
  }

  /**
   * A hash equal for final-state vectors that finish to equal decisions (same leaves, same deciders
   * with the same traffic), so the local keys of one table can share decisions; `sameContent`
   * confirms a match exactly.
   */
  contentHash(ids: readonly number[]): number {
    const w = this.words;
    let h = 0x811c9dc5;
    for (const id of ids) {
      const base = id * 4 * w;
      for (let k = w; k < 3 * w; k++) h = Math.imul(h ^ this.pool[base + k]!, 0x01000193);
      // Deciders as a set: an order-independent sum of their own hashes.
      let sum = 0;
      for (let e = this.deciderHead[id]!; e >= 0; e = this.entryNext[e]!) sum = (sum + this.entryHash(e)) | 0;
      h = Math.imul(h ^ sum, 0x01000193);
    }
    return h & 0x3fffffff;
  }

  /** Whether two final-state vectors finish to equal decisions (leaves and deciders compared exactly). */
  sameContent(a: readonly number[], b: readonly number[]): boolean {
    const w = this.words;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x = a[i]! * 4 * w;
      const y = b[i]! * 4 * w;
      for (let k = w; k < 3 * w; k++) if (this.pool[x + k] !== this.pool[y + k]) return false;
      const listA = this.entriesOf(a[i]!);
      const listB = this.entriesOf(b[i]!);
      if (listA.length !== listB.length) return false;
      for (let j = 0; j < listA.length; j++) if (!this.sameEntry(listA[j]!, listB[j]!)) return false;
    }
    return true;
  }

  private entriesOf(id: number): number[] {
    const out: number[] = [];
    for (let e = this.deciderHead[id]!; e >= 0; e = this.entryNext[e]!) out.push(e);
    return out.sort((x, y) => this.entryHash(x) - this.entryHash(y) || x - y);
  }

  private sameEntry(x: number, y: number): boolean {
    if (x === y) return true;
    const da = this.identityList[this.entryIdentity[x]!]!;
    const db = this.identityList[this.entryIdentity[y]!]!;
    if (
      da.kind !== db.kind ||
      da.ref !== db.ref ||
      da.outcome !== db.outcome ||
      da.detail !== db.detail ||
      da.maybe !== db.maybe
    )
      return false;
    const a = this.entryAt[x]!;
    const b = this.entryAt[y]!;
    if (a < 0 || b < 0) return a === b;
    for (let k = 0; k < this.words; k++)
      if (this.deciderBits[a + k] !== this.deciderBits[b + k]) return false;
    return true;
  }

  private entryHash(e: number): number {
    let hash = this.entryHashes[e]!;
    if (hash < 0) {
      const d = this.identityList[this.entryIdentity[e]!]!;
      const at = this.entryAt[e]!;
      let h =
        Math.imul(0x9747b28c ^ d.ref, 0x5bd1e995) ^
        (d.outcome.length * 31 + d.kind.length + (d.maybe ? 7 : 0));
      if (at >= 0)
        for (let k = 0; k < this.words; k++) h = Math.imul(h ^ this.deciderBits[at + k]!, 0x01000193);
      this.entryHashes[e] = hash = h & 0x3fffffff;
    }
    return hash;
  }

  /** A new entry of identity number `identity` before entry `next`; returns its number. */
  private addDecider(identity: number, bits: Uint32Array, next: number): number {
    const e = this.entryCount++;
    if (e === this.entryNext.length) {
      this.entryIdentity = withLength(this.entryIdentity, e + 1);
      this.entryNext = withLength(this.entryNext, e + 1);
      this.entryAt = withLength(this.entryAt, e + 1);
      this.entryHashes = withLength(this.entryHashes, e + 1);
    }
    this.entryIdentity[e] = identity;
    this.entryNext[e] = next;
    this.entryHashes[e] = -1;
    if (!this.withTraffic) {
      this.entryAt[e] = -1;
      return e;
    }
    const w = this.words;
    this.deciderBits = withLength(this.deciderBits, this.deciderBitsUsed + w);
    const at = this.deciderBitsUsed;
    this.deciderBits.set(bits, at);
    this.deciderBitsUsed += w;
    this.entryAt[e] = at;
    return e;
  }

  /** The identity that decides what reaches a missing NSG layer (no NSG, or a dangling one): one per painter. */
  private nsgLayerIdentity(): number {
    if (this.nsgLayer < 0)
      this.nsgLayer = this.identity(
        this.nsg.kind === 'dangling'
          ? { kind: 'dangling-nsg', ref: -1, outcome: 'unknown', detail: this.nsg.nsgId }
          : { kind: 'no-nsg', ref: -1, outcome: 'allow' },
      );
    return this.nsgLayer;
  }

  /** Numbers an identity (in identityList). */
  private identity(d: DeciderIdentity): number {
    this.identityList.push(d);
    return this.identityList.length - 1;
  }

  private push(
    phase: number,
    rem: Uint32Array,
    canAllow: Uint32Array,
    canDeny: Uint32Array,
    canPass: Uint32Array,
    head: number,
  ): number {
    const w = this.words;
    this.pool = withLength(this.pool, (this.count + 1) * 4 * w);
    const base = this.count * 4 * w;
    const pool = this.pool;
    // Word loops, not four TypedArray#set calls: a state is a few words, and a million states are made.
    for (let k = 0; k < w; k++) {
      pool[base + k] = rem[k]!;
      pool[base + w + k] = canAllow[k]!;
      pool[base + 2 * w + k] = canDeny[k]!;
      pool[base + 3 * w + k] = canPass[k]!;
    }
    this.phase.push(phase);
    this.deciderHead.push(head);
    return this.count++;
  }

  /**
   * The decider identity of a rule applied with a match, made once per (rule, match): steps run
   * millions of times and entries only read identities.
   */
  private identityOf(rule: CompiledRule, match: Match): number {
    let pair = this.identities.get(rule);
    if (pair === undefined) {
      // A maybe-match decides only if the unknown it depends on holds the address. (Literals, not a
      // spread of the sure one: an object spread takes V8's slow path, a microsecond for each of 200,000 rules.)
      pair = [
        this.identity({ kind: 'rule', ref: rule.ref, outcome: rule.action }),
        this.identity({ kind: 'rule', ref: rule.ref, outcome: rule.action, maybe: true }),
      ];
      this.identities.set(rule, pair);
    }
    return pair[match === 'T' ? 0 : 1];
  }

  /** A rule's bit set, encoded when first applied (many rules of a side never match where it is painted). */
  private bitsOf(rule: CompiledRule): Uint32Array {
    let bits = this.ruleBits.get(rule);
    if (bits === undefined) {
      bits = this.encode(rule.traffic);
      this.ruleBits.set(rule, bits);
    }
    return bits;
  }

  /** The bit set of a traffic set whose port edges are all cuts of this painter. */
  private encode(t: TrafficSet): Uint32Array {
    const bits = new Uint32Array(this.words);
    const S = this.srcCuts.length;
    const D = this.dstCuts.length;
    [t.tcp, t.udp].forEach((region, p) => {
      for (const [src, dst] of region.layers) {
        const sb = src.flatBounds();
        const db = dst.flatBounds();
        for (let i = 0; i < sb.length; i += 2) {
          const [s0, s1] = atomRange(this.srcCuts, sb[i]!, sb[i + 1]!);
          for (let j = 0; j < db.length; j += 2) {
            const [d0, d1] = atomRange(this.dstCuts, db[j]!, db[j + 1]!);
            for (let s = s0; s <= s1; s++) {
              for (let d = d0; d <= d1; d++) {
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

  /**
   * The destination ports set in one (protocol, source atom) row of a bit set, as canonical flat bounds
   * [lo, hi, …] (runs of set cells; a clear cell separates two runs, so they never touch).
   */
  private row(bits: Uint32Array, p: number, s: number): number[] {
    const S = this.srcCuts.length;
    const D = this.dstCuts.length;
    const dst: number[] = [];
    let open = -1;
    for (let d = 0; d <= D; d++) {
      const c = (p * S + s) * D + d;
      const on = d < D && (bits[c >>> 5]! & (1 << (c & 31))) !== 0;
      if (on && open < 0) open = d;
      else if (!on && open >= 0) {
        dst.push(this.dstCuts[open]!, d < D ? this.dstCuts[d]! - 1 : PORT_MAX);
        open = -1;
      }
    }
    return dst;
  }

  /**
   * One protocol's destination row when every source atom has the same one (flat bounds as `row`
   * gives them; empty when none is set), else null.
   */
  private uniformRow(bits: Uint32Array, p: number): number[] | null {
    const S = this.srcCuts.length;
    const D = this.dstCuts.length;
    const first = p * S * D;
    for (let s = 1; s < S; s++) {
      const other = (p * S + s) * D;
      for (let d = 0; d < D; d++) {
        const a = first + d;
        const b = other + d;
        if (((bits[a >>> 5]! >>> (a & 31)) & 1) !== ((bits[b >>> 5]! >>> (b & 31)) & 1)) return null;
      }
    }
    return this.row(bits, p, 0);
  }

  /**
   * One protocol's region of a bit set whose source atoms differ: source atoms with the same
   * destination row form one layer (PortRegion's canonical form: disjoint sources, distinct
   * destinations, ordered by first source port), built directly. Rows are told apart by a numeric
   * hash and compared bound by bound (no string key per row).
   */
  private layeredRegion(bits: Uint32Array, p: number): PortRegion {
    const S = this.srcCuts.length;
    const rows: { dst: number[]; src: number[] }[] = [];
    const byHash = new Map<number, { dst: number[]; src: number[] }[]>();
    for (let s = 0; s < S; s++) {
      const dst = this.row(bits, p, s);
      if (dst.length === 0) continue;
      let h = 0x811c9dc5;
      for (let i = 0; i < dst.length; i++) h = Math.imul(h ^ dst[i]!, 0x01000193);
      const lo = this.srcCuts[s]!;
      const hi = s + 1 < S ? this.srcCuts[s + 1]! - 1 : PORT_MAX;
      const bucket = byHash.get(h);
      const row = bucket?.find((r) => sameNumbers(r.dst, dst));
      if (!row) {
        const added = { dst, src: [lo, hi] };
        rows.push(added);
        if (bucket) bucket.push(added);
        else byHash.set(h, [added]);
      } else if (row.src[row.src.length - 1] === lo - 1) row.src[row.src.length - 1] = hi;
      else row.src.push(lo, hi);
    }
    const layers = rows.map(
      ({ dst, src }) =>
        [
          IntervalSet.fromCanonicalBounds(portDomain, src),
          IntervalSet.fromCanonicalBounds(portDomain, dst),
        ] as const,
    );
    layers.sort((a, b) => a[0].first()! - b[0].first()!);
    return PortRegion.fromCanonicalLayers(layers);
  }

  /** The traffic set of a bit set (canonical, so equal sets compare equal); memoized per bit pattern. */
  private decode(bits: Uint32Array): TrafficSet {
    let h = 0x811c9dc5;
    for (let k = 0; k < bits.length; k++) h = Math.imul(h ^ bits[k]!, 0x01000193);
    h &= 0x3fffffff;
    const bucket = this.converted.get(h);
    if (bucket) {
      for (const entry of bucket) if (sameNumbers(entry.bits, bits)) return entry.set;
    }
    const icmp = (bits[this.icmpBit >>> 5]! & (1 << (this.icmpBit & 31))) !== 0;
    let set: TrafficSet;
    const tcp = this.uniformRow(bits, 0);
    const udp = tcp === null ? null : this.uniformRow(bits, 1);
    if (tcp !== null && udp !== null) {
      // Every source port alike (most sets, even where a rule cuts the source ports): the destination
      // bounds name the set.
      set = this.sharing
        ? this.sharing.anySourcePort(tcp, udp, icmp)
        : TrafficSet.anySourcePort(tcp, udp, icmp);
    } else {
      const layered = new TrafficSet(this.layeredRegion(bits, 0), this.layeredRegion(bits, 1), icmp);
      set = this.sharing ? this.sharing.canonical(layered) : layered;
    }
    const entry = { bits: bits.slice(), set };
    if (bucket) bucket.push(entry);
    else this.converted.set(h, [entry]);
    return set;
  }
}

/**
 * A decider: its identity's fields in their order, then the traffic. Literals, not an object spread
 * (V8's slow path, about a microsecond each, and explanations make thousands).
 */
function withTraffic(d: DeciderIdentity, traffic: TrafficSet): Decider {
  const { kind, ref, outcome } = d;
  if (d.detail === undefined)
    return d.maybe ? { kind, ref, outcome, maybe: true, traffic } : { kind, ref, outcome, traffic };
  return d.maybe
    ? { kind, ref, outcome, detail: d.detail, maybe: true, traffic }
    : { kind, ref, outcome, detail: d.detail, traffic };
}
