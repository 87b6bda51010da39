/**
 * Finding fingerprints survive what should not change them: the order of the input files'
 * resources, the order of the snapshot's arrays, and an unrelated NSG added to the estate.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseIntent } from '../../../../src/analyze/intent';
import { RULES } from '../../../../src/analyze/rules';
import { importPaths } from '../../../../src/collect/files';
import { RESOURCE_ARRAYS, type Snapshot } from '../../../../src/model/snapshot';
import { makeNsg, makeRule } from '../../../support/builders';
import { findingsOf, sampleSnapshot } from './support-context';

const REPO = path.join(__dirname, '..', '..', '..', '..');
const SAMPLE = path.join(REPO, 'samples', 'hub-spoke');
const parsed = parseIntent(fs.readFileSync(path.join(SAMPLE, 'intent.yaml'), 'utf8'), 'intent.yaml');
const intent = parsed.entries;

const fingerprints = (snapshot: Snapshot) =>
  findingsOf(snapshot, RULES, { intent })
    .map((f) => `${f.ruleId} ${f.fingerprint}`)
    .sort();

describe('finding fingerprints', () => {
  const original = fingerprints(sampleSnapshot('hub-spoke'));
  let tmp: string;
  beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-fingerprints-'))));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('cover every exposure rule that fires on the sample', () => {
    const ids = new Set(original.map((line) => line.split(' ')[0]));
    for (const id of ['ACI001', 'ACI002', 'ACI003', 'ACI004', 'ACI005', 'ACI010', 'ACI011', 'ACI012'])
      expect([id, ids.has(id)]).toEqual([id, true]);
  });

  it('do not change when the input files list their resources in reverse order', () => {
    for (const file of fs.readdirSync(SAMPLE).filter((f) => f.endsWith('.json'))) {
      const page = JSON.parse(fs.readFileSync(path.join(SAMPLE, file), 'utf8')) as { value: unknown[] };
      page.value.reverse();
      fs.writeFileSync(path.join(tmp, file), JSON.stringify(page));
    }
    const outcome = importPaths([tmp], REPO);
    expect(fingerprints(outcome.snapshot!)).toEqual(original);
  });

  it('do not change when the snapshot arrays are reversed', () => {
    const snapshot = sampleSnapshot('hub-spoke');
    const reversed = { ...snapshot } as Record<string, unknown>;
    for (const key of RESOURCE_ARRAYS) reversed[key] = [...(snapshot[key] as unknown[])].reverse();
    expect(fingerprints(reversed as unknown as Snapshot)).toEqual(original);
  });

  it('keep every existing finding when an unrelated NSG is added (it only adds its own ACI007)', () => {
    const snapshot = sampleSnapshot('hub-spoke');
    const spare = makeNsg({
      name: 'nsg-spare',
      rules: [makeRule({ priority: 100, source: '*', destinationPorts: '22' })],
    });
    const widened = fingerprints({
      ...snapshot,
      networkSecurityGroups: [...snapshot.networkSecurityGroups, spare],
    });
    expect(widened.filter((f) => !original.includes(f)).map((f) => f.split(' ')[0])).toEqual(['ACI007']);
    expect(original.filter((f) => !widened.includes(f))).toEqual([]);
  });
});
