/**
 * The outside space, compared per partner. External groups overlap (each is what some subnet class
 * sees of the space outside every subnet), so their common refinement over a large estate is
 * millions of cells, each in thousands of groups. But an external group only ever pairs with an
 * inside class (a subnet class or a public container group), and the groups one class pairs with in
 * one direction are disjoint (one per decision of its remote map). So the diff compares the outside
 * per inside cell: on the refinement of just the groups its before class and its after class pair
 * with, a few pieces each.
 */
import type { EndpointClass, Reachability } from '../analyze/reachability';
import { pathSources, pathTargets } from '../analyze/reachability';
import { IntervalSet, ipv4Domain } from '../net/interval-set';
import { AZURE_HOST_IP, PUBLIC_IPV4 } from '../policy';
import type { ExternalEndpointId } from './endpoints';

/** Outside → inside class (the outside is the source), and inside class → outside. */
export const FROM_OUTSIDE = 0;
export const TO_OUTSIDE = 1;

/**
 * What each inside class pairs with outside, per direction: `list[direction][class]` is the id of
 * a list in `lists` (0: none), `[group, traffic, group, traffic, …]` by group; equal lists share an
 * id, so classes with the same remote maps share their comparison.
 */
export interface OutsideLinks {
  list: [Int32Array, Int32Array];
  lists: Int32Array[];
  /** Per path: 1 when it pairs with the outside (the inside pass skips it). */
  external: Uint8Array;
}

/**
 * The outside links of one analysis. `pathTraffic` numbers each path's traffic; `combine` unions
 * two numbers (a group reaching one class by two paths: not made by the analysis, but kept exact).
 */
export function outsideLinks(
  reach: Reachability,
  pathTraffic: Int32Array,
  combine: (x: number, y: number) => number,
): OutsideLinks {
  const { paths, classes } = reach;
  const external = new Uint8Array(paths.count);
  // (direction, class, group, traffic) of every pair with the outside.
  const entries: number[] = [];
  for (let i = 0; i < paths.count; i++) {
    const from = pathSources(paths, i);
    const to = pathTargets(paths, i);
    if (from.length === 0 || to.length === 0) continue;
    const fromOutside = classes[from[0]!]!.kind === 'external';
    const toOutside = classes[to[0]!]!.kind === 'external';
    if (!fromOutside && !toOutside) continue;
    external[i] = 1;
    const t = pathTraffic[i]!;
    for (let x = 0; x < from.length; x++)
      for (let y = 0; y < to.length; y++) {
        const f = classes[from[x]!]!;
        const g = classes[to[y]!]!;
        // The analysis makes no pair of two outside groups (neither has a policy) nor mixed paths.
        if ((f.kind === 'external') === (g.kind === 'external'))
          throw new Error(`diff: path ${i} mixes inside and outside classes`);
        if (fromOutside) entries.push(FROM_OUTSIDE, g.index, f.index, t);
        else entries.push(TO_OUTSIDE, f.index, g.index, t);
      }
  }
  const order = Int32Array.from({ length: entries.length / 4 }, (_, k) => k);
  const at = (k: number, f: number) => entries[k * 4 + f]!;
  order.sort((u, v) => at(u, 0) - at(v, 0) || at(u, 1) - at(v, 1) || at(u, 2) - at(v, 2) || u - v);
  const list: [Int32Array, Int32Array] = [new Int32Array(classes.length), new Int32Array(classes.length)];
  const lists: Int32Array[] = [new Int32Array(0)];
  const byKey = new Map<string, number>();
  for (let k = 0; k < order.length;) {
    const dir = at(order[k]!, 0);
    const cls = at(order[k]!, 1);
    const flat: number[] = [];
    for (; k < order.length && at(order[k]!, 0) === dir && at(order[k]!, 1) === cls; k++) {
      const g = at(order[k]!, 2);
      const t = at(order[k]!, 3);
      const last = flat.length - 2;
      if (last >= 0 && flat[last] === g) flat[last + 1] = combine(flat[last + 1]!, t);
      else flat.push(g, t);
    }
    const key = flat.join(',');
    let id = byKey.get(key);
    if (id === undefined) {
      id = lists.length;
      lists.push(Int32Array.from(flat));
      byKey.set(key, id);
    }
    list[dir]![cls] = id;
  }
  return { list, lists, external };
}

/** One piece of the outside as one inside cell sees it: its group on each side (-1: none, closed there). */
export interface OutsidePiece {
  before: number;
  after: number;
  beforeTraffic: number;
  afterTraffic: number;
  /** Any Internet address makes the piece the Internet (as a group is in the views). */
  endpoint: ExternalEndpointId;
}

const INTERNET_BOUNDS = PUBLIC_IPV4.subtract(IntervalSet.range(ipv4Domain, AZURE_HOST_IP, AZURE_HOST_IP))
  .intervals()
  .flat();

/** Whether [lo, hi] holds a public (Internet) address. */
function touchesInternet(lo: number, hi: number): boolean {
  // The first Internet interval that ends at or after lo.
  let a = 0;
  let b = INTERNET_BOUNDS.length / 2;
  while (a < b) {
    const m = (a + b) >> 1;
    if (INTERNET_BOUNDS[2 * m + 1]! < lo) a = m + 1;
    else b = m;
  }
  return a < INTERNET_BOUNDS.length / 2 && INTERNET_BOUNDS[2 * a]! <= hi;
}

/** The intervals of a list's groups, `[lo, hi, group, traffic]` by lo (disjoint: one class's groups are). */
function intervalsOf(classes: EndpointClass[], flat: Int32Array): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < flat.length; k += 2)
    for (const [lo, hi] of classes[flat[k]!]!.ranges.intervals()) out.push([lo, hi, flat[k]!, flat[k + 1]!]);
  return out.sort((x, y) => x[0]! - y[0]!);
}

/**
 * The pieces of the outside that the groups of one inside cell's before list and after list cut:
 * a piece is where the cell pairs with one group on each side (or none on one side), in first-met order.
 */
export function outsidePieces(
  beforeClasses: EndpointClass[],
  beforeList: Int32Array,
  afterClasses: EndpointClass[],
  afterList: Int32Array,
): OutsidePiece[] {
  const sides = [intervalsOf(beforeClasses, beforeList), intervalsOf(afterClasses, afterList)];
  const cuts: number[] = [];
  for (const side of sides) for (const [lo, hi] of side) cuts.push(lo!, hi! + 1);
  cuts.sort((x, y) => x - y);
  const pieces: OutsidePiece[] = [];
  const internet: boolean[] = [];
  const host: boolean[] = [];
  const byGroups = new Map<number, number>();
  const at = [0, 0];
  const stride = afterClasses.length + 1;
  for (let k = 0; k + 1 < cuts.length; k++) {
    const lo = cuts[k]!;
    const hi = cuts[k + 1]! - 1;
    if (hi < lo) continue;
    // The interval of each side holding [lo, hi] (segments never straddle a cut).
    const held = sides.map((side, s) => {
      while (at[s]! < side.length && side[at[s]!]![1]! < lo) at[s]!++;
      const iv = side[at[s]!];
      return iv && iv[0]! <= lo ? iv : null;
    });
    if (!held[0] && !held[1]) continue;
    const b = held[0] ? held[0][2]! : -1;
    const a = held[1] ? held[1][2]! : -1;
    const key = (b + 1) * stride + (a + 1);
    let p = byGroups.get(key);
    if (p === undefined) {
      p = pieces.length;
      byGroups.set(key, p);
      pieces.push({
        before: b,
        after: a,
        beforeTraffic: held[0] ? held[0][3]! : -1,
        afterTraffic: held[1] ? held[1][3]! : -1,
        endpoint: 'external:other',
      });
      internet.push(false);
      host.push(false);
    }
    if (!internet[p] && touchesInternet(lo, hi)) internet[p] = true;
    if (lo <= AZURE_HOST_IP && AZURE_HOST_IP <= hi) host[p] = true;
  }
  pieces.forEach((piece, p) => {
    piece.endpoint = internet[p] ? 'external:internet' : host[p] ? 'external:azure-host' : 'external:other';
  });
  return pieces;
}
