/**
 * A context whose `detail` is `keys` (the plan's effect compares fingerprints only) lets rules skip
 * deciding rules, flows and messages: the findings must keep exactly the keys of a full run — the
 * same fingerprints with the same severity and risk, so the pack orders them alike. Checked on the
 * samples (hub-spoke with its flow logs) and on random estates with random observed flows.
 */
import * as path from 'node:path';
import fc from 'fast-check';
import { readFlowLogs, requireCompleteFlowLogs } from '../../../../src/collect/flows';
import { RULES, runRules, type ObservedFlowsInput } from '../../../../src/analyze/rules';
import type { Finding } from '../../../../src/analyze/findings';
import { importFiles } from '../../../../src/index';
import type { Snapshot } from '../../../../src/model/snapshot';
import { arbEstateWithFlows, ruleContext } from './rule-context';

const ROOT = path.resolve(__dirname, '../../../..');
const SEED = process.env.FC_SEED === undefined ? 20261202 : Number(process.env.FC_SEED);
const RUNS = process.env.FC_RUNS === undefined ? 60 : Number(process.env.FC_RUNS);

/** What orders and identifies a finding, in the pack's order. */
function keys(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.severity} ${f.risk ?? '-'} ${f.fingerprint}`);
}

function bothRuns(snapshot: Snapshot, observed?: ObservedFlowsInput): { full: Finding[]; keyed: Finding[] } {
  const options = observed ? { observed } : {};
  const full = runRules(ruleContext(snapshot, options), RULES).findings;
  const keyed = runRules({ ...ruleContext(snapshot, options), detail: 'keys' }, RULES).findings;
  return { full, keyed };
}

describe('rule pack with detail: keys', () => {
  it('hub-spoke with its flow logs: the same keys in the same order, without the text', async () => {
    const outcome = importFiles([path.join(ROOT, 'samples', 'hub-spoke')]);
    const logs = requireCompleteFlowLogs(
      await readFlowLogs([path.join(ROOT, 'samples/hub-spoke-flow-logs')]),
    );
    const observed: ObservedFlowsInput = {
      flows: [...logs.flows],
      window: { ...logs.window, files: logs.stats.totals.files, tuples: logs.stats.totals.tuples },
    };
    const { full, keyed } = bothRuns(outcome.snapshot!, observed);
    expect(keys(keyed)).toEqual(keys(full));
    // The rules with a keys branch fire here, and skip their deciding rules there.
    const skipping = ['ACI002', 'ACI003', 'ACI005', 'ACI013', 'ACI014'];
    const fired = new Set(full.map((f) => f.ruleId));
    expect(skipping.filter((id) => fired.has(id))).toEqual(skipping);
    for (const f of keyed.filter((x) => skipping.includes(x.ruleId))) {
      expect(f.rules).toEqual([]);
      expect(f.message).toBe('');
    }
    for (const id of ['ACI002', 'ACI013'])
      expect(full.filter((f) => f.ruleId === id).every((f) => f.rules.length > 0)).toBe(true);
  });

  it('random estates with random observed flows: the same keys in the same order', () => {
    let compared = 0;
    fc.assert(
      fc.property(arbEstateWithFlows(6), ({ snapshot, observed }) => {
        const { full, keyed } = bothRuns(snapshot, observed);
        expect(keys(keyed)).toEqual(keys(full));
        compared += full.length;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Not vacuous: the random estates make findings to compare.
    expect(compared).toBeGreaterThan(RUNS);
  });
});
