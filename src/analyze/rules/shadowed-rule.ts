/**
 * ACI008 shadowed-rule: a custom NSG rule that decides nothing, because rules of higher priority in
 * the same NSG and direction decide all of its traffic, in every subnet the NSG applies to.
 */
import type { FindingDraft, PackRule } from './rule';
import {
  coveringWords,
  clauses,
  nsgCoverages,
  nsgFinding,
  ruleWords,
  subnetWords,
  type CoveredRule,
} from './nsg-coverage';

export const shadowedRule: PackRule = {
  meta: {
    id: 'ACI008',
    name: 'shadowed-rule',
    title: 'NSG rules shadowed by higher-priority rules',
    severity: 'low',
    description:
      'Custom NSG rules that decide nothing: rules of higher priority in the same NSG and direction match ' +
      'all of their traffic (protocol, source and destination addresses and ports) in every subnet the NSG ' +
      'applies to, with VirtualNetwork and Internet read per subnet. Proven with the engine, not guessed: ' +
      'only rules that certainly match count as covering, so coverage that depends on an unresolved ' +
      'service tag or application security group is never reported. A shadowed Deny rule under an Allow ' +
      'gives a false sense of protection (medium). One finding per NSG, naming each rule with the rules ' +
      'that cover it. NSGs attached to no subnet, default rules, ESP/AH rules ' +
      'and rules with IPv6 prefixes are not checked. Every rule ACI008 and ACI009 report for one NSG can ' +
      'be removed together without changing any verdict.',
    remediation:
      'Remove the rule, or, if it was meant to apply, give it a priority above the rules that shadow it ' +
      'or narrow those rules.',
    controls: { mcsb: ['NS-1'], cis: [] },
  },
  standalone: true,
  run(context) {
    const drafts: FindingDraft[] = [];
    for (const n of nsgCoverages(context.snapshot, context.engine)) {
      const chosen = n.rules.filter((c) => c.shadowed);
      if (chosen.length === 0) continue;
      const deniesUnderAllow = (c: CoveredRule) =>
        c.rule.access === 'Deny' && c.covering.some((r) => r.access !== 'Deny');
      const worst = chosen.some(deniesUnderAllow);
      const what = chosen.map((c) => `${ruleWords(c.rule)} under ${coveringWords(c)}`);
      const count = chosen.length === 1 ? '1 rule decides' : `${chosen.length} rules decide`;
      drafts.push({
        ...nsgFinding(
          n,
          chosen,
          `${n.nsg.name}: ${count} nothing, higher-priority rules decide all their traffic in ` +
            `${subnetWords(n)}: ${clauses(what, 3)}` +
            (worst ? ' (a Deny rule among them never denies: the traffic it names is allowed)' : ''),
        ),
        ...(worst ? { severity: 'medium' as const } : {}),
      });
    }
    return drafts;
  },
};
