/**
 * ACI008 shadowed-rule: a custom NSG rule that decides nothing, because rules of higher priority in
 * the same NSG and direction decide all of its traffic, in every subnet the NSG applies to.
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

export const shadowedRule: PackRule = {
  meta: {
    id: 'ACI008',
    name: 'shadowed-rule',
    title: 'NSG rule shadowed by higher-priority rules',
    severity: 'low',
    description:
      'A custom NSG rule decides nothing: rules of higher priority in the same NSG and direction match ' +
      'all of its traffic (protocol, source and destination addresses and ports) in every subnet the NSG ' +
      'applies to, with VirtualNetwork and Internet read per subnet. Proven with the engine, not guessed: ' +
      'only rules that certainly match count as covering, so coverage that depends on an unresolved ' +
      'service tag or application security group is never reported. A shadowed Deny rule under an Allow ' +
      'gives a false sense of protection (medium). NSGs attached to no subnet, default rules, ESP/AH rules ' +
      'and rules with IPv6 prefixes are not checked. Every rule ACI008 and ACI009 report for one NSG can ' +
      'be removed together without changing any verdict.',
    remediation:
      'Remove the rule, or, if it was meant to apply, give it a priority above the rules that shadow it ' +
      'or narrow those rules.',
    controls: { mcsb: ['NS-1'], cis: [] },
  },
  run(context) {
    return coveredRules(context.snapshot, context.engine)
      .filter((c) => c.shadowed)
      .map((c) => {
        const deniesUnderAllow = c.rule.access === 'Deny' && c.covering.some((r) => r.access !== 'Deny');
        return {
          ...(deniesUnderAllow ? { severity: 'medium' as const } : {}),
          message:
            `${c.nsg.name}/${ruleWords(c.rule)} decides nothing: ${ruleList(c.covering)} ` +
            `decide all of its traffic in ${subnetWords(c)}` +
            (deniesUnderAllow ? '; the traffic it means to deny is allowed' : ''),
          resources: resourcesOf(c),
          flows: [],
          flowsOmitted: 0,
          rules: [findingRuleOf(c.rule), ...c.covering.map(findingRuleOf)],
          explain: null,
          location: { snapshotPointer: pointerOf(c) },
          identity: identityOf(c),
        };
      });
  },
};
