/** The proposed-rules table within its byte budget: added and changed rules first, removed ones counted. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseIntent } from '../../../src/analyze/intent';
import { computeReachability } from '../../../src/analyze/reachability';
import { planSegmentation } from '../../../src/plan';
import { compilePolicy } from '../../../src/policy/engine';
import { buildReportData } from '../../../src/render/report-data';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';

const INTENT = path.join(__dirname, '..', '..', '..', 'samples', 'hub-spoke', 'intent.yaml');

function reportWithPlan(proposedRulesBudget?: number) {
  const snapshot = hubSpokeSnapshot();
  const engine = compilePolicy(snapshot, {});
  const parsed = parseIntent(fs.readFileSync(INTENT, 'utf8'), 'intent.yaml', { allowEmpty: true });
  if (!parsed.ok) throw new Error('the sample intent does not parse');
  const plan = planSegmentation({
    snapshot,
    engine,
    observed: null,
    intent: { file: 'intent.yaml', entries: parsed.entries },
    today: '2026-12-01',
  });
  const afterEngine = compilePolicy(plan.proposed, {});
  return buildReportData({
    snapshot,
    before: { engine, reach: computeReachability(engine) },
    after: { engine: afterEngine, reach: computeReachability(afterEngine), plan },
    title: 't',
    ...(proposedRulesBudget === undefined ? {} : { proposedRulesBudget }),
  });
}

describe('proposed rules in the report', () => {
  const full = reportWithPlan();
  const key = (r: (typeof full.proposedRules)[number]) => `${r.nsg}/${r.status}/${r.name}`;

  it('lists every added, changed and removed rule within the default budget', () => {
    expect(full.summary.proposedRulesOmitted).toBeUndefined();
    expect(full.proposedRules.some((r) => r.status === 'removed')).toBe(true);
    expect(full.proposedRules.some((r) => r.status !== 'removed')).toBe(true);
  });

  it('over its budget keeps added and changed rules before removed ones, in plan order, and counts the rest', () => {
    const reviewed = full.proposedRules.filter((r) => r.status !== 'removed');
    const size = reviewed.reduce((n, r) => n + JSON.stringify(r).length + 1, 0);
    const small = reportWithPlan(size + 10);
    expect(small.proposedRules.map(key)).toEqual(reviewed.map(key));
    expect(small.summary.proposedRulesOmitted).toBe(full.proposedRules.length - reviewed.length);
    // The kept rows keep the table's order (NSG by NSG).
    const order = full.proposedRules.map(key);
    const positions = small.proposedRules.map((r) => order.indexOf(key(r)));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});
