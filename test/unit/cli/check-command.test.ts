/**
 * `aciseg check` on a small hand-built estate: empty intents, the evidence of partial verdicts,
 * expired entries counted apart, YAML resource limits, calendar dates, and every bad entry reported.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { snapshotToString } from '../../../src/model/snapshot-codec';
import { runCapture } from '../../support/cli';
import {
  ACI_DELEGATION,
  makeContainerGroup,
  makeNsg,
  makeRule,
  makeSnapshot,
  makeSubnet,
  makeVnet,
} from '../../support/builders';

let dir: string;
let snapshot: string;

/**
 * One ACI subnet whose NSG admits TCP 80 from the Internet, but only from source ports 1024-65535,
 * and denies the rest of TCP: `Internet → web tcp 80-90` is partial. Two groups are named `twin`.
 */
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-check-'));
  const vnet = makeVnet({ name: 'vnet-app', addressPrefixes: ['10.0.0.0/16'] });
  const nsg = makeNsg({
    name: 'nsg-web',
    rules: [
      makeRule({
        priority: 100,
        name: 'AllowHttpFromInternet',
        source: 'Internet',
        sourcePorts: '1024-65535',
        destinationPorts: '80',
      }),
      makeRule({ priority: 4000, name: 'DenyTcpIn', access: 'Deny' }),
    ],
  });
  const web = makeSubnet(vnet, {
    name: 'snet-web',
    addressPrefixes: ['10.0.1.0/24'],
    nsg,
    delegations: [ACI_DELEGATION],
  });
  const estate = makeSnapshot({
    virtualNetworks: [vnet],
    subnets: [web],
    networkSecurityGroups: [nsg],
    containerGroups: [
      makeContainerGroup({ name: 'web', subnet: web, ip: '10.0.1.4' }),
      makeContainerGroup({ name: 'twin', subnet: web, ip: '10.0.1.5', resourceGroup: 'rg-one' }),
      makeContainerGroup({ name: 'twin', subnet: web, ip: '10.0.1.6', resourceGroup: 'rg-two' }),
    ],
  });
  snapshot = path.join(dir, 'estate.json');
  fs.writeFileSync(snapshot, snapshotToString(estate));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function intentFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const check = (intent: string, ...args: string[]) =>
  runCapture(['check', snapshot, '--intent', intent, '--today', '2026-06-01', ...args], dir);

/** The stderr lines that are errors. */
const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('error: '));

describe('an empty intent', () => {
  it.each([
    ['an empty file', ''],
    ['empty lists', 'require: []\nforbid: []\n'],
    ['a comment only', '# nothing yet\n'],
  ])('%s is an input error naming the file and $ (EMPTY_INPUT)', async (_name, text) => {
    const intent = intentFile('empty.yaml', text);
    const r = await check(intent);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(errorLines(r.stderr)).toEqual([expect.stringContaining(`${intent}: $: `)]);
    expect(r.stderr).toMatch(/no require or forbid entries.*--allow-empty.*\[EMPTY_INPUT\]/);
  });

  it('passes with --allow-empty (0 entries, exit 0)', async () => {
    const intent = intentFile('empty-allowed.yaml', 'require: []\n');
    const r = await check(intent, '--allow-empty');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('0 passed, 0 failed, 0 expired\n');
    const json = await check(intent, '--allow-empty', '--format', 'json');
    expect(JSON.parse(json.stdout)).toEqual({ results: [], passed: 0, failed: 0, expired: 0 });
  });
});

describe('the evidence of a partial verdict', () => {
  const partialIntent = () =>
    intentFile(
      'partial.yaml',
      'require:\n  - {name: http-in, from: Internet, to: web, protocol: tcp, ports: "80-90"}\n',
    );

  interface Part {
    from: string[];
    to: string[];
    protocol: string;
    ports: { destinationPorts: string[]; sourcePorts: string[] }[];
    verdict: string;
    sides: { side: string; nsg: string | null; rule: { name: string } | null; outcome: string }[];
  }

  it('JSON lists the parts: addresses, protocol, destination and source ports, verdict and rules per side', async () => {
    const r = await check(partialIntent(), '--format', 'json');
    expect(r.code).toBe(1);
    const result = (JSON.parse(r.stdout) as { results: { verdict: string; parts?: Part[] }[] }).results[0]!;
    expect(result.verdict).toBe('partial');
    const parts = result.parts!;
    const allowed = parts.filter((p) => p.verdict === 'allow');
    expect(allowed).toHaveLength(1);
    expect(allowed[0]).toMatchObject({
      to: ['10.0.1.4'],
      protocol: 'Tcp',
      ports: [{ destinationPorts: ['80'], sourcePorts: ['1024-65535'] }],
    });
    expect(allowed[0]!.sides).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          side: 'destination',
          nsg: 'nsg-web',
          rule: expect.objectContaining({ name: 'AllowHttpFromInternet' }),
          outcome: 'allow',
        }),
      ]),
    );
    // The denied rest: every port from source ports 0-1023, and 81-90 from the others.
    const denied = parts.filter((p) => p.verdict === 'deny').flatMap((p) => p.ports);
    expect(denied).toEqual(
      expect.arrayContaining([
        { destinationPorts: ['80-90'], sourcePorts: ['0-1023'] },
        { destinationPorts: ['81-90'], sourcePorts: ['1024-65535'] },
      ]),
    );
    for (const p of parts.filter((x) => x.verdict === 'deny'))
      expect(p.sides.some((s) => s.rule?.name === 'DenyTcpIn' && s.outcome === 'deny')).toBe(true);
  });

  it('text names the allowed part with its ports and source ports and its deciding rule', async () => {
    const r = await check(partialIntent());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {10}allow {3}tcp 80 from source ports 1024-65535: from .* to 10\.0\.1\.4$/m);
    expect(r.stdout).toMatch(/^ {18}destination side: NSG nsg-web \/ AllowHttpFromInternet .*→ allow$/m);
    expect(r.stdout).toMatch(/^ {10}deny {4}tcp .*81-90/m);
  });
});

describe('expired entries are counted apart', () => {
  const intent = () =>
    intentFile(
      'expiring.yaml',
      [
        'require:',
        '  - {name: still-failing, from: Internet, to: web, protocol: tcp, ports: "443"}',
        '  - {name: old-exception, from: Internet, to: web, protocol: tcp, ports: "22", expires: 2026-05-31}',
        'forbid:',
        '  - {name: ok, from: Internet, to: web, protocol: tcp, ports: "443"}',
        '  - {name: expires-today, from: Internet, to: web, protocol: tcp, ports: "8080", expires: 2026-06-01}',
        '',
      ].join('\n'),
    );

  it('text: the closing line starts `N passed, N failed` and adds `, N expired`', async () => {
    const r = await check(intent());
    expect(r.code).toBe(1);
    const last = r.stdout.trimEnd().split('\n').at(-1)!;
    expect(last).toBe('2 passed, 1 failed, 1 expired');
    expect(last).toMatch(/^(\d+) passed, (\d+) failed(, (\d+) expired)?$/);
    expect(r.stdout).toMatch(/^EXPIRED require old-exception: .*verdict deny$/m);
    expect(r.stderr).toContain('old-exception expired on 2026-05-31');
  });

  it('JSON: passed, failed and expired; an expired entry keeps its real verdict in pass', async () => {
    const r = await check(intent(), '--format', 'json');
    const report = JSON.parse(r.stdout) as {
      results: { name: string; pass: boolean; expired: boolean; expires: string | null }[];
      passed: number;
      failed: number;
      expired: number;
    };
    expect([report.passed, report.failed, report.expired]).toEqual([2, 1, 1]);
    expect(report.results.find((x) => x.name === 'old-exception')).toMatchObject({
      pass: false,
      expired: true,
      expires: '2026-05-31',
    });
    expect(report.results.find((x) => x.name === 'expires-today')).toMatchObject({ expired: false });
  });

  it('an intent whose only failure has expired exits 0', async () => {
    const only = intentFile(
      'expired-only.yaml',
      'require:\n  - {name: old, from: Internet, to: web, protocol: tcp, ports: "22", expires: 2026-01-01}\n',
    );
    const r = await check(only);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n0 passed, 0 failed, 1 expired\n$/);
  });
});

describe('YAML resource limits and oddities are input errors (exit 2), never internal errors', () => {
  it('an alias bomb is exit 2 with the file, quickly', async () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    lines.push('require: *a11');
    const intent = intentFile('bomb.yaml', `${lines.join('\n')}\n`);
    const start = Date.now();
    const r = await check(intent);
    expect(Date.now() - start).toBeLessThan(3000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`^error: ${intent.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*alias.*\\[NOT_JSON\\]`, 'm'),
    );
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it.each([
    ['deep nesting', `require: ${'['.repeat(20000)}${']'.repeat(20000)}\n`],
    ['deep JSON nesting', `{"require": [{"name": ${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}}]}`],
    [
      'a !!js tag',
      'require:\n  - {name: !!js/function "function () {}", from: Internet, to: web, protocol: tcp, ports: "80"}\n',
    ],
    [
      'a !!binary tag',
      'require:\n  - {name: !!binary aGVsbG8=, from: Internet, to: web, protocol: tcp, ports: "80"}\n',
    ],
    ['a !!set at the top', '!!set {require, forbid}\n'],
    [
      'a huge number as ports',
      'require:\n  - {name: x, from: Internet, to: web, protocol: tcp, ports: 1e400}\n',
    ],
    [
      'a list as ports',
      'require:\n  - {name: x, from: Internet, to: web, protocol: tcp, ports: [80, 443]}\n',
    ],
    ['a boolean as ports', 'require:\n  - {name: x, from: Internet, to: web, protocol: tcp, ports: true}\n'],
    ['a number as a name', 'require:\n  - {name: 12, from: Internet, to: web, protocol: tcp, ports: "80"}\n'],
    ['a complex key', '? [require]\n: []\n'],
    [
      'a __proto__ key',
      'require:\n  - {name: x, from: Internet, to: web, protocol: tcp, ports: "80", __proto__: {pass: true}}\n',
    ],
    ['a duplicate key', 'require: []\nrequire: []\n'],
    ['an undefined alias', 'require: *nothing\n'],
  ])('%s', async (_name, text) => {
    const r = await check(intentFile('odd.yaml', text));
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('odd.yaml');
    expect(r.stdout).toBe('');
  });
});

describe('dates are real calendar dates', () => {
  const valid = () =>
    intentFile(
      'dated.yaml',
      'forbid:\n  - {name: ok, from: Internet, to: web, protocol: tcp, ports: "443"}\n',
    );

  it.each(['2025-13-45', '2025-02-29', '1900-02-29', '2026-04-31', '2026-00-10', '2026-6-1'])(
    '--today %s is a usage error',
    async (today) => {
      const r = await runCapture(['check', snapshot, '--intent', valid(), '--today', today], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--today must be a real date written YYYY-MM-DD/);
    },
  );

  it.each(['2024-02-29', '2000-02-29', '2026-12-31'])('--today %s is accepted', async (today) => {
    const r = await runCapture(['check', snapshot, '--intent', valid(), '--today', today], dir);
    expect(r.code).toBe(0);
  });

  it.each(['2025-02-30', '2099-99-99', '2023-02-29'])(
    'expires: %s is an input error at its path',
    async (date) => {
      const intent = intentFile(
        'bad-date.yaml',
        `forbid:\n  - {name: x, from: Internet, to: web, protocol: tcp, ports: "22", expires: ${date}}\n`,
      );
      const r = await check(intent);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/\$\.forbid\[0\]\.expires: expires must be a real date/);
    },
  );
});

describe('every bad entry is reported', () => {
  it('unknown key, bad ports, duplicate name, endpoints that match nothing or several: all of them, in file order', async () => {
    const intent = intentFile(
      'many-bad.yaml',
      [
        'require:',
        '  - {name: typo, from: Internet, to: web, protocl: tcp, ports: "80"}',
        '  - {name: reversed, from: Internet, to: web, protocol: tcp, ports: "90-80"}',
        '  - {name: fine, from: Internet, to: web, protocol: tcp, ports: "80"}',
        'forbid:',
        '  - {name: nowhere, from: Internet, to: no-such-group, protocol: tcp, ports: "22"}',
        '  - {name: fine, from: Internet, to: web, protocol: tcp, ports: "22"}',
        '  - {name: which-twin, from: twin, to: Internet, protocol: tcp, ports: "443"}',
        '',
      ].join('\n'),
    );
    const r = await check(intent);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const errors = errorLines(r.stderr);
    const expected: [string, RegExp][] = [
      ['$.require[0]', /Unrecognized key: "protocl" \[INVALID_VALUE\]/],
      ['$.require[1].ports', /invalid ports "90-80".*\[INVALID_PORT\]/],
      ['$.forbid[0].to', /"nowhere": "no-such-group" matches no container group.*\[ENDPOINT_NOT_FOUND\]/],
      ['$.forbid[1].name', /entry name "fine" is also used at \$\.require\[2\] \[INVALID_VALUE\]/],
      ['$.forbid[2].from', /"which-twin": "twin" is ambiguous/],
    ];
    for (const [where, message] of expected)
      expect(errors.some((e) => e.startsWith(`error: ${intent}: ${where}: `) && message.test(e))).toBe(true);
    expect(r.stderr).toContain('[ENDPOINT_AMBIGUOUS]');
    // Five bad entries, reported in the order of the file; the good one is not mentioned.
    const entries = errors.map((e) => /: (\$\.(require|forbid)\[\d+\])/.exec(e)![1]);
    expect([...new Set(entries)]).toEqual([
      '$.require[0]',
      '$.require[1]',
      '$.forbid[0]',
      '$.forbid[1]',
      '$.forbid[2]',
    ]);
    expect(r.stderr).toContain(
      '/resourcegroups/rg-one/providers/microsoft.containerinstance/containergroups/twin',
    );
  });
});
