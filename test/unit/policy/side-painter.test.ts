/**
 * The side painter turns rules into bit sets over port cells and back: what it decodes must be the
 * canonical traffic set that the set algebra gives for the same rules (first match: a later rule only
 * gets what earlier rules left), so equal sets intern to one instance.
 */
import fc from 'fast-check';
import { SymbolicAddressSet } from '../../../src/policy/sets/address-sets';
import { IntervalSet, portDomain } from '../../../src/net/interval-set';
import { PortRegion } from '../../../src/policy/sets/port-region';
import { DecisionStore } from '../../../src/policy/compile/decision';
import { SidePainter } from '../../../src/policy/compile/side-painter';
import type { CompiledRule } from '../../../src/policy/compile/side-policy';
import { TrafficSet } from '../../../src/policy/sets/traffic';
import { arbPortSet } from '../../support/arbitraries';

const ports = arbPortSet(2);
// Source ports restricted or not: restricted ones give the painter several source atoms.
const srcPorts = fc.oneof(fc.constant(IntervalSet.full(portDomain)), ports);
const region = fc
  .array(fc.tuple(srcPorts, ports), { minLength: 0, maxLength: 2 })
  .map((rs) => rs.reduce((acc, [s, d]) => acc.union(PortRegion.of(s, d)), PortRegion.empty));
const traffic = fc
  .tuple(region, region, fc.boolean())
  .map(([tcp, udp, icmp]) => new TrafficSet(tcp, udp, icmp));
const rules = fc.array(fc.tuple(fc.constantFrom('allow' as const, 'deny' as const), traffic), {
  minLength: 1,
  maxLength: 4,
});

/** The rules as compiled rules of one NSG (every address), and a painter for them. */
function painted(list: ['allow' | 'deny', TrafficSet][], store: DecisionStore | null) {
  const compiled: CompiledRule[] = list.map(([action, t], ref) => ({
    ref,
    action,
    traffic: t,
    src: SymbolicAddressSet.all,
    dst: SymbolicAddressSet.all,
  }));
  const nsg = { kind: 'rules' as const, nsgId: 'n', rules: compiled };
  return { compiled, painter: new SidePainter(compiled, nsg, false, store?.traffic ?? null) };
}

describe('side painter', () => {
  it.each([
    ['on its own', false],
    ["sharing a store's traffic sets", true],
  ])('decodes the canonical traffic that first-match evaluation of the rules allows (%s)', (_, shared) => {
    fc.assert(
      fc.property(rules, (list) => {
        const store = shared ? new DecisionStore() : null;
        const { compiled, painter } = painted(list, store);
        let state = painter.enterNsgLayer(painter.initial);
        let allowed = TrafficSet.none;
        let left = TrafficSet.all;
        for (const rule of compiled) {
          state = painter.step(state, [rule], ['T']);
          if (rule.action === 'allow') allowed = allowed.union(left.intersect(rule.traffic));
          left = left.subtract(rule.traffic);
        }
        const [leaf] = painter.finish([state]);
        expect(leaf!.allow.key()).toBe(allowed.key());
        expect(leaf!.allow.equals(allowed)).toBe(true);
        expect(leaf!.unknown.isEmpty).toBe(true);
        // Shared: the store's one instance of that set.
        if (store) expect(leaf!.allow).toBe(store.traffic.canonical(allowed));
      }),
      { numRuns: 500 },
    );
  });

  it("summarizes several final states as their leaves' intersection (sure) and union (possible)", () => {
    const matches = fc.array(fc.constantFrom('T' as const, 'M' as const), { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(rules, fc.array(matches, { minLength: 1, maxLength: 3 }), (list, assignments) => {
        const store = new DecisionStore();
        const { compiled, painter } = painted(list, store);
        // One final state per assignment: maybe-matches leave traffic unknown.
        const ids = assignments.map((m) =>
          compiled.reduce(
            (state, rule, i) => painter.step(state, [rule], [m[i]!]),
            painter.enterNsgLayer(painter.initial),
          ),
        );
        const leaves = painter.finish(ids);
        const sure = leaves.reduce((acc, l) => acc.intersect(l.allow), TrafficSet.all);
        const possible = leaves.reduce((acc, l) => acc.union(l.allow).union(l.unknown), TrafficSet.none);
        const summary = painter.summary(ids);
        expect(summary.sure.equals(sure)).toBe(true);
        expect(summary.possible.equals(possible)).toBe(true);
        // The store's instances, as the leaves are.
        expect(summary.sure).toBe(store.traffic.canonical(sure));
        expect(summary.possible).toBe(store.traffic.canonical(possible));
      }),
      { numRuns: 500 },
    );
  });
});
