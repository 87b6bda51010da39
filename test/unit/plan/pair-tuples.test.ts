/**
 * The effect's shortcuts checked against the plain set algebra they replace: counting the tuples of a
 * meet without building it, and the union of many pairs' meets gathered per fixed side.
 * Replay: FC_SEED=<seed> FC_RUNS=<runs> npx jest test/unit/plan/pair-tuples
 */
import fc from 'fast-check';
import { computeReachability } from '../../../src/analyze/reachability';
import { compilePolicy, PortRegion, TrafficSet, type Decision } from '../../../src/policy';
import { tupleCount } from '../../../src/plan/compare';
import { AllowUnion, meetTupleCount, PairTuples } from '../../../src/plan/pair-tuples';
import { IntervalSet, portDomain } from '../../../src/net/interval-set';
import { arbEstate, arbPortSet, arbServiceTags } from '../../support/arbitraries';

const SEED = process.env.FC_SEED === undefined ? 20261201 : Number(process.env.FC_SEED);
const RUNS = process.env.FC_RUNS === undefined ? 60 : Number(process.env.FC_RUNS);

const FULL = IntervalSet.full(portDomain);

/** A region of up to three rectangles, often over every source port (the shape most rules have). */
const arbRegion: fc.Arbitrary<PortRegion> = fc
  .array(fc.tuple(fc.oneof(fc.constant(FULL), arbPortSet(2)), arbPortSet(3)), { maxLength: 3 })
  .map((rects) => rects.reduce((r, [src, dst]) => r.union(PortRegion.of(src, dst)), PortRegion.empty));

const arbTraffic: fc.Arbitrary<TrafficSet> = fc
  .tuple(arbRegion, arbRegion, fc.boolean())
  .map(([tcp, udp, icmp]) => new TrafficSet(tcp, udp, icmp));

it('counts the tuples of a meet as the meet itself has them', () => {
  fc.assert(
    fc.property(arbTraffic, arbTraffic, (a, b) => {
      expect(meetTupleCount(a, b)).toBe(Number(tupleCount(a.intersect(b))));
    }),
    { seed: SEED, numRuns: RUNS * 20 },
  );
});

it('counts layered regions whose source ports do not overlap as meeting nowhere', () => {
  const low = IntervalSet.range(portDomain, 0, 1023);
  const high = IntervalSet.range(portDomain, 1024, 65535);
  const p443 = IntervalSet.range(portDomain, 443, 443);
  const a = new TrafficSet(PortRegion.of(low, p443), PortRegion.empty, false);
  const b = new TrafficSet(PortRegion.of(high, p443), PortRegion.empty, false);
  expect(meetTupleCount(a, b)).toBe(0);
  expect(meetTupleCount(a, a)).toBe(1);
});

it('tells each path of a random estate the tuples the engine meet allows, and unions them per pair exactly', () => {
  fc.assert(
    fc.property(
      arbEstate(),
      arbServiceTags(),
      fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 40 }),
      (snapshot, serviceTags, picks) => {
        const engine = compilePolicy(snapshot, serviceTags ? { serviceTags } : {});
        const { paths } = computeReachability(engine);
        const tuples = new PairTuples(engine.decisions());
        const allowOf = (i: number) =>
          engine.trafficBetween(engine.decision(paths.out.get(i)), engine.decision(paths.in.get(i))).allow;
        for (let i = 0; i < paths.count; i++)
          expect(tuples.of(paths.out.get(i), paths.in.get(i))).toBe(Number(tupleCount(allowOf(i))));
        if (paths.count === 0) return;
        const union = new AllowUnion();
        let expected = TrafficSet.none;
        for (const [n, fixedIsOut] of picks) {
          const i = n % paths.count;
          union.add(engine.decision(paths.out.get(i)), engine.decision(paths.in.get(i)), fixedIsOut);
          expected = expected.union(allowOf(i));
        }
        expect(union.result().equals(expected)).toBe(true);
      },
    ),
    { seed: SEED, numRuns: RUNS },
  );
});

/** Decisions over unknowns 0–3 (a leaf per assignment), with traffic ids no compiled decision has. */
let nextTraffic = 1 << 24;
const arbDecision: fc.Arbitrary<Decision> = fc.subarray([0, 1, 2, 3], { maxLength: 3 }).chain((vars) =>
  fc.array(arbTraffic, { minLength: 1 << vars.length, maxLength: 1 << vars.length }).map((allows) => {
    const leaves = allows.map((allow) => ({ allow, unknown: TrafficSet.none, deciders: [] }));
    const decision = {
      id: -1,
      traffic: nextTraffic++,
      vars,
      leaves,
      deciders: [],
      decidersOnce: () => [],
      sure: allows.reduce((a, b) => a.intersect(b)),
      possible: allows.reduce((a, b) => a.union(b)),
    };
    return decision as unknown as Decision;
  }),
);

/** Certainly allowed: allowed under every joint assignment of both decisions' unknowns. */
function certainlyAllowed(out: Decision, inbound: Decision): TrafficSet {
  const vars = [...new Set([...out.vars, ...inbound.vars])];
  const leafOf = (d: Decision, mask: number) =>
    d.leaves[d.vars.reduce((m, v, i) => m | (mask & (1 << vars.indexOf(v)) ? 1 << i : 0), 0)]!.allow;
  let allow = TrafficSet.all;
  for (let mask = 0; mask < 1 << vars.length; mask++)
    allow = allow.intersect(leafOf(out, mask).intersect(leafOf(inbound, mask)));
  return allow;
}

it('counts and unions pairs of decisions over unknowns, shared or not, as every assignment allows', () => {
  const engine = compilePolicy(fc.sample(arbEstate(), { seed: SEED, numRuns: 1 })[0]!);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(arbDecision, arbDecision, fc.boolean()), { minLength: 1, maxLength: 6 }),
      (pairs) => {
        // Counted by position in a list of their own (these decisions are in no store).
        const tuples = new PairTuples(pairs.flatMap(([out, inbound]) => [out, inbound]));
        const union = new AllowUnion();
        let expected = TrafficSet.none;
        for (const [k, [out, inbound, fixedIsOut]] of pairs.entries()) {
          const allow = certainlyAllowed(out, inbound);
          expect(engine.trafficBetween(out, inbound).allow.equals(allow)).toBe(true);
          expect(tuples.of(2 * k, 2 * k + 1)).toBe(Number(tupleCount(allow)));
          union.add(out, inbound, fixedIsOut);
          expected = expected.union(allow);
        }
        expect(union.result().equals(expected)).toBe(true);
      },
    ),
    { seed: SEED, numRuns: RUNS * 10 },
  );
});
