/**
 * Shared by ACI008 (shadowed-rule) and ACI009 (redundant-rule): the engine's rule coverage of every
 * NSG in the snapshot, computed once per engine, and the one finding per NSG each rule makes.
 */
import type { NetworkSecurityGroup, Snapshot } from '../../model/snapshot';
import type { NsgRuleCoverage, PolicyEngine } from '../../policy';
import type { FindingCoverage, FindingResource, FindingRuleRef } from '../findings';
import type { FindingDraft } from './rule';
import { namesText, nsgResource } from './flow-words';

type RuleRef = NsgRuleCoverage['rules'][number];

/** One custom rule the coverage reports, with what decides its traffic instead. */
export interface CoveredRule {
  rule: RuleRef;
  shadowed: boolean;
  matchesNothing: boolean;
  covering: RuleRef[];
}

/** The removable rules of one NSG (both directions, evaluation order), and how many subnet contexts it has. */
export interface NsgCoverage {
  nsg: NetworkSecurityGroup;
  nsgIndex: number;
  rules: CoveredRule[];
  contexts: number;
}

const memo = new WeakMap<PolicyEngine, NsgCoverage[]>();

/** Every NSG that applies to a subnet and has removable custom rules, in snapshot order. */
export function nsgCoverages(snapshot: Snapshot, engine: PolicyEngine): NsgCoverage[] {
  let found = memo.get(engine);
  if (found) return found;
  found = [];
  snapshot.networkSecurityGroups.forEach((nsg, nsgIndex) => {
    const rules: CoveredRule[] = [];
    let contexts = 0;
    for (const c of engine.nsgRuleCoverage(nsg.id)) {
      contexts = c.contexts;
      c.rules.forEach((rule, i) => {
        if (!c.removable[i]) return;
        rules.push({
          rule,
          shadowed: c.shadowed[i]!,
          matchesNothing: c.matchesNothing[i]!,
          covering: c.coveredBy[i]!.map((j) => c.rules[j]!),
        });
      });
    }
    if (rules.length > 0) found!.push({ nsg, nsgIndex, rules, contexts });
  });
  memo.set(engine, found);
  return found;
}

/** A rule as a finding names it. */
export function findingRuleOf(r: RuleRef): FindingRuleRef {
  return {
    id: r.id,
    policy: 'nsg',
    containerName: r.ownerName,
    name: r.name,
    direction: r.direction,
    priority: r.priority,
    access: r.access === 'Deny' ? 'Deny' : 'Allow',
    isDefault: r.isDefault,
  };
}

/** `allow-ssh (Inbound, 200)` */
export function ruleWords(r: RuleRef): string {
  return `${r.name} (${r.direction}, ${r.priority})`;
}

/** Clauses joined by `; `, at most `limit` of them, then how many more (clauses may hold commas). */
export function clauses(items: readonly string[], limit: number): string {
  const shown = items.slice(0, limit).join('; ');
  return items.length > limit ? `${shown} and ${items.length - limit} more` : shown;
}

/** How a rule's coverers read: `allow-all (Inbound, 100), deny-x (Inbound, 200)`. */
export function coveringWords(c: CoveredRule): string {
  return namesText(c.covering.map(ruleWords), 3);
}

export function subnetWords(n: NsgCoverage): string {
  return n.contexts === 1 ? 'every subnet it applies to' : `all ${n.contexts} subnet contexts it applies to`;
}

/** How many reported rules a finding details in `rules` and `resources` (`coverage` lists them all). */
export const RULES_DETAILED = 3;

/**
 * The one finding of an NSG for the rules chosen: resources (the NSG) and rules (chosen
 * first, then their coverers) for the first RULES_DETAILED rules, the coverage of every rule by name,
 * and an identity of NSG and rule names.
 */
export function nsgFinding(
  n: NsgCoverage,
  chosen: readonly CoveredRule[],
  message: string,
): Omit<FindingDraft, 'severity'> {
  const detailed = chosen.slice(0, RULES_DETAILED);
  const rules = new Map<string, FindingRuleRef>();
  for (const c of detailed) rules.set(c.rule.id, findingRuleOf(c.rule));
  for (const c of detailed)
    for (const r of c.covering) if (!rules.has(r.id)) rules.set(r.id, findingRuleOf(r));
  // The rules themselves are in `rules` (with their IDs): the resource to change is the NSG.
  const resources: FindingResource[] = [nsgResource(n.nsg)];
  return {
    message,
    resources,
    flows: [],
    flowsOmitted: 0,
    rules: [...rules.values()],
    coverage: coverageEntries(chosen),
    explain: null,
    location: { snapshotPointer: `/networkSecurityGroups/${n.nsgIndex}` },
    identity: [n.nsg.id, ...chosen.map((c) => `${c.rule.direction}/${c.rule.name}`)],
  };
}

/** The chosen rules by (direction, coverers), in the order each group first appears. */
function coverageEntries(chosen: readonly CoveredRule[]): FindingCoverage[] {
  const byCoverers = new Map<string, FindingCoverage>();
  for (const c of chosen) {
    const coveredBy = c.covering.map((r) => r.name);
    // Length-prefixed names: one key per (direction, list) whatever the names hold, cheaper than JSON.
    let key = c.rule.direction;
    for (const name of coveredBy) key += `|${name.length}:${name}`;
    const entry = byCoverers.get(key);
    if (entry) entry.rules.push(c.rule.name);
    else byCoverers.set(key, { direction: c.rule.direction, rules: [c.rule.name], coveredBy });
  }
  return [...byCoverers.values()];
}
