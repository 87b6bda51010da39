/**
 * Decisions: what one side's policy does with the traffic between a pair of address slices, as a
 * function of the unknown memberships it depends on. Decisions are hash-consed (equal content → the
 * same object and id), so comparing and memoizing them is cheap.
 */
import { IntList } from '../../util/int-list';
import { IntPairMap } from '../../util/int-pair-map';
import { HashPool } from '../../util/hash-pool';
import type { PortSet } from '../../net/interval-set';
import type { PortRegion } from '../sets/port-region';
import { TrafficSet } from '../sets/traffic';

/** Why (part of) a decision is what it is. */
export type DeciderKind =
  'rule' | 'no-nsg' | 'dangling-nsg' | 'unknown-location' | 'no-policy' | 'public-ports';

export interface Decider {
  kind: DeciderKind;
  /** For `rule`: index into the compiler's rule refs; otherwise -1. */
  ref: number;
  /** `pass` = an admin `Allow` rule handing the traffic to the NSG. */
  outcome: 'allow' | 'deny' | 'pass' | 'unknown';
  traffic: TrafficSet;
  /** For `dangling-nsg` / `unknown-location`: the resource it is about; for `public-ports`: the port list. */
  detail?: string;
  /** True when the rule only may have matched (its match depends on an unknown, e.g. an unresolved tag). */
  maybe?: true;
}

/** A decider without its traffic: which rule (or pseudo-rule) took part, and how. */
export type DeciderIdentity = Omit<Decider, 'traffic'>;

/** Under one assignment of the unknowns: traffic certainly allowed, and traffic whose fate is still open. */
export interface Leaf {
  allow: TrafficSet;
  unknown: TrafficSet;
}

export interface Decision {
  id: number;
  /** Id of the decision's content without its deciders: decisions that treat traffic alike share it. */
  traffic: number;
  /** Variables (see unknowns.ts `variable`) the decision depends on, ascending. */
  vars: readonly number[];
  /** One leaf per assignment: bit i of the index is the value of vars[i]. */
  leaves: readonly Leaf[];
  /**
   * The deciders with the traffic each decided. For side-table decisions they are computed on first
   * use, at one address pair where the decision holds (tables keep only `rules`, which is much smaller).
   */
  readonly deciders: readonly Decider[];
  /** The deciders, without keeping them when they were not kept yet (for one pass over many decisions). */
  decidersOnce(): readonly Decider[];
  /** Allowed whatever the unknowns are. */
  sure: TrafficSet;
  /** Allowed under at least one assignment (or open). */
  possible: TrafficSet;
}

/** A decision's traffic allowed whatever the unknowns are (`sure`) and under at least one assignment (`possible`). */
export interface TrafficSummary {
  sure: TrafficSet;
  possible: TrafficSet;
}

/** What a pair of sides lets through: certainly allowed traffic, and traffic whose verdict is unknown. */
export interface PairTraffic {
  allow: TrafficSet;
  unknown: TrafficSet;
}

/** The result for a pair of sides: its traffic, and the two side decisions (for the rules that decide it). */
export interface PairResult extends PairTraffic {
  id: number;
  out: Decision;
  in: Decision;
}

/**
 * Interns traffic sets: equal sets get the same small integer and the same instance, so decisions
 * share their traffic objects instead of holding copies. The kept instance is rebuilt from shared port
 * regions and port sets (the same port lists recur across many NSGs), which keeps large estates small.
 */
export class TrafficInterner {
  private readonly pool = new HashPool<TrafficSet>();
  private readonly regions = new HashPool<PortRegion>();
  private readonly portSets = new HashPool<PortSet>();
  private readonly ids = new Map<TrafficSet, number>();
  /** Canonical sets made by `anySourcePort`, by a hash of their destination bounds. */
  private readonly byDestinationBounds = new Map<number, TrafficSet[]>();
  readonly sets: TrafficSet[] = [];

  /** The canonical instance equal to `set`. */
  canonical(set: TrafficSet): TrafficSet {
    return this.sets[this.id(set)]!;
  }

  /**
   * The canonical instance equal to `TrafficSet.anySourcePort(tcpDst, udpDst, icmp)`, found by its
   * bounds: side tables decode hundreds of thousands of such sets, most of them already interned,
   * and this builds none of them twice.
   */
  anySourcePort(tcpDst: number[], udpDst: number[], icmp: boolean): TrafficSet {
    let h = Math.imul(0x811c9dc5 ^ tcpDst.length, 0x01000193) ^ (icmp ? 1 : 0);
    for (let i = 0; i < tcpDst.length; i++) h = Math.imul(h ^ tcpDst[i]!, 0x01000193);
    h = Math.imul(h ^ udpDst.length, 0x01000193);
    for (let i = 0; i < udpDst.length; i++) h = Math.imul(h ^ udpDst[i]!, 0x01000193);
    h &= 0x3fffffff;
    const bucket = this.byDestinationBounds.get(h);
    if (bucket !== undefined)
      for (const set of bucket)
        if (set.icmp === icmp && anySourceHas(set.tcp, tcpDst) && anySourceHas(set.udp, udpDst)) return set;
    const set = this.canonical(TrafficSet.anySourcePort(tcpDst, udpDst, icmp));
    if (bucket) bucket.push(set);
    else this.byDestinationBounds.set(h, [set]);
    return set;
  }

  id(set: TrafficSet): number {
    const known = this.ids.get(set);
    if (known !== undefined) return known;
    const shared = this.pool.intern(set, (s) => this.share(s));
    let id = this.ids.get(shared);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(shared);
      this.ids.set(shared, id);
    }
    return id;
  }

  private share(set: TrafficSet): TrafficSet {
    const tcp = this.region(set.tcp);
    const udp = this.region(set.udp);
    return tcp === set.tcp && udp === set.udp ? set : new TrafficSet(tcp, udp, set.icmp);
  }

  private region(r: PortRegion): PortRegion {
    return this.regions.intern(r, (x) =>
      x.withSharedSets((s) => this.portSets.intern(s, (p) => p.compact())),
    );
  }
}

/** Whether a region is every source port × the destination ports of flat canonical bounds. */
function anySourceHas(region: PortRegion, dst: readonly number[]): boolean {
  if (dst.length === 0) return region.isEmpty;
  if (region.layers.length !== 1) return false;
  const [src, dstSet] = region.layers[0]!;
  return src.isFull && dstSet.hasBounds(dst);
}

/** Drops the variables a decision does not depend on (leaves equal whatever their value); leaves hold canonical traffic. */
function minimize(vars: readonly number[], leaves: readonly Leaf[]): [number[], Leaf[]] {
  const v = [...vars];
  let l = [...leaves];
  if (v.length === 0) return [v, l];
  const same = (a: Leaf, b: Leaf) => a.allow === b.allow && a.unknown === b.unknown;
  for (let i = v.length - 1; i >= 0; i--) {
    const bit = 1 << i;
    let irrelevant = true;
    for (let m = 0; m < l.length && irrelevant; m++) {
      if (m & bit) continue;
      if (!same(l[m]!, l[m | bit]!)) irrelevant = false;
    }
    if (!irrelevant) continue;
    const next: Leaf[] = [];
    for (let m = 0; m < l.length; m++) {
      if (m & bit) continue;
      // Re-pack the index without bit i.
      next[(m & (bit - 1)) | ((m >> (i + 1)) << i)] = l[m]!;
    }
    v.splice(i, 1);
    l = next;
  }
  return [v, l];
}

const KIND_CODE: Record<DeciderKind, number> = {
  rule: 1,
  'no-nsg': 2,
  'dangling-nsg': 3,
  'unknown-location': 4,
  'no-policy': 5,
  'public-ports': 6,
};
const OUTCOME_CODE = { allow: 1, deny: 2, pass: 3, unknown: 4 } as const;

function compareDeciders(a: Decider, b: Decider): number {
  return (
    KIND_CODE[a.kind] - KIND_CODE[b.kind] ||
    a.ref - b.ref ||
    OUTCOME_CODE[a.outcome] - OUTCOME_CODE[b.outcome] ||
    (a.maybe ? 1 : 0) - (b.maybe ? 1 : 0) ||
    (a.detail ?? '').localeCompare(b.detail ?? '')
  );
}

function mixHash(h: number, x: number): number {
  return Math.imul(h ^ x, 0x01000193) & 0x3fffffff;
}

function sameDecision(d: Decision, vars: number[], leaves: Leaf[], deciders: Decider[]): boolean {
  if (
    d.vars.length !== vars.length ||
    d.leaves.length !== leaves.length ||
    d.deciders.length !== deciders.length
  )
    return false;
  for (let i = 0; i < vars.length; i++) if (d.vars[i] !== vars[i]) return false;
  for (let i = 0; i < leaves.length; i++) {
    if (d.leaves[i]!.allow !== leaves[i]!.allow || d.leaves[i]!.unknown !== leaves[i]!.unknown) return false;
  }
  for (let i = 0; i < deciders.length; i++) {
    const a = d.deciders[i]!;
    const b = deciders[i]!;
    if (
      a.kind !== b.kind ||
      a.ref !== b.ref ||
      a.outcome !== b.outcome ||
      a.detail !== b.detail ||
      a.maybe !== b.maybe ||
      !a.traffic.equals(b.traffic)
    )
      return false;
  }
  return true;
}

/** A decision as the store keeps it: a fixed shape, with the deciders computed on first use. */
class StoredDecision implements Decision {
  private explained: readonly Decider[] | undefined;

  constructor(
    readonly id: number,
    readonly traffic: number,
    readonly vars: readonly number[],
    readonly leaves: readonly Leaf[],
    readonly sure: TrafficSet,
    readonly possible: TrafficSet,
    private explain: (() => readonly Decider[]) | null,
  ) {}

  get deciders(): readonly Decider[] {
    if (this.explained === undefined) {
      this.explained = this.explain!();
      this.explain = null;
    }
    return this.explained;
  }

  decidersOnce(): readonly Decider[] {
    return this.explained ?? this.explain!();
  }
}

/** Interns decisions and memoizes pair results. */
export class DecisionStore {
  readonly decisions: Decision[] = [];
  readonly traffic = new TrafficInterner();
  private readonly buckets = new Map<number, Decision[]>();
  /** Content ids: of plain decisions by (allow id, unknown id), of the others by a text key. */
  private readonly plainContentIds = new IntPairMap(1 << 12);
  private readonly contentIds = new Map<string, number>();
  private contentCount = 0;
  private readonly trafficMeet = new IntPairMap();
  /** Whether the meet of two decisions' traffic (by traffic id) lets anything through: 1 or 0. */
  private readonly openMemo = new IntPairMap();
  private readonly pairTraffic: PairTraffic[] = [];
  private readonly pairMemo = new IntPairMap(1 << 16);
  private readonly pairOut = new IntList();
  private readonly pairIn = new IntList();
  private readonly pairTrafficId = new IntList();
  /**
   * Per decision id, how its `possible` traffic looks, for quick open/closed tests in bulk: 0 = nothing,
   * 1 = everything, 2 = TCP/UDP destination ports for any source port (bounds in `portBounds`),
   * 4 = other port shapes.
   */
  private shape = new Uint8Array(1024);
  /** Per decision id: its variables folded into 32 bits (decisions whose masks are disjoint share none). */
  private varMask = new Int32Array(1024);
  /** Per decision id: bit 0 / bit 1 set when its possible TCP / UDP region pairs ports by source port. */
  private layered = new Uint8Array(1024);
  private icmp = new Uint8Array(1024);
  private tcpAt = new Int32Array(1024);
  private udpAt = new Int32Array(1024);
  private readonly portBounds = new IntList(1 << 16);

  /**
   * The interned decision for these leaves and deciders (equal content → the same decision), after
   * dropping variables it does not depend on. For the few decisions the engine makes itself (no
   * policy, unknown location, public ports); side tables use `create`.
   */
  intern(vars: readonly number[], leaves: readonly Leaf[], deciders: readonly Decider[]): Decision {
    const [v, l] = minimize(vars, this.canonicalLeaves(leaves));
    const ds = [...deciders].sort(compareDeciders);
    let h = this.contentHash(v, l);
    for (const d of ds) {
      h = mixHash(
        mixHash(mixHash(mixHash(h, KIND_CODE[d.kind]), d.ref), OUTCOME_CODE[d.outcome] + (d.maybe ? 8 : 0)),
        d.traffic.hash(),
      );
    }
    const bucket = this.buckets.get(h);
    if (bucket) for (const other of bucket) if (sameDecision(other, v, l, ds)) return other;
    const decision = this.add(v, l, () => ds);
    if (bucket) bucket.push(decision);
    else this.buckets.set(h, [decision]);
    return decision;
  }

  /**
   * A new decision, without looking for an equal one (side tables share decisions between subnets with
   * the same policy themselves). `explain` computes the deciders with their traffic when first asked.
   */
  create(
    vars: readonly number[],
    leaves: readonly Leaf[],
    explain: () => readonly Decider[],
    /** The decision's `sure` and `possible` traffic, when the caller has them already (canonical). */
    summary?: TrafficSummary,
  ): Decision {
    const [v, l] = minimize(vars, this.canonicalLeaves(leaves));
    return this.add(v, l, explain, summary);
  }

  private canonicalLeaves(leaves: readonly Leaf[]): Leaf[] {
    return leaves.map((leaf) => ({
      allow: this.traffic.canonical(leaf.allow),
      unknown: this.traffic.canonical(leaf.unknown),
    }));
  }

  private contentHash(v: readonly number[], l: readonly Leaf[]): number {
    let h = 0x811c9dc5;
    for (const x of v) h = mixHash(h, x);
    for (const leaf of l) h = mixHash(mixHash(h, this.traffic.id(leaf.allow)), this.traffic.id(leaf.unknown));
    return h;
  }

  private add(v: number[], l: Leaf[], explain: () => readonly Decider[], summary?: TrafficSummary): Decision {
    const t = this.traffic;
    // Decisions that treat traffic alike (same variables and leaves) share a traffic id for the meet memo.
    let traffic: number;
    if (v.length === 0) {
      const allowId = t.id(l[0]!.allow);
      const unknownId = t.id(l[0]!.unknown);
      traffic = this.plainContentIds.get(allowId, unknownId);
      if (traffic < 0) {
        traffic = this.contentCount++;
        this.plainContentIds.set(allowId, unknownId, traffic);
      }
    } else {
      const contentKey = `${v.join(',')}:${l.map((leaf) => `${t.id(leaf.allow)}/${t.id(leaf.unknown)}`).join(',')}`;
      const known = this.contentIds.get(contentKey);
      traffic = known ?? this.contentCount++;
      if (known === undefined) this.contentIds.set(contentKey, traffic);
    }
    let sure = summary?.sure ?? l[0]!.allow;
    let possible = summary?.possible ?? l[0]!.allow.union(l[0]!.unknown);
    // Leaves hold canonical sets and repeat a lot across assignments: fold each distinct one once.
    if (summary === undefined && l.length > 1) {
      const folded = new Map<TrafficSet, TrafficSet[]>([[l[0]!.allow, [l[0]!.unknown]]]);
      for (let i = 1; i < l.length; i++) {
        const { allow, unknown } = l[i]!;
        const unknowns = folded.get(allow);
        if (unknowns?.includes(unknown)) continue;
        if (unknowns) unknowns.push(unknown);
        else {
          folded.set(allow, [unknown]);
          sure = sure.intersect(allow);
          possible = possible.union(allow);
        }
        possible = possible.union(unknown);
      }
    }
    const decision = new StoredDecision(
      this.decisions.length,
      traffic,
      v,
      l,
      t.canonical(sure),
      t.canonical(possible),
      explain,
    );
    this.decisions.push(decision);
    this.recordShape(decision);
    return decision;
  }

  private recordShape(d: Decision): void {
    const id = d.id;
    if (id >= this.shape.length) {
      const n = this.shape.length * 2;
      const grow8 = (a: Uint8Array) => {
        const b = new Uint8Array(n);
        b.set(a);
        return b;
      };
      const grow32 = (a: Int32Array) => {
        const b = new Int32Array(n);
        b.set(a);
        return b;
      };
      this.shape = grow8(this.shape);
      this.varMask = grow32(this.varMask);
      this.layered = grow8(this.layered);
      this.icmp = grow8(this.icmp);
      this.tcpAt = grow32(this.tcpAt);
      this.udpAt = grow32(this.udpAt);
    }
    const p = d.possible;
    this.icmp[id] = p.icmp ? 1 : 0;
    let mask = 0;
    for (const v of d.vars) mask |= 1 << (v & 31);
    this.varMask[id] = mask;
    if (p.isEmpty) this.shape[id] = 0;
    else if (p.isAll) this.shape[id] = 1;
    else {
      const simple = (r: typeof p.tcp) => r.isEmpty || (r.layers.length === 1 && r.layers[0]![0].isFull);
      this.layered[id] = (simple(p.tcp) ? 0 : 1) | (simple(p.udp) ? 0 : 2);
      this.shape[id] = this.layered[id] === 0 ? 2 : 4;
      // Destination ports paired with some source port: the whole set for a simple region.
      const store = (r: typeof p.tcp): number => {
        const at = this.portBounds.length;
        const b = r.destinationPorts().flatBounds();
        this.portBounds.push(b.length / 2);
        for (let i = 0; i < b.length; i++) this.portBounds.push(b[i]!);
        return at;
      };
      this.tcpAt[id] = store(p.tcp);
      this.udpAt[id] = store(p.udp);
    }
  }

  /**
   * Whether traffic may pass between an outbound and an inbound decision (by id). Exact: decisions that
   * may share an unknown variable go through the full meet; otherwise some assignment lets traffic
   * pass iff their `possible` sets overlap (checked on bounds, or on the regions for unusual shapes).
   */
  mayPass(outId: number, inId: number): boolean {
    const a = this.shape[outId]!;
    const b = this.shape[inId]!;
    if (a === 0 || b === 0) return false;
    if ((this.varMask[outId]! & this.varMask[inId]!) !== 0)
      return this.mayPassWithUnknowns(this.decisions[outId]!, this.decisions[inId]!);
    if (a === 1 || b === 1) return true;
    if (this.icmp[outId] === 1 && this.icmp[inId] === 1) return true;
    // Per protocol, where one side pairs its destination ports with every source port, the regions
    // overlap iff their destination ports do; only two layered regions need the full test.
    const bothLayered = this.layered[outId]! & this.layered[inId]!;
    let full = false;
    if (this.boundsOverlap(this.tcpAt[outId]!, this.tcpAt[inId]!)) {
      if ((bothLayered & 1) === 0) return true;
      full = true;
    }
    if (this.boundsOverlap(this.udpAt[outId]!, this.udpAt[inId]!)) {
      if ((bothLayered & 2) === 0) return true;
      full = true;
    }
    return full && this.mayPassIrregular(this.decisions[outId]!, this.decisions[inId]!);
  }

  /**
   * `mayPass` for decisions that depend on unknowns: the meet is computed but only its emptiness is
   * kept (all-pairs asks this for hundreds of thousands of pairs whose traffic nobody reads).
   */
  private mayPassWithUnknowns(out: Decision, inbound: Decision): boolean {
    const known = this.trafficMeet.get(out.traffic, inbound.traffic);
    if (known >= 0) {
      const t = this.pairTraffic[known]!;
      return !t.allow.isEmpty || !t.unknown.isEmpty;
    }
    let open = this.openMemo.get(out.traffic, inbound.traffic);
    if (open < 0) {
      open = meetMayPass(out, inbound) ? 1 : 0;
      this.openMemo.set(out.traffic, inbound.traffic, open);
    }
    return open === 1;
  }

  /** `mayPass` for two layered port shapes: an overlap test, memoized on their traffic ids. */
  private mayPassIrregular(out: Decision, inbound: Decision): boolean {
    let open = this.openMemo.get(out.traffic, inbound.traffic);
    if (open < 0) {
      open = out.possible.overlaps(inbound.possible) ? 1 : 0;
      this.openMemo.set(out.traffic, inbound.traffic, open);
    }
    return open === 1;
  }

  private boundsOverlap(x: number, y: number): boolean {
    const b = this.portBounds;
    const nx = b.get(x);
    const ny = b.get(y);
    let i = 0;
    let j = 0;
    while (i < nx && j < ny) {
      const xlo = b.get(x + 1 + 2 * i);
      const xhi = b.get(x + 2 + 2 * i);
      const ylo = b.get(y + 1 + 2 * j);
      const yhi = b.get(y + 2 + 2 * j);
      if (xhi < ylo) i++;
      else if (yhi < xlo) j++;
      else return true;
    }
    return false;
  }

  /** A decision with no unknowns. */
  plain(allow: TrafficSet, unknown: TrafficSet, deciders: readonly Decider[]): Decision {
    return this.intern([], [{ allow, unknown }], deciders);
  }

  /** How many distinct pair results exist so far. */
  get pairCount(): number {
    return this.pairOut.length;
  }

  /** What two side decisions let through together (memoized on their traffic, not their deciders). */
  trafficBetween(out: Decision, inbound: Decision): PairTraffic {
    let t = this.trafficMeet.get(out.traffic, inbound.traffic);
    if (t < 0) {
      t = this.pairTraffic.length;
      // Canonical sets: millions of pairs meet to far fewer distinct results, which are then shared.
      const met = meetTraffic(out, inbound);
      this.pairTraffic.push({
        allow: this.traffic.canonical(met.allow),
        unknown: this.traffic.canonical(met.unknown),
      });
      this.trafficMeet.set(out.traffic, inbound.traffic, t);
    }
    return this.pairTraffic[t]!;
  }

  /** The id of the pair result of two side decisions (see `meet`), without building an object. */
  meetId(out: Decision, inbound: Decision): number {
    let id = this.pairMemo.get(out.id, inbound.id);
    if (id >= 0) return id;
    this.trafficBetween(out, inbound);
    const t = this.trafficMeet.get(out.traffic, inbound.traffic);
    id = this.pairOut.length;
    this.pairOut.push(out.id);
    this.pairIn.push(inbound.id);
    this.pairTrafficId.push(t);
    this.pairMemo.set(out.id, inbound.id, id);
    return id;
  }

  /** What a pair result lets through (cheap: no object per pair). */
  trafficOf(pairId: number): PairTraffic {
    return this.pairTraffic[this.pairTrafficId.get(pairId)]!;
  }

  /** The pair result with this id. */
  pair(pairId: number): PairResult {
    const t = this.trafficOf(pairId);
    return {
      id: pairId,
      allow: t.allow,
      unknown: t.unknown,
      out: this.decisions[this.pairOut.get(pairId)]!,
      in: this.decisions[this.pairIn.get(pairId)]!,
    };
  }

  /**
   * Combines the source side's outbound decision with the destination side's inbound decision:
   * under each joint assignment of their unknowns a point is allowed iff both sides allow it.
   */
  meet(out: Decision, inbound: Decision): PairResult {
    return this.pair(this.meetId(out, inbound));
  }
}

/**
 * Whether some assignment of the variables lets some traffic possibly pass both sides — the meet's
 * `allow ∪ unknown` is not empty — without building it. Sides that share no variable are independent,
 * so their `possible` sets decide; shared variables are enumerated jointly.
 */
function meetMayPass(out: Decision, inbound: Decision): boolean {
  if (!out.possible.overlaps(inbound.possible)) return false;
  if (!out.vars.some((v) => inbound.vars.includes(v))) return true;
  const vars = [...new Set([...out.vars, ...inbound.vars])].sort((x, y) => x - y);
  const outBits = out.vars.map((v) => vars.indexOf(v));
  const inBits = inbound.vars.map((v) => vars.indexOf(v));
  const leafAt = (bits: number[], mask: number) =>
    bits.reduce((m, bit, i) => m | (((mask >> bit) & 1) << i), 0);
  for (let mask = 0; mask < 1 << vars.length; mask++) {
    const a = out.leaves[leafAt(outBits, mask)]!;
    const b = inbound.leaves[leafAt(inBits, mask)]!;
    if (
      a.allow.overlaps(b.allow) ||
      a.allow.overlaps(b.unknown) ||
      a.unknown.overlaps(b.allow) ||
      a.unknown.overlaps(b.unknown)
    )
      return true;
  }
  return false;
}

/** Whether two variable lists (ten entries at most each) have a variable in common. */
function shareVariable(a: readonly number[], b: readonly number[]): boolean {
  for (const v of a) if (b.includes(v)) return true;
  return false;
}

function meetTraffic(out: Decision, inbound: Decision): PairTraffic {
  if (out.vars.length === 0 && inbound.vars.length === 0) {
    // Without variables, `sure` is the allowed traffic and `possible` adds the open part.
    const allow = out.sure.intersect(inbound.sure);
    if (out.leaves[0]!.unknown.isEmpty && inbound.leaves[0]!.unknown.isEmpty)
      return { allow, unknown: TrafficSet.none };
    return { allow, unknown: out.possible.intersect(inbound.possible).subtract(allow) };
  }
  if (!shareVariable(out.vars, inbound.vars)) {
    // Independent unknowns: every leaf of one side meets every leaf of the other, so the intersection
    // over assignments is sure ∩ sure and the union is possible ∩ possible (∩ distributes over ∪).
    const allow = out.sure.intersect(inbound.sure);
    return { allow, unknown: out.possible.intersect(inbound.possible).subtract(allow) };
  }
  const vars = [...new Set([...out.vars, ...inbound.vars])].sort((x, y) => x - y);
  const project = (own: readonly number[], mask: number) => {
    let m = 0;
    own.forEach((v, i) => {
      if (mask & (1 << vars.indexOf(v))) m |= 1 << i;
    });
    return m;
  };
  let allow = TrafficSet.all;
  let possible = TrafficSet.none;
  for (let mask = 0; mask < 1 << vars.length; mask++) {
    const a = out.leaves[project(out.vars, mask)]!;
    const b = inbound.leaves[project(inbound.vars, mask)]!;
    allow = allow.intersect(a.allow.intersect(b.allow));
    possible = possible.union(a.allow.union(a.unknown).intersect(b.allow.union(b.unknown)));
  }
  return { allow, unknown: possible.subtract(allow) };
}
