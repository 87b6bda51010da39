/**
 * ACI009 redundant-rule: custom NSG rules whose removal changes no verdict, reported as one set that
 * can be removed together (with the shadowed rules ACI008 reports: those are redundant too, and are
 * reported there only).
 */
import type { PackRule } from './rule';
import {
  coveredRules,
  findingRuleOf,
  identityOf,
  pointerOf,
  resourcesOf,
  ruleList,
  ruleWords,
  subnetWords,
} from './nsg-coverage';

export const redundantRule: PackRule = {
  meta: {
    id: 'ACI009',
    name: 'redundant-rule',
    title: 'NSG rule that can be removed without changing any verdict',
    severity: 'low',
    description:
      'A custom NSG rule whose removal changes no verdict: what it would decide is decided the same way ' +
      'by the rules after it (for example an allow below a broader allow with no deny between, or an ' +
      'allow of what the default rules allow anyway), or it matches no address of the subnets the NSG ' +
      'applies to. The pack computes one set per NSG that can be removed together — rules are tried ' +
      'lowest priority first, each against the list already reduced — so two identical rules give one ' +
      'finding, not two. Shadowed rules belong to the set and are reported by ACI008 only. Proven with ' +
      'the engine over every subnet the NSG applies to; matches that depend on an unresolved service tag ' +
      'or application security group count against removal, never for it. Admin rules, NSGs attached to ' +
      'no subnet, default rules, ESP/AH rules and rules with IPv6 prefixes are not checked.',
    remediation:
      'Remove the rule; all rules ACI008 and ACI009 report for one NSG can be removed in one change.',
    controls: { mcsb: ['NS-1'], cis: [] },
  },
  run(context) {
    return coveredRules(context.snapshot, context.engine)
      .filter((c) => !c.shadowed)
      .map((c) => ({
        message: c.matchesNothing
          ? `${c.nsg.name}/${ruleWords(c.rule)} matches no flow in ${subnetWords(c)}`
          : `${c.nsg.name}/${ruleWords(c.rule)} can be removed without changing any verdict: ` +
            `${ruleList(c.covering)} decide its traffic the same way in ${subnetWords(c)}`,
        resources: resourcesOf(c),
        flows: [],
        flowsOmitted: 0,
        rules: [findingRuleOf(c.rule), ...c.covering.map(findingRuleOf)],
        explain: null,
        location: { snapshotPointer: pointerOf(c) },
        identity: identityOf(c),
      }));
  },
};
