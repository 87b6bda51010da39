/**
 * Every flow-log sample under ../shared/external (real Azure data, read in place) parses, and the
 * tuples read per file equal a count made here independently: a regex over the raw text, checked
 * against a naive walk of JSON.parse's tree where the file is strict JSON.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFlowLogs, type FlowLogResult } from '../../../src/collect/flows';
import { locateExternalData } from '../../support/external-data';

const data = locateExternalData();
const root = data.root;
const present = data.mode === 'run';
if (data.mode === 'skip') console.warn(data.note);
if (data.mode === 'fail') {
  describe('flow-log samples (../shared/external)', () => {
    it('are present (CI is set, so this suite may not skip)', () => {
      throw new Error(data.note);
    });
  });
}
const suite = present ? describe : describe.skip;

function filesWithTuples(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesWithTuples(p));
    else if (e.isFile() && fs.readFileSync(p, 'latin1').includes('flowTuples')) out.push(p);
  }
  return out.sort();
}

/** Tuple strings: a quoted run starting with digits and a comma (no other string in these files does). */
function regexCount(text: string): number {
  return (text.match(/"\d+,[^"]*"/g) ?? []).length;
}

/** Strings in any array held under a key named flowTuples, found by walking the parsed tree. */
function walkCount(value: unknown, underTuples = false): number {
  if (typeof value === 'string') return underTuples ? 1 : 0;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + walkCount(v, underTuples), 0);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).reduce((n, [k, v]) => n + walkCount(v, k === 'flowTuples'), 0);
  }
  return 0;
}

function strictJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const expectedWarnings: Record<string, string[]> = {
  'AzureNSGFlowLogsv1.json': ['FLOW_LOG_LENIENT_JSON'],
  'nsg-flow-logs-overview.version-1-sample.json': ['FLOW_LOG_DUPLICATE_RECORD', 'FLOW_LOG_DUPLICATE_RECORD'],
};

suite('flow-log samples in ../shared/external', () => {
  const files = present ? filesWithTuples(root) : [];
  let results: Map<string, FlowLogResult>;

  beforeAll(async () => {
    results = new Map();
    for (const f of files) results.set(f, await readFlowLogs([f]));
  });

  test('there are four samples: NSG version 1 (two), NSG version 2, VNet version 4', () => {
    expect(files.map((f) => path.basename(f)).sort()).toEqual([
      'AzureNSGFlowLogsv1.json',
      'nsg-flow-logs-overview.version-1-sample.json',
      'sampleJsonInput.json',
      'vnet-flow-logs-overview.sample-log-record.json',
    ]);
  });

  test.each(files.map((f) => [path.relative(root, f), f]))(
    '%s: every tuple is read and accounted for',
    (_, f) => {
      const text = fs.readFileSync(f!, 'utf8');
      const expected = regexCount(text);
      const tree = strictJson(text);
      if (tree !== undefined) expect(walkCount(tree)).toBe(expected);
      const r = results.get(f!)!;
      const s = r.stats.files[0]!;
      expect(s.tuples).toBe(expected);
      expect(r.diagnostics.filter((d) => d.severity === 'fatal')).toEqual([]);
      expect(r.diagnostics.map((d) => d.code)).toEqual(expectedWarnings[path.basename(f!)] ?? []);
      expect(s.aggregated + s.outsideWindow + s.rejected + s.unsupported + s.duplicate + s.dropped).toBe(
        s.tuples,
      );
      expect(s.rejected + s.unsupported + s.dropped + s.outsideWindow).toBe(0);
      // Each observed flow's tuples add up to the tuples aggregated.
      expect([...r.flows].reduce((n, fl) => n + fl.tuples, 0)).toBe(s.aggregated);
    },
  );

  test('the documentation sample repeats two records inside a nested records wrapper: counted once', () => {
    const f = files.find((x) => x.endsWith('nsg-flow-logs-overview.version-1-sample.json'))!;
    const s = results.get(f)!.stats.files[0]!;
    // Records: 2 at the top, 3 nested, of which the first 2 repeat the top ones (5 + 4 tuples).
    expect(s).toMatchObject({ records: 5, tuples: 21, duplicate: 9, aggregated: 12 });
  });

  test('VNet flow log sample: decisions, encryption, counts and the window in milliseconds', () => {
    const f = files.find((x) => x.endsWith('vnet-flow-logs-overview.sample-log-record.json'))!;
    const r = results.get(f)!;
    const text = fs.readFileSync(f, 'utf8');
    const times = [...text.matchAll(/"(\d{13}),/g)].map((m) => Number(m[1]));
    expect(r.window.first).toBe(new Date(Math.min(...times)).toISOString());
    expect(r.window.last).toBe(new Date(Math.max(...times)).toISOString());
    expect(
      [...r.flows].every((fl) => fl.log === 'vnet-v4' && fl.encryption === 'NX' && fl.protocol === 'Tcp'),
    ).toBe(true);
    const denied = [...r.flows].filter((fl) => fl.decision === 'deny');
    expect(denied.reduce((n, fl) => n + fl.tuples, 0)).toBe((text.match(/,6,I,D,/g) ?? []).length);
    const storage = [...r.flows].find((fl) => fl.destination === '52.239.184.180')!;
    expect(storage).toMatchObject({
      rule: 'DefaultRule_AllowInternetOutBound',
      evaluatedBy: '00000000-1234-abcd-ef00-c1c2c3c4c5c6',
      direction: 'Outbound',
      destinationPort: 443,
      tuples: 2,
      flowsStarted: 1,
      packets: { sourceToDestination: 3, destinationToSource: 2 },
      bytes: { sourceToDestination: 767, destinationToSource: 1580 },
    });
  });

  test('NSG version 2 sample (trailing comma accepted with a warning): B and E tuples of one flow merge', () => {
    const f = files.find((x) => x.endsWith('AzureNSGFlowLogsv1.json'))!;
    const r = results.get(f)!;
    expect(r.diagnostics[0]!.path).toBe('$.records[0].properties.flows[1].flows[0].flowTuples[6]');
    const http = [...r.flows].find((fl) => fl.destination === '10.244.2.21' && fl.destinationPort === 80)!;
    expect(http).toMatchObject({
      log: 'nsg-v2',
      tuples: 3,
      flowsStarted: 1,
      packets: { sourceToDestination: 8 },
    });
  });
});
