/**
 * Address-space helpers the planner shares: where addresses sit (located parts, as `explain` cuts
 * them), and whether an engine allows every flow of a rectangle (sources × destinations × traffic).
 */
import { cellSides, sameLocation, sliceRuns, slices } from '../analyze/cells';
import { locate, type LocatedPart } from '../analyze/endpoints';
import type { Subnet } from '../model/snapshot';
import type { SnapshotIndex } from '../model/snapshot-index';
import { ipv4RangeToCidrs } from '../net/address';
import { IntervalSet, ipv4Domain, type Ipv4Set } from '../net/interval-set';
import { subnetSpace, TrafficSet, type Decision, type PolicyEngine } from '../policy';

/** Finds the subnets overlapping an address range fast (subnets sorted by their first address). */
export class SubnetLocator {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** maxEnd[i] = the largest end among entries 0..i, to stop the backward scan. */
  private readonly maxEnd: number[] = [];
  private readonly subnets: Subnet[] = [];

  constructor(readonly index: SnapshotIndex) {
    const entries: [number, number, Subnet][] = [];
    for (const s of index.snapshot.subnets)
      for (const [lo, hi] of subnetSpace(s).intervals()) entries.push([lo, hi, s]);
    entries.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let max = -1;
    for (const [lo, hi, s] of entries) {
      this.starts.push(lo);
      this.ends.push(hi);
      max = Math.max(max, hi);
      this.maxEnd.push(max);
      this.subnets.push(s);
    }
  }

  /** Subnets with an address in [lo, hi], each once. */
  overlapping(lo: number, hi: number): Subnet[] {
    const out = new Set<Subnet>();
    // Last entry starting at or before hi.
    let a = 0;
    let b = this.starts.length - 1;
    let last = -1;
    while (a <= b) {
      const m = (a + b) >> 1;
      if (this.starts[m]! <= hi) {
        last = m;
        a = m + 1;
      } else b = m - 1;
    }
    for (let i = last; i >= 0 && this.maxEnd[i]! >= lo; i--)
      if (this.ends[i]! >= lo) out.add(this.subnets[i]!);
    return [...out];
  }

  /** An address set split by location (public container groups, subnets, the rest external). */
  locate(space: Ipv4Set): LocatedPart[] {
    if (space.isEmpty) return [];
    const candidates = new Set<Subnet>();
    for (const [lo, hi] of space.intervals()) for (const s of this.overlapping(lo, hi)) candidates.add(s);
    return locate(space, [...candidates], this.index);
  }
}

/** The addresses of located parts, together. */
export function rangesOf(parts: readonly LocatedPart[]): Ipv4Set {
  let out = IntervalSet.empty(ipv4Domain);
  for (const p of parts) out = out.union(p.ranges);
  return out;
}

/** The same parts located in another snapshot of the same estate (the subnet objects of its index). */
export function relocate(parts: readonly LocatedPart[], index: SnapshotIndex): LocatedPart[] {
  return parts.map((p) => {
    if (p.kind === 'subnet') {
      const subnet = index.subnets.get(p.subnet.id);
      if (!subnet) throw new Error(`subnet ${p.subnet.id} is missing from the proposed snapshot`);
      return { ...p, subnet };
    }
    if (p.kind === 'publicContainerGroup' || p.kind === 'unknownLocation') {
      const group = index.containerGroups.get(p.group.id) ?? p.group;
      return { ...p, group };
    }
    return p;
  });
}

/** A part restricted to [lo, hi] (null when nothing is left). */
export function clipPart(part: LocatedPart, lo: number, hi: number): LocatedPart | null {
  const ranges = part.ranges.intersect(IntervalSet.range(ipv4Domain, lo, hi));
  return ranges.isEmpty ? null : { ...part, ranges };
}

/** Whether a cell is a single address to itself (not a network flow: docs/semantics.md decision 6). */
export function isSelfCell(
  src: LocatedPart,
  dst: LocatedPart,
  cell: { srcLo: number; srcHi: number; dstLo: number; dstHi: number },
): boolean {
  return (
    cell.srcLo === cell.srcHi &&
    cell.dstLo === cell.dstHi &&
    cell.srcLo === cell.dstLo &&
    sameLocation(src, dst)
  );
}

/**
 * Visits the side decisions' `sure` sets of every non-self cell from `src` to `dst` (the cells
 * `cellsBetween` yields), each distinct set once, until `visit` returns false; returns whether it
 * visited all. What a cell certainly allows is the meet of its two sides, `out.sure ∩ in.sure`,
 * so the meet over the cells is the meet of these sets — without a pair result per cell.
 */
function visitCellSides(
  engine: PolicyEngine,
  src: LocatedPart,
  dst: LocatedPart,
  seen: Set<TrafficSet>,
  visit: (sure: TrafficSet) => boolean,
): boolean {
  const sides = cellSides(engine, src, dst);
  const take = (d: Decision) => {
    if (seen.has(d.sure)) return true;
    seen.add(d.sure);
    return visit(d.sure);
  };
  const same = sameLocation(src, dst);
  for (const s of slices(src, sides.srcTable))
    for (const d of slices(dst, sides.dstTable)) {
      const { outRuns, inRuns } = sliceRuns(sides, s, d);
      if (!same || s.hi < d.lo || d.hi < s.lo) {
        // No cell here is one address to itself: every run is in some cell.
        for (const [, , o] of outRuns) if (!take(o)) return false;
        for (const [, , i] of inRuns) if (!take(i)) return false;
        continue;
      }
      for (const [srcLo, srcHi, i] of inRuns)
        for (const [dstLo, dstHi, o] of outRuns) {
          if (srcLo === srcHi && dstLo === dstHi && srcLo === dstLo) continue;
          if (!take(o) || !take(i)) return false;
        }
    }
  return true;
}

/**
 * Whether `engine` certainly allows every flow from `src` to `dst` in `traffic` (any source port the
 * traffic holds). A cell whose single source address is its single destination is no flow and is skipped;
 * a cell with one address each side that is the same address is counted out only in that one point.
 */
export function allowsAll(
  engine: PolicyEngine,
  src: readonly LocatedPart[],
  dst: readonly LocatedPart[],
  traffic: TrafficSet,
): boolean {
  const seen = new Set<TrafficSet>();
  const within = (sure: TrafficSet) => traffic.subtract(sure).isEmpty;
  for (const s of src) for (const d of dst) if (!visitCellSides(engine, s, d, seen, within)) return false;
  return true;
}

/**
 * The traffic `engine` certainly allows for every flow from `src` to `dst` (the meet of every
 * non-self cell's allow; all traffic when there is no cell): `allowsAll(engine, src, dst, t)` holds
 * exactly when `t` is within it, so one walk answers many traffic sets for the same rectangle.
 */
export function allowedEverywhere(
  engine: PolicyEngine,
  src: readonly LocatedPart[],
  dst: readonly LocatedPart[],
): TrafficSet {
  let out = TrafficSet.all;
  const seen = new Set<TrafficSet>();
  const meet = (sure: TrafficSet) => {
    out = out.intersect(sure);
    return !out.isEmpty;
  };
  for (const s of src) for (const d of dst) if (!visitCellSides(engine, s, d, seen, meet)) return out;
  return out;
}

/** The fewest CIDR blocks that cover an address set exactly, ascending. */
export function cidrsOf(set: Ipv4Set): string[] {
  const out: string[] = [];
  for (const [lo, hi] of set.intervals()) out.push(...ipv4RangeToCidrs(lo, hi));
  return out;
}
