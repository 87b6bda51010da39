/**
 * The decision store's shortcuts must agree with the full computation: `mayPass` (used for every pair
 * of all-pairs reachability) with the meet's traffic, and interned traffic with the set it stands for.
 */
import fc from 'fast-check';
import { DecisionStore, type Leaf } from '../../../src/policy/compile/decision';
import { IntervalSet, portDomain } from '../../../src/net/interval-set';
import { PortRegion } from '../../../src/policy/sets/port-region';
import { TrafficSet } from '../../../src/policy/sets/traffic';

const ports = fc
  .array(
    fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 8 })).map(([lo, w]) => [lo, lo + w]),
    { minLength: 1, maxLength: 2 },
  )
  .map((l) => IntervalSet.of(portDomain, l as [number, number][]));
// Sparse traffic, so that decisions which overlap only under different assignments are common.
const region = fc.oneof(
  { arbitrary: fc.constant(PortRegion.empty), weight: 3 },
  { arbitrary: fc.constant(PortRegion.full), weight: 1 },
  { arbitrary: fc.tuple(ports, ports).map(([s, d]) => PortRegion.of(s, d)), weight: 2 },
  // Destination ports for any source port (the bounds fast path), and two rectangles (layered).
  { arbitrary: ports.map((d) => PortRegion.of(IntervalSet.full(portDomain), d)), weight: 2 },
  {
    arbitrary: fc
      .tuple(ports, ports, ports, ports)
      .map(([s1, d1, s2, d2]) => PortRegion.of(s1, d1).union(PortRegion.of(s2, d2))),
    weight: 2,
  },
);
const traffic = fc
  .tuple(
    region,
    region,
    fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
  )
  .map(([tcp, udp, icmp]) => new TrafficSet(tcp, udp, icmp));
const leaf = fc
  .record({ allow: traffic, unknown: traffic })
  .map((l): Leaf => ({ allow: l.allow, unknown: l.unknown.subtract(l.allow) }));
/** A decision over a subset of variables 0 and 1, with one leaf per assignment. */
const decisionSpec = fc
  .subarray([0, 1])
  .chain((vars) =>
    fc
      .array(leaf, { minLength: 1 << vars.length, maxLength: 1 << vars.length })
      .map((leaves) => ({ vars, leaves })),
  );

describe('decision store', () => {
  it('mayPass agrees with the meet of the two decisions', () => {
    fc.assert(
      fc.property(decisionSpec, decisionSpec, (a, b) => {
        const store = new DecisionStore();
        const out = store.create(a.vars, a.leaves, () => []);
        const inbound = store.create(b.vars, b.leaves, () => []);
        const expected = (() => {
          const t = new DecisionStore().trafficBetween(out, inbound);
          return !t.allow.isEmpty || !t.unknown.isEmpty;
        })();
        expect(store.mayPass(out.id, inbound.id)).toBe(expected);
        // Asked again (memoized), and after the full meet is known: the same answer.
        expect(store.mayPass(out.id, inbound.id)).toBe(expected);
        const t = store.trafficBetween(out, inbound);
        expect(!t.allow.isEmpty || !t.unknown.isEmpty).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('interned traffic is equal to the set given and shared between equal sets', () => {
    fc.assert(
      fc.property(traffic, (t) => {
        const store = new DecisionStore();
        const copy = t.union(TrafficSet.none).intersect(TrafficSet.all);
        const a = store.traffic.canonical(t);
        expect(a.equals(t)).toBe(true);
        expect(store.traffic.canonical(copy)).toBe(a);
        expect(store.traffic.id(copy)).toBe(store.traffic.id(t));
      }),
    );
  });

  it('a set found by its destination bounds is the canonical instance of that set, and of no other', () => {
    const bounds = ports.map((p) => p.intervals().flat());
    const fields = fc.tuple(
      fc.oneof(bounds, fc.constant<number[]>([])),
      fc.oneof(bounds, fc.constant<number[]>([])),
      fc.boolean(),
    );
    fc.assert(
      fc.property(fc.array(fields, { minLength: 1, maxLength: 6 }), traffic, (asked, earlier) => {
        const store = new DecisionStore();
        // Sets interned before (by canonical) are found, not made again.
        store.traffic.canonical(earlier);
        for (const [tcp, udp, icmp] of asked) {
          const expected = TrafficSet.anySourcePort(tcp, udp, icmp);
          const found = store.traffic.anySourcePort(tcp, udp, icmp);
          expect(found.equals(expected)).toBe(true);
          expect(found).toBe(store.traffic.canonical(expected));
          expect(store.traffic.anySourcePort([...tcp], [...udp], icmp)).toBe(found);
        }
      }),
      { numRuns: 300 },
    );
    // Every port from every source port is the full region, found as such.
    const store = new DecisionStore();
    expect(store.traffic.anySourcePort([0, 65535], [0, 65535], true).isAll).toBe(true);
    expect(store.traffic.anySourcePort([], [], false).isEmpty).toBe(true);
    expect(store.traffic.anySourcePort([80, 80], [], false)).not.toBe(
      store.traffic.anySourcePort([], [80, 80], false),
    );
  });
});
