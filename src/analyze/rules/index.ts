/**
 * The rule pack and its runner. Each rule lives in a file of its own in this folder and is listed in
 * RULES in ID order; test/unit/analyze/rules/catalogue.test.ts pins IDs, titles and severities.
 */
import {
  compareFindings,
  countBySeverity,
  findingFingerprint,
  RESOURCES_PER_FINDING,
  RULES_PER_FINDING,
  type Finding,
  type FindingsResult,
} from '../findings';
import type { PackRule, RuleContext } from './rule';
import { aci001 } from './aci001-public-container-group';
import { aci002 } from './aci002-internet-inbound';
import { aci003 } from './aci003-flat-network';
import { aci004 } from './aci004-over-broad-allow-rule';
import { aci005 } from './aci005-internet-outbound';
import { aci006 } from './aci006-subnet-without-nsg';
import { aci007 } from './aci007-nsg-unattached';
import { aci010 } from './aci010-virtualnetwork-tag-widened';
import { aci011 } from './aci011-unknown-verdict';
import { aci012 } from './aci012-intent-violation';
import { shadowedRule } from './aci008-shadowed-rule';
import { redundantRule } from './aci009-redundant-rule';
import { observedFlowDenied } from './aci013-observed-flow-denied';
import { unobservedOpenPath } from './aci014-unobserved-open-path';
import { expiredAcceptance } from './aci015-expired-acceptance';
import type { PairTest } from '../reachability';

export type {
  FindingDraft,
  ObservedFlowInput,
  ObservedFlowsInput,
  PackRule,
  PairPaths,
  RuleContext,
  RuleSettings,
} from './rule';
export { DEFAULT_RULE_SETTINGS } from './rule';

/**
 * The pair-matrix paths some rule of `rules` reads (see PackRule.pairPaths), as a test of a path's two
 * side decisions; null when some rule reads every path. Standalone rules read no reachability.
 */
export function pairPathsRead(context: RuleContext, rules: readonly PackRule[]): PairTest | null {
  const tests: PairTest[] = [];
  for (const rule of rules) {
    if (rule.standalone === true) continue;
    const read = rule.pairPaths?.(context) ?? 'all';
    if (read === 'all') return null;
    if (read !== 'none') tests.push(read);
  }
  if (tests.length === 0) return () => false;
  // Joined two by two, not by a loop over the list: the pair matrix asks for millions of rectangles.
  return tests.reduce((either, test) => (outId, inId) => either(outId, inId) || test(outId, inId));
}

/** The pack, in ID order. */
export const RULES: readonly PackRule[] = [
  aci001,
  aci002,
  aci003,
  aci004,
  aci005,
  aci006,
  aci007,
  shadowedRule,
  redundantRule,
  aci010,
  aci011,
  aci012,
  observedFlowDenied,
  unobservedOpenPath,
  expiredAcceptance,
];

/** Rules and resources beyond the per-finding caps, counted instead of listed (the fingerprint does not read them). */
function capped(draft: Pick<Finding, 'rules' | 'rulesOmitted' | 'resources' | 'resourcesOmitted'>) {
  const out: Partial<Finding> = {};
  if (draft.rules.length > RULES_PER_FINDING) {
    out.rules = draft.rules.slice(0, RULES_PER_FINDING);
    out.rulesOmitted = (draft.rulesOmitted ?? 0) + draft.rules.length - RULES_PER_FINDING;
  }
  if (draft.resources.length > RESOURCES_PER_FINDING) {
    out.resources = draft.resources.slice(0, RESOURCES_PER_FINDING);
    out.resourcesOmitted = (draft.resourcesOmitted ?? 0) + draft.resources.length - RESOURCES_PER_FINDING;
  }
  return out;
}

/**
 * Runs the rules on one context: drafts become findings (metadata filled in, fingerprinted), sorted by
 * severity, risk, rule and fingerprint. Two drafts of one rule with the same identity are a bug in the rule.
 */
export function runRules(context: RuleContext, rules: readonly PackRule[] = RULES): FindingsResult {
  return packResult(ruleFindings(context, rules), rules, context.observed?.window ?? null);
}

/**
 * The result of a pack from its findings, which may have been made in parts (some rules on a worker
 * thread): sorted, so the same findings give the same result however they were split.
 */
export function packResult(
  findings: Finding[],
  rules: readonly PackRule[],
  window: FindingsResult['window'],
): FindingsResult {
  findings.sort(compareFindings);
  return {
    findings,
    counts: countBySeverity(findings),
    accepted: 0,
    rules: rules.map((r) => r.meta),
    window,
  };
}

/** The findings of some rules on one context, unsorted. */
export function ruleFindings(context: RuleContext, rules: readonly PackRule[]): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const seen = new Set<string>();
    for (const draft of rule.run(context)) {
      const { identity, ...rest } = draft;
      const fingerprint = findingFingerprint(rule.meta.id, identity);
      if (seen.has(fingerprint))
        throw new Error(`rule ${rule.meta.id} made two findings with one identity (${identity.join(' ')})`);
      seen.add(fingerprint);
      findings.push({
        ...rest,
        ...capped(rest),
        ruleId: rule.meta.id,
        severity: draft.severity ?? rule.meta.severity,
        title: draft.title ?? rule.meta.title,
        remediation: draft.remediation ?? rule.meta.remediation,
        controls: rule.meta.controls,
        fingerprint,
        accepted: null,
      });
    }
  }
  return findings;
}
