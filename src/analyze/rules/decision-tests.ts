/**
 * Facts of side decisions, read by decision id: rules read them for millions of paths that share a
 * few thousand decisions, so each is computed once per decision and kept in a typed array.
 */
import type { Decision, PolicyEngine } from '../../policy';
import { withLength } from '../../util/typed-arrays';

/** The memoized tests made so far, per engine and test: a rule's path test and its run share one. */
const made = new WeakMap<PolicyEngine, Map<(d: Decision) => boolean, (id: number) => boolean>>();

/**
 * A memoized test of decisions by id, one per engine and test (what the pair matrix asked of a
 * decision is not asked again by the rule). It reads the engine's decisions when it meets an id it
 * has not sized for, so it may be made before the side tables are built.
 */
export function decisionTest(engine: PolicyEngine, test: (d: Decision) => boolean): (id: number) => boolean {
  let byTest = made.get(engine);
  if (byTest === undefined) made.set(engine, (byTest = new Map()));
  let memoized = byTest.get(test);
  if (memoized === undefined) {
    let decisions = engine.decisions();
    // 0 not yet tested, 1 passes, 2 fails.
    let memo = new Uint8Array(decisions.length);
    memoized = (id) => {
      if (id >= memo.length) {
        decisions = engine.decisions();
        memo = withLength(memo, decisions.length);
      }
      let v = memo[id]!;
      if (v === 0) memo[id] = v = test(decisions[id]!) ? 1 : 2;
      return v === 1;
    };
    byTest.set(test, memoized);
  }
  return memoized;
}

/** ACI003's test of a side: it allows every TCP port whatever the unknowns. */
export function allowsEveryTcpPort(d: Decision): boolean {
  return d.sure.tcp.isFull;
}

/** ACI011's test of a side: its verdict may depend on an unknown. */
export function mayBeUnknown(d: Decision): boolean {
  return d.vars.length > 0 || d.leaves.some((l) => !l.unknown.isEmpty);
}
