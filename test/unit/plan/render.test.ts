/**
 * The plan's outputs: the ARM template imported back (`aciseg import`) gives the proposed rule sets
 * and exactly the reachability of the proposed snapshot; the Bicep reads back as the tree printed;
 * new NSGs take `location` as a used parameter and come with a commented association step; hostile
 * names stay inert in every format.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseIntent } from '../../../src/analyze/intent';
import { readFlowLogs } from '../../../src/collect/flows';
import { parseSnapshotText, snapshotToString } from '../../../src/model/snapshot-codec';
import type { Snapshot } from '../../../src/model/snapshot';
import { parseIpv4, parsePrefix } from '../../../src/net/address';
import { compilePolicy } from '../../../src/policy';
import type { FlowEnd } from '../../../src/policy/flow';
import { planSegmentation, type PlanResult } from '../../../src/plan';
import { canonicalize, printBicep } from '../../../src/render/bicep';
import { renderPlanArm } from '../../../src/render/plan-arm';
import { planBicepTree } from '../../../src/render/plan-bicep';
import { serializePlanJson } from '../../../src/render/plan-json';
import { renderPlanMarkdown } from '../../../src/render/plan-markdown';
import { parseBicep } from '../../support/bicep-parse';
import { runCapture } from '../../support/cli';
import {
  ACI_DELEGATION,
  containerGroup,
  ids,
  nsg,
  rule,
  snapshotOf,
  subnet,
  vnet,
} from '../../oracle/tiny-estate';

const ROOT = path.join(__dirname, '..', '..', '..');
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-plan-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function readSnapshot(file: string): Snapshot {
  const parsed = parseSnapshotText(fs.readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  return parsed.snapshot;
}

async function hubSpokePlan(): Promise<{ snapshot: Snapshot; result: PlanResult }> {
  const hub = path.join(dir, 'hub.json');
  expect(
    (await runCapture(['import', path.join(ROOT, 'samples/hub-spoke'), '-o', hub, '-q', '--force'], ROOT))
      .code,
  ).toBe(0);
  const snapshot = readSnapshot(hub);
  const flows = await readFlowLogs([path.join(ROOT, 'samples/hub-spoke-flow-logs')]);
  const intent = parseIntent(
    fs.readFileSync(path.join(ROOT, 'samples/hub-spoke/intent.yaml'), 'utf8'),
    'intent.yaml',
  );
  if (!intent.ok) throw new Error('intent');
  const result = planSegmentation({
    snapshot,
    engine: compilePolicy(snapshot),
    observed: {
      flows: [...flows.flows],
      window: { first: null, last: null, since: null, until: null, files: 8, tuples: 0 },
    },
    intent: { file: 'intent.yaml', entries: intent.entries },
    today: '2026-11-26',
  });
  return { snapshot, result };
}

describe('plan outputs', () => {
  it('the ARM template, imported back, holds the proposed rules and analyzes to the proposed reachability', async () => {
    const { snapshot, result } = await hubSpokePlan();
    fs.writeFileSync(path.join(dir, 'plan.arm.json'), renderPlanArm(result));
    const r = await runCapture(['import', 'plan.arm.json', '-o', 'imported.json', '-q', '--force'], dir);
    expect(r.code).toBe(0);
    const imported = readSnapshot(path.join(dir, 'imported.json'));
    // The imported rule sets, put in place of the NSGs they name, give the deployed estate.
    const byName = new Map(imported.networkSecurityGroups.map((g) => [g.name, g.securityRules]));
    expect([...byName.keys()].sort()).toEqual(result.nsgs.map((n) => n.name).sort());
    // New NSGs (snet-data's) join with the ids the plan gives them, associated as its comment says.
    const fresh = result.nsgs.filter((n) => n.isNew);
    expect(fresh.map((n) => n.name)).toEqual(['nsg-snet-data']);
    const deployed: Snapshot = {
      ...snapshot,
      networkSecurityGroups: [
        ...snapshot.networkSecurityGroups.map((g) =>
          byName.has(g.name) ? { ...g, securityRules: byName.get(g.name)! } : g,
        ),
        ...fresh.map((n) => ({
          ...imported.networkSecurityGroups.find((g) => g.name === n.name)!,
          id: n.id,
        })),
      ].sort((x, y) => (x.id < y.id ? -1 : 1)),
      subnets: snapshot.subnets.map((s) => {
        const n = fresh.find((f) => f.subnets.includes(s.id));
        return n ? { ...s, networkSecurityGroupId: n.id } : s;
      }),
    };
    for (const g of result.proposed.networkSecurityGroups)
      expect(deployed.networkSecurityGroups.find((x) => x.id === g.id)!.securityRules).toEqual(
        g.securityRules,
      );
    fs.writeFileSync(path.join(dir, 'deployed.json'), snapshotToString(deployed));
    fs.writeFileSync(path.join(dir, 'proposed.json'), snapshotToString(result.proposed));
    const a = await runCapture(['analyze', 'deployed.json', '--reachability', '--format', 'json', '-q'], dir);
    const b = await runCapture(['analyze', 'proposed.json', '--reachability', '--format', 'json', '-q'], dir);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    // And the claims hold on what was imported: the SSH rule from the Internet is gone, web → api 8443 stays.
    const ssh = await runCapture(
      ['explain', 'deployed.json', '--from', 'Internet', '--to', 'vnet-app/snet-aci-web', '--port', '22'],
      dir,
    );
    expect(ssh.stdout).toMatch(/^DENY\b/);
    const api = await runCapture(
      ['explain', 'deployed.json', '--from', 'web-frontend', '--to', 'api-orders', '--port', '8443'],
      dir,
    );
    expect(api.stdout).toMatch(/^ALLOW\b/);
  });

  it('hub-spoke with flows and intent proves ok: a new NSG on snet-data denies Internet → 1433 only, and every observed flow and require stays allowed', async () => {
    const { snapshot, result } = await hubSpokePlan();
    expect(result.proof.ok).toBe(true);
    const data = result.nsgs.find((n) => n.name === 'nsg-snet-data')!;
    expect(data.isNew).toBe(true);
    expect(data.subnets).toEqual([snapshot.subnets.find((x) => x.name === 'snet-data')!.id]);
    expect(data.rules.map((r) => [r.rule, r.provenance.map((p) => [p.kind, p.entry])])).toEqual([
      [
        expect.objectContaining({
          direction: 'Inbound',
          access: 'Deny',
          protocol: 'Tcp',
          sourceAddressPrefixes: ['Internet'],
          destinationAddressPrefixes: ['10.1.3.0/24'],
          destinationPortRanges: ['1433'],
        }),
        [['forbid', 'data-not-from-internet']],
      ],
    ]);
    // Every flow the logs saw allowed (and the snapshot allows today) is still allowed after.
    const before = compilePolicy(snapshot);
    const after = compilePolicy(result.proposed);
    const flows = (await readFlowLogs([path.join(ROOT, 'samples/hub-spoke-flow-logs')])).flows;
    const endOf = (s: Snapshot, ip: string): FlowEnd => {
      const group = s.containerGroups.find((g) => g.ipAddress?.type === 'Public' && g.ipAddress.ip === ip);
      if (group) return { kind: 'publicContainerGroup', containerGroupId: group.id };
      const n = parseIpv4(ip)!;
      const home = s.subnets.find((x) =>
        x.addressPrefixes.some((w) => {
          const p = parsePrefix(w);
          return p?.family === 4 && p.start <= n && n <= p.end;
        }),
      );
      return home ? { kind: 'subnet', subnetId: home.id, ip } : { kind: 'external', ip };
    };
    let checked = 0;
    for (const f of flows) {
      if (f.decision !== 'allow' || (f.protocol !== 'Tcp' && f.protocol !== 'Udp')) continue;
      const flow = (s: Snapshot) => ({
        src: endOf(s, f.source),
        dst: endOf(s, f.destination),
        protocol: f.protocol as 'Tcp' | 'Udp',
        srcPort: 50000,
        dstPort: f.destinationPort!,
      });
      if (before.evaluateFlow(flow(snapshot)) !== 'allow') continue;
      checked++;
      expect([f.source, f.destination, f.destinationPort, after.evaluateFlow(flow(result.proposed))]).toEqual(
        [f.source, f.destination, f.destinationPort, 'allow'],
      );
    }
    expect(checked).toBeGreaterThan(10);
    // Independently: `aciseg check` on the proposed snapshot passes every require and forbid entry.
    const proposed = path.join(dir, 'hub-proposed.json');
    fs.writeFileSync(proposed, snapshotToString(result.proposed));
    const check = await runCapture(
      [
        'check',
        proposed,
        '--intent',
        path.join(ROOT, 'samples/hub-spoke/intent.yaml'),
        '--today',
        '2026-11-26',
      ],
      ROOT,
    );
    expect([check.code, check.stderr]).toEqual([0, expect.any(String)]);
  });

  it('writes the JSON one NSG, required flow and left-out flow per line, parsing to exactly the plan', async () => {
    const { result } = await hubSpokePlan();
    const chunks = [...serializePlanJson(result)];
    const text = chunks.join('');
    const { kind, schemaVersion, ...body } = JSON.parse(text) as Record<string, unknown>;
    expect([kind, schemaVersion]).toEqual(['aciseg.plan', 1]);
    expect(JSON.parse(JSON.stringify(body))).toEqual(
      JSON.parse(
        JSON.stringify({
          generator: body.generator,
          ok: result.proof.ok,
          proof: result.proof,
          effect: result.effect,
          nsgs: result.nsgs,
          required: result.required,
          excluded: result.excluded ?? [],
          notes: result.notes ?? [],
        }),
      ),
    );
    // Streamed: no chunk holds the document, and each NSG is one line of its own.
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(text.length / 2);
    const lines = text.split('\n');
    for (const nsg of result.nsgs)
      expect(lines.filter((l) => l.startsWith(`{"id":${JSON.stringify(nsg.id)},`))).toHaveLength(1);
    expect(lines.length).toBeGreaterThan(result.nsgs.length + result.required.length);
  });

  it('prints Bicep that reads back as the tree it printed', async () => {
    const { result } = await hubSpokePlan();
    const tree = planBicepTree(result);
    expect(parseBicep(printBicep(tree))).toEqual(canonicalize(tree));
  });

  it('a new NSG takes location as a parameter it uses, and the association as a commented step', () => {
    const s = snapshotOf({
      virtualNetworks: [vnet('vnet-a', ['10.0.0.0/16'])],
      subnets: [subnet('vnet-a', 'snet-aci', ['10.0.1.0/24'], { delegations: [ACI_DELEGATION] })],
      containerGroups: [
        containerGroup('app', '10.0.1.4', [{ port: 80, protocol: 'TCP' }], ids.subnet('vnet-a', 'snet-aci')),
      ],
    });
    const result = planSegmentation({
      snapshot: s,
      engine: compilePolicy(s),
      observed: null,
      intent: null,
      includeDeclaredPorts: true,
      today: '2026-12-01',
    });
    const bicep = printBicep(planBicepTree(result));
    expect(bicep).toContain("param location string = 'westeurope'");
    expect(bicep).toContain('  location: location\n');
    expect(bicep).toContain('// Association (a separate step');
    expect(bicep).toContain(
      'az network vnet subnet update --resource-group rg --vnet-name vnet-a --name snet-aci --network-security-group nsg-snet-aci',
    );
    // Without a new NSG there is no location parameter (no unused parameters).
    const existing = planSegmentation({
      snapshot: {
        ...s,
        subnets: s.subnets.map((x) => ({ ...x, networkSecurityGroupId: ids.nsg('nsg-a') })),
        networkSecurityGroups: [nsg('nsg-a')],
      },
      engine: compilePolicy({
        ...s,
        subnets: s.subnets.map((x) => ({ ...x, networkSecurityGroupId: ids.nsg('nsg-a') })),
        networkSecurityGroups: [nsg('nsg-a')],
      }),
      observed: null,
      intent: null,
      includeDeclaredPorts: true,
      today: '2026-12-01',
    });
    expect(printBicep(planBicepTree(existing))).not.toContain('param ');
  });

  it('keeps hostile names inert: quotes, ${, newlines and </script> are escaped in Bicep, ARM, JSON and Markdown', () => {
    const hostile = "x'${evil}\n</script><b>|";
    const nsgName = `nsg-${hostile}`;
    const s = snapshotOf({
      virtualNetworks: [vnet('vnet-a', ['10.0.0.0/16'])],
      subnets: [
        subnet('vnet-a', 'snet-aci', ['10.0.1.0/24'], {
          delegations: [ACI_DELEGATION],
          networkSecurityGroupId: ids.nsg('n'),
        }),
      ],
      networkSecurityGroups: [
        {
          ...nsg('n', [
            rule({
              name: `keep-${hostile}`,
              priority: 100,
              direction: 'Inbound',
              access: 'Allow',
              protocol: 'Tcp',
              src: ['10.0.1.0/24'],
              dst: ['10.0.1.0/24'],
              dstPorts: ['80'],
            }),
          ]),
          name: nsgName,
        },
      ],
      containerGroups: [
        containerGroup(
          `cg-${hostile}`,
          '10.0.1.4',
          [{ port: 80, protocol: 'TCP' }],
          ids.subnet('vnet-a', 'snet-aci'),
        ),
      ],
    });
    const intent = parseIntent(
      `require:\n  - name: "r-x'\${y}"\n    from: 10.0.1.5\n    to: 10.0.1.4\n    protocol: tcp\n    ports: "80"\n    reason: "because </script>\\n\${boom}"\n`,
      'i.yaml',
    );
    if (!intent.ok) throw new Error(JSON.stringify(intent.diagnostics));
    const result = planSegmentation({
      snapshot: s,
      engine: compilePolicy(s),
      observed: null,
      intent: { file: 'i.yaml', entries: intent.entries },
      today: '2026-12-01',
    });
    expect(result.proof.ok).toBe(true);
    const kept = result.nsgs[0]!.rules.find((r) => r.status === 'kept')!;
    expect(kept.rule.name).toBe(`keep-${hostile}`);

    // Bicep: the names come back exactly when the text is read (so nothing was interpreted), and no line is forged.
    const tree = planBicepTree(result);
    const bicep = printBicep(tree);
    expect(parseBicep(bicep)).toEqual(canonicalize(tree));
    expect(bicep).toContain("name: 'nsg-x\\'\\${evil}\\n</script><b>|'");
    for (const line of bicep.split('\n')) expect(line.trimStart().startsWith('${')).toBe(false);
    // ARM: JSON with the exact name (no expression: it does not start with `[`).
    const arm = JSON.parse(renderPlanArm(result)) as { resources: { name: string }[] };
    expect(arm.resources[0]!.name).toBe(nsgName);
    // JSON: exact round trip.
    expect(
      (JSON.parse([...serializePlanJson(result)].join('')) as { nsgs: { name: string }[] }).nsgs[0]!.name,
    ).toBe(nsgName);
    // Markdown: no raw HTML, no line break inside a table row, pipes escaped.
    const md = renderPlanMarkdown(result);
    expect(md).not.toContain('</script>');
    expect(md).not.toContain('<b>');
    expect(md).toContain('&lt;/script&gt;&lt;b&gt;\\|');
    for (const row of md.split('\n').filter((l) => l.startsWith('| ')))
      expect(row.trimEnd().endsWith('|')).toBe(true);
  });
});
