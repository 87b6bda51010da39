/**
 * Differential test of the reachability diff: on random estates and a random proposal (some of their
 * security rules removed), every random flow's before and after verdicts from the brute-force oracle
 * must match the diff: a flow whose verdict changes lies in a changed cell pair whose before and after
 * traffic give those verdicts, and its endpoint pair (as the report draws it) holds the change; a flow
 * whose cell pair is not listed keeps its verdict. A flow with one end outside every subnet lands on
 * the piece of the outside its inside end sees (the groups holding the address that pair with the
 * inside end's class on each side, read straight off the paths); estates whose outside groups overlap
 * are counted, so that path is exercised.
 * Replay: FC_SEED=<seed> FC_RUNS=<runs> npx jest test/differential/diff
 */
import fc from 'fast-check';
import {
  computeReachability,
  pathSources,
  pathTargets,
  type Reachability,
} from '../../src/analyze/reachability';
import { diffReachability, type ReachabilityDiff } from '../../src/diff';
import type { Snapshot } from '../../src/model/snapshot';
import { snapshotToString } from '../../src/model/snapshot-codec';
import { formatIpv4, parseIpv4 } from '../../src/net/address';
import { IntervalSet, ipv4Domain, type Ipv4Set } from '../../src/net/interval-set';
import { AZURE_HOST_IP, PUBLIC_IPV4, type PairTraffic } from '../../src/policy';
import { compilePolicy } from '../../src/policy/engine';
import type { Flow, FlowEnd, FlowVerdict } from '../../src/policy/flow';
import { oracleVerdict } from '../oracle/evaluate-flow';
import { arbEstate, arbFlowPlan, flowFromPlan } from '../support/arbitraries';

const SEED = process.env.FC_SEED === undefined ? 20261201 : Number(process.env.FC_SEED);
const RUNS = process.env.FC_RUNS === undefined ? 80 : Number(process.env.FC_RUNS);
const FLOWS_PER_ESTATE = 30;
/** Flows per estate tried again from every edge of an outside group (at most MAX_BOUNDARIES edges). */
const EDGE_FLOWS = 3;
const MAX_BOUNDARIES = 40;
const INTERNET = PUBLIC_IPV4.subtract(IntervalSet.range(ipv4Domain, AZURE_HOST_IP, AZURE_HOST_IP));

function ipOf(snapshot: Snapshot, end: FlowEnd): number {
  if (end.kind !== 'publicContainerGroup') return parseIpv4(end.ip)!;
  return parseIpv4(snapshot.containerGroups.find((g) => g.id === end.containerGroupId)!.ipAddress!.ip!)!;
}

const isOutside = (r: Reachability, snapshot: Snapshot, end: FlowEnd): boolean =>
  end.kind === 'external' &&
  !r.classes.some((c) => c.kind === 'publicContainerGroup' && c.ranges.has(ipOf(snapshot, end)));

/** The inside class holding an end (a subnet class or a public container group), or -1. */
function insideClass(snapshot: Snapshot, r: Reachability, end: FlowEnd): number {
  const ip = ipOf(snapshot, end);
  const c = r.classes.find(
    (c) =>
      (c.kind === 'publicContainerGroup' ||
        (c.kind === 'subnet' && end.kind === 'subnet' && c.subnet!.id === end.subnetId)) &&
      c.ranges.has(ip),
  );
  return c ? c.index : -1;
}

/** The inside cell of an end: the classes holding it on each side. */
function insideCell(diff: ReachabilityDiff, b: number, a: number): number {
  const key = (l: number[]) => l.join(',');
  return diff.cells.findIndex(
    (c) => key(c.before) === (b < 0 ? '' : String(b)) && key(c.after) === (a < 0 ? '' : String(a)),
  );
}

/**
 * The outside groups that inside class `cls` pairs with, read straight off the paths (outside →
 * cls when `fromOutside`, else cls → outside); `ip` keeps those that hold it.
 */
function outsideGroups(r: Reachability, cls: number, fromOutside: boolean, ip?: number): number[] {
  const out = new Set<number>();
  if (cls < 0) return [];
  for (let i = 0; i < r.paths.count; i++) {
    const from = [...pathSources(r.paths, i)];
    const to = [...pathTargets(r.paths, i)];
    const [outside, inside] = fromOutside ? [from, to] : [to, from];
    if (!inside.includes(cls)) continue;
    for (const g of outside)
      if (r.classes[g]!.kind === 'external' && (ip === undefined || r.classes[g]!.ranges.has(ip))) out.add(g);
  }
  return [...out].sort((u, v) => u - v);
}

/** Whether two outside groups of one analysis share an address (what the per-partner comparison is for). */
function hasOverlappingOutside(r: Reachability): boolean {
  const outside = r.classes.filter((c) => c.kind === 'external');
  return outside.some((g, k) => outside.slice(k + 1).some((h) => !g.ranges.intersect(h.ranges).isEmpty));
}

/** The first and last address of every outside group's intervals, and their neighbours outside every inside class. */
function outsideBoundaries(before: Reachability, after: Reachability): number[] {
  const inside = (ip: number) =>
    [before, after].some((r) => r.classes.some((c) => c.kind !== 'external' && c.ranges.has(ip)));
  const out = new Set<number>();
  for (const r of [before, after])
    for (const g of r.classes)
      if (g.kind === 'external')
        for (const [lo, hi] of g.ranges.intervals())
          for (const ip of [lo - 1, lo, hi, hi + 1])
            if (ip >= 0 && ip <= 0xffffffff && !inside(ip)) out.add(ip);
  return [...out].sort((u, v) => u - v);
}

/** The external endpoint of an address set: any Internet address makes it the Internet. */
function externalEndpoint(ranges: Ipv4Set): string {
  if (!ranges.intersect(INTERNET).isEmpty) return 'external:internet';
  return ranges.has(AZURE_HOST_IP) ? 'external:azure-host' : 'external:other';
}

/** Where a flow lands in the diff: its cell pair and its endpoint pair (null: in no cell pair). */
interface Landing {
  x: number;
  y: number;
  from: string;
  to: string;
}

function land(
  diff: ReachabilityDiff,
  snapshot: Snapshot,
  before: Reachability,
  after: Reachability,
  flow: Flow,
): Landing | null {
  const ends = [flow.src, flow.dst];
  const outside = ends.map((e) => isOutside(before, snapshot, e));
  if (outside[0] && outside[1]) return null;
  const b = ends.map((e, k) => (outside[k] ? -1 : insideClass(snapshot, before, e)));
  const a = ends.map((e, k) => (outside[k] ? -1 : insideClass(snapshot, after, e)));
  const endpointOf = (cell: number) => diff.endpoints[diff.cells[cell]!.endpoint]!;
  if (!outside[0] && !outside[1]) {
    const [x, y] = [0, 1].map((k) => insideCell(diff, b[k]!, a[k]!)) as [number, number];
    if (x < 0 || y < 0) return null;
    return { x, y, from: endpointOf(x), to: endpointOf(y) };
  }
  // One end outside: its piece is where the inside end's before and after classes pair with the
  // groups holding its address (none on a side: closed there).
  const o = outside[0] ? 0 : 1;
  const i = 1 - o;
  const inside = insideCell(diff, b[i]!, a[i]!);
  if (inside < 0) return null;
  const ip = ipOf(snapshot, ends[o]!);
  const fromOutside = o === 0;
  const classOn = (s: number) => (s === 0 ? b : a)[i]!;
  const holding = [before, after].map((r, s) => {
    const groups = outsideGroups(r, classOn(s), fromOutside, ip);
    // The groups one class pairs with in one direction are disjoint: at most one holds an address.
    if (groups.length > 1) throw new Error(`address in ${groups.length} outside groups of one class`);
    return groups[0] ?? -1;
  });
  if (holding[0]! < 0 && holding[1]! < 0) return null;
  // The piece's addresses, for its endpoint: the groups held, less the other side's groups where none is.
  const analyses = [before, after];
  let piece: Ipv4Set | null = null;
  for (let s = 0; s < 2; s++) {
    if (holding[s]! < 0) continue;
    const g = analyses[s]!.classes[holding[s]!]!.ranges;
    piece = piece ? piece.intersect(g) : g;
  }
  for (let s = 0; s < 2; s++) {
    if (holding[s]! >= 0) continue;
    for (const g of outsideGroups(analyses[s]!, classOn(s), fromOutside))
      piece = piece!.subtract(analyses[s]!.classes[g]!.ranges);
  }
  const endpoint = externalEndpoint(piece!);
  const key = (g: number) => (g < 0 ? '' : String(g));
  // The outside cell with those groups and that endpoint: there is one for every piece, changed or not.
  const cell = diff.cells.findIndex(
    (c) =>
      c.before.join(',') === key(holding[0]!) &&
      c.after.join(',') === key(holding[1]!) &&
      diff.endpoints[c.endpoint] === endpoint,
  );
  if (cell < 0) throw new Error(`no outside cell (${holding.join(', ')}) at ${endpoint}`);
  return fromOutside
    ? { x: cell, y: inside, from: endpoint, to: endpointOf(inside) }
    : { x: inside, y: cell, from: endpointOf(inside), to: endpoint };
}

function verdictOf(t: PairTraffic | null, flow: Flow): FlowVerdict {
  if (t === null) return 'deny';
  if (t.allow.has(flow.protocol, flow.srcPort, flow.dstPort)) return 'allow';
  if (t.unknown.has(flow.protocol, flow.srcPort, flow.dstPort)) return 'unknown';
  return 'deny';
}

/** The change of the cell pair (x, y), or null when it is not listed (unchanged or closed on both sides). */
function changeAt(diff: ReachabilityDiff, x: number, y: number): number | null {
  const r = diff.rectangles;
  for (let k = 0; k < r.from.length; k++) {
    if (r.from.get(k) !== x) continue;
    for (let m = r.targetStart.get(k); m < r.targetStart.get(k + 1); m++)
      if (r.targets.get(m) === y) return r.change.get(k);
  }
  return null;
}

describe('reachability diff vs oracle', () => {
  it(`agrees with the oracle's before and after verdicts on ${RUNS} random estates × ${FLOWS_PER_ESTATE} flows`, () => {
    let changed = 0;
    let compared = 0;
    // Changed flows with one end outside, on estates whose outside groups overlap.
    let changedOutsideOverlapping = 0;
    let overlappingEstates = 0;
    fc.assert(
      fc.property(
        arbEstate(),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(arbFlowPlan(), { minLength: FLOWS_PER_ESTATE, maxLength: FLOWS_PER_ESTATE }),
        (snapshot, every, offset, plans) => {
          // The proposal: every `every`-th custom rule of each NSG removed.
          const proposed = structuredClone(snapshot);
          for (const nsg of proposed.networkSecurityGroups)
            nsg.securityRules = nsg.securityRules.filter((_, i) => (i + offset) % every !== 0);
          const engines = [compilePolicy(snapshot, {}), compilePolicy(proposed, {})];
          const [before, after] = engines.map((e) => computeReachability(e)) as [Reachability, Reachability];
          const overlapping = hasOverlappingOutside(before) || hasOverlappingOutside(after);
          if (overlapping) overlappingEstates++;
          const diff = diffReachability(
            { engine: engines[0]!, reach: before },
            { engine: engines[1]!, reach: after },
          );
          const random = plans.map((plan) => flowFromPlan(snapshot, plan));
          const boundaries = outsideBoundaries(before, after);
          // The first flows with one end outside once more from every edge of an outside group
          // (where pieces meet, and where a proposal closes part of what a class sees outside).
          const edges = random
            .filter((f) => isOutside(before, snapshot, f.src) !== isOutside(before, snapshot, f.dst))
            .filter((f) => f.src.kind !== 'publicContainerGroup' || f.dst.kind !== 'external')
            .slice(0, EDGE_FLOWS)
            .flatMap((flow) =>
              boundaries.slice(0, MAX_BOUNDARIES).map((b): Flow => {
                const end: FlowEnd = { kind: 'external', ip: formatIpv4(b) };
                return isOutside(before, snapshot, flow.src) ? { ...flow, src: end } : { ...flow, dst: end };
              }),
            );
          for (const flow of [...random, ...edges]) {
            // Pairs with no policy on either side are not paths; a subnet outside the snapshot is no group.
            if (flow.src.kind !== 'subnet' && flow.dst.kind === 'external') continue;
            if (
              flow.src.kind === 'subnet' &&
              !snapshot.subnets.some((s) => s.id === (flow.src as { subnetId: string }).subnetId)
            )
              continue;
            if (
              flow.dst.kind === 'subnet' &&
              !snapshot.subnets.some((s) => s.id === (flow.dst as { subnetId: string }).subnetId)
            )
              continue;
            const landing = land(diff, snapshot, before, after, flow);

            const expectBefore = oracleVerdict(snapshot, flow);
            const expectAfter = oracleVerdict(proposed, flow);
            // An address no group holds on either side (169.254.169.254 when nothing names it) is in no cell: no pair, no change.
            const c = landing === null ? null : changeAt(diff, landing.x, landing.y);
            compared++;
            const fail = (what: string) =>
              new Error(`${what}\nflow: ${JSON.stringify(flow)}\n${snapshotToString(snapshot)}`);
            if (c === null) {
              if (expectBefore !== expectAfter)
                throw fail(`oracle: ${expectBefore} → ${expectAfter}, but the diff lists no change`);
              continue;
            }
            const change = diff.changes[c]!;
            if (expectBefore !== expectAfter) {
              changed++;
              const withOutside =
                isOutside(before, snapshot, flow.src) || isOutside(before, snapshot, flow.dst);
              if (overlapping && withOutside) changedOutsideOverlapping++;
            }
            if (
              verdictOf(change.before, flow) !== expectBefore ||
              verdictOf(change.after, flow) !== expectAfter
            )
              throw fail(
                `diff: ${verdictOf(change.before, flow)} → ${verdictOf(change.after, flow)} (${change.status}), oracle: ${expectBefore} → ${expectAfter}`,
              );
            // The endpoint pair (as the report draws it) holds the flow's change.
            const closes = expectBefore !== 'deny' && expectAfter === 'deny';
            const opens = expectBefore === 'deny' && expectAfter !== 'deny';
            if (!closes && !opens) continue;
            const { from, to } = landing!;
            const [f, t] = [diff.endpoints.indexOf(from), diff.endpoints.indexOf(to)];
            const pair = diff.endpointPairs.find((p) => p.from === f && p.to === t);
            if (!pair) throw fail(`no endpoint pair ${from} → ${to} for a changed flow`);
            const holds = (closes ? pair.removed : pair.added).has(flow.protocol, flow.srcPort, flow.dstPort);
            const excluded = closes
              ? ['unchanged', 'opened', 'widened']
              : ['unchanged', 'closed', 'narrowed'];
            if (!holds || excluded.includes(pair.status))
              throw fail(
                `endpoint pair ${from} → ${to} is ${pair.status}: it does not hold the flow's change`,
              );
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(compared).toBeGreaterThan(RUNS * FLOWS_PER_ESTATE * 0.5);
    expect(changed).toBeGreaterThan(RUNS / 4);

    // The per-partner comparison of an overlapping outside is exercised, not only present.
    expect(overlappingEstates).toBeGreaterThan(RUNS / 4);
    expect(changedOutsideOverlapping).toBeGreaterThan(RUNS / 10);
  });
});
