/**
 * External groups (phase 5). Addresses outside every subnet (Internet, on-premises, peered networks
 * not in the snapshot) have no policy of their own, so what they can do is read straight off each
 * class's inbound and outbound runs: an external group is an address set those runs cut out of the
 * outside, created only when a path needs it, and equal sets are one group.
 */
import { IPV4_MAX, IntervalSet, ipv4Domain, type Ipv4Set } from '../../net/interval-set';
import type { PolicyEngine, Runs } from '../../policy';
import { HashPool } from '../../util/hash-pool';
import { IntPairMap } from '../../util/int-pair-map';
import type { EndpointClass } from './classes';
import { listOf, startPath, type Paths } from './paths';

/**
 * Appends external groups to `classes` and their open paths to `paths`; returns the open pairs.
 * `inRuns` / `outRuns` are a subnet class's remote maps; `inside` is every subnet or public address.
 */
export function externalPaths(
  engine: PolicyEngine,
  classes: EndpointClass[],
  internalCount: number,
  inside: Ipv4Set,
  inRuns: (c: EndpointClass) => Runs,
  outRuns: (c: EndpointClass) => Runs,
  paths: Paths,
): number {
  let openPairs = 0;
  const outside = inside.complement().intervals();
  // Equal address sets are one group: pooled by hash and equality. Piece sets are cached per remote
  // map, so the same set object comes back often: its group is remembered by identity too.
  const externalSets = new HashPool<Ipv4Set>();
  const externalBySet = new Map<Ipv4Set, number>();
  const externalGroup = (ranges: Ipv4Set): number => {
    const known = externalBySet.get(ranges);
    if (known !== undefined) return known;
    const pooled = externalSets.intern(ranges);
    let index = externalBySet.get(pooled);
    if (index === undefined) {
      index = classes.length;
      classes.push({ index, kind: 'external', subnet: null, group: null, ranges, outKey: -1, inKey: -1 });
      externalBySet.set(pooled, index);
    }
    externalBySet.set(ranges, index);
    return index;
  };
  // For each remote map: its open pieces over the outside, grouped by decision.
  const pieceCache = new Map<Runs, Map<number, Ipv4Set>>();
  const outsidePieces = (runs: Runs): Map<number, Ipv4Set> => {
    let byDecision = pieceCache.get(runs);
    if (!byDecision) {
      // The outside pieces and the runs are both ascending: one walk over each (the outside has
      // thousands of pieces, most inside one run), with the last decision's list at hand. Each
      // decision's flat bounds are canonical as built (a piece touching the one before extends it).
      const lists = new Map<number, number[]>();
      const { starts, values } = runs;
      let first = 0;
      let lastDecision = -1;
      let lastBounds: number[] | undefined;
      for (let o = 0; o < outside.length; o++) {
        const lo = outside[o]![0];
        const hi = outside[o]![1];
        while (first + 1 < starts.length && starts[first + 1]! <= lo) first++;
        for (let i = first; i < starts.length && starts[i]! <= hi; i++) {
          const start = Math.max(starts[i]!, lo);
          const end = Math.min(i + 1 < starts.length ? starts[i + 1]! - 1 : IPV4_MAX, hi);
          const d = values[i]!;
          const bounds = lastBounds !== undefined && d === lastDecision ? lastBounds : lists.get(d);
          if (!bounds) {
            lastBounds = [start, end];
            lists.set(d, lastBounds);
          } else {
            if (bounds[bounds.length - 1]! + 1 === start) bounds[bounds.length - 1] = end;
            else bounds.push(start, end);
            lastBounds = bounds;
          }
          lastDecision = d;
        }
      }
      byDecision = new Map<number, Ipv4Set>();
      for (const [d, bounds] of lists) byDecision.set(d, IntervalSet.fromCanonicalBounds(ipv4Domain, bounds));
      pieceCache.set(runs, byDecision);
    }
    return byDecision;
  };
  const external: { from: number; out: number; in: number; targets: number[] }[] = [];
  // One side of every external pair has no policy: entries are keyed by (source, the other decision),
  // apart for outside sources (inbound decisions) and outside targets (outbound decisions).
  const fromOutside = new IntPairMap(1 << 14);
  const toOutside = new IntPairMap(1 << 14);
  /** Records an open pair between a class and a set of outside addresses (the group is made only when open). */
  const addExternal = (
    outsideIsSource: boolean,
    ranges: Ipv4Set,
    c: number,
    out: number,
    inbound: number,
  ) => {
    if (!engine.mayPass(out, inbound)) return;
    openPairs++;
    const group = externalGroup(ranges);
    const from = outsideIsSource ? group : c;
    const target = outsideIsSource ? c : group;
    const keys = outsideIsSource ? fromOutside : toOutside;
    const decision = outsideIsSource ? inbound : out;
    const at = keys.get(from, decision);
    if (at >= 0) external[at]!.targets.push(target);
    else {
      keys.set(from, decision, external.length);
      external.push({ from, out, in: inbound, targets: [target] });
    }
  };
  const everythingOutside = IntervalSet.of(ipv4Domain, outside);
  for (let c = 0; c < internalCount; c++) {
    const cls = classes[c]!;
    if (cls.kind === 'publicContainerGroup') {
      addExternal(true, everythingOutside, c, engine.noPolicy.id, engine.publicPortsDecision(cls.group!).id);
      continue;
    }
    for (const [d, ranges] of outsidePieces(inRuns(cls))) addExternal(true, ranges, c, engine.noPolicy.id, d);
    for (const [d, ranges] of outsidePieces(outRuns(cls)))
      addExternal(false, ranges, c, d, engine.noPolicy.id);
  }
  for (const e of external.sort((x, y) => x.from - y.from || x.out - y.out || x.in - y.in)) {
    startPath(paths, listOf(paths, [e.from]), e.out, e.in);
    paths.targetLists.push(listOf(paths, e.targets));
  }
  return openPairs;
}
