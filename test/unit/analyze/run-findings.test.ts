/** The findings runner: settings reach the rules, reachability is computed once and only when a rule asks. */
import { computeFindings } from '../../../src/analyze/run-findings';
import type { PackRule, RuleContext } from '../../../src/analyze/rules';
import { DEFAULT_RULE_SETTINGS } from '../../../src/analyze/rules';
import { compilePolicy } from '../../../src/policy';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';

function recorder(id: string, useReachability: boolean, seen: RuleContext[]): PackRule {
  return {
    meta: {
      id,
      name: `probe-${id}`,
      title: id,
      severity: 'info',
      description: id,
      remediation: id,
      controls: { mcsb: [], cis: [] },
    },
    run(context) {
      seen.push(context);
      if (useReachability) context.reachability();
      return [];
    },
  };
}

describe('computeFindings', () => {
  const engine = compilePolicy(hubSpokeSnapshot());

  it('passes the settings (defaults filled in), the date, the intent and the observed flows to every rule', () => {
    const seen: RuleContext[] = [];
    const window = { since: null, until: null, first: null, last: null, files: 0, tuples: 0 };
    computeFindings({
      engine,
      today: '2026-11-26',
      settings: { widePortRange: 10 },
      observed: { flows: [], window },
      intent: { file: 'i.yaml', entries: [], accept: [] },
      rules: [recorder('ACI901', false, seen)],
    });
    expect(seen[0]!.settings).toEqual({ ...DEFAULT_RULE_SETTINGS, widePortRange: 10 });
    expect(seen[0]!.today).toBe('2026-11-26');
    expect(seen[0]!.observed?.window).toBe(window);
    expect(seen[0]!.intent?.file).toBe('i.yaml');
    expect(seen[0]!.snapshot).toBe(engine.index.snapshot);
  });

  it('computes reachability on first use only, and shares it between rules', () => {
    const progress: string[] = [];
    const seen: RuleContext[] = [];
    computeFindings({
      engine,
      today: '2026-11-26',
      rules: [recorder('ACI901', false, seen)],
      progress: (m) => progress.push(m),
    });
    expect(progress).toEqual([]);
    computeFindings({
      engine,
      today: '2026-11-26',
      rules: [recorder('ACI901', true, seen), recorder('ACI902', true, seen)],
      progress: (m) => progress.push(m),
    });
    expect(progress.filter((m) => /open paths/.test(m))).toHaveLength(1);
    expect(seen[1]!.reachability()).toBe(seen[2]!.reachability());
  });
});
