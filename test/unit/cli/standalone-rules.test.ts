/**
 * The analyze pack split between the main thread and a worker (src/cli/standalone-rules.ts): the
 * merged result is the one computeFindings gives, whether the worker answered or failed.
 */
import { RULES, ruleFindings } from '../../../src/analyze/rules';
import { computeFindings, findingsContext } from '../../../src/analyze/run-findings';
import { computeFindingsWithWorker, type StandaloneRules } from '../../../src/cli/standalone-rules';
import { compilePolicy } from '../../../src/policy';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';

const input = () => ({ engine: compilePolicy(hubSpokeSnapshot()), today: '2026-12-01' });
const standaloneRules = RULES.filter((r) => r.standalone === true);

function fakeWorker(answer: 'answers' | 'fails'): StandaloneRules & { stopped: boolean } {
  return {
    rules: standaloneRules,
    stopped: false,
    findings: () =>
      Promise.resolve(answer === 'answers' ? ruleFindings(findingsContext(input()), standaloneRules) : null),
    stop() {
      this.stopped = true;
    },
  };
}

describe('computeFindingsWithWorker', () => {
  it.each(['answers', 'fails'] as const)(
    'gives what computeFindings gives when the worker %s',
    async (answer) => {
      const expected = computeFindings(input());
      expect(expected.result.findings.some((f) => f.ruleId === 'ACI008' || f.ruleId === 'ACI009')).toBe(true);
      expect(await computeFindingsWithWorker(input(), fakeWorker(answer))).toEqual(expected);
    },
  );
});
