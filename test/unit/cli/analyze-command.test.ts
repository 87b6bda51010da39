/**
 * `aciseg analyze` as a command: findings by default, flow logs (`--flows`, `--since`, `--until`),
 * the intent file's `accept` entries (unknown rule → exit 2, unmatched → warning, expired → ACI015,
 * accepted findings never failing), `--fail-on`, colour only for a terminal, and deterministic JSON.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { runCli } from '../../../src/cli/program';
import { runCapture } from '../../support/cli';
import { vnetRecord } from '../flows/helpers';

const ROOT = path.join(__dirname, '..', '..', '..');
let dir: string;
const run = (argv: string[]) => runCapture(argv, dir);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-analyze-'));
  const r = await runCapture(
    ['import', path.join(ROOT, 'samples', 'hub-spoke'), '-o', path.join(dir, 'hub.json'), '-q'],
    ROOT,
  );
  expect(r.code).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), content);
  return name;
}

const TODAY = ['--today', '2026-11-26'];
const intent = (accept: string) => write('intent.yaml', `accept:\n${accept}`);

describe('findings by default', () => {
  it('text starts with the counts line; json is kind aciseg.findings; exit 0 by default', async () => {
    const text = await run(['analyze', 'hub.json', '-q']);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(
      /^\d+ findings: \d+ critical, \d+ high, \d+ medium, \d+ low, \d+ info/,
    );
    const json = await run(['analyze', 'hub.json', '--format', 'json', '-q']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      kind: 'aciseg.findings',
      schemaVersion: 2,
      snapshot: 'hub.json',
    });
  });

  it('JSON is byte-identical across two runs (flow logs and acceptances included)', async () => {
    write(
      'flows/a.json',
      JSON.stringify({
        records: [
          vnetRecord({ acl: { r: ['1764496800000,10.1.1.4,10.1.2.4,50000,8443,6,O,B,NX,0,0,0,0'] } }),
        ],
      }),
    );
    const yaml = intent(
      '  - {fingerprint: 0123456789abcdef0123456789abcdef, reason: r, owner: o, expires: 2020-01-01}\n',
    );
    const argv = [
      'analyze',
      'hub.json',
      '--format',
      'json',
      '--flows',
      'flows',
      '--intent',
      yaml,
      ...TODAY,
      '-q',
    ];
    const [a, b] = [await run(argv), await run(argv)];
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(JSON.parse(a.stdout).total).toBeGreaterThan(0);
    expect(JSON.parse(a.stdout).window).toEqual({
      since: null,
      until: null,
      first: '2025-11-30T10:00:00.000Z',
      last: '2025-11-30T10:00:00.000Z',
      files: 1,
      tuples: 1,
    });
  });

  it('colour only when the io is a terminal that allows it, and never into a file', async () => {
    const capture = async (argv: string[], colorStdout: boolean) => {
      let out = '';
      await runCli(argv, { stdout: (t) => void (out += t), stderr: () => undefined, cwd: dir, colorStdout });
      return out;
    };
    const yaml = intent(
      '  - {fingerprint: 0123456789abcdef0123456789abcdef, reason: r, owner: o, expires: 2020-01-01}\n',
    );
    const argv = ['analyze', 'hub.json', '--intent', yaml, ...TODAY, '-q'];
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[/;
    expect(await capture(argv, true)).toMatch(ansi);
    expect(await capture(argv, false)).not.toMatch(ansi);
    await capture([...argv, '-o', 'coloured.txt', '--force'], true);
    expect(fs.readFileSync(path.join(dir, 'coloured.txt'), 'utf8')).not.toMatch(ansi);
  });
});

describe('--flows', () => {
  it('reads files and directories, plain or gzip, and states the window', async () => {
    const tuple = '1764496800000,10.1.1.4,10.1.2.4,50000,8443,6,O,B,NX,0,0,0,0';
    write('gz/PT1H.json', zlib.gzipSync(JSON.stringify({ records: [vnetRecord({ acl: { r: [tuple] } })] })));
    write('plain.json', JSON.stringify({ records: [vnetRecord({ acl: { r: [tuple, tuple] } })] }));
    const r = await run(['analyze', 'hub.json', '--flows', 'gz', '--flows', 'plain.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'observed flows: 3 tuples in 2 files, 2025-11-30T10:00:00.000Z to\n  2025-11-30T10:00:00.000Z',
    );
    expect(r.stderr).toContain('flow logs: 2 files, 3 tuples in 1 observed flows');
  });

  it('a malformed flow-log file is exit 2 naming the file and the position, and nothing is written', async () => {
    write(
      'bad/PT1H.json',
      '{"records": [{"time": "2026-11-30T10:00:00Z", "flowLogVersion": 4,\n  "flowRecords": {"flows": [ {"aclID": "a", "flowGroups": [{"rule": "r", "flowTuples": ["1764496800000,10.1.1.400,10.1.2.4,1,443,6,O,B,NX,0,0,0,0"]}]}]}}]}\n',
    );
    const r = await run(['analyze', 'hub.json', '--flows', 'bad', '-o', 'never.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: bad\/PT1H\.json: \$\.records\[0\]\.flowRecords\.flows\[0\]\.flowGroups\[0\]\.flowTuples\[0\]: line 2, column \d+: flow tuple .* is malformed: the source is not an IP address \[FLOW_LOG_MALFORMED\]$/m,
    );
    expect(fs.existsSync(path.join(dir, 'never.txt'))).toBe(false);
  });

  it('a truncated gzip file is exit 2 too', async () => {
    const gz = zlib.gzipSync(JSON.stringify({ records: [vnetRecord({ acl: { r: [] } })] }));
    write('trunc/PT1H.json', gz.subarray(0, gz.length - 10));
    const r = await run(['analyze', 'hub.json', '--flows', 'trunc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('trunc/PT1H.json');
    expect(r.stderr).toContain('[FLOW_LOG_MALFORMED]');
  });

  it('--since and --until need --flows, and must be ISO times', async () => {
    expect(await run(['analyze', 'hub.json', '--since', '2026-11-30'])).toMatchObject({
      code: 2,
      stderr:
        'error: --since and --until bound the flow logs of --flows: give --flows too\n(run with --help for usage)\n',
    });
    const bad = await run(['analyze', 'hub.json', '--flows', 'plain.json', '--until', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--until "yesterday" is not an ISO time');
  });
});

describe('accept entries', () => {
  it('an accept entry for an unknown rule ID is exit 2 with the file and the JSON path, writing nothing', async () => {
    const yaml = intent(
      '  - {rule: ACI099, resource: nsg-aci-web, reason: r, owner: o, expires: 2027-01-01}\n',
    );
    const r = await run(['analyze', 'hub.json', '--intent', yaml, '-o', 'never.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: intent\.yaml: \$\.accept\[0\]\.rule: unknown rule ID ACI099: the rule pack has .*ACI015 \[UNKNOWN_RULE\]\n$/,
    );
    expect(fs.existsSync(path.join(dir, 'never.json'))).toBe(false);
  });

  it('every bad entry of the file is reported at once (require, forbid and accept)', async () => {
    const yaml = write(
      'bad-intent.yaml',
      'forbid:\n  - {name: x, from: Internet, protocol: tcp, ports: "22"}\naccept:\n  - {rule: ACI015}\n',
    );
    const r = await run(['analyze', 'hub.json', '--intent', yaml]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^error: bad-intent\.yaml: \$\.forbid\[0\]\.to: /);
    expect(lines.slice(1).every((l) => l.startsWith('error: bad-intent.yaml: $.accept[0]'))).toBe(true);
    expect(lines.length).toBe(4);
  });

  it('an acceptance that matches nothing is a warning on stderr; the run goes on (exit 0)', async () => {
    const yaml = intent(
      '  - {fingerprint: 0123456789abcdef0123456789abcdef, reason: r, owner: o, expires: 2099-01-01}\n',
    );
    const r = await run(['analyze', 'hub.json', '--intent', yaml, ...TODAY]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'warning: intent.yaml: $.accept[0]: acceptance accept[0] (fingerprint 0123456789abcdef0123456789abcdef) matches no finding: remove it, or check the rule ID and resource [ACCEPT_UNMATCHED]',
    );
    expect((await run(['analyze', 'hub.json', '--intent', yaml, ...TODAY, '-q'])).stderr).toBe('');
  });

  /** The findings of hub-spoke (with the intent file `yaml`) as the JSON lists them. */
  async function findingsOf(yaml: string, ...more: string[]) {
    const r = await run([
      'analyze',
      'hub.json',
      '--intent',
      yaml,
      ...TODAY,
      '--format',
      'json',
      '-q',
      ...more,
    ]);
    return JSON.parse(r.stdout) as {
      accepted: number;
      findings: {
        ruleId: string;
        severity: string;
        fingerprint: string;
        accepted: unknown;
        resources: { name: string }[];
      }[];
    };
  }
  const acceptAll = (fingerprints: string[], expires = '2027-01-01') =>
    fingerprints
      .map((fp) => `  - {fingerprint: ${fp}, reason: tracked in SEC-12, owner: sec, expires: ${expires}}\n`)
      .join('');

  it('accepted findings never fail --fail-on, and every format shows them as accepted', async () => {
    const none = intent(
      '  - {fingerprint: 0123456789abcdef0123456789abcdef, reason: r, owner: o, expires: 2026-01-01}\n',
    );
    const all = await findingsOf(none);
    const severe = all.findings
      .filter((f) => ['critical', 'high'].includes(f.severity))
      .map((f) => f.fingerprint);
    expect(severe.length).toBeGreaterThan(3);
    // Every critical and high finding accepted: --fail-on high passes; all but one: it fails.
    const yaml = write('accept-all.yaml', `accept:\n${acceptAll(severe)}`);
    const base = ['analyze', 'hub.json', '--intent', yaml, ...TODAY, '-q'];
    expect((await run([...base, '--fail-on', 'high'])).code).toBe(0);
    expect((await run([...base, '--fail-on', 'medium'])).code).toBe(1);
    expect(
      (
        await run([
          'analyze',
          'hub.json',
          '--intent',
          write('accept-most.yaml', `accept:\n${acceptAll(severe.slice(1))}`),
          ...TODAY,
          '-q',
          '--fail-on',
          'high',
        ])
      ).code,
    ).toBe(1);
    const json = await findingsOf(yaml);
    expect(json.accepted).toBe(severe.length);
    expect(json.findings.find((f) => f.fingerprint === severe[0])!.accepted).toEqual({
      entry: 'accept[0]',
      reason: 'tracked in SEC-12',
      owner: 'sec',
      expires: '2027-01-01',
    });
    const text = await run([...base, '--fail-on', 'high']);
    expect(text.stdout).toContain(`ACCEPTED (${severe.length}): reported, never failing --fail-on`);
    expect(text.stdout.split('\n')[0]).toMatch(/: 0 critical, 0 high, .*; \d+ accepted$/);
    const sarif = JSON.parse((await run([...base, '--format', 'sarif'])).stdout);
    const suppressed = sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
    expect(suppressed).toHaveLength(severe.length);
    expect(suppressed[0].suppressions[0]).toMatchObject({ kind: 'external', status: 'accepted' });
    const md = await run([...base, '--format', 'markdown']);
    expect(md.stdout).toContain(`${severe.length} accepted findings (never failing <code>--fail-on</code>)`);
  });

  it('an expired acceptance covers nothing and is an ACI015 finding (low); in force through its day', async () => {
    const all = await findingsOf(intent('  []\n'));
    const target = all.findings.find((f) => f.severity === 'high')!;
    const yaml = intent(acceptAll([target.fingerprint], '2026-11-25'));
    const inForce = await findingsOf(yaml, '--today', '2026-11-25');
    expect(inForce.findings.find((f) => f.fingerprint === target.fingerprint)!.accepted).not.toBeNull();
    expect(inForce.findings.some((f) => f.ruleId === 'ACI015')).toBe(false);
    const expired = await findingsOf(yaml);
    expect(expired.findings.find((f) => f.fingerprint === target.fingerprint)!.accepted).toBeNull();
    const aci015 = expired.findings.filter((f) => f.ruleId === 'ACI015');
    expect(aci015).toHaveLength(1);
    expect(aci015[0]).toMatchObject({ severity: 'low', accepted: null });
  });

  it('by rule and resource: ACI001 on status-page, as the sample intent file accepts it', async () => {
    const yaml = intent(
      '  - {rule: ACI001, resource: status-page, reason: r, owner: o, expires: 2099-12-31}\n',
    );
    const json = await findingsOf(yaml);
    const accepted = json.findings.filter((f) => f.accepted !== null);
    expect(accepted.map((f) => [f.ruleId, f.resources.map((r) => r.name)])).toEqual([
      ['ACI001', ['status-page']],
    ]);
  });

  it('check reads a file with accept entries and ignores them', async () => {
    const plain = fs.readFileSync(path.join(ROOT, 'samples', 'hub-spoke', 'intent.yaml'), 'utf8');
    const withAccept = write(
      'check-intent.yaml',
      `${plain.replace(/\naccept:[\s\S]*$/, '\n')}accept:\n  - {rule: ACI099, reason: r, owner: o, expires: 2027-01-01}\n`,
    );
    const without = write('check-plain.yaml', plain.replace(/\naccept:[\s\S]*$/, '\n'));
    const a = await run(['check', 'hub.json', '--intent', withAccept, ...TODAY, '-q']);
    const b = await run(['check', 'hub.json', '--intent', without, ...TODAY, '-q']);
    expect(a.code).toBe(1);
    expect(a).toEqual(b);
  });
});

describe('sarif locations', () => {
  it('name the snapshot by a relative, percent-encoded URI and the line of each resource', async () => {
    fs.copyFileSync(path.join(dir, 'hub.json'), path.join(dir, 'my estate.json'));
    const log = JSON.parse((await run(['analyze', 'my estate.json', '--format', 'sarif', '-q'])).stdout);
    const lines = fs.readFileSync(path.join(dir, 'my estate.json'), 'utf8').split('\n');
    const snapshot = JSON.parse(lines.join('\n')) as Record<string, unknown[]>;
    const results = log.runs[0].results as {
      properties: { snapshotPointer?: string };
      locations: {
        physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
      }[];
    }[];
    expect(results.length).toBeGreaterThan(5);
    let located = 0;
    for (const r of results) {
      const loc = r.locations[0]!;
      expect(loc.physicalLocation.artifactLocation.uri).toBe('my%20estate.json');
      const pointer = r.properties.snapshotPointer;
      if (pointer === undefined) continue;
      // The line is that of the resource the finding's JSON pointer starts in.
      const [, array, index] = pointer.split('/');
      const line = lines[loc.physicalLocation.region!.startLine - 1]!.replace(/,$/, '');
      expect(JSON.parse(line)).toEqual(snapshot[array!]![Number(index)]);
      located++;
    }
    expect(located).toBeGreaterThan(5);
    // A hand-formatted snapshot (other line breaks) gets no lines, only the file.
    fs.writeFileSync(
      path.join(dir, 'pretty.json'),
      `${JSON.stringify(JSON.parse(lines.join('\n')), null, 2)}\n`,
    );
    const pretty = JSON.parse((await run(['analyze', 'pretty.json', '--format', 'sarif', '-q'])).stdout);
    expect(
      pretty.runs[0].results.every(
        (r: { locations: { physicalLocation: { region?: unknown } }[] }) =>
          r.locations[0]!.physicalLocation.region === undefined,
      ),
    ).toBe(true);
  });
});

describe('rule settings', () => {
  it('--broad-prefix takes 0–32 and --wide-ports a positive number', async () => {
    expect((await run(['analyze', 'hub.json', '--broad-prefix', '33'])).code).toBe(2);
    expect((await run(['analyze', 'hub.json', '--wide-ports', '0'])).code).toBe(2);
    expect(
      (await run(['analyze', 'hub.json', '--broad-prefix', '8', '--wide-ports', '100', '-q'])).code,
    ).toBe(0);
  });
});

describe('--fail-on', () => {
  it('exit 1 only for an unaccepted finding at or above the severity; the default is none', async () => {
    const seg = path.join(dir, 'seg.json');
    expect(
      (
        await runCapture(
          ['import', path.join(ROOT, 'samples', 'segmented'), '-o', seg, '-q', '--force'],
          ROOT,
        )
      ).code,
    ).toBe(0);
    const counts = JSON.parse((await run(['analyze', 'seg.json', '--format', 'json', '-q'])).stdout).counts;
    // The segmented sample is clean but for low and info findings.
    expect(counts).toMatchObject({ critical: 0, high: 0, medium: 0 });
    expect(counts.low).toBeGreaterThan(0);
    const code = async (...more: string[]) => (await run(['analyze', 'seg.json', '-q', ...more])).code;
    expect(await code()).toBe(0);
    expect(await code('--fail-on', 'none')).toBe(0);
    expect(await code('--fail-on', 'critical')).toBe(0);
    expect(await code('--fail-on', 'high')).toBe(0);
    expect(await code('--fail-on', 'medium')).toBe(0);
    expect(await code('--fail-on', 'low')).toBe(1);
    expect(await code('--fail-on', 'low', '--format', 'sarif')).toBe(1);
  });

  it('offers critical, high, medium, low and none', async () => {
    const r = await run(['analyze', 'hub.json', '--fail-on', 'info']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Allowed choices are critical, high, medium, low, none.');
  });
});
