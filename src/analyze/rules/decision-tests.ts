/**
 * Facts of side decisions, read by decision id: rules read them for millions of paths that share a
 * few thousand decisions, so each is computed once per decision and kept in a typed array.
 */
import type { Decision, PolicyEngine } from '../../policy';

/**
 * A memoized test of decisions by id. It reads the engine's decisions when it meets an id it has
 * not sized for, so it may be made before the side tables are built (the pair matrix tests while
 * they are being read).
 */
export function decisionTest(engine: PolicyEngine, test: (d: Decision) => boolean): (id: number) => boolean {
  let decisions = engine.decisions();
  // 0 not yet tested, 1 passes, 2 fails.
  let memo = new Int8Array(decisions.length);
  return (id) => {
    if (id >= memo.length) {
      decisions = engine.decisions();
      // Doubled at least: decisions made one at a time between tests must not copy the memo each time.
      const grown = new Int8Array(Math.max(decisions.length, 2 * memo.length));
      grown.set(memo);
      memo = grown;
    }
    let v = memo[id]!;
    if (v === 0) memo[id] = v = test(decisions[id]!) ? 1 : 2;
    return v === 1;
  };
}

/** ACI003's test of a side: it allows every TCP port whatever the unknowns. */
export function allowsEveryTcpPort(d: Decision): boolean {
  return d.sure.tcp.isFull;
}

/** ACI011's test of a side: its verdict may depend on an unknown. */
export function mayBeUnknown(d: Decision): boolean {
  return d.vars.length > 0 || d.leaves.some((l) => !l.unknown.isEmpty);
}
