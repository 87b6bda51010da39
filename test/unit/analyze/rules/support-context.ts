/** A RuleContext for the exposure rule tests: intent, settings and the bundled samples. */
import * as path from 'node:path';
import { runRules, type PackRule, type RuleContext } from '../../../../src/analyze/rules';
import { DEFAULT_RULE_SETTINGS } from '../../../../src/analyze/rules/rule';
import type { IntentEntry } from '../../../../src/analyze/intent';
import { importPaths } from '../../../../src/collect/files';
import type { Snapshot } from '../../../../src/model/snapshot';
import type { ServiceTags } from '../../../../src/policy';
import { ruleContext as baseContext } from './rule-context';
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
  // The proof rules' context (rule-context.ts), with an intent file, settings and a fixed date.
  return {
    ...baseContext(snapshot, options.serviceTags ? { serviceTags: options.serviceTags } : {}),
    intent: options.intent ? { file: 'intent.yaml', entries: options.intent } : null,
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
