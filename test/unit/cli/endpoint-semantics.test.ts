/**
 * Endpoint semantics through the command line, on the hub-spoke sample (which has a container group
 * named `internet` on purpose) and on a hand-built estate with a public group at 20.61.10.5.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { snapshotToString } from '../../../src/model/snapshot-codec';
import { parseIpv4, parsePrefix } from '../../../src/net/address';
import { runCapture } from '../../support/cli';
import {
  makeContainerGroup,
  makeSnapshot,
  makeSubnet,
  makeVnet,
  ACI_DELEGATION,
} from '../../support/builders';

const ROOT = path.join(__dirname, '..', '..', '..');
const run = (argv: string[]) => runCapture(argv, ROOT);

let dir: string;
const hub = () => path.join(dir, 'hub-spoke.json');
const pub = () => path.join(dir, 'public.json');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-endpoints-'));
  const r = await run(['import', path.join(ROOT, 'samples', 'hub-spoke'), '-o', hub(), '-q']);
  expect(r.code).toBe(0);
  const vnet = makeVnet({ name: 'v', addressPrefixes: ['10.0.0.0/16'] });
  const s = makeSubnet(vnet, { name: 's', addressPrefixes: ['10.0.1.0/24'], delegations: [ACI_DELEGATION] });
  const snapshot = makeSnapshot({
    virtualNetworks: [vnet],
    subnets: [s],
    containerGroups: [
      makeContainerGroup({ name: 'app', subnet: s, ip: '10.0.1.4', ports: [8080] }),
      makeContainerGroup({ name: 'status', ip: '20.61.10.5', ports: [80] }),
    ],
  });
  fs.writeFileSync(pub(), snapshotToString(snapshot));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function explainJson(snapshot: string, ...args: string[]) {
  const r = await run(['explain', snapshot, '--format', 'json', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as {
    verdict: string;
    from: { description: string };
    to: { description: string };
    sides: { side: string; policy: string; rule: { name: string } | null }[];
  };
}

describe('Internet is the tag, even beside a container group named internet', () => {
  it('explain --from Internet answers for the tag (SSH to the web subnet is open), not for the group', async () => {
    const x = await explainJson(hub(), '--from', 'Internet', '--to', 'vnet-app/snet-aci-web', '--port', '22');
    expect(x.from.description).toMatch(/^Internet \(/);
    expect(x.verdict).toBe('allow');
    expect(x.sides.some((s) => s.rule?.name === 'DenySshOutbound')).toBe(false);
  });

  it('the group itself is cg:internet (or its ID): its SSH is stopped by DenySshOutbound', async () => {
    const x = await explainJson(
      hub(),
      '--from',
      'cg:internet',
      '--to',
      'vnet-app/snet-aci-web',
      '--port',
      '22',
    );
    expect(x.from.description).toMatch(/^container group internet \(10\.1\.2\.6/);
    expect(x.verdict).toBe('deny');
    expect(x.sides.find((s) => s.side === 'source')!.rule?.name).toBe('DenySshOutbound');
  });

  it('a forbid entry Internet → subnet tcp 22 fails (no false green): check exits 1', async () => {
    const intent = path.join(dir, 'forbid-ssh.yaml');
    fs.writeFileSync(
      intent,
      'forbid:\n  - {name: no-ssh, from: Internet, to: vnet-app/snet-aci-web, protocol: tcp, ports: "22"}\n',
    );
    const r = await run(['check', hub(), '--intent', intent, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { results: { name: string; verdict: string; pass: boolean }[] };
    expect(report.results).toMatchObject([{ name: 'no-ssh', verdict: 'allow', pass: false }]);
  });

  it('import warns that the name is reserved, naming the file, the JSON path and the qualified form', async () => {
    const r = await run([
      'import',
      path.join(ROOT, 'samples', 'hub-spoke'),
      '-o',
      path.join(dir, 'again.json'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^warning: .*container-groups\.json: \$\.value\[4\]\.name: container group "internet" is named like the tag Internet.*cg:internet \[RESERVED_NAME\]$/m,
    );
  });
});

describe('a public container group is its address', () => {
  it('explain --to 20.61.10.5 --port 443 is denied, as --to <group name> is', async () => {
    for (const to of ['status', '20.61.10.5']) {
      const x = await explainJson(pub(), '--from', 'Internet', '--to', to, '--port', '443');
      expect(x.verdict).toBe('deny');
      expect(x.sides.find((s) => s.side === 'destination')!.policy).toBe('public-ports');
    }
  });

  it('analyze JSON lists 20.61.10.5 in one endpoint group only, the public group', async () => {
    const r = await run(['analyze', pub(), '--reachability', '--format', 'json', '-q']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { endpointGroups: { kind: string; addresses: string[] }[] };
    // Addresses are written as `a.b.c.d`, a CIDR, or `first-last`.
    const target = parseIpv4('20.61.10.5')!;
    const covers = (text: string) => {
      const [first, last] = text.includes('-') ? text.split('-') : [text, text];
      const lo = parsePrefix(first!)!;
      const hi = parsePrefix(last!)!;
      return lo.start <= target && target <= hi.end;
    };
    const holders = report.endpointGroups.filter((g) => g.addresses.some(covers));
    expect(holders.map((g) => g.kind)).toEqual(['publicContainerGroup']);
  });
});

describe('endpoint errors are coded diagnostics (exit 2)', () => {
  it('explain names the flag and prints ENDPOINT_NOT_FOUND', async () => {
    const r = await run(['explain', hub(), '--from', 'Internet', '--to', 'no-such-group', '--port', '80']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^error: --to: "no-such-group" matches no container group.*\[ENDPOINT_NOT_FOUND\]$/m,
    );
  });

  it('check reports an entry whose endpoint names nothing as ENDPOINT_NOT_FOUND at its path', async () => {
    const intent = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      intent,
      'forbid:\n  - {name: x, from: Internet, to: no-such-group, protocol: tcp, ports: "22"}\n',
    );
    const r = await run(['check', hub(), '--intent', intent]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\$\.forbid\[0\].*no-such-group.*\[ENDPOINT_NOT_FOUND\]/);
  });
});
