/** A rule context over a hand-made snapshot, as `analyze` builds it (for rule tests). */
import type { Snapshot } from '../../../../src/model/snapshot';
import { compilePolicy } from '../../../../src/policy';
import type { ServiceTags } from '../../../../src/policy';
import { computeReachability, type Reachability } from '../../../../src/analyze/reachability';
import { ReachabilityView } from '../../../../src/analyze/results';
import {
  DEFAULT_RULE_SETTINGS,
  runRules,
  type ObservedFlowsInput,
  type PackRule,
  type RuleContext,
} from '../../../../src/analyze/rules';
import type { Finding } from '../../../../src/analyze/findings';

export function ruleContext(
  snapshot: Snapshot,
  options: { serviceTags?: ServiceTags; observed?: ObservedFlowsInput } = {},
): RuleContext {
  const engine = compilePolicy(snapshot, { serviceTags: options.serviceTags });
  let reach: { reach: Reachability; view: ReachabilityView } | null = null;
  return {
    snapshot,
    engine,
    reachability() {
      if (reach === null) {
        const r = computeReachability(engine);
        reach = { reach: r, view: new ReachabilityView(engine, r) };
      }
      return reach;
    },
    intent: null,
    observed: options.observed ?? null,
    today: '2026-12-01',
    settings: DEFAULT_RULE_SETTINGS,
  };
}

/** The findings of one rule on a snapshot. */
export function findingsOf(
  rule: PackRule,
  snapshot: Snapshot,
  options: { serviceTags?: ServiceTags; observed?: ObservedFlowsInput } = {},
): Finding[] {
  return runRules(ruleContext(snapshot, options), [rule]).findings;
}
