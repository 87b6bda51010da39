/**
 * Differential test of the reachability diff: on random estates and a random proposal (some of their
 * security rules removed), every random flow's before and after verdicts from the brute-force oracle
 * must match the diff: a flow whose verdict changes lies in a changed cell pair whose before and after
 * traffic give those verdicts; a flow whose cell pair is not listed keeps its verdict.
 * Replay: FC_SEED=<seed> FC_RUNS=<runs> npx jest test/differential/diff
 */
import fc from 'fast-check';
import { computeReachability, type Reachability } from '../../src/analyze/reachability';
import { diffReachability, type ReachabilityDiff } from '../../src/diff';
import type { Snapshot } from '../../src/model/snapshot';
import { snapshotToString } from '../../src/model/snapshot-codec';
import { parseIpv4 } from '../../src/net/address';
import type { PairTraffic } from '../../src/policy';
import { compilePolicy } from '../../src/policy/engine';
import type { Flow, FlowEnd, FlowVerdict } from '../../src/policy/flow';
import { oracleVerdict } from '../oracle/evaluate-flow';
import { arbEstate, arbFlowPlan, flowFromPlan } from '../support/arbitraries';

const SEED = process.env.FC_SEED === undefined ? 20261201 : Number(process.env.FC_SEED);
const RUNS = process.env.FC_RUNS === undefined ? 80 : Number(process.env.FC_RUNS);
const FLOWS_PER_ESTATE = 30;

function ipOf(snapshot: Snapshot, end: FlowEnd): number {
  if (end.kind !== 'publicContainerGroup') return parseIpv4(end.ip)!;
  return parseIpv4(snapshot.containerGroups.find((g) => g.id === end.containerGroupId)!.ipAddress!.ip!)!;
}

/** The groups an end is in (as the reachability differential test finds them), by class index. */
function holders(snapshot: Snapshot, r: Reachability, end: FlowEnd): string {
  const ip = ipOf(snapshot, end);
  const pcg = r.classes.find((c) => c.kind === 'publicContainerGroup' && c.ranges.has(ip));
  if (pcg) return String(pcg.index);
  const inSubnet = (c: Reachability['classes'][number]) =>
    end.kind === 'subnet' ? c.kind === 'subnet' && c.subnet!.id === end.subnetId : c.kind === 'external';
  return r.classes
    .filter((c) => inSubnet(c) && c.ranges.has(ip))
    .map((c) => c.index)
    .join(',');
}

/** The cell of an end: the groups holding it on each side. */
function cellOf(
  diff: ReachabilityDiff,
  snapshot: Snapshot,
  before: Reachability,
  after: Reachability,
  end: FlowEnd,
): number {
  const b = holders(snapshot, before, end);
  const a = holders(snapshot, after, end);
  return diff.cells.findIndex((c) => c.before.join(',') === b && c.after.join(',') === a);
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
          const diff = diffReachability(
            { engine: engines[0]!, reach: before },
            { engine: engines[1]!, reach: after },
          );
          for (const plan of plans) {
            const flow = flowFromPlan(snapshot, plan);
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
            const x = cellOf(diff, snapshot, before, after, flow.src);
            const y = cellOf(diff, snapshot, before, after, flow.dst);

            const expectBefore = oracleVerdict(snapshot, flow);
            const expectAfter = oracleVerdict(proposed, flow);
            // An address no group holds on either side (169.254.169.254 when nothing names it) is in no cell: no pair, no change.
            const c = x < 0 || y < 0 ? null : changeAt(diff, x, y);
            compared++;
            const fail = (what: string) =>
              new Error(`${what}\nflow: ${JSON.stringify(flow)}\n${snapshotToString(snapshot)}`);
            if (c === null) {
              if (expectBefore !== expectAfter)
                throw fail(`oracle: ${expectBefore} → ${expectAfter}, but the diff lists no change`);
              continue;
            }
            const change = diff.changes[c]!;
            if (expectBefore !== expectAfter) changed++;
            if (
              verdictOf(change.before, flow) !== expectBefore ||
              verdictOf(change.after, flow) !== expectAfter
            )
              throw fail(
                `diff: ${verdictOf(change.before, flow)} → ${verdictOf(change.after, flow)} (${change.status}), oracle: ${expectBefore} → ${expectAfter}`,
              );
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(compared).toBeGreaterThan(RUNS * FLOWS_PER_ESTATE * 0.5);
    expect(changed).toBeGreaterThan(RUNS / 4);
  });
});
