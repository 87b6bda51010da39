/**
 * Standalone rules (PackRule.standalone) run on a worker thread with nothing but the snapshot, the
 * engine and the settings: each must make the same findings when reachability, flow logs, intent and
 * the date are out of reach (reading any of them throws).
 */
import * as path from 'node:path';
import { RULES, ruleFindings, type RuleContext } from '../../../../src/analyze/rules';
import { importFiles } from '../../../../src/index';
import type { Snapshot } from '../../../../src/model/snapshot';
import { hubSpokeSnapshot } from '../../../support/sample-snapshots';
import { ruleContext } from './rule-context';

function sample(name: string): () => Snapshot {
  return () => {
    const outcome = importFiles([path.join(__dirname, '../../../../samples', name)]);
    if (!outcome.snapshot) throw new Error(`samples/${name} did not import`);
    return outcome.snapshot;
  };
}

/** The context of a worker: the same snapshot, engine and settings; everything else a trap. */
function trapped(full: RuleContext): RuleContext {
  const trap = (what: string) => () => {
    throw new Error(`a standalone rule read ${what}`);
  };
  const context = { snapshot: full.snapshot, engine: full.engine, settings: full.settings } as RuleContext;
  Object.defineProperty(context, 'reachability', { get: () => trap('reachability') });
  for (const what of ['intent', 'observed', 'today'] as const)
    Object.defineProperty(context, what, { get: trap(what) });
  return context;
}

describe('standalone rules', () => {
  const standalone = RULES.filter((r) => r.standalone === true);

  it('are the rules that need neither reachability nor flow logs nor intent', () => {
    expect(standalone.map((r) => r.meta.id)).toEqual([
      'ACI001',
      'ACI004',
      'ACI006',
      'ACI007',
      'ACI008',
      'ACI009',
      'ACI010',
    ]);
  });

  it.each([
    ['hub-spoke', sample('hub-spoke')],
    ['segmented', sample('segmented')],
  ])('make the same findings on %s with nothing else in reach', (_name, sample) => {
    for (const rule of standalone) {
      const expected = ruleFindings(ruleContext(sample()), [rule]);
      expect(ruleFindings(trapped(ruleContext(sample())), [rule])).toEqual(expected);
    }
  });

  it('the trap catches a rule that reads reachability', () => {
    const reader = RULES.find((r) => r.meta.id === 'ACI002')!;
    expect(() => ruleFindings(trapped(ruleContext(hubSpokeSnapshot())), [reader])).toThrow(
      'a standalone rule read reachability',
    );
  });
});
