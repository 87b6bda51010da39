/**
 * `analyze` computes only the pair-matrix paths some rule reads (PackRule.pairPaths): its findings
 * must equal, field for field, a run over every path. Checked on the samples (hub-spoke with its flow
 * logs, when ACI014 reads every path, and without them) and on random estates with and without
 * random observed flows; the runs must drop paths and the rules that test paths must fire, or the
 * comparison would prove nothing.
 */
import * as path from 'node:path';
import fc from 'fast-check';
import { readFlowLogs, requireCompleteFlowLogs } from '../../../../src/collect/flows';
import { findingsContext } from '../../../../src/analyze/run-findings';
import { RULES, pairPathsRead, runRules, type ObservedFlowsInput } from '../../../../src/analyze/rules';
import { importFiles } from '../../../../src/index';
import type { Snapshot } from '../../../../src/model/snapshot';
import { arbEstateWithFlows, ruleContext } from './rule-context';

const ROOT = path.resolve(__dirname, '../../../..');
const SEED = process.env.FC_SEED === undefined ? 20261203 : Number(process.env.FC_SEED);
const RUNS = process.env.FC_RUNS === undefined ? 60 : Number(process.env.FC_RUNS);

/** The findings over every path and over the paths the rules read, and both path counts. */
function bothRuns(snapshot: Snapshot, observed?: ObservedFlowsInput) {
  const everyPath = ruleContext(snapshot, observed ? { observed } : {});
  const kept = findingsContext({
    engine: everyPath.engine,
    today: everyPath.today,
    observed: observed ?? null,
  });
  // The same engine for both, so that decision ids agree; the run over every path goes first.
  const full = runRules(everyPath, RULES).findings;
  const filtered = runRules(kept, RULES).findings;
  return {
    full,
    filtered,
    paths: everyPath.reachability().reach.paths.count,
    keptPaths: kept.reachability().reach.paths.count,
  };
}

function sample(name: string): Snapshot {
  const outcome = importFiles([path.join(ROOT, 'samples', name)]);
  if (!outcome.snapshot) throw new Error(`samples/${name} did not import`);
  return outcome.snapshot;
}

describe('pair paths the rules read', () => {
  it('every path when a rule reads them all (ACI014 with flow logs), only the tested ones otherwise', () => {
    const context = ruleContext(sample('hub-spoke'));
    const window = { first: null, last: null, since: null, until: null, files: 0, tuples: 0 };
    expect(pairPathsRead({ ...context, observed: { flows: [], window } }, RULES)).toBeNull();
    const test = pairPathsRead(context, RULES);
    expect(test).not.toBeNull();
    // Standalone rules read no reachability, so they never keep a path.
    expect(
      pairPathsRead(
        context,
        RULES.filter((r) => r.standalone === true),
      )!(0, 0),
    ).toBe(false);
  });

  it('every rule that is not standalone says which paths it reads (else the whole pack keeps every path)', () => {
    const silent = RULES.filter((r) => r.standalone !== true && r.pairPaths === undefined);
    expect(silent.map((r) => r.meta.id)).toEqual([]);
  });

  it.each(['hub-spoke', 'segmented'])('%s: the same findings as over every path', (name) => {
    const { full, filtered, paths, keptPaths } = bothRuns(sample(name));
    expect(filtered).toEqual(full);
    expect(keptPaths).toBeLessThanOrEqual(paths);
  });

  it('hub-spoke with its flow logs: every path kept, the same findings', async () => {
    const logs = requireCompleteFlowLogs(
      await readFlowLogs([path.join(ROOT, 'samples/hub-spoke-flow-logs')]),
    );
    const observed: ObservedFlowsInput = {
      flows: [...logs.flows],
      window: { ...logs.window, files: logs.stats.totals.files, tuples: logs.stats.totals.tuples },
    };
    const { full, filtered, paths, keptPaths } = bothRuns(sample('hub-spoke'), observed);
    expect(filtered).toEqual(full);
    expect(keptPaths).toBe(paths);
  });

  it('random estates with and without observed flows: the same findings as over every path', () => {
    let dropped = 0;
    const fired = new Set<string>();
    fc.assert(
      fc.property(arbEstateWithFlows(4), ({ snapshot, observed }) => {
        const { full, filtered, paths, keptPaths } = bothRuns(snapshot, observed);
        expect(filtered).toEqual(full);
        if (observed) expect(keptPaths).toBe(paths);
        dropped += paths - keptPaths;
        for (const f of full) fired.add(f.ruleId);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Not vacuous: paths were left out, and the rules that test paths made findings from the rest.
    expect(dropped).toBeGreaterThan(0);
    expect(['ACI002', 'ACI003', 'ACI005', 'ACI011'].filter((id) => fired.has(id))).toEqual([
      'ACI002',
      'ACI003',
      'ACI005',
      'ACI011',
    ]);
  });
});
