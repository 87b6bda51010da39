/**
 * What two side decisions certainly allow, for the effect's accounting, without building their meet
 * where it can be avoided: all-pairs paths meet about a million distinct decision pairs, and the
 * effect needs of most only a count, of a few the traffic.
 *
 * A decision's `sure` set is what it allows under every assignment of its unknowns, and what two
 * decisions certainly allow together is the meet over every assignment, ∩ₘ (outₘ ∩ inₘ) =
 * (∩ₘ outₘ) ∩ (∩ₘ inₘ) = `out.sure ∩ in.sure` — shared unknowns or not (the engine's meet computes
 * the same; its `unknown` part, which needs the assignments, is not read here). The count of (destination port with some source port) in a port region's
 * meet is the size of the union, over pairs of layers whose source ports overlap, of their
 * destination ports' intersection — no region is canonicalized.
 */
import { PortRegion, TrafficSet, type Decision } from '../policy';
import { IntPairMap } from '../util/int-pair-map';

/** Destination ports that some source port pairs with in `a ∩ b`, counted. */
export function meetPortCount(a: PortRegion, b: PortRegion): number {
  if (a.isEmpty || b.isEmpty) return 0;
  const la = a.layers;
  const lb = b.layers;
  // One layer over every source port: the meet's destination ports are its own ∩ the other's.
  if (la.length === 1 && la[0]![0].isFull)
    return la[0]![1].intersectionSize(lb.length === 1 ? lb[0]![1] : b.destinationPorts());
  if (lb.length === 1 && lb[0]![0].isFull)
    return lb[0]![1].intersectionSize(la.length === 1 ? la[0]![1] : a.destinationPorts());
  let ports: ReturnType<PortRegion['destinationPorts']> | null = null;
  for (const [sa, da] of la)
    for (const [sb, db] of lb) {
      if (!sa.overlaps(sb)) continue;
      const d = da.intersect(db);
      ports = ports === null ? d : ports.union(d);
    }
  return ports === null ? 0 : ports.size();
}

/** `tupleCount(a.intersect(b))`, without the intersection. */
export function meetTupleCount(a: TrafficSet, b: TrafficSet): number {
  return meetPortCount(a.tcp, b.tcp) + meetPortCount(a.udp, b.udp) + (a.icmp && b.icmp ? 1 : 0);
}

/** Certainly allowed tuples through two side decisions, memoized per pair of their traffic ids. */
export class PairTuples {
  private readonly memo = new IntPairMap(1 << 16);

  of(out: Decision, inbound: Decision): number {
    let n = this.memo.get(out.traffic, inbound.traffic);
    if (n < 0) {
      n = meetTupleCount(out.sure, inbound.sure);
      this.memo.set(out.traffic, inbound.traffic, n);
    }
    return n;
  }
}

/**
 * The union of what many decision pairs certainly allow, gathered one pair at a time: pairs sharing
 * a decision on one side (`fixed`) are met once, with the union of the other sides —
 * ∪ (f ∩ oᵢ) = f ∩ ∪ oᵢ.
 */
export class AllowUnion {
  /** Per fixed side's traffic id: the other sides' traffic ids; `sure` sets by traffic id. */
  private readonly byFixed = new Map<number, Set<number>>();
  private readonly sets = new Map<number, TrafficSet>();

  add(out: Decision, inbound: Decision, fixedIsOut: boolean): void {
    const [fixed, other] = fixedIsOut ? [out, inbound] : [inbound, out];
    let others = this.byFixed.get(fixed.traffic);
    if (others === undefined) {
      this.byFixed.set(fixed.traffic, (others = new Set()));
      this.sets.set(fixed.traffic, fixed.sure);
    }
    if (!others.has(other.traffic)) {
      others.add(other.traffic);
      this.sets.set(other.traffic, other.sure);
    }
  }

  /** The union (canonical: equal whatever order the pairs came in). */
  result(): TrafficSet {
    let out = TrafficSet.none;
    for (const [fixed, others] of this.byFixed) {
      let union = TrafficSet.none;
      for (const o of others) union = union.union(this.sets.get(o)!);
      out = out.union(this.sets.get(fixed)!.intersect(union));
    }
    return out;
  }
}
