/**
 * ACI009 redundant-rule: custom NSG rules whose removal changes no verdict, reported as one set that
 * can be removed together (with the shadowed rules ACI008 reports: those are redundant too, and are
 * reported there only).
 */
import type { FindingDraft, PackRule } from './rule';
import { coveringWords, clauses, nsgCoverages, nsgFinding, ruleWords, subnetWords } from './nsg-coverage';

export const redundantRule: PackRule = {
  meta: {
    id: 'ACI009',
    name: 'redundant-rule',
    title: 'NSG rules that can be removed without changing any verdict',
    severity: 'low',
    description:
      'Custom NSG rules whose removal changes no verdict: what such a rule would decide is decided the same way ' +
      'by the rules after it (for example an allow below a broader allow with no deny between, or an ' +
      'allow of what the default rules allow anyway), or it matches no address of the subnets the NSG ' +
      'applies to. One finding per NSG, naming each rule with the rules that decide its traffic ' +
      'instead. The pack computes one set per NSG that can be removed together — rules are tried ' +
      'lowest priority first, each against the list already reduced — so two identical rules give one ' +
      'finding, not two. Shadowed rules belong to the set and are reported by ACI008 only. Proven with ' +
      'the engine over every subnet the NSG applies to; matches that depend on an unresolved service tag ' +
      'or application security group count against removal, never for it. Admin rules, NSGs attached to ' +
      'no subnet, default rules, ESP/AH rules and rules with IPv6 prefixes are not checked.',
    remediation:
      'Remove the rule; all rules ACI008 and ACI009 report for one NSG can be removed in one change.',
    controls: { mcsb: ['NS-1'], cis: [] },
  },
  standalone: true,
  run(context) {
    const drafts: FindingDraft[] = [];
    for (const n of nsgCoverages(context.snapshot, context.engine)) {
      const chosen = n.rules.filter((c) => !c.shadowed);
      if (chosen.length === 0) continue;
      const what = chosen.map((c) =>
        c.matchesNothing
          ? `${ruleWords(c.rule)} matches no flow there (read in those subnets, its addresses hold none of their traffic)`
          : `${ruleWords(c.rule)} (decided alike by ${coveringWords(c)})`,
      );
      const count = chosen.length === 1 ? '1 rule' : `${chosen.length} rules`;
      drafts.push(
        nsgFinding(
          n,
          chosen,
          `${n.nsg.name}: ${count} can be removed without changing any verdict in ${subnetWords(n)}: ` +
            clauses(what, 3),
        ),
      );
    }
    return drafts;
  },
};
