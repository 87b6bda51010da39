/**
 * `aciseg plan` at the command line: bad input is exit 2 with the file and JSON path and nothing
 * written; the segmented sample's Bicep is a golden read by eye.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCapture } from '../../support/cli';
import { parseBicep } from '../../support/bicep-parse';
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

  describe('NSGs in several resource groups', () => {
    const intent = () => path.join(ROOT, 'samples/hub-spoke/intent.yaml');
    const plan = (...args: string[]) =>
      runCapture(['plan', 'two-groups.json', '--intent', intent(), '--today', '2026-11-26', ...args], dir);
    /** Every file under `d`, relative, sorted. */
    const tree = (d: string): string[] =>
      fs
        .readdirSync(d, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(d, path.join(e.parentPath, e.name)))
        .sort();
    const leftovers = () => fs.readdirSync(dir).filter((n) => n.includes('.tmp-') || n.includes('.old-'));
    beforeAll(() => {
      const snapshot = JSON.parse(fs.readFileSync(path.join(dir, 'hub-spoke.json'), 'utf8'));
      const web = snapshot.networkSecurityGroups.find((n: { name: string }) => n.name === 'nsg-aci-web');
      web.resourceGroup = 'rg-web';
      web.id = web.id.replace('/resourcegroups/rg-app/', '/resourcegroups/rg-web/');
      for (const s of snapshot.subnets)
        if (s.networkSecurityGroupId?.endsWith('/nsg-aci-web')) s.networkSecurityGroupId = web.id;
      fs.writeFileSync(path.join(dir, 'two-groups.json'), JSON.stringify(snapshot));
    });

    it('json, markdown and arm plan them; arm is one subscription-scoped template', async () => {
      for (const format of ['json', 'markdown']) expect((await plan('--format', format, '-q')).code).toBe(0);
      const arm = await plan('--format', 'arm', '-o', 'two.arm.json', '-q');
      expect([arm.code, arm.stderr]).toEqual([0, '']);
      const template = JSON.parse(fs.readFileSync(path.join(dir, 'two.arm.json'), 'utf8'));
      expect(template.$schema).toContain('subscriptionDeploymentTemplate.json#');
      expect(template.resources.map((d: { resourceGroup: string }) => d.resourceGroup)).toEqual([
        'rg-app',
        'rg-web',
      ]);
    });

    it('bicep to standard output: exit 2 before planning, saying to pass -o <directory>', async () => {
      const r = await plan('--format', 'bicep', '-v');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('the planned NSGs are in several resource groups');
      expect(r.stderr).toContain('/rg-web');
      expect(r.stderr).toContain('pass -o <directory> (or use --format arm, json or markdown)');
      expect(r.stderr).not.toContain('time: plan and prove');
      expect(r.stdout).toBe('');
    });

    it('bicep -o dir/ writes main.bicep and one module per group; an existing file as -o is refused before planning', async () => {
      const r = await plan('--format', 'bicep', '-o', 'nsg-plan/', '-q');
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(tree(path.join(dir, 'nsg-plan'))).toEqual([
        'main.bicep',
        'modules/rg-app.bicep',
        'modules/rg-web.bicep',
      ]);
      expect(fs.readFileSync(path.join(dir, 'nsg-plan/main.bicep'), 'utf8')).toContain(
        "module rgWeb 'modules/rg-web.bicep' = {",
      );
      expect(leftovers()).toEqual([]);
      fs.writeFileSync(path.join(dir, 'a-file.bicep'), 'mine\n');
      const file = await plan('--format', 'bicep', '-o', 'a-file.bicep', '--force', '-v');
      expect(file.code).toBe(2);
      expect(file.stderr).toContain(
        'output path a-file.bicep is a regular file: this output is several files',
      );
      expect(file.stderr).not.toContain('time: plan and prove');
      expect(fs.readFileSync(path.join(dir, 'a-file.bicep'), 'utf8')).toBe('mine\n');
    });

    it('-o ending in / asks for the directory layout even for one resource group; without it one group is one file, as before', async () => {
      const args = ['plan', 'hub-spoke.json', '--intent', intent(), '--today', '2026-11-26', '-q'];
      expect((await runCapture([...args, '-o', 'one-group/'], dir)).code).toBe(0);
      expect(tree(path.join(dir, 'one-group'))).toEqual(['main.bicep', 'modules/rg-app.bicep']);
      expect(fs.readFileSync(path.join(dir, 'one-group/main.bicep'), 'utf8')).toContain(
        'The NSGs are in one resource group: one deployment per group',
      );
      const single = await runCapture(args, dir);
      expect(fs.readFileSync(path.join(dir, 'one-group/modules/rg-app.bicep'), 'utf8')).toBe(single.stdout);
      expect((await runCapture([...args, '-o', 'one-group.bicep'], dir)).code).toBe(0);
      expect(fs.statSync(path.join(dir, 'one-group.bicep')).isFile()).toBe(true);
    });

    it('an existing directory: refused without --force (nothing written); --force replaces a previous output whole', async () => {
      const out = path.join(dir, 'again');
      expect((await plan('--format', 'bicep', '-o', 'again', '-q')).code).toBe(0);
      const before = tree(out).map((f) => fs.readFileSync(path.join(out, f), 'utf8'));
      const refused = await plan('--format', 'bicep', '-o', 'again', '-v');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('output directory again already exists (use --force');
      expect(refused.stderr).not.toContain('time: plan and prove');
      expect(tree(out).map((f) => fs.readFileSync(path.join(out, f), 'utf8'))).toEqual(before);
      // A module of a group no longer planned goes: the directory is replaced, not merged.
      fs.copyFileSync(path.join(out, 'modules/rg-web.bicep'), path.join(out, 'modules/rg-gone.bicep'));
      const forced = await plan('--format', 'bicep', '-o', 'again', '--force', '-q');
      expect([forced.code, forced.stderr]).toEqual([0, '']);
      expect(tree(out)).toEqual(['main.bicep', 'modules/rg-app.bicep', 'modules/rg-web.bicep']);
      expect(leftovers()).toEqual([]);
    });

    it.each([
      ['a foreign file', 'notes.txt', 'my notes\n', 'holds "notes.txt", which this command did not write'],
      [
        'a module aciseg did not write',
        'modules/network.bicep',
        'param x string\n',
        'holds "modules/network.bicep" (not written by aciseg)',
      ],
      ['a directory of its own, even empty', 'keep/', '', 'holds "keep/", which this command did not write'],
    ])('--force over a directory with %s: exit 2, nothing touched', async (_, name, text, message) => {
      const out = path.join(dir, `foreign-${name.length}`);
      expect((await plan('--format', 'bicep', '-o', out, '-q')).code).toBe(0);
      if (name.endsWith('/')) fs.mkdirSync(path.join(out, name));
      else fs.writeFileSync(path.join(out, name), text);
      const before = tree(out);
      const r = await plan('--format', 'bicep', '-o', out, '--force', '-v');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('refusing to replace it');
      expect(r.stderr).not.toContain('time: plan and prove');
      expect(tree(out)).toEqual(before);
      if (name.endsWith('/')) expect(fs.statSync(path.join(out, name)).isDirectory()).toBe(true);
      else expect(fs.readFileSync(path.join(out, name), 'utf8')).toBe(text);
    });

    it('the small synthetic estate (one resource group per VNet): every file parses, and the ARM imports back under the real NSG IDs', async () => {
      writeEstate(path.join(dir, 'small-multi'), PRESETS.small);
      expect((await runCapture(['import', 'small-multi', '-o', 'small-multi.json', '-q'], dir)).code).toBe(0);
      const args = ['plan', 'small-multi.json', '--include-declared-ports', '-q'];
      expect((await runCapture([...args, '--format', 'json', '-o', 'small-multi.plan.json'], dir)).code).toBe(
        0,
      );
      expect((await runCapture([...args, '-o', 'small-multi-bicep'], dir)).code).toBe(0);
      expect((await runCapture([...args, '--format', 'arm', '-o', 'small-multi.arm.json'], dir)).code).toBe(
        0,
      );
      const planned = JSON.parse(fs.readFileSync(path.join(dir, 'small-multi.plan.json'), 'utf8')) as {
        nsgs: { id: string; resourceGroup: string }[];
      };
      const groups = [...new Set(planned.nsgs.map((n) => n.resourceGroup))];
      expect(groups.length).toBeGreaterThan(1);
      const out = path.join(dir, 'small-multi-bicep');
      expect(tree(out)).toEqual(['main.bicep', ...groups.map((g) => `modules/${g}.bicep`).sort()]);
      for (const f of tree(out))
        expect(() => parseBicep(fs.readFileSync(path.join(out, f), 'utf8'))).not.toThrow();
      const imported = await runCapture(
        ['import', 'small-multi.arm.json', '-o', 'small-multi.imported.json', '-q'],
        dir,
      );
      expect(imported.code).toBe(0);
      const snapshot = JSON.parse(fs.readFileSync(path.join(dir, 'small-multi.imported.json'), 'utf8')) as {
        networkSecurityGroups: { id: string }[];
      };
      expect(snapshot.networkSecurityGroups.map((g) => g.id).sort()).toEqual(
        planned.nsgs.map((n) => n.id).sort(),
      );
    });

    it('a directory that is an input, or a symbolic link: refused', async () => {
      const out = path.join(dir, 'holds-input');
      expect((await plan('--format', 'bicep', '-o', out, '-q')).code).toBe(0);
      // An intent file that even carries the marker line is still an input: never replaced.
      const marker =
        "# metadata description = 'Least-privilege NSG rules proposed by aciseg plan; every rule says why it exists.'\n";
      fs.writeFileSync(path.join(out, 'main.bicep'), marker + fs.readFileSync(intent(), 'utf8'));
      const input = await runCapture(
        [
          'plan',
          'two-groups.json',
          '--intent',
          path.join(out, 'main.bicep'),
          '--format',
          'bicep',
          '-o',
          out,
          '--force',
        ],
        dir,
      );
      expect(input.code).toBe(2);
      expect(input.stderr).toContain('holds "main.bicep" (an input of this command)');
      fs.symlinkSync(out, path.join(dir, 'link'));
      const link = await plan('--format', 'bicep', '-o', 'link', '--force');
      expect(link.code).toBe(2);
      expect(link.stderr).toContain('output path link is a symbolic link');
    });
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
