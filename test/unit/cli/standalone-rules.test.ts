/**
 * The analyze pack split between the main thread and a worker (src/cli/standalone-rules.ts): the
 * merged result is the one computeFindings gives, whether the worker answered or failed.
 */
import { RULES, ruleFindings } from '../../../src/analyze/rules';
import { computeFindings, findingsContext } from '../../../src/analyze/run-findings';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  checkedProgress,
  computeFindingsWithWorker,
  confirmSnapshot,
  SnapshotFoundInvalid,
  type SnapshotVerdict,
  type StandaloneRules,
} from '../../../src/cli/standalone-rules';
import { InputError } from '../../../src/errors';
import { compilePolicy } from '../../../src/policy';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';

const input = () => ({ engine: compilePolicy(hubSpokeSnapshot()), today: '2026-12-01' });
const standaloneRules = RULES.filter((r) => r.standalone === true);

function fakeWorker(answer: 'answers' | 'fails'): StandaloneRules & { stopped: boolean } {
  return {
    rules: standaloneRules,
    stopped: false,
    validates: false,
    verdict: () => Promise.resolve(null),
    verdictNow: () => 0,
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

describe('confirmSnapshot (the main thread read the snapshot unchecked)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-confirm-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const validating = (verdict: SnapshotVerdict): StandaloneRules => ({
    ...fakeWorker('fails'),
    validates: true,
    verdict: () => Promise.resolve(verdict),
  });
  const file = (name: string, snapshot: unknown) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, JSON.stringify(snapshot));
    return p;
  };
  const bad = () => {
    const s = hubSpokeSnapshot();
    s.subnets[0]!.addressPrefixes = ['10.0.0.0/33'];
    return s;
  };

  it('throws the worker’s error for an invalid snapshot', async () => {
    const error = new InputError('bad.json: invalid', []);
    await expect(
      confirmSnapshot(validating({ valid: false, error }), file('ok.json', hubSpokeSnapshot()), 'ok.json'),
    ).rejects.toBe(error);
  });

  it('checks the file itself when the worker gave no verdict (it failed first)', async () => {
    await expect(
      confirmSnapshot(validating(null), file('ok.json', hubSpokeSnapshot()), 'ok.json'),
    ).resolves.toBeUndefined();
    const rejected = confirmSnapshot(validating(null), file('bad.json', bad()), 'bad.json');
    await expect(rejected).rejects.toBeInstanceOf(InputError);
    await expect(rejected).rejects.toThrow('$.subnets[0].addressPrefixes[0]');
  });

  it('trusts a valid verdict, and checks nothing for a worker that does not validate', async () => {
    const badFile = file('bad.json', bad());
    await expect(confirmSnapshot(validating({ valid: true }), badFile, 'bad.json')).resolves.toBeUndefined();
    await expect(confirmSnapshot(fakeWorker('answers'), badFile, 'bad.json')).resolves.toBeUndefined();
  });
});

describe('checkedProgress', () => {
  it('holds messages until the verdict, stops the work once the snapshot is found invalid', () => {
    let now: 0 | 1 | 2 = 0;
    const worker: StandaloneRules = { ...fakeWorker('fails'), validates: true, verdictNow: () => now };
    const shown: string[] = [];
    const { progress, release } = checkedProgress(worker, (m) => shown.push(m));
    progress('one');
    expect(shown).toEqual([]);
    now = 2;
    progress('two');
    expect(shown).toEqual(['one', 'two']);
    release();
    expect(shown).toEqual(['one', 'two']);
    now = 1;
    expect(() => progress('three')).toThrow(SnapshotFoundInvalid);
  });

  it('release prints what is held when no progress point came after the verdict', () => {
    const worker: StandaloneRules = { ...fakeWorker('fails'), validates: true, verdictNow: () => 0 };
    const shown: string[] = [];
    const { progress, release } = checkedProgress(worker, (m) => shown.push(m));
    progress('one');
    release();
    expect(shown).toEqual(['one']);
  });
});
