/** A RuleContext for rule tests: a snapshot compiled once, reachability computed on first use. */
import * as path from 'node:path';
import { computeReachability, type Reachability } from '../../../../src/analyze/reachability';
import { ReachabilityView } from '../../../../src/analyze/results';
import { runRules, type PackRule, type RuleContext } from '../../../../src/analyze/rules';
import { DEFAULT_RULE_SETTINGS } from '../../../../src/analyze/rules/rule';
import type { IntentEntry } from '../../../../src/analyze/intent';
import { importPaths } from '../../../../src/collect/files';
import type { Snapshot } from '../../../../src/model/snapshot';
import { compilePolicy, type ServiceTags } from '../../../../src/policy';
import type { Finding, FindingsResult } from '../../../../src/analyze/findings';

export const TODAY = '2026-06-01';

export function ruleContext(
  snapshot: Snapshot,
  options: {
    serviceTags?: ServiceTags;
    intent?: readonly IntentEntry[];
    settings?: Partial<RuleContext['settings']>;
  } = {},
): RuleContext {
  const engine = compilePolicy(snapshot, options.serviceTags ? { serviceTags: options.serviceTags } : {});
  let memo: { reach: Reachability; view: ReachabilityView } | null = null;
  return {
    snapshot,
    engine,
    reachability() {
      if (!memo) {
        const reach = computeReachability(engine);
        memo = { reach, view: new ReachabilityView(engine, reach) };
      }
      return memo;
    },
    intent: options.intent ? { file: 'intent.yaml', entries: options.intent } : null,
    observed: null,
    today: TODAY,
    settings: { ...DEFAULT_RULE_SETTINGS, ...options.settings },
  };
}

/** The findings of the given rules on a snapshot. */
export function findingsOf(
  snapshot: Snapshot,
  rules: readonly PackRule[],
  options: Parameters<typeof ruleContext>[1] = {},
): Finding[] {
  return runRules(ruleContext(snapshot, options), rules).findings;
}

export function resultOf(snapshot: Snapshot, rules: readonly PackRule[]): FindingsResult {
  return runRules(ruleContext(snapshot), rules);
}

/** A bundled sample imported from samples/<name>. */
export function sampleSnapshot(name: 'hub-spoke' | 'segmented'): Snapshot {
  const repo = path.join(__dirname, '..', '..', '..', '..');
  const outcome = importPaths([`samples/${name}`], repo);
  if (!outcome.snapshot) throw new Error(`sample ${name} does not import`);
  return outcome.snapshot;
}
