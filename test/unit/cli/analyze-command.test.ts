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
      schemaVersion: 1,
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

  it('an expired acceptance is an ACI015 finding (low): --fail-on low fails, medium does not, the default never', async () => {
    const yaml = intent(
      '  - {fingerprint: 0123456789abcdef0123456789abcdef, reason: r, owner: o, expires: 2026-11-25}\n',
    );
    const base = ['analyze', 'hub.json', '--intent', yaml, ...TODAY, '-q'];
    const json = JSON.parse((await run([...base, '--format', 'json'])).stdout);
    const expired = json.findings.filter((f: { ruleId: string }) => f.ruleId === 'ACI015');
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ severity: 'low', accepted: null });
    expect((await run(base)).code).toBe(0);
    expect((await run([...base, '--fail-on', 'none'])).code).toBe(0);
    expect((await run([...base, '--fail-on', 'medium'])).code).toBe(0);
    expect((await run([...base, '--fail-on', 'low'])).code).toBe(1);
    // The day it expires it is still in force: no ACI015 (and a warning: it matches nothing).
    const inForce = await run([
      'analyze',
      'hub.json',
      '--intent',
      yaml,
      '--today',
      '2026-11-25',
      '--fail-on',
      'low',
    ]);
    expect(inForce.code).toBe(0);
    expect(inForce.stdout).not.toContain('ACI015');
  });

  it('accepted findings never fail --fail-on, and every format shows them as accepted', async () => {
    // The ACI015 finding of an expired entry, accepted in turn by its fingerprint.
    const first = intent(
      '  - {fingerprint: 0123456789abcdef0123456789abcdef, reason: r, owner: o, expires: 2026-11-25}\n',
    );
    const found = JSON.parse(
      (await run(['analyze', 'hub.json', '--intent', first, ...TODAY, '--format', 'json', '-q'])).stdout,
    );
    const fp = found.findings.find((f: { ruleId: string }) => f.ruleId === 'ACI015').fingerprint as string;
    const yaml = intent(
      `  - {fingerprint: 0123456789abcdef0123456789abcdef, reason: r, owner: o, expires: 2026-11-25}\n  - {fingerprint: ${fp}, reason: tracked in SEC-12, owner: sec, expires: 2027-01-01}\n`,
    );
    const base = ['analyze', 'hub.json', '--intent', yaml, ...TODAY, '-q', '--fail-on', 'low'];
    const text = await run(base);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('ACCEPTED (1)');
    const json = JSON.parse((await run([...base, '--format', 'json'])).stdout);
    expect(json.accepted).toBe(1);
    expect(json.findings.find((f: { fingerprint: string }) => f.fingerprint === fp).accepted).toEqual({
      entry: 'accept[1]',
      reason: 'tracked in SEC-12',
      owner: 'sec',
      expires: '2027-01-01',
    });
    const sarif = JSON.parse((await run([...base, '--format', 'sarif'])).stdout);
    const result = sarif.runs[0].results.find(
      (r: { partialFingerprints: Record<string, string> }) =>
        r.partialFingerprints['acisegFingerprint/v1'] === fp,
    );
    expect(result.suppressions[0]).toMatchObject({ kind: 'external', status: 'accepted' });
    const md = await run([...base, '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('1 accepted findings (never failing <code>--fail-on</code>)');
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
  it('offers critical, high, medium, low and none', async () => {
    const r = await run(['analyze', 'hub.json', '--fail-on', 'info']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Allowed choices are critical, high, medium, low, none.');
  });
});
