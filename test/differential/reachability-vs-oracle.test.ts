/**
 * Differential test of all-pairs reachability: for random estates, every random flow's verdict read
 * off the computed paths (the endpoint classes of its ends, the one path joining them, that path's
 * result) must equal the brute-force oracle's. A pair with no path must be denied. A second property
 * walks every ordered pair of internal classes, so the rectangles the pair matrix splits (classes one
 * table tells apart inside a block) are compared too, not only those random flows happen to reach.
 * Replay: FC_SEED=<seed> FC_RUNS=<runs> npx jest test/differential/reachability
 */
import fc from 'fast-check';
import {
  computeReachability,
  type EndpointClass,
  pathSources,
  pathTargets,
  type Reachability,
} from '../../src/analyze/reachability';
import { snapshotToString } from '../../src/model/snapshot-codec';
import { formatIpv4, parseIpv4 } from '../../src/net/address';
import { compilePolicy, type PolicyEngine } from '../../src/policy/engine';
import type { PairTraffic } from '../../src/policy';
import type { Flow, FlowEnd, FlowVerdict } from '../../src/policy/flow';
import { oracleVerdict } from '../oracle/evaluate-flow';
import { arbEstate, arbFlowPlan, arbServiceTags, flowFromPlan } from '../support/arbitraries';

const SEED = process.env.FC_SEED === undefined ? 20261126 : Number(process.env.FC_SEED);
const RUNS = process.env.FC_RUNS === undefined ? 150 : Number(process.env.FC_RUNS);
const FLOWS_PER_ESTATE = 30;
const PAIR_RUNS = Math.max(1, Math.round(RUNS / 3));

/** The classes an end can be: a subnet or public-group class exactly (an address a public group holds is that group); for an outside address, every external group holding it. */
function classesOf(engine: PolicyEngine, reach: Reachability, end: FlowEnd): Set<number> | null {
  if (end.kind === 'publicContainerGroup') {
    const c = reach.classes.find(
      (x) => x.kind === 'publicContainerGroup' && x.group!.id === end.containerGroupId,
    );
    return c ? new Set([c.index]) : null;
  }
  const ip = parseIpv4(end.ip)!;
  // A public group's address is that group's class, whatever kind of end names it (decision 4).
  const holder = reach.classes.find((x) => x.kind === 'publicContainerGroup' && x.ranges.has(ip));
  if (holder) return new Set([holder.index]);
  if (end.kind === 'subnet') {
    if (!engine.index.subnets.has(end.subnetId)) return null; // a subnet outside the snapshot is no class
    const c = reach.classes.find(
      (x) => x.kind === 'subnet' && x.subnet!.id === end.subnetId && x.ranges.has(ip),
    );
    if (!c) throw new Error(`no class holds ${end.ip} in ${end.subnetId}`);
    return new Set([c.index]);
  }
  return new Set(reach.classes.filter((x) => x.kind === 'external' && x.ranges.has(ip)).map((x) => x.index));
}

/** The verdict of a flow read off the reachability paths. */
function verdictFromPaths(engine: PolicyEngine, reach: Reachability, flow: Flow): FlowVerdict | null {
  const from = classesOf(engine, reach, flow.src);
  const to = classesOf(engine, reach, flow.dst);
  if (!from || !to) return null;
  const { paths } = reach;
  const matches: number[] = [];
  for (let i = 0; i < paths.count; i++) {
    if (!Array.from(pathSources(paths, i)).some((c) => from.has(c))) continue;
    if (!Array.from(pathTargets(paths, i)).some((c) => to.has(c))) continue;
    matches.push(i);
  }
  if (matches.length > 1)
    throw new Error(`${matches.length} paths join the flow's classes: ${JSON.stringify(flow)}`);
  if (matches.length === 0) return 'deny';
  const d = engine.decisions();
  return verdictIn(
    engine.trafficBetween(d[paths.out.get(matches[0]!)]!, d[paths.in.get(matches[0]!)]!),
    flow,
  );
}

/** A flow's verdict under a path's result (null: no path, so denied). */
function verdictIn(t: PairTraffic | null, flow: Flow): FlowVerdict {
  if (t === null) return 'deny';
  if (t.allow.has(flow.protocol, flow.srcPort, flow.dstPort)) return 'allow';
  if (t.unknown.has(flow.protocol, flow.srcPort, flow.dstPort)) return 'unknown';
  return 'deny';
}

/**
 * An address to itself is not a flow: no path may pair a one-address class with itself. Returns how
 * many (path, one-address source) cases it checked.
 */
function expectNoSelfPairs(reach: Reachability): number {
  let checked = 0;
  for (let i = 0; i < reach.paths.count; i++) {
    const targets = new Set(pathTargets(reach.paths, i));
    for (const c of pathSources(reach.paths, i)) {
      if (reach.classes[c]!.ranges.size() !== 1) continue;
      checked++;
      if (targets.has(c)) throw new Error(`path ${i} pairs the one-address class ${c} with itself`);
    }
  }
  return checked;
}

describe('all-pairs reachability vs oracle', () => {
  it(`reads the oracle's verdict off the paths on ${RUNS} random estates × ${FLOWS_PER_ESTATE} flows`, () => {
    let compared = 0;
    let loneChecked = 0;
    fc.assert(
      fc.property(
        arbEstate(),
        arbServiceTags(),
        fc.array(arbFlowPlan(), { minLength: FLOWS_PER_ESTATE, maxLength: FLOWS_PER_ESTATE }),
        (snapshot, serviceTags, plans) => {
          const engine = compilePolicy(snapshot, { serviceTags });
          const reach = computeReachability(engine);
          loneChecked += expectNoSelfPairs(reach);
          for (const plan of plans) {
            const flow = flowFromPlan(snapshot, plan);
            // Pairs with no policy on either side are not paths (nothing in the snapshot governs them).
            if (flow.src.kind !== 'subnet' && flow.dst.kind === 'external') continue;
            const actual = verdictFromPaths(engine, reach, flow);
            if (actual === null) continue;
            const expected = oracleVerdict(snapshot, flow, { serviceTags });
            compared++;
            if (actual !== expected) {
              throw new Error(
                `paths say ${actual}, oracle says ${expected}\nflow: ${JSON.stringify(flow)}\n${snapshotToString(snapshot)}`,
              );
            }
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(compared).toBeGreaterThan(RUNS * FLOWS_PER_ESTATE * 0.5);
    // One-address classes (public container groups, /32 slices) occurred as sources and were checked.
    expect(loneChecked).toBeGreaterThan(RUNS);
  });

  it(`reads the oracle's verdict off the paths for every pair of internal classes on ${PAIR_RUNS} random estates`, () => {
    let compared = 0;
    let split = 0;
    fc.assert(
      fc.property(
        arbEstate(),
        arbServiceTags(),
        fc.array(arbFlowPlan(), { minLength: 2, maxLength: 2 }),
        (snapshot, serviceTags, plans) => {
          const engine = compilePolicy(snapshot, { serviceTags });
          const reach = computeReachability(engine);
          const internal = reach.classes.filter((c) => c.kind !== 'external');
          const N = reach.classes.length;
          const pathOf = new Map<number, number>();
          for (let i = 0; i < reach.paths.count; i++)
            for (const s of pathSources(reach.paths, i))
              for (const t of pathTargets(reach.paths, i)) {
                if (pathOf.has(s * N + t)) throw new Error(`classes ${s} → ${t} are on two paths`);
                pathOf.set(s * N + t, i);
              }
          const d = engine.decisions();
          for (const from of internal) {
            // Source classes of one block that some inbound table tells apart: the split rectangles.
            const sameBlock = internal.filter(
              (c) => c !== from && c.subnet === from.subnet && c.outKey === from.outKey,
            );
            if (sameBlock.length > 0) split++;
            for (const to of internal) {
              const srcIp = from.ranges.first()!;
              const src = endOf(from, srcIp);
              // An address to itself is no flow (decision 6), also across overlapping VNets: take the
              // class's last address then, or skip a one-address class.
              const dstIp =
                to.ranges.first() !== srcIp ? to.ranges.first()! : [...to.ranges.intervals()].at(-1)![1];
              if (dstIp === srcIp) continue;
              const dst = endOf(to, dstIp);
              const i = pathOf.get(from.index * N + to.index);
              const t =
                i === undefined
                  ? null
                  : engine.trafficBetween(d[reach.paths.out.get(i)]!, d[reach.paths.in.get(i)]!);
              for (const plan of plans) {
                const flow: Flow = {
                  src,
                  dst,
                  protocol: plan.protocol,
                  srcPort: plan.srcPort,
                  dstPort: plan.dstPort,
                };
                const actual = verdictIn(t, flow);
                const expected = oracleVerdict(snapshot, flow, { serviceTags });
                compared++;
                if (actual !== expected)
                  throw new Error(
                    `paths say ${actual}, oracle says ${expected}\nflow: ${JSON.stringify(flow)}\n${snapshotToString(snapshot)}`,
                  );
              }
            }
          }
        },
      ),
      { seed: SEED, numRuns: PAIR_RUNS },
    );
    expect(compared).toBeGreaterThan(PAIR_RUNS * 20);
    // Blocks with several source classes occurred (what the split rectangles need).
    expect(split).toBeGreaterThan(PAIR_RUNS / 4);
  });
});

/** The flow end of an address of an internal class. */
function endOf(c: EndpointClass, ip: number): FlowEnd {
  return c.kind === 'publicContainerGroup'
    ? { kind: 'publicContainerGroup', containerGroupId: c.group!.id }
    : { kind: 'subnet', subnetId: c.subnet!.id, ip: formatIpv4(ip) };
}
