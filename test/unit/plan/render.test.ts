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
import { compilePolicy } from '../../../src/policy';
import { planSegmentation, type PlanResult } from '../../../src/plan';
import { canonicalize, printBicep } from '../../../src/render/bicep';
import { renderPlanArm } from '../../../src/render/plan-arm';
import { planBicepTree } from '../../../src/render/plan-bicep';
import { planJson } from '../../../src/render/plan-json';
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
    const deployed: Snapshot = {
      ...snapshot,
      networkSecurityGroups: snapshot.networkSecurityGroups.map((g) =>
        byName.has(g.name) ? { ...g, securityRules: byName.get(g.name)! } : g,
      ),
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
    expect((JSON.parse(JSON.stringify(planJson(result))) as { nsgs: { name: string }[] }).nsgs[0]!.name).toBe(
      nsgName,
    );
    // Markdown: no raw HTML, no line break inside a table row, pipes escaped.
    const md = renderPlanMarkdown(result);
    expect(md).not.toContain('</script>');
    expect(md).not.toContain('<b>');
    expect(md).toContain('&lt;/script&gt;&lt;b&gt;\\|');
    for (const row of md.split('\n').filter((l) => l.startsWith('| ')))
      expect(row.trimEnd().endsWith('|')).toBe(true);
  });
});
