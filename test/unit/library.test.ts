/** The library API (src/index.ts) gives what the commands print, and rejects bad query values. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as aciseg from '../../src';
import { runCapture } from '../support/cli';
import { enveloped } from '../../src/render/envelope';

const repo = path.resolve(__dirname, '../..');
const sample = path.join(repo, 'samples', 'hub-spoke');

describe('library API', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-lib-'));
  const file = path.join(dir, 'hub-spoke.snapshot.json');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const docs = fs
    .readdirSync(sample)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ file: path.join(sample, f), text: fs.readFileSync(path.join(sample, f), 'utf8') }));
  const outcome = aciseg.importDocuments(docs);
  const snapshot = outcome.snapshot!;
  const engine = aciseg.compile(snapshot);

  beforeAll(async () => {
    expect((await runCapture(['import', sample, '-o', file], repo)).code).toBe(0);
  });

  it('imports in memory what `aciseg import` writes, and reads it back', () => {
    expect(aciseg.snapshotToString(snapshot)).toBe(fs.readFileSync(file, 'utf8'));
    expect(aciseg.readSnapshotFile(file)).toEqual(snapshot);
    expect(aciseg.importFiles([sample]).snapshot).toEqual(snapshot);
    const parsed = aciseg.parseSnapshot(fs.readFileSync(file, 'utf8'), 'x.json');
    expect(parsed.ok && parsed.snapshot).toEqual(snapshot);
    expect(aciseg.parseSnapshot('{"schemaVersion": 99}', 'x.json').ok).toBe(false);
  });

  it('explains as `aciseg explain` does', async () => {
    const x = aciseg.explain(engine, { from: 'Internet', to: 'vnet-app/snet-aci-web', ports: 22 });
    const cli = await runCapture(
      [
        'explain',
        file,
        '--from',
        'Internet',
        '--to',
        'vnet-app/snet-aci-web',
        '--port',
        '22',
        '--format',
        'json',
      ],
      repo,
    );
    // The command's JSON is the explanation behind the common envelope.
    expect(`${JSON.stringify(enveloped('aciseg.explanation', x), null, 2)}\n`).toBe(cli.stdout);
    expect(aciseg.explanationText(x)).toBe(
      (
        await runCapture(
          ['explain', file, '--from', 'Internet', '--to', 'vnet-app/snet-aci-web', '--port', '22'],
          repo,
        )
      ).stdout,
    );
  });

  it('analyzes as `aciseg analyze --format json` does', async () => {
    // A fresh engine, as each command compiles one: the report's ids follow the engine's numbering,
    // which earlier queries on the same engine extend.
    const fresh = aciseg.compile(snapshot);
    const reach = aciseg.analyze(fresh);
    const cli = await runCapture(['analyze', file, '--reachability', '--format', 'json', '-q'], repo);
    expect(aciseg.reachabilityJson(fresh, reach)).toBe(cli.stdout);
    expect(aciseg.reachabilityText(fresh, reach, 5)).toBe(
      (await runCapture(['analyze', file, '--reachability', '--limit', '5', '-q'], repo)).stdout,
    );
  });

  it('finds as `aciseg analyze` does, in every format, with acceptances from the intent text', async () => {
    const intentText =
      'accept:\n  - {fingerprint: 0123456789abcdef0123456789abcdef, reason: r, owner: o, expires: 2026-01-01}\n';
    const intentFile = path.join(dir, 'accept.yaml');
    fs.writeFileSync(intentFile, intentText);
    const accept = aciseg.parseAccept(intentText, intentFile);
    if (!accept.ok) throw new Error('accept entries refused');
    const run = aciseg.findings(aciseg.compile(snapshot), {
      intent: { file: intentFile, accept: accept.acceptances },
      today: '2026-11-26',
    });
    expect(run.unmatched).toEqual([]);
    expect(run.result.findings.some((f) => f.ruleId === 'ACI015')).toBe(true);
    const argv = ['analyze', file, '--intent', intentFile, '--today', '2026-11-26', '-q'];
    for (const [format, render] of [
      ['text', aciseg.findingsText],
      ['json', aciseg.findingsJson],
      ['markdown', aciseg.findingsMarkdown],
    ] as const) {
      const cli = await runCapture([...argv, '--format', format], repo);
      expect([format, render(run.result, { snapshot: file })]).toEqual([format, cli.stdout]);
    }
    expect(JSON.parse(aciseg.findingsSarif(run.result, { snapshot: 's.json' })).version).toBe('2.1.0');
    expect(aciseg.rulePack().map((r) => r.id)).toContain('ACI015');
    expect(
      aciseg.parseAccept(
        'accept:\n  - {rule: ACI999, resource: x, reason: r, owner: o, expires: 2027-01-01}\n',
        'i.yaml',
      ).ok,
    ).toBe(false);
  });

  it('turns flow logs into the observed flows findings read', () => {
    const reader = new aciseg.FlowLogReader();
    reader.addDocument(
      'a.json',
      JSON.stringify({
        records: [
          {
            time: '2026-11-30T10:00:00Z',
            flowLogVersion: 4,
            flowRecords: {
              flows: [
                {
                  aclID: 'a',
                  flowGroups: [
                    { rule: 'r', flowTuples: ['1764496800000,10.1.1.4,10.1.2.4,1,443,6,O,B,NX,0,0,0,0'] },
                  ],
                },
              ],
            },
          },
        ],
      }),
    );
    const observed = aciseg.observedFlows(aciseg.requireCompleteFlowLogs(reader.finish()));
    expect(observed.window).toMatchObject({ files: 1, tuples: 1 });
    expect(observed.flows).toHaveLength(1);
    expect(aciseg.findings(engine, { observed, today: '2026-11-26' }).result.window).toEqual(observed.window);
  });

  it('checks intent as `aciseg check` does', async () => {
    const intentFile = path.join(sample, 'intent.yaml');
    const parsed = aciseg.parseIntent(fs.readFileSync(intentFile, 'utf8'), intentFile);
    if (!parsed.ok) throw new Error('sample intent does not parse');
    const report = aciseg.check(engine, parsed.entries, { today: '2026-01-01', file: intentFile });
    const cli = await runCapture(
      ['check', file, '--intent', intentFile, '--today', '2026-01-01', '--format', 'json'],
      repo,
    );
    expect(`${JSON.stringify(aciseg.checkReportJson(report), null, 2)}\n`).toBe(cli.stdout);
    expect(cli.code).toBe(report.failed > 0 ? 1 : 0);
  });

  it('summarizes as `aciseg summary` does', async () => {
    expect(aciseg.summaryText(snapshot)).toBe((await runCapture(['summary', file], repo)).stdout);
    expect(aciseg.summaryJson(snapshot)).toBe(
      (await runCapture(['summary', file, '--format', 'json'], repo)).stdout,
    );
  });

  it('has every function the Library section of README names', () => {
    const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
    const section = readme.split(/^## Library$/m)[1]?.split(/^## /m)[0] ?? '';
    const table = section
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .join('\n');
    const named = [...table.matchAll(/`(\w+)\(/g)].map((m) => m[1] as string);
    expect(named.length).toBeGreaterThan(15);
    const exports = aciseg as unknown as Record<string, unknown>;
    expect(named.filter((n) => typeof exports[n] !== 'function')).toEqual([]);
  });

  it('reads protocol and ports the way the commands and intent files write them', () => {
    const q = { from: 'Internet', to: 'vnet-app/snet-aci-web' };
    expect(aciseg.explain(engine, { ...q, protocol: 'TCP', ports: '22' }).verdict).toBe(
      aciseg.explain(engine, { ...q, ports: 22 }).verdict,
    );
    expect(aciseg.explain(engine, { ...q, protocol: 'icmp' }).verdict).toMatch(/allow|deny|partial|unknown/);
    expect(() => aciseg.explain(engine, { ...q, protocol: 'gre', ports: 1 })).toThrow(aciseg.UsageError);
    expect(() => aciseg.explain(engine, { ...q, ports: 70000 })).toThrow(aciseg.UsageError);
    expect(() => aciseg.explain(engine, { ...q, ports: '90-80' })).toThrow(aciseg.UsageError);
    expect(() => aciseg.explain(engine, { ...q, to: 'no-such-thing', ports: 1 })).toThrow(
      aciseg.EndpointError,
    );
    expect(() => aciseg.check(engine, [], { today: 'tomorrow' })).toThrow(aciseg.UsageError);
  });
});
