/**
 * Plan output for NSGs in several resource groups: Bicep as main.bicep (subscription scope, one
 * module per group) and modules/<group>.bicep (each exactly the one-group file of its NSGs), ARM as
 * one subscription-scoped template with a nested deployment per group; the ARM imported back gives
 * the proposed NSGs with their real IDs and the proposed reachability; hostile group names give
 * safe, unique file and deployment names and stay escaped.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../../src/errors';
import { parseSnapshotText, snapshotToString } from '../../../src/model/snapshot-codec';
import type { Snapshot } from '../../../src/model/snapshot';
import type { PlanResult, ProposedNsg } from '../../../src/plan';
import { canonicalize, printBicep } from '../../../src/render/bicep';
import { renderPlanArm } from '../../../src/render/plan-arm';
import { groupTree, planBicepFiles, planBicepTree, planModules } from '../../../src/render/plan-bicep';
import { nsgGroups, safeStems } from '../../../src/render/plan-groups';
import { parseBicep } from '../../support/bicep-parse';
import { runCapture } from '../../support/cli';
import { expectGolden } from '../../support/golden';
import { multiGroupEstate, multiGroupPlan, SUB_1, SUB_2 } from './multi-rg-estate';

let dir: string;
let snapshot: Snapshot;
let result: PlanResult;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-multi-rg-'));
  snapshot = multiGroupEstate();
  result = multiGroupPlan(snapshot);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function readSnapshot(file: string): Snapshot {
  const parsed = parseSnapshotText(fs.readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new Error(`${file} does not parse: ${JSON.stringify(parsed.diagnostics)}`);
  return parsed.snapshot;
}

/** The plan with each NSG's resource group (and subscription) replaced, for name tests. */
function regrouped(r: PlanResult, scopes: [string | null, string][]): PlanResult {
  return {
    ...r,
    nsgs: scopes.map(([sub, rg], i) => ({
      ...r.nsgs[i % r.nsgs.length]!,
      subscriptionId: sub,
      resourceGroup: rg,
    })),
  };
}

interface ArmDeployment {
  type: string;
  name: string;
  subscriptionId?: string;
  resourceGroup: string;
  properties: {
    parameters?: Record<string, { value: unknown }>;
    template: { resources: { name: string }[] };
  };
}

describe('plan over several resource groups', () => {
  it('the estate is what the tests say: three groups, two subscriptions, a new NSG in northeurope, proof ok', () => {
    expect(result.proof.ok).toBe(true);
    expect(result.nsgs.map((n) => [n.subscriptionId, n.resourceGroup, n.name, n.isNew, n.location])).toEqual([
      [SUB_1, 'rg-spoke-a', 'nsg-a', false, 'westeurope'],
      [SUB_1, 'rg-spoke-b', 'nsg-snet-b', true, 'northeurope'],
      [SUB_2, 'rg-spoke-c', 'nsg-c', false, 'westeurope'],
    ]);
  });

  it('Bicep: main.bicep with one module per group and one module file per group, each the one-group file of its NSGs (goldens)', () => {
    const files = planBicepFiles(result);
    expect(files.map((f) => f.path)).toEqual([
      'main.bicep',
      'modules/rg-spoke-a.bicep',
      'modules/rg-spoke-b.bicep',
      'modules/rg-spoke-c.bicep',
    ]);
    for (const f of files) expectGolden(`plan/multi-rg/${f.path!}`, f.text);
    const main = files[0]!.text;
    expect(main).toContain("targetScope = 'subscription'");
    expect(main).toContain(`scope: resourceGroup('${SUB_2}', 'rg-spoke-c')`);
    expect(main).toContain(
      "metadata deploy = 'az deployment sub create --location westeurope --template-file main.bicep'",
    );
    // Only the group with a new NSG passes its region, the region of that NSG's VNet.
    expect(main.match(/location: /g)).toEqual(['location: ']);
    expect(main).toContain("    location: 'northeurope'\n");
    // Each module is exactly what plan writes for a snapshot whose NSGs are that group's.
    for (const [i, group] of nsgGroups(result.nsgs).entries()) {
      const one: PlanResult = { ...result, nsgs: group.nsgs };
      expect(files[i + 1]!.text).toBe(printBicep(planBicepTree(one)));
    }
    // Every printed file reads back as the tree it was printed from.
    const { main: mainTree, modules } = planModules(result, nsgGroups(result.nsgs), 'main.bicep');
    expect(parseBicep(main)).toEqual(canonicalize(mainTree));
    for (const [i, m] of modules.entries())
      expect(parseBicep(files[i + 1]!.text)).toEqual(canonicalize(m.tree));
  });

  it('ARM: one subscription-scoped template with a nested deployment per group (golden)', () => {
    const text = renderPlanArm(result);
    expectGolden('plan/multi-rg.arm.json', text);
    const arm = JSON.parse(text) as {
      $schema: string;
      metadata: Record<string, string>;
      resources: ArmDeployment[];
    };
    expect(arm.$schema).toBe(
      'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#',
    );
    expect(arm.metadata['deploy']).toBe(
      'az deployment sub create --location westeurope --template-file <this file>',
    );
    expect(
      arm.resources.map((d) => [
        d.type,
        d.name,
        d.subscriptionId,
        d.resourceGroup,
        d.properties.parameters,
        d.properties.template.resources.map((r) => r.name),
      ]),
    ).toEqual([
      [
        'Microsoft.Resources/deployments',
        'aciseg-plan-rg-spoke-a',
        SUB_1,
        'rg-spoke-a',
        undefined,
        ['nsg-a'],
      ],
      [
        'Microsoft.Resources/deployments',
        'aciseg-plan-rg-spoke-b',
        SUB_1,
        'rg-spoke-b',
        { location: { value: 'northeurope' } },
        ['nsg-snet-b'],
      ],
      [
        'Microsoft.Resources/deployments',
        'aciseg-plan-rg-spoke-c',
        SUB_2,
        'rg-spoke-c',
        undefined,
        ['nsg-c'],
      ],
    ]);
    // One group: the resource-group-scoped template of before, unchanged.
    const single: PlanResult = { ...result, nsgs: [result.nsgs[0]!] };
    expect(JSON.parse(renderPlanArm(single)).$schema).toBe(
      'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    );
  });

  it('the ARM template, imported back, holds every proposed NSG under its real ID and analyzes to the proposed reachability', async () => {
    fs.writeFileSync(path.join(dir, 'plan.arm.json'), renderPlanArm(result));
    const r = await runCapture(['import', 'plan.arm.json', '-o', 'imported.json', '--force'], dir);
    expect(r.code).toBe(0);
    // Real IDs: no NSG is put in the placeholder scope.
    expect(r.stderr).not.toContain('placeholder scope');
    const imported = readSnapshot(path.join(dir, 'imported.json'));
    expect(imported.networkSecurityGroups.map((g) => [g.id, g.subscriptionId, g.resourceGroup])).toEqual(
      result.nsgs.map((n) => [n.id, n.subscriptionId, n.resourceGroup]),
    );
    const proposedById = new Map(result.proposed.networkSecurityGroups.map((g) => [g.id, g]));
    for (const g of imported.networkSecurityGroups)
      expect(g.securityRules).toEqual(proposedById.get(g.id)!.securityRules);
    // What the template does not declare (VNets, subnets, container groups) comes from the snapshot;
    // new NSGs are associated as their comment says.
    const importedById = new Map(imported.networkSecurityGroups.map((g) => [g.id, g]));
    const deployed: Snapshot = {
      ...snapshot,
      networkSecurityGroups: [
        ...snapshot.networkSecurityGroups.map((g) => ({
          ...g,
          securityRules: importedById.get(g.id)!.securityRules,
        })),
        ...result.nsgs
          .filter((n) => n.isNew)
          .map((n) => ({ ...importedById.get(n.id)!, location: n.location })),
      ].sort((x, y) => (x.id < y.id ? -1 : 1)),
      subnets: snapshot.subnets.map((s) => {
        const n = result.nsgs.find((f) => f.isNew && f.subnets.includes(s.id));
        return n ? { ...s, networkSecurityGroupId: n.id } : s;
      }),
    };
    fs.writeFileSync(path.join(dir, 'deployed.json'), snapshotToString(deployed));
    fs.writeFileSync(path.join(dir, 'proposed.json'), snapshotToString(result.proposed));
    const a = await runCapture(['analyze', 'deployed.json', '--reachability', '--format', 'json', '-q'], dir);
    const b = await runCapture(['analyze', 'proposed.json', '--reachability', '--format', 'json', '-q'], dir);
    expect(a.code).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(100);
    expect(a.stdout).toBe(b.stdout);
    // The claims hold on what was imported: SSH from the Internet is gone, web → api 8080 stays.
    const ssh = await runCapture(
      ['explain', 'deployed.json', '--from', 'Internet', '--to', '10.1.1.4', '--port', '22'],
      dir,
    );
    expect(ssh.stdout).toMatch(/^DENY\b/);
    const api = await runCapture(
      ['explain', 'deployed.json', '--from', 'web', '--to', 'api', '--port', '8080'],
      dir,
    );
    expect(api.stdout).toMatch(/^ALLOW\b/);
  });

  it('import: a nested deployment names the scope of its NSGs only when its subscription and group are literal', async () => {
    const nsgResource = (name: string) => ({
      type: 'Microsoft.Network/networkSecurityGroups',
      apiVersion: '2025-05-01',
      name,
      location: 'westeurope',
      properties: { securityRules: [] },
    });
    const deployment = (fields: Record<string, string>, resources: unknown[]) => ({
      type: 'Microsoft.Resources/deployments',
      apiVersion: '2022-09-01',
      name: 'd',
      ...fields,
      properties: { mode: 'Incremental', template: { resources } },
    });
    const template = {
      $schema: 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      resources: [
        // The group alone: the subscription comes from the enclosing deployment.
        deployment({ subscriptionId: SUB_2 }, [
          deployment({ resourceGroup: 'rg-Inner' }, [nsgResource('inherits')]),
        ]),
        deployment({ subscriptionId: SUB_1, resourceGroup: "[parameters('rg')]" }, [
          nsgResource('expression'),
        ]),
        deployment({ subscriptionId: SUB_1, resourceGroup: 'a/b' }, [nsgResource('slash')]),
        deployment({ resourceGroup: 'rg-no-sub' }, [nsgResource('no-sub')]),
      ],
    };
    fs.writeFileSync(path.join(dir, 'scopes.json'), JSON.stringify(template));
    const r = await runCapture(['import', 'scopes.json', '-o', 'scopes-snapshot.json', '--force'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('placeholder scope');
    const placeholder = '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/template';
    expect(
      readSnapshot(path.join(dir, 'scopes-snapshot.json'))
        .networkSecurityGroups.map((g) => [g.name, g.id, g.resourceGroup, g.subscriptionId])
        .sort(),
    ).toEqual(
      [
        [
          'inherits',
          `/subscriptions/${SUB_2}/resourcegroups/rg-inner/providers/microsoft.network/networksecuritygroups/inherits`,
          'rg-Inner',
          SUB_2,
        ],
        [
          'expression',
          `${placeholder}/providers/microsoft.network/networksecuritygroups/expression`,
          null,
          null,
        ],
        ['slash', `${placeholder}/providers/microsoft.network/networksecuritygroups/slash`, null, null],
        ['no-sub', `${placeholder}/providers/microsoft.network/networksecuritygroups/no-sub`, null, null],
      ].sort(),
    );
  });

  it('hostile resource group names give safe, unique, stable file and deployment names, and stay escaped in Bicep and ARM', () => {
    const hostile = [
      '../x',
      'a/b',
      'nul\u0000byte',
      'CON',
      'ünïcode',
      "rg'${x}\n</script>",
      '.hidden',
      'RG-Same',
      'rg-same',
    ];
    const scopes: [string | null, string][] = hostile.map((rg, i) => [
      i === hostile.length - 1 ? SUB_2 : SUB_1,
      rg,
    ]);
    // The NSG names are hostile too.
    const evil = "x'${evil}\n</script>";
    const grouped = regrouped(result, scopes);
    const plan = { ...grouped, nsgs: grouped.nsgs.map((n) => ({ ...n, name: `${n.name}-${evil}` })) };
    const files = planBicepFiles(plan);
    expect(files.length).toBe(hostile.length + 1);
    const modulePaths = files.slice(1).map((f) => f.path!);
    for (const p of modulePaths) expect(p).toMatch(/^modules\/[A-Za-z0-9_][A-Za-z0-9._-]{0,39}\.bicep$/);
    expect(new Set(modulePaths.map((p) => p.toLowerCase())).size).toBe(modulePaths.length);
    expect(modulePaths.some((p) => /^modules\/con\.bicep$/i.test(p))).toBe(false);
    // Stable: the same groups give the same names, whatever else is planned.
    expect(planBicepFiles(plan).map((f) => f.path)).toEqual(files.map((f) => f.path));
    expect(safeStems([{ key: `${SUB_1}/../x`, name: '../x' }])).toEqual([modulePaths[0]!.slice(8, -6)]);
    // Every file reads back; the hostile names come back exactly from the strings they are in.
    const { main, modules } = planModules(plan, nsgGroups(plan.nsgs), 'main.bicep');
    const mainBack = parseBicep(files[0]!.text);
    expect(mainBack).toEqual(canonicalize(main));
    for (const [i, m] of modules.entries())
      expect(parseBicep(files[i + 1]!.text)).toEqual(canonicalize(m.tree));
    for (const f of files)
      for (const line of f.text.split('\n')) expect(line.trimStart().startsWith('${')).toBe(false);
    expect(files[0]!.text).toContain(
      "resourceGroup('00000000-0000-0000-0000-000000000001', 'rg\\'\\${x}\\n</script>')",
    );
    expect(files[0]!.text).toContain("'nul\\u{0}byte'");
    expect(files[1]!.text).toContain("name: 'nsg-a-x\\'\\${evil}\\n</script>'");
    // ARM: deployment names within Azure's 64 characters of its alphabet, groups exact.
    const arm = JSON.parse(renderPlanArm(plan)) as { resources: ArmDeployment[] };
    expect(arm.resources.map((d) => d.resourceGroup)).toEqual(hostile);
    expect(arm.resources[0]!.properties.template.resources[0]!.name).toBe(`nsg-a-${evil}`);
    for (const d of arm.resources) expect(d.name).toMatch(/^[A-Za-z0-9._()-]{1,64}$/);
    expect(new Set(arm.resources.map((d) => d.name.toLowerCase())).size).toBe(hostile.length);
  });

  it('a crafted name equal to another group’s hashed stem is numbered, so no file is written twice', () => {
    const [hashed] = safeStems([{ key: 'k1', name: 'a b' }]);
    const stems = safeStems([
      { key: 'k1', name: 'a b' },
      { key: 'k2', name: hashed! },
    ]);
    expect(stems[0]).toBe(hashed);
    expect(stems[1]).toBe(`${hashed!}-2`);
  });

  it('a group without a known resource group cannot be deployed: a clear error, not a guess', () => {
    const plan = regrouped(result, [
      [SUB_1, 'rg-spoke-a'],
      [null, null as unknown as string],
    ]);
    expect(() => planBicepFiles(plan)).toThrow(InputError);
    expect(() => planBicepFiles(plan)).toThrow(/NSG nsg-snet-b has no known resource group/);
    expect(() => renderPlanArm(plan)).toThrow(/no known resource group/);
  });

  it('every NSG of a group is in its module, in plan order', () => {
    const twoInA = regrouped(result, [
      [SUB_1, 'rg-spoke-a'],
      [SUB_1, 'RG-SPOKE-A'],
      [SUB_2, 'rg-spoke-c'],
    ]);
    const groups = nsgGroups(twoInA.nsgs);
    expect(groups.map((g) => [g.resourceGroup, g.nsgs.map((n: ProposedNsg) => n.name)])).toEqual([
      ['rg-spoke-a', ['nsg-a', 'nsg-snet-b']],
      ['rg-spoke-c', ['nsg-c']],
    ]);
    expect(printBicep(groupTree(twoInA, groups[0]!.nsgs))).toBe(planBicepFiles(twoInA)[1]!.text);
    // Many NSGs in a group: main.bicep's comment stays one short line (count, first three, last).
    const six = regrouped(
      result,
      [...Array(6).keys()].map((i) => [SUB_1, i < 5 ? 'rg-big' : 'rg-other']),
    );
    // NSG names are unique in a resource group: number the repeats.
    const many = { ...six, nsgs: six.nsgs.map((n, i) => (i < 3 ? n : { ...n, name: `${n.name}-${i}` })) };
    expect(planBicepFiles(many)[0]!.text).toContain(
      `// ${SUB_1}/rg-big: 5 NSGs (2 new): nsg-a, nsg-snet-b (new), nsg-c, …, nsg-snet-b-4 (new).\n`,
    );
  });
});
