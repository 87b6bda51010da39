/**
 * The analyze report depends only on what is in the snapshot, not on the order it lists things in:
 * the same estate with every array shuffled (resources, rules, prefixes, container groups) gives the
 * same JSON and text byte for byte, so keys and positions can be compared across runs and snapshots.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSnapshotText, snapshotToString } from '../../../src/model/snapshot-codec';
import type { Snapshot } from '../../../src/model/snapshot';
import { runCapture } from '../../support/cli';
import { mulberry32, writeEstate } from '../../support/synthetic-estate';

const ROOT = path.join(__dirname, '..', '..', '..');
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-keys-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A copy of `value` with every array, at every depth, in a seeded random order. */
function shuffledDeep(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => shuffledDeep(v, random));
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shuffledDeep(v, random)]));
  return value;
}

async function importSnapshot(name: string, inputs: string[]): Promise<string> {
  const out = path.join(dir, `${name}.json`);
  const r = await runCapture(['import', ...inputs, '-o', out, '-q'], ROOT);
  expect(r.code).toBe(0);
  return out;
}

function writeShuffled(file: string, seed: number): string {
  const parsed = parseSnapshotText(fs.readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new Error(`cannot read ${file}`);
  const shuffled = shuffledDeep(parsed.snapshot, mulberry32(seed)) as Snapshot;
  const out = file.replace(/\.json$/, `.shuffled-${seed}.json`);
  fs.writeFileSync(out, snapshotToString(shuffled));
  return out;
}

async function analyze(file: string, format: 'json' | 'text'): Promise<string> {
  const r = await runCapture(
    ['analyze', file, '--reachability', '--format', format, '--limit', '40', '-q'],
    ROOT,
  );
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

const estates: [string, () => Promise<string>][] = [
  ['hub-spoke', () => importSnapshot('hub', [path.join(ROOT, 'samples', 'hub-spoke')])],
  ['segmented', () => importSnapshot('seg', [path.join(ROOT, 'samples', 'segmented')])],
  [
    'synthetic (3 VNets, 12 subnets, 20 rules per NSG)',
    async () => {
      const raw = path.join(dir, 'raw');
      writeEstate(raw, {
        seed: 7,
        vnets: 3,
        subnetsPerVnet: 4,
        containerGroupsPerSubnet: 3,
        rulesPerNsg: 20,
        publicFraction: 0.2,
        routeTableFraction: 0.5,
      });
      return importSnapshot('synthetic', [raw]);
    },
  ],
];

describe.each(estates)('%s: shuffled input, same report', (_name, make) => {
  let original: string;
  beforeAll(async () => {
    original = await make();
  });

  it.each([1, 2])('JSON and text are byte for byte equal (shuffle seed %i)', async (seed) => {
    const shuffled = writeShuffled(original, seed);
    const [a, b] = [await analyze(original, 'json'), await analyze(shuffled, 'json')];
    expect(b).toBe(a);
    expect(await analyze(shuffled, 'text')).toBe(await analyze(original, 'text'));
  });

  it('keys are distinct within each list, and paths are in their canonical order', async () => {
    const report = JSON.parse(await analyze(original, 'json')) as {
      endpointGroups: { key: string }[];
      traffic: { key: string }[];
      sides: { key: string }[];
      rules: { key: string }[];
      paths: { from: number[]; to: number[] }[];
    };
    for (const list of [report.endpointGroups, report.traffic, report.sides, report.rules])
      expect(new Set(list.map((x) => x.key)).size).toBe(list.length);
    const firsts = report.paths.map((p) => [p.from[0]!, p.to[0]!] as const);
    for (let k = 1; k < firsts.length; k++) {
      const [a, b] = [firsts[k - 1]!, firsts[k]!];
      expect(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])).toBe(true);
    }
    for (const p of report.paths)
      for (const list of [p.from, p.to]) expect([...list].sort((x, y) => x - y)).toEqual(list);
  });
});
