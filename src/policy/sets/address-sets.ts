/**
 * IPv4 address sets that may be only partly known: a `sure` part, plus parts where membership
 * depends on unknown sets (see unknowns.ts). Used for rule fields after service-tag and
 * VirtualNetwork expansion.
 */
import { IntervalSet, ipv4Domain, IPV4_MAX, type Ipv4Set } from '../../net/interval-set';
import { FALSE, TRUE, type Membership } from './unknowns';

/** Where membership is unknown: inside `where`, the address is a member iff it is in `inAny` of these unknown sets, or in `inNone` of those. */
export type MaybePart =
  | { where: Ipv4Set; kind: 'in'; unknown: number }
  | { where: Ipv4Set; kind: 'notIn'; unknowns: readonly number[] };

/** A constant-membership stretch of the address space. */
export interface MembershipSegment {
  lo: number;
  hi: number;
  membership: Membership;
}

export class SymbolicAddressSet {
  constructor(
    readonly sure: Ipv4Set,
    readonly parts: readonly MaybePart[] = [],
  ) {}

  static readonly empty = new SymbolicAddressSet(IntervalSet.empty(ipv4Domain));
  static readonly all = new SymbolicAddressSet(IntervalSet.full(ipv4Domain));

  static of(sure: Ipv4Set): SymbolicAddressSet {
    return new SymbolicAddressSet(sure);
  }

  get isResolved(): boolean {
    return this.parts.length === 0;
  }

  get isEmpty(): boolean {
    if (!this.sure.isEmpty) return false;
    // A loop, not `every` with a closure: unions of rule fields test this for every word.
    for (const p of this.parts) if (!p.where.isEmpty) return false;
    return true;
  }

  union(other: SymbolicAddressSet): SymbolicAddressSet {
    if (other.isEmpty) return this;
    if (this.isEmpty) return other;
    return new SymbolicAddressSet(this.sure.union(other.sure), [...this.parts, ...other.parts]);
  }

  /** Every address that is, or may be, a member. */
  possible(): Ipv4Set {
    let out = this.sure;
    for (const p of this.parts) out = out.union(p.where);
    return out;
  }

  /** Membership of one address: TRUE, FALSE, or a formula over unknown sets. */
  membership(ip: number): Membership {
    if (this.sure.has(ip)) return TRUE;
    // Most sets are plain CIDRs: no formula to build (this runs for every rule at every local slice).
    if (this.parts.length === 0) return FALSE;
    return this.formulaAt((p) => p.where.has(ip));
  }

  /**
   * The address space cut into stretches of constant membership, ascending, leaving out stretches
   * that are certainly not members. Adjacent stretches with equal membership are merged.
   */
  segments(): readonly MembershipSegment[] {
    // Sets are immutable and shared (a CIDR word, a context's VirtualNetwork): cut them once.
    this.segmentCache ??= this.cut();
    return this.segmentCache;
  }

  private segmentCache: readonly MembershipSegment[] | undefined;

  private cut(): MembershipSegment[] {
    if (this.parts.length === 0)
      return this.sure.intervals().map(([lo, hi]) => ({ lo, hi, membership: TRUE }));
    const cuts = new Set<number>();
    const addCuts = (s: Ipv4Set) => {
      for (const [lo, hi] of s.intervals()) {
        cuts.add(lo);
        if (hi < IPV4_MAX) cuts.add(hi + 1);
      }
    };
    addCuts(this.sure);
    for (const p of this.parts) addCuts(p.where);
    const points = [...cuts].sort((a, b) => a - b);
    const out: MembershipSegment[] = [];
    for (let i = 0; i < points.length; i++) {
      const lo = points[i]!;
      const hi = i + 1 < points.length ? points[i + 1]! - 1 : IPV4_MAX;
      const m = this.membership(lo);
      if (m === FALSE) continue;
      const last = out[out.length - 1];
      if (last && last.hi + 1 === lo && sameMembership(last.membership, m)) last.hi = hi;
      else out.push({ lo, hi, membership: m });
    }
    return out;
  }

  private formulaAt(inWhere: (p: MaybePart) => boolean): Membership {
    const any = new Set<number>();
    const none: number[][] = [];
    for (const p of this.parts) {
      if (!inWhere(p)) continue;
      if (p.kind === 'in') any.add(p.unknown);
      else none.push([...new Set(p.unknowns)].sort((a, b) => a - b));
    }
    if (any.size === 0 && none.length === 0) return FALSE;
    const dedup = new Map(none.map((g) => [g.join(','), g]));
    return {
      any: [...any].sort((a, b) => a - b),
      none: [...dedup.values()].sort((a, b) =>
        a.join(',') < b.join(',') ? -1 : a.join(',') > b.join(',') ? 1 : 0,
      ),
    };
  }
}

function sameMembership(a: Membership, b: Membership): boolean {
  if (a === TRUE || a === FALSE || b === TRUE || b === FALSE) return a === b;
  return (
    a.any.join(',') === b.any.join(',') &&
    a.none.map((g) => g.join(',')).join('|') === b.none.map((g) => g.join(',')).join('|')
  );
}
