/**
 * `explain`, `check` and `analyze` on the bundled samples: the verdicts a security engineer expects,
 * golden outputs, exit codes, and bad input (exit 2 with a clear message).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { snapshotToString } from '../../../src/model/snapshot-codec';
import type { Snapshot } from '../../../src/model/snapshot';
import { runCapture } from '../../support/cli';
import { expectGolden } from '../../support/golden';
import {
  makeContainerGroup,
  makeNsg,
  makeRule,
  makeSnapshot,
  makeSubnet,
  makeVnet,
  ACI_DELEGATION,
} from '../../support/builders';

const ROOT = path.join(__dirname, '..', '..', '..');

const run = runCapture;

let dir: string;
const hub = () => path.join(dir, 'hub-spoke.json');
const seg = () => path.join(dir, 'segmented.json');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-analysis-'));
  for (const [sample, out] of [
    ['hub-spoke', hub()],
    ['segmented', seg()],
  ] as const) {
    const r = await run(['import', path.join(ROOT, 'samples', sample), '-o', out, '-q'], ROOT);
    expect(r.code).toBe(0);
  }
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function explainJson(snapshot: string, ...args: string[]) {
  const r = await run(['explain', snapshot, '--format', 'json', ...args], ROOT);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as {
    verdict: string;
    sides: {
      side: string;
      policy: string;
      nsg: string | null;
      rule: { name: string; priority: number } | null;
    }[];
    parts?: unknown[];
    unknowns?: string[];
  };
}

describe('explain on the samples: the verdicts a security engineer expects', () => {
  it('SSH from the Internet reaches the ACI web subnet — through AllowVnetInBound, because the 0.0.0.0/0 UDR widens VirtualNetwork', async () => {
    const x = await explainJson(hub(), '--from', 'Internet', '--to', 'vnet-app/snet-aci-web', '--port', '22');
    expect(x.verdict).toBe('allow');
    const dst = x.sides.find((s) => s.side === 'destination')!;
    expect(dst).toMatchObject({
      policy: 'nsg',
      nsg: 'nsg-aci-web',
      rule: { name: 'AllowVnetInBound', priority: 65000 },
    });
    // The rule meant for it (source Internet) matches nothing: with the default route, Internet is empty for this subnet.
    expect(x.sides.some((s) => s.rule?.name === 'AllowSshFromInternet')).toBe(false);
  });

  it('the segmented estate keeps the Internet out of its ACI subnets', async () => {
    const x = await explainJson(
      seg(),
      '--from',
      'Internet',
      '--to',
      'vnet-shop/snet-aci-frontend',
      '--port',
      '8080',
    );
    expect(x.verdict).toBe('deny');
    expect(x.sides.find((s) => s.side === 'destination')!.rule).toMatchObject({
      name: 'DenyAllInboundCustom',
      priority: 4000,
    });
  });

  it('web → api on its port is allowed by the API subnet rule made for it', async () => {
    const x = await explainJson(hub(), '--from', 'web-frontend', '--to', 'api-orders', '--port', '8443');
    expect(x.verdict).toBe('allow');
    expect(x.sides.find((s) => s.side === 'source')!.rule?.name).toBe('AllowVnetOutBound');
    expect(x.sides.find((s) => s.side === 'destination')!.rule).toMatchObject({
      name: 'AllowWebToApi',
      priority: 100,
    });
  });

  it('a port no rule names is open from the Internet only through the UDR-widened VirtualNetwork tag', async () => {
    const x = await explainJson(hub(), '--from', 'Internet', '--to', 'api-payments', '--port', '9090');
    expect(x.verdict).toBe('allow');
    expect(x.sides.find((s) => s.side === 'destination')!.rule?.name).toBe('AllowVnetInBound');
  });

  it('without the UDR, the same flow is denied (the widening is what opens it)', async () => {
    const snapshot = JSON.parse(fs.readFileSync(hub(), 'utf8')) as Snapshot;
    const noUdr = makeSnapshot({
      ...snapshot,
      subnets: snapshot.subnets.map((s) => ({ ...s, routeTableId: null })),
    });
    const file = path.join(dir, 'no-udr.json');
    fs.writeFileSync(file, snapshotToString(noUdr));
    const x = await explainJson(file, '--from', 'Internet', '--to', 'api-payments', '--port', '9090');
    expect(x.verdict).toBe('deny');
    expect(x.sides.find((s) => s.side === 'destination')!.rule?.name).toBe('DenyAllInBound');
  });

  it('a public container group admits exactly its ports', async () => {
    expect(
      (await explainJson(hub(), '--from', 'Internet', '--to', 'status-page', '--port', '80')).verdict,
    ).toBe('allow');
    const closed = await explainJson(hub(), '--from', 'Internet', '--to', 'status-page', '--port', '443');
    expect(closed.verdict).toBe('deny');
    expect(closed.sides.find((s) => s.side === 'destination')!.policy).toBe('public-ports');
  });

  it('a deny that comes too late: the hub reaches the payments admin port (allowed at 200, denied at 300)', async () => {
    const x = await explainJson(hub(), '--from', '10.100.0.0/16', '--to', 'api-payments', '--port', '9090');
    expect(x.verdict).toBe('allow');
  });

  it('egress through unresolved service tags is unknown, and a service tags file resolves it', async () => {
    // The payment provider's two addresses are allowed; whether the rest of the Internet is depends on
    // what Storage and AzureMonitor hold: allowed or partial, so unknown (never a guess).
    const unknown = await explainJson(seg(), '--from', 'shop-backend', '--to', 'Internet', '--port', '443');
    expect(unknown.verdict).toBe('unknown');
    expect(unknown.unknowns).toEqual([
      'service tag AzureMonitor (no --service-tags file given)',
      'service tag Storage (no --service-tags file given)',
    ]);
    const tags = path.join(dir, 'service-tags.json');
    fs.writeFileSync(
      tags,
      JSON.stringify({
        changeNumber: 1,
        cloud: 'Public',
        values: [
          { name: 'Storage', id: 'Storage', properties: { addressPrefixes: ['20.60.0.0/16'] } },
          { name: 'AzureMonitor', id: 'AzureMonitor', properties: { addressPrefixes: ['20.70.1.0/24'] } },
        ],
      }),
    );
    const resolved = await explainJson(
      seg(),
      '--from',
      'shop-backend',
      '--to',
      '20.60.1.1',
      '--port',
      '443',
      '--service-tags',
      tags,
    );
    expect(resolved.verdict).toBe('allow');
    expect(resolved.sides.find((s) => s.side === 'source')!.rule?.name).toBe('AllowStorage');
    const other = await explainJson(
      seg(),
      '--from',
      'shop-backend',
      '--to',
      '20.80.1.1',
      '--port',
      '443',
      '--service-tags',
      tags,
    );
    expect(other.verdict).toBe('deny');
  });
});

describe('golden outputs', () => {
  const cases: [string, string[]][] = [
    [
      'explain/hub-ssh-from-internet.txt',
      ['explain', 'HUB', '--from', 'Internet', '--to', 'vnet-app/snet-aci-web', '--port', '22'],
    ],
    [
      'explain/hub-web-to-api.json',
      [
        'explain',
        'HUB',
        '--from',
        'web-frontend',
        '--to',
        'api-orders',
        '--port',
        '8443',
        '--format',
        'json',
      ],
    ],
    [
      'explain/hub-hub-to-payments.txt',
      ['explain', 'HUB', '--from', '10.100.0.0/16', '--to', 'api-payments', '--port', '9090'],
    ],
    [
      'explain/segmented-backend-egress.txt',
      ['explain', 'SEG', '--from', 'shop-backend', '--to', 'Internet', '--port', '443'],
    ],
    [
      'explain/hub-icmp.txt',
      ['explain', 'HUB', '--from', 'web-frontend', '--to', 'vnet-app/snet-data', '--protocol', 'icmp'],
    ],
    [
      'check/hub-spoke.txt',
      ['check', 'HUB', '--intent', 'samples/hub-spoke/intent.yaml', '--today', '2026-11-26'],
    ],
    [
      'check/segmented.json',
      [
        'check',
        'SEG',
        '--intent',
        'samples/segmented/intent.yaml',
        '--today',
        '2026-11-26',
        '--format',
        'json',
      ],
    ],
    ['analyze/hub-spoke.txt', ['analyze', 'HUB', '--reachability', '--limit', '8', '-q']],
    ['analyze/segmented.json', ['analyze', 'SEG', '--reachability', '--format', 'json', '-q']],
  ];
  it.each(cases)('%s', async (golden, argv) => {
    const r = await run(
      argv.map((a) => (a === 'HUB' ? hub() : a === 'SEG' ? seg() : a)),
      ROOT,
    );
    expect(r.stderr).toBe('');
    expectGolden(golden, r.stdout);
  });
});

describe('check exit codes', () => {
  it('exits 1 when an entry fails (hub-spoke forbids SSH from the Internet, which is open)', async () => {
    const r = await run(
      ['check', hub(), '--intent', 'samples/hub-spoke/intent.yaml', '--format', 'json'],
      ROOT,
    );
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      results: { name: string; kind: string; verdict: string; pass: boolean }[];
      passed: number;
      failed: number;
    };
    expect(report.results.find((x) => x.name === 'no-ssh-from-internet')).toMatchObject({
      kind: 'forbid',
      verdict: 'allow',
      pass: false,
    });
    expect(report.results.find((x) => x.name === 'web-to-api')).toMatchObject({
      kind: 'require',
      verdict: 'allow',
      pass: true,
    });
    expect(report.failed).toBe(4);
    expect(report.passed).toBe(3);
  });

  it('exits 0 when every entry passes', async () => {
    const r = await run(['check', seg(), '--intent', 'samples/segmented/intent.yaml'], ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('6 passed, 0 failed');
  });

  it('an expired entry is reported but does not fail the check', async () => {
    const intent = path.join(dir, 'expired.yaml');
    fs.writeFileSync(
      intent,
      'forbid:\n  - {name: old, from: Internet, to: vnet-app/snet-aci-web, protocol: tcp, ports: "22", expires: 2025-01-31}\n',
    );
    const r = await run(['check', hub(), '--intent', intent, '--today', '2026-11-26'], ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('EXPIRED');
    expect(r.stderr).toContain('expired on 2025-01-31');
  });
});

describe('bad input: exit 2 with a clear message', () => {
  const bad: [string, string[], RegExp][] = [
    [
      'an endpoint that matches nothing',
      ['explain', 'HUB', '--from', 'nonexistent-group', '--to', 'api-orders', '--port', '80'],
      /"nonexistent-group" matches no container group/,
    ],
    [
      'a port of 70000',
      ['explain', 'HUB', '--from', 'Internet', '--to', 'api-orders', '--port', '70000'],
      /--port.*expected a port number from 0 to 65535/,
    ],
    [
      'an unknown protocol',
      ['explain', 'HUB', '--from', 'Internet', '--to', 'api-orders', '--port', '80', '--protocol', 'sctp'],
      /--protocol.*expected tcp, udp, icmp or \*/,
    ],
    [
      'a TCP query without a port',
      ['explain', 'HUB', '--from', 'Internet', '--to', 'api-orders'],
      /--port is required/,
    ],
    [
      'an IPv6 endpoint',
      ['explain', 'HUB', '--from', 'fd00::1', '--to', 'api-orders', '--port', '80'],
      /IPv6 endpoints are not analysed/,
    ],
    [
      'a CIDR with host bits',
      ['explain', 'HUB', '--from', '10.1.1.5/24', '--to', 'api-orders', '--port', '80'],
      /did you mean 10\.1\.1\.0\/24/,
    ],
    [
      'a missing snapshot',
      ['analyze', 'nope.json'],
      /nope\.json: cannot read file: no such file or directory \(ENOENT\)/,
    ],
  ];
  it.each(bad)('%s', async (_name, argv, message) => {
    const r = await run(
      argv.map((a) => (a === 'HUB' ? hub() : a)),
      ROOT,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('an ambiguous name lists the candidates', async () => {
    const vnet = makeVnet({ name: 'v', addressPrefixes: ['10.0.0.0/16'] });
    const a = makeSubnet(vnet, {
      name: 'a',
      addressPrefixes: ['10.0.1.0/24'],
      delegations: [ACI_DELEGATION],
    });
    const snapshot = makeSnapshot({
      virtualNetworks: [vnet],
      subnets: [a],
      networkSecurityGroups: [makeNsg({ name: 'n', rules: [makeRule({ priority: 100 })] })],
      containerGroups: [
        makeContainerGroup({ name: 'web', subnet: a, ip: '10.0.1.4', resourceGroup: 'rg-one' }),
        makeContainerGroup({ name: 'web', subnet: a, ip: '10.0.1.5', resourceGroup: 'rg-two' }),
      ],
    });
    const file = path.join(dir, 'ambiguous.json');
    fs.writeFileSync(file, snapshotToString(snapshot));
    const r = await run(['explain', file, '--from', 'web', '--to', 'Internet', '--port', '443'], ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"web" is ambiguous/);
    expect(r.stderr).toContain(
      '/resourcegroups/rg-one/providers/microsoft.containerinstance/containergroups/web',
    );
    expect(r.stderr).toContain(
      '/resourcegroups/rg-two/providers/microsoft.containerinstance/containergroups/web',
    );
  });

  it('an intent file with a typo in a key names the entry', async () => {
    const intent = path.join(dir, 'typo.yaml');
    fs.writeFileSync(
      intent,
      'require:\n  - name: x\n    from: Internet\n    to: api-orders\n    protocl: tcp\n    ports: "443"\n',
    );
    const r = await run(['check', hub(), '--intent', intent], ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(intent);
    expect(r.stderr).toMatch(/\$\.require\[0\]/);
    expect(r.stderr).toMatch(/protocl/);
  });

  it('an intent entry whose endpoint names nothing is an input error with its path', async () => {
    const intent = path.join(dir, 'bad-endpoint.yaml');
    fs.writeFileSync(
      intent,
      'forbid:\n  - {name: x, from: Internet, to: no-such-group, protocol: tcp, ports: "22"}\n',
    );
    const r = await run(['check', hub(), '--intent', intent], ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\$\.forbid\[0\].*no-such-group/);
  });

  it('an intent file with bad ports or a bad protocol', async () => {
    const intent = path.join(dir, 'bad-ports.yaml');
    fs.writeFileSync(
      intent,
      'require:\n  - {name: x, from: Internet, to: api-orders, protocol: tcp, ports: "80-70"}\n  - {name: y, from: Internet, to: api-orders, protocol: gre, ports: "80"}\n',
    );
    const r = await run(['check', hub(), '--intent', intent], ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/protocol must be tcp, udp, icmp or \*/);
  });

  it('analyze JSON: every path names listed traffic and sides, and SSH from the Internet is traced to AllowVnetInBound', async () => {
    const r = await run(['analyze', hub(), '--reachability', '--format', 'json', '-q'], ROOT);
    expect(r.code).toBe(0);
    interface Ports {
      destinationPorts: string[];
      sourcePorts: string[];
    }
    interface Traffic {
      tcp: Ports[];
      udp: Ports[];
      icmp: boolean;
    }
    const report = JSON.parse(r.stdout) as {
      schemaVersion: number;
      stats: { openPaths: number; trafficResults: number };
      endpointGroups: { key: string; label: string; kind: string }[];
      traffic: { key: string; allow: Traffic; unknown: Traffic }[];
      sides: {
        key: string;
        side: string;
        entries: { rule: number | null; outcome: string; traffic: Traffic }[];
      }[];
      rules: { key: string; name: string; nsg: string; priority: number }[];
      paths: { from: number[]; to: number[]; traffic: number; source: number; destination: number }[];
    };
    expect(report.schemaVersion).toBe(3);
    const traffic = report.traffic;
    const sides = report.sides;
    expect(report.paths).toHaveLength(report.stats.openPaths);
    expect(traffic).toHaveLength(report.stats.trafficResults);
    // Every list's keys are distinct: a key names one entity.
    for (const list of [report.endpointGroups, traffic, sides, report.rules])
      expect(new Set(list.map((x) => x.key)).size).toBe(list.length);
    const used = new Set<number>();
    for (const p of report.paths) {
      expect(traffic[p.traffic]).toBeDefined();
      expect(sides[p.source]?.side).toBe('source');
      expect(sides[p.destination]?.side).toBe('destination');
      for (const g of [...p.from, ...p.to]) expect(report.endpointGroups[g]).toBeDefined();
      used.add(p.source).add(p.destination);
    }
    expect(used.size).toBe(sides.length);
    const rules = report.rules;
    const named = new Set(sides.flatMap((x) => x.entries.map((e) => e.rule).filter((k) => k !== null)));
    expect([...named].sort((a, b) => a - b)).toEqual(rules.map((_, k) => k));
    // Internet → the web subnet: tcp 22 passes, opened on the destination side by AllowVnetInBound
    // (the 0.0.0.0/0 UDR makes VirtualNetwork everything).
    const label = report.endpointGroups.map((g) => g.label);
    const ssh = report.paths.find(
      (p) =>
        p.from.some((g) => label[g]!.includes('Internet')) &&
        p.to.some((g) => label[g] === 'vnet-app/snet-aci-web'),
    )!;
    expect(ssh).toBeDefined();
    const covers22 = (d: string) => {
      const range = /^(\d+)-(\d+)$/.exec(d);
      return d === '*' || d === '22' || (range !== null && +range[1]! <= 22 && 22 <= +range[2]!);
    };
    const opens22 = (t: Traffic) => t.tcp.some((x) => x.destinationPorts.some(covers22));
    expect(opens22(traffic[ssh.traffic]!.allow)).toBe(true);
    const inbound = sides[ssh.destination]!;
    expect(
      inbound.entries.some(
        (e) =>
          e.rule !== null &&
          rules[e.rule]!.name === 'AllowVnetInBound' &&
          rules[e.rule]!.nsg === 'nsg-aci-web' &&
          e.outcome === 'allow' &&
          opens22(e.traffic),
      ),
    ).toBe(true);
  });

  it('analyze refuses to overwrite an existing output without --force, and writes nothing half-done', async () => {
    const out = path.join(dir, 'existing.json');
    fs.writeFileSync(out, 'keep me');
    const r = await run(['analyze', seg(), '--format', 'json', '-o', out, '-q'], ROOT);
    expect(r.code).toBe(2);
    expect(fs.readFileSync(out, 'utf8')).toBe('keep me');
    const ok = await run(['analyze', seg(), '--format', 'json', '-o', out, '-q', '--force'], ROOT);
    expect(ok.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).kind).toBe('aciseg.findings');
  });
});

describe('every JSON output starts with one envelope (kind, schemaVersion, generator)', () => {
  const cases: [string, string[], string, number][] = [
    ['analyze', ['analyze', 'SEG', '--format', 'json', '-q'], 'aciseg.findings', 2],
    [
      'analyze --reachability',
      ['analyze', 'SEG', '--reachability', '--format', 'json', '-q'],
      'aciseg.reachability',
      3,
    ],
    ['summary', ['summary', 'SEG', '--format', 'json'], 'aciseg.summary', 1],
    [
      'explain',
      ['explain', 'HUB', '--from', 'Internet', '--to', 'web-frontend', '--port', '22', '--format', 'json'],
      'aciseg.explanation',
      1,
    ],
    [
      'check',
      [
        'check',
        'SEG',
        '--intent',
        'samples/segmented/intent.yaml',
        '--today',
        '2026-11-26',
        '--format',
        'json',
      ],
      'aciseg.check',
      1,
    ],
  ];
  it.each(cases)('%s', async (_name, argv, kind, schemaVersion) => {
    const r = await run(
      argv.map((a) => (a === 'HUB' ? hub() : a === 'SEG' ? seg() : a)),
      ROOT,
    );
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc).slice(0, 3)).toEqual(['kind', 'schemaVersion', 'generator']);
    expect(doc).toMatchObject({ kind, schemaVersion, generator: { name: 'aciseg' } });
  });

  it('import --format json writes the summary envelope', async () => {
    const out = path.join(dir, 'envelope-import.json');
    const r = await run(
      ['import', path.join(ROOT, 'samples', 'segmented'), '-o', out, '-q', '--format', 'json'],
      ROOT,
    );
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'aciseg.summary', schemaVersion: 1 });
  });
});
