/**
 * `aciseg plan` at the command line: bad input is exit 2 with the file and JSON path and nothing
 * written; the segmented sample's Bicep is a golden read by eye.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCapture } from '../../support/cli';
import { expectGolden } from '../../support/golden';
import { PRESETS, writeEstate } from '../../support/synthetic-estate';

const ROOT = path.join(__dirname, '..', '..', '..');
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-plan-cli-'));
  for (const sample of ['hub-spoke', 'segmented'])
    expect(
      (
        await runCapture(
          ['import', path.join(ROOT, 'samples', sample), '-o', path.join(dir, `${sample}.json`), '-q'],
          ROOT,
        )
      ).code,
    ).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('aciseg plan', () => {
  it('prints the segmented sample as Bicep (golden) and exits 0 when the proof holds', async () => {
    const r = await runCapture(
      [
        'plan',
        'segmented.json',
        '--intent',
        path.join(ROOT, 'samples/segmented/intent.yaml'),
        '--today',
        '2026-11-26',
      ],
      dir,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('proof: ok');
    expectGolden('plan/segmented.bicep', r.stdout);
  });

  it('bicep or arm of NSGs in several resource groups: exit 2 before planning, nothing written', async () => {
    const snapshot = JSON.parse(fs.readFileSync(path.join(dir, 'hub-spoke.json'), 'utf8'));
    const web = snapshot.networkSecurityGroups.find((n: { name: string }) => n.name === 'nsg-aci-web');
    web.resourceGroup = 'rg-web';
    fs.writeFileSync(path.join(dir, 'two-groups.json'), JSON.stringify(snapshot));
    for (const format of ['bicep', 'arm']) {
      const r = await runCapture(
        [
          'plan',
          'two-groups.json',
          '--intent',
          path.join(ROOT, 'samples/hub-spoke/intent.yaml'),
          '--format',
          format,
          '-o',
          `out.${format}`,
          '-v',
        ],
        dir,
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('the planned NSGs are in several resource groups');
      expect(r.stderr).toContain('/rg-web');
      expect(r.stderr).not.toContain('time: plan and prove');
      expect(fs.existsSync(path.join(dir, `out.${format}`))).toBe(false);
    }
    const json = await runCapture(
      [
        'plan',
        'two-groups.json',
        '--intent',
        path.join(ROOT, 'samples/hub-spoke/intent.yaml'),
        '--format',
        'json',
        '-q',
      ],
      dir,
    );
    expect(json.code).toBe(0);
  });

  it('a require that contradicts a forbid: exit 2, the file and JSON path, nothing written', async () => {
    fs.writeFileSync(
      path.join(dir, 'contradiction.yaml'),
      'require:\n  - name: ssh-in\n    from: Internet\n    to: web-frontend\n    protocol: tcp\n    ports: "22"\nforbid:\n  - name: no-ssh\n    from: Internet\n    to: vnet-app/snet-aci-web\n    protocol: tcp\n    ports: "22"\n',
    );
    const r = await runCapture(
      ['plan', 'hub-spoke.json', '--intent', 'contradiction.yaml', '-o', 'out.bicep'],
      dir,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'contradiction.yaml: $.require[0]: require "ssh-in" contradicts forbid "no-ssh"',
    );
    expect(fs.existsSync(path.join(dir, 'out.bicep'))).toBe(false);
  });

  it('a required flow no rule the plan writes can allow: exit 2 naming the entry', async () => {
    fs.writeFileSync(
      path.join(dir, 'inexpressible.yaml'),
      'require:\n  - name: internet-to-appgw\n    from: Internet\n    to: vnet-hub/snet-appgw\n    protocol: udp\n    ports: "9999"\n',
    );
    // The App Gateway subnet holds no container groups, and nsg-appgw denies this today.
    const r = await runCapture(['plan', 'hub-spoke.json', '--intent', 'inexpressible.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('neither end is in a subnet whose NSG the plan writes');
    expect(r.stderr).toContain('inexpressible.yaml: $.require[0]');
  });

  it('a snapshot with no ACI subnet: exit 2 naming the snapshot', async () => {
    fs.writeFileSync(
      path.join(dir, 'vnet.json'),
      JSON.stringify({
        value: [
          {
            id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v',
            name: 'v',
            type: 'Microsoft.Network/virtualNetworks',
            location: 'westeurope',
            properties: {
              addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
              subnets: [
                {
                  id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s',
                  name: 's',
                  properties: { addressPrefix: '10.0.0.0/24' },
                },
              ],
            },
          },
        ],
      }),
    );
    expect((await runCapture(['import', 'vnet.json', '-o', 'plain.json', '-q'], dir)).code).toBe(0);
    const r = await runCapture(['plan', 'plain.json', '--include-declared-ports'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'plain.json: $.subnets: no subnet is delegated to Microsoft.ContainerInstance/containerGroups',
    );
  });

  it('without --flows, --intent or --include-declared-ports: a usage error (exit 2)', async () => {
    const r = await runCapture(['plan', 'hub-spoke.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give --flows, --intent or --include-declared-ports');
  });

  it('on an estate of many NSGs, the effect line on stderr gives the rule totals, not every NSG', async () => {
    writeEstate(path.join(dir, 'small'), PRESETS.small);
    expect((await runCapture(['import', 'small', '-o', 'small.json', '-q'], dir)).code).toBe(0);
    const r = await runCapture(
      ['plan', 'small.json', '--include-declared-ports', '--format', 'json', '-o', 'small-plan.json'],
      dir,
    );
    expect(r.code).toBe(0);
    const plan = JSON.parse(fs.readFileSync(path.join(dir, 'small-plan.json'), 'utf8')) as {
      effect: { rules: { before: number; after: number }[] };
    };
    const rules = plan.effect.rules;
    expect(rules.length).toBeGreaterThan(8);
    const sum = (k: 'before' | 'after') => rules.reduce((t, x) => t + x[k], 0).toLocaleString('en-US');
    const effect = r.stderr.split('\n').find((l) => /^effect: [\d,]+ tuples closed/.test(l))!;
    expect(effect).toMatch(new RegExp(`; rules ${sum('before')}→${sum('after')} in ${rules.length} NSGs$`));
  });
});
