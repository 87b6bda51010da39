/**
 * Shared by ACI008 (shadowed-rule) and ACI009 (redundant-rule): the engine's rule coverage of every
 * NSG in the snapshot, computed once per engine, and the finding parts both rules print.
 */
import type { NetworkSecurityGroup, Snapshot } from '../../model/snapshot';
import type { NsgRuleCoverage, PolicyEngine } from '../../policy';
import type { FindingResource, FindingRuleRef } from '../findings';

type RuleRef = NsgRuleCoverage['rules'][number];

/** One custom rule the coverage reports, with what decides its traffic instead. */
export interface CoveredRule {
  nsg: NetworkSecurityGroup;
  nsgIndex: number;
  direction: 'Inbound' | 'Outbound';
  rule: RuleRef;
  shadowed: boolean;
  matchesNothing: boolean;
  covering: RuleRef[];
  contexts: number;
}

const memo = new WeakMap<PolicyEngine, CoveredRule[]>();

/** Every removable custom rule of every NSG that applies to a subnet, in snapshot order. */
export function coveredRules(snapshot: Snapshot, engine: PolicyEngine): CoveredRule[] {
  let found = memo.get(engine);
  if (found) return found;
  found = [];
  snapshot.networkSecurityGroups.forEach((nsg, nsgIndex) => {
    for (const c of engine.nsgRuleCoverage(nsg.id)) {
      c.rules.forEach((rule, i) => {
        if (!c.removable[i]) return;
        found!.push({
          nsg,
          nsgIndex,
          direction: c.direction,
          rule,
          shadowed: c.shadowed[i]!,
          matchesNothing: c.matchesNothing[i]!,
          covering: c.coveredBy[i]!.map((j) => c.rules[j]!),
          contexts: c.contexts,
        });
      });
    }
  });
  memo.set(engine, found);
  return found;
}

/** A rule as a finding names it. */
export function findingRuleOf(r: RuleRef): FindingRuleRef {
  return {
    key: `nsg:${r.ownerId}/${r.direction}/${r.name}`.toLowerCase(),
    policy: 'nsg',
    container: r.ownerId,
    containerName: r.ownerName,
    name: r.name,
    direction: r.direction,
    priority: r.priority,
    access: r.access === 'Deny' ? 'Deny' : 'Allow',
    isDefault: r.isDefault,
  };
}

export function resourcesOf(c: CoveredRule): FindingResource[] {
  return [
    { kind: 'networkSecurityGroup', id: c.nsg.id, name: c.nsg.name },
    { kind: 'securityRule', id: `${c.nsg.id}/securityRules/${c.rule.name}`.toLowerCase(), name: c.rule.name },
  ];
}

/** The RFC 6901 pointer of the rule in the snapshot. */
export function pointerOf(c: CoveredRule): string {
  const j = c.nsg.securityRules.findIndex(
    (r) => r.direction === c.direction && r.name.toLowerCase() === c.rule.name.toLowerCase(),
  );
  return `/networkSecurityGroups/${c.nsgIndex}/securityRules/${j}`;
}

/** `allow-ssh (Inbound, 200)` */
export function ruleWords(r: RuleRef): string {
  return `${r.name} (${r.direction}, ${r.priority})`;
}

/** At most `limit` rule words, then how many more. */
export function ruleList(rules: readonly RuleRef[], limit = 5): string {
  const shown = rules.slice(0, limit).map(ruleWords).join(', ');
  return rules.length > limit ? `${shown} and ${rules.length - limit} more` : shown;
}

/** Identity parts of a rule's finding: the NSG, the direction, the rule name (never its priority). */
export function identityOf(c: CoveredRule): string[] {
  return [c.nsg.id, c.direction, c.rule.name];
}

export function subnetWords(c: CoveredRule): string {
  return c.contexts === 1 ? 'the subnets it applies to' : `all ${c.contexts} subnet contexts it applies to`;
}
