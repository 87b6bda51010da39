/**
 * The runner lists at most RULES_PER_FINDING rules and RESOURCES_PER_FINDING resources per finding and
 * counts the rest (`rulesOmitted`, `resourcesOmitted`); the fingerprint reads the identity only, so
 * capping changes no fingerprint; every format says how many rules it left out.
 */
import {
  findingFingerprint,
  RESOURCES_PER_FINDING,
  RULES_PER_FINDING,
  type FindingRuleRef,
} from '../../../../src/analyze/findings';
import { runRules, type PackRule } from '../../../../src/analyze/rules';
import { serializeFindingsJson } from '../../../../src/render/findings-json';
import { renderFindingsMarkdown } from '../../../../src/render/findings-markdown';
import { renderFindingsSarif } from '../../../../src/render/findings-sarif';
import { renderFindingsText } from '../../../../src/render/findings-text';
import { makeSnapshot } from '../../../support/builders';
import { ruleContext } from './support-context';

const ref = (i: number): FindingRuleRef => ({
  id: `/nsg/securityrules/r${i}`,
  policy: 'nsg',
  containerName: 'nsg',
  name: `r${i}`,
  direction: 'Inbound',
  priority: 100 + i,
  access: 'Allow',
  isDefault: false,
});

/** One finding naming `rules` rules and `resources` resources. */
function wide(rules: number, resources: number): PackRule {
  return {
    meta: {
      id: 'ACI903',
      name: 'probe-wide',
      title: 'Wide finding',
      severity: 'high',
      description: 'A test rule.',
      remediation: 'Narrow it.',
      controls: { mcsb: [], cis: [] },
    },
    run: () => [
      {
        message: 'wide',
        resources: Array.from({ length: resources }, (_, i) => ({
          kind: 'subnet' as const,
          id: `/s${i}`,
          name: `s${i}`,
        })),
        flows: [],
        flowsOmitted: 0,
        rules: Array.from({ length: rules }, (_, i) => ref(i)),
        explain: null,
        location: null,
        identity: ['/nsg'],
      },
    ],
  };
}

const run = (rules: number, resources: number) =>
  runRules(ruleContext(makeSnapshot({})), [wide(rules, resources)]);

describe('per-finding caps', () => {
  it('lists the first rules and resources and counts the rest; the fingerprint is the identity', () => {
    const [f] = run(RULES_PER_FINDING + 7, RESOURCES_PER_FINDING + 3).findings;
    expect(f!.rules.map((r) => r.name)).toEqual(Array.from({ length: RULES_PER_FINDING }, (_, i) => `r${i}`));
    expect(f!.rulesOmitted).toBe(7);
    expect(f!.resources).toHaveLength(RESOURCES_PER_FINDING);
    expect(f!.resourcesOmitted).toBe(3);
    expect(f!.fingerprint).toBe(findingFingerprint('ACI903', ['/nsg']));
    expect(f!.fingerprint).toBe(run(1, 1).findings[0]!.fingerprint);
  });

  it('adds no count when nothing is left out', () => {
    const [f] = run(RULES_PER_FINDING, RESOURCES_PER_FINDING).findings;
    expect(f!.rulesOmitted).toBeUndefined();
    expect(f!.resourcesOmitted).toBeUndefined();
    const json = [...serializeFindingsJson(report(run(2, 2)))].join('');
    expect(json).not.toMatch(/rulesOmitted|resourcesOmitted/);
  });

  it('says how many rules each format leaves out', () => {
    const r = report(run(RULES_PER_FINDING + 7, RESOURCES_PER_FINDING + 3));
    const json = JSON.parse([...serializeFindingsJson(r)].join('')) as {
      findings: { rulesOmitted: number; resourcesOmitted: number }[];
    };
    expect(json.findings[0]).toMatchObject({ rulesOmitted: 7, resourcesOmitted: 3 });
    // Text and Markdown list a few rules, SARIF five: the counts include what the runner left out.
    expect(renderFindingsText(r)).toMatch(/… \d+ more rules/);
    const shownText = (renderFindingsText(r).match(/^\s+rule\s/gm) ?? []).length;
    expect(renderFindingsText(r)).toContain(`… ${RULES_PER_FINDING + 7 - shownText} more rules`);
    const shownMd = (renderFindingsMarkdown(r).match(/^- <code>/gm) ?? []).length;
    expect(renderFindingsMarkdown(r)).toContain(`- … ${RULES_PER_FINDING + 7 - shownMd} more`);
    expect(renderFindingsSarif(r)).toContain(`… ${RULES_PER_FINDING + 7 - 5} more rules`);
  });
});

function report(result: ReturnType<typeof run>) {
  return {
    result,
    snapshot: { path: 's.json', uri: 's.json', lineOf: () => null },
    limit: 25,
    color: false,
  };
}
