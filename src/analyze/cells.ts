/**
 * Cuts a pair of located address sets into cells that the policy treats uniformly: within a cell,
 * every source address and every destination address get the same pair result.
 */
import {
  type Decision,
  type PairResult,
  type PolicyEngine,
  runIndex,
  type Runs,
  type SideTable,
} from '../policy';
import { IPV4_MAX } from '../net/interval-set';
import type { LocatedPart } from './endpoints';

export interface Cell {
  srcLo: number;
  srcHi: number;
  dstLo: number;
  dstHi: number;
  result: PairResult;
}

export interface Slice {
  lo: number;
  hi: number;
  /** Local key in the side table, or -1 for ends without a table. */
  key: number;
}

/** The `[lo, hi, value]` pieces of `runs` that overlap [lo, hi], clipped to it. */
export function runsWithin(runs: Runs, lo: number, hi: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = runIndex(runs, lo); i < runs.starts.length; i++) {
    const start = Math.max(runs.starts[i]!, lo);
    if (start > hi) break;
    const end = Math.min(i + 1 < runs.starts.length ? runs.starts[i + 1]! - 1 : IPV4_MAX, hi);
    out.push([start, end, runs.values[i]!]);
  }
  return out;
}

/** A part's address slices with their local key in a side table (-1 without a table). */
export function slices(part: LocatedPart, table: SideTable | null): Slice[] {
  const out: Slice[] = [];
  for (const [lo, hi] of part.ranges.intervals()) {
    if (!table) out.push({ lo, hi, key: -1 });
    else for (const [a, b, key] of runsWithin(table.local, lo, hi)) out.push({ lo: a, hi: b, key });
  }
  return out;
}

/**
 * The two sides between a source part and a destination part: the outbound table of the source's
 * subnet and the inbound table of the destination's (null for an end outside every subnet), and the
 * constant decision an end without a table takes.
 */
export interface CellSides {
  srcTable: SideTable | null;
  dstTable: SideTable | null;
  srcConst: Decision;
  dstConst: Decision;
  decisions: readonly Decision[];
}

export function cellSides(engine: PolicyEngine, src: LocatedPart, dst: LocatedPart): CellSides {
  return {
    srcTable: src.kind === 'subnet' ? engine.sideTable(src.subnet, 'Outbound') : null,
    dstTable: dst.kind === 'subnet' ? engine.sideTable(dst.subnet, 'Inbound') : null,
    srcConst: src.kind === 'unknownLocation' ? engine.unknownLocation : engine.noPolicy,
    dstConst:
      dst.kind === 'publicContainerGroup'
        ? engine.publicPortsDecision(dst.group)
        : dst.kind === 'unknownLocation'
          ? engine.unknownLocation
          : engine.noPolicy,
    decisions: engine.decisions(),
  };
}

/**
 * The outbound runs (over destination slice d) and inbound runs (over source slice s) of one slice
 * pair: `[lo, hi, decision]`, one constant run for an end without a table. A cell is (source run of
 * the inbound side) × (destination run of the outbound side).
 */
export function sliceRuns(
  sides: CellSides,
  s: Slice,
  d: Slice,
): { outRuns: [number, number, Decision][]; inRuns: [number, number, Decision][] } {
  const { srcTable, dstTable, decisions } = sides;
  return {
    outRuns: srcTable
      ? runsWithin(srcTable.remote[s.key]!, d.lo, d.hi).map(([a, b, id]) => [a, b, decisions[id]!])
      : [[d.lo, d.hi, sides.srcConst]],
    inRuns: dstTable
      ? runsWithin(dstTable.remote[d.key]!, s.lo, s.hi).map(([a, b, id]) => [a, b, decisions[id]!])
      : [[s.lo, s.hi, sides.dstConst]],
  };
}

/** Every cell between a source part and a destination part, in ascending address order. */
export function* cellsBetween(engine: PolicyEngine, src: LocatedPart, dst: LocatedPart): Generator<Cell> {
  const sides = cellSides(engine, src, dst);
  for (const s of slices(src, sides.srcTable)) {
    for (const d of slices(dst, sides.dstTable)) {
      const { outRuns, inRuns } = sliceRuns(sides, s, d);
      for (const [srcLo, srcHi, inDecision] of inRuns) {
        for (const [dstLo, dstHi, outDecision] of outRuns) {
          yield { srcLo, srcHi, dstLo, dstHi, result: engine.meet(outDecision, inDecision) };
        }
      }
    }
  }
}

/** Whether two parts are the same location, so that a one-address cell between them is a flow to itself. */
export function sameLocation(a: LocatedPart, b: LocatedPart): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'subnet' && b.kind === 'subnet') return a.subnet.id === b.subnet.id;
  if (a.kind === 'external') return true;
  return (a as { group: { id: string } }).group.id === (b as { group: { id: string } }).group.id;
}
