/** `aciseg import` through the real command line, in-process (runCli), on files in a temporary directory. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCapture } from './support/cli';
import { parseSnapshotText } from '../src/model/snapshot-codec';

const shapes = path.join(__dirname, 'fixtures/import/shapes');
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-import-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const run = (...argv: string[]) => runCapture(argv, dir);

function write(name: string, content: string | object): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return name;
}

const nsgId =
  '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg';
function nsgWith(...rules: Record<string, unknown>[]): object {
  return {
    id: nsgId,
    name: 'nsg',
    type: 'Microsoft.Network/networkSecurityGroups',
    properties: {
      securityRules: rules.map((props, i) => ({
        name: `rule${i}`,
        properties: {
          protocol: 'Tcp',
          access: 'Allow',
          direction: 'Inbound',
          priority: 100 + i,
          sourceAddressPrefix: '*',
          sourcePortRange: '*',
          destinationAddressPrefix: '10.0.0.0/24',
          destinationPortRange: '443',
          ...props,
        },
      })),
    },
  };
}

describe('aciseg import', () => {
  it('writes a snapshot and says what it holds', async () => {
    const r = await run('import', path.join(shapes, 'rest'), '-o', 'out.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'wrote out.json: 1 virtual network, 2 subnets, 1 peering, 1 NSG (4 rules), 1 route table, 2 container groups; 0 resources of other types skipped\n',
    );
    const parsed = parseSnapshotText(fs.readFileSync(path.join(dir, 'out.json'), 'utf8'), 'out.json');
    expect(parsed.ok && parsed.snapshot.containerGroups.map((g) => g.name)).toEqual([
      'cg-private',
      'cg-public',
    ]);
  });

  it('prints warnings (file: $.path: message [CODE]) and stores them; --quiet hides them from stderr only', async () => {
    write('in/nsg.json', nsgWith({ sourceAddressPrefix: '10.1.2.3/16' }));
    write('in/nic.json', {
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic',
      type: 'Microsoft.Network/networkInterfaces',
    });
    const loud = await run('import', 'in', '-o', 'a.json');
    expect(loud.code).toBe(0);
    const lines = loud.stderr.trim().split('\n');
    expect(lines).toEqual([
      `warning: ${path.join('in', 'nsg.json')}: $.properties.securityRules[0].properties.sourceAddressPrefix: "10.1.2.3/16" has host bits set; read as 10.1.0.0/16 (the network Azure applies) [HOST_BITS_SET]`,
      `warning: ${path.join('in', 'nic.json')}: $: 1 resource of type Microsoft.Network/networkInterfaces skipped: aciseg does not model this type [SKIPPED_RESOURCE_TYPE]`,
      'wrote a.json: 0 virtual networks, 0 subnets, 0 peerings, 1 NSG (1 rule), 0 route tables, 0 container groups; 1 resource of other types skipped; 2 warnings',
    ]);
    const quiet = await run('import', 'in', '-o', 'b.json', '--quiet');
    expect(quiet.stderr.split('\n').filter((l) => l.startsWith('warning'))).toEqual([]);
    const snapshot = parseSnapshotText(fs.readFileSync(path.join(dir, 'b.json'), 'utf8'), 'b.json');
    expect(snapshot.ok && snapshot.snapshot.diagnostics.map((d) => d.code)).toEqual([
      'HOST_BITS_SET',
      'SKIPPED_RESOURCE_TYPE',
    ]);
    // Same input, same bytes.
    expect(fs.readFileSync(path.join(dir, 'b.json'), 'utf8')).toBe(
      fs.readFileSync(path.join(dir, 'a.json'), 'utf8'),
    );
  });

  it('warns once per file and tag about a word that is no published service tag, with its path', async () => {
    write(
      'in/a.json',
      nsgWith(
        { sourceAddressPrefix: 'NotARealTag' },
        { sourceAddressPrefix: 'Storage.WestEurope' },
        { destinationAddressPrefix: 'notarealtag' },
      ),
    );
    const r = await run('import', 'in', '-o', 'out.json');
    expect(r.code).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning'));
    expect(warnings).toEqual([
      `warning: ${path.join('in', 'a.json')}: $.properties.securityRules[0].properties.sourceAddressPrefix: "NotARealTag" is not a service tag name Azure publishes (nor a regional form of one); it is kept as an unresolved tag, so verdicts that depend on it are unknown. Check the spelling (later uses in this file are not reported again) [UNKNOWN_SERVICE_TAG]`,
    ]);
    const parsed = parseSnapshotText(fs.readFileSync(path.join(dir, 'out.json'), 'utf8'), 'out.json');
    expect(parsed.ok && parsed.snapshot.diagnostics.map((d) => d.code)).toEqual(['UNKNOWN_SERVICE_TAG']);
  });

  it('searches directories recursively for *.json only, and reads named files whatever their extension', async () => {
    write('d/a/one.json', nsgWith({}));
    write('d/notes.txt', 'not json at all');
    write('d/main.bicep', 'resource x');
    write('export.txt', JSON.stringify({ value: [] }));
    const r = await run('import', 'd', 'export.txt', '-o', 'out.json');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('1 NSG (1 rule)');
  });

  it('refuses a .bicep file named explicitly, asking for az bicep build', async () => {
    write('main.bicep', 'param x string');
    const r = await run('import', 'main.bicep', '-o', 'out.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: main.bicep: this is a Bicep file');
    expect(r.stderr).toContain('az bicep build --file main.bicep');
    expect(fs.existsSync(path.join(dir, 'out.json'))).toBe(false);
  });

  it('refuses no path at all and a missing file', async () => {
    const none = await run('import', '-o', 'out.json');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('[EMPTY_INPUT]');
    const missing = await run('import', 'nope.json', '-o', 'out.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'error: nope.json: cannot read file: no such file or directory (ENOENT) [FILE_UNREADABLE]\n',
    );
  });

  describe('bad input: exit 2, the file and where in it on stderr, no output file', () => {
    const cases: [string, string, string | object, string[]][] = [
      [
        'truncated JSON',
        'cut.json',
        '{\n  "value": [\n    {"id": "/subscriptions/s',
        ['error: cut.json: not valid JSON at line 3, column', 'truncated?', '[NOT_JSON]'],
      ],
      [
        'a file that is not JSON',
        'hello.json',
        'hello, world\n',
        ['error: hello.json: not valid JSON at line 1, column 1', '[NOT_JSON]'],
      ],
      [
        'JSON of an unrecognised shape',
        'shape.json',
        { hello: { world: true } },
        ['error: shape.json: $: expected an Azure resource', '[UNRECOGNISED_SHAPE]'],
      ],
      [
        'a rule with priority 5000',
        'prio.json',
        nsgWith({ priority: 5000 }),
        [
          'error: prio.json: $.properties.securityRules[0].properties.priority: priority 5000 is not valid',
          '[INVALID_PRIORITY]',
        ],
      ],
      [
        'a prefix 10.0.0.300/24',
        'prefix.json',
        nsgWith({ sourceAddressPrefix: '10.0.0.300/24' }),
        [
          'error: prefix.json: $.properties.securityRules[0].properties.sourceAddressPrefix: "10.0.0.300/24" is not a valid IP address',
          '[INVALID_PREFIX]',
        ],
      ],
      [
        'a port range 80-70',
        'ports.json',
        nsgWith({ destinationPortRange: '80-70' }),
        [
          'error: ports.json: $.properties.securityRules[0].properties.destinationPortRange: "80-70" is not a valid port range',
          '[INVALID_PORT]',
        ],
      ],
      [
        'duplicate priorities in one direction of one NSG',
        'dup.json',
        nsgWith({ priority: 300 }, { priority: 300 }),
        [
          'error: dup.json: $.properties.securityRules[1]: rules "rule0" and "rule1" both have Inbound priority 300',
          '[DUPLICATE_PRIORITY]',
        ],
      ],
      [
        'one key twice in one object (JSON.parse would keep the last silently)',
        'twice.json',
        JSON.stringify(nsgWith({ access: 'Deny' })).replace(
          '"access":"Deny"',
          '"access":"Deny","access":"Allow"',
        ),
        [
          'error: twice.json: $.properties.securityRules[0].properties.access: the key "access" appears twice in one object',
          '[DUPLICATE_KEY]',
        ],
      ],
      [
        'the address prefix "Any" (Azure refuses it; the portal\'s "Any" is "*")',
        'any.json',
        nsgWith({ sourceAddressPrefix: 'Any' }),
        [
          'error: any.json: $.properties.securityRules[0].properties.sourceAddressPrefix: "Any" is not an address prefix Azure accepts',
          'write "*"',
          '[INVALID_PREFIX]',
        ],
      ],
    ];
    it.each(cases)('%s', async (_what, name, content, expected) => {
      write(name, content);
      const r = await run('import', name, '-o', 'out.json');
      expect(r.code).toBe(2);
      for (const text of expected) expect(r.stderr).toContain(text);
      expect(r.stderr).not.toContain('wrote');
      expect(fs.existsSync(path.join(dir, 'out.json'))).toBe(false);
      expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    });

    it('an empty directory', async () => {
      fs.mkdirSync(path.join(dir, 'empty'));
      const r = await run('import', 'empty', '-o', 'out.json');
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        'error: empty: the directory holds no .json file (it is searched recursively) [EMPTY_INPUT]\n',
      );
      expect(fs.existsSync(path.join(dir, 'out.json'))).toBe(false);
    });

    it('prints every fatal problem of every file, and no warning', async () => {
      write(
        'm/a.json',
        nsgWith({ priority: 5000 }, { destinationPortRange: '1-0' }, { sourceAddressPrefix: '10.0.0.5/24' }),
      );
      write('m/b.json', '[');
      const r = await run('import', 'm', '-o', 'out.json');
      expect(r.code).toBe(2);
      expect(
        r.stderr
          .trim()
          .split('\n')
          .map((l) => /\[([A-Z_]+)\]$/.exec(l)?.[1]),
      ).toEqual(['INVALID_PRIORITY', 'INVALID_PORT', 'NOT_JSON']);
    });
  });

  it('accepts a byte-order mark and CRLF line ends, refuses bytes that are not UTF-8', async () => {
    fs.writeFileSync(
      path.join(dir, 'bom.json'),
      `\uFEFF${JSON.stringify(nsgWith({}), null, 2).replace(/\n/g, '\r\n')}`,
    );
    expect((await run('import', 'bom.json', '-o', 'a.json')).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'latin1.json'), Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]));
    const r = await run('import', 'latin1.json', '-o', 'b.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: latin1.json: file is not valid UTF-8 text [NOT_UTF8]\n');
    expect(fs.existsSync(path.join(dir, 'b.json'))).toBe(false);
  });

  it.each([
    ['UTF-16 LE', 'le'],
    ['UTF-16 BE', 'be'],
  ])('refuses %s with a byte-order mark, saying UTF-16 and how to convert', async (_what, order) => {
    const le = Buffer.from(`\uFEFF${JSON.stringify(nsgWith({}))}`, 'utf16le');
    fs.writeFileSync(path.join(dir, 'ps.json'), order === 'le' ? le : le.swap16());
    const r = await run('import', 'ps.json', '-o', 'out.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: ps.json: the file is UTF-16 text');
    expect(r.stderr).toContain("'Get-Content in.json | Set-Content -Encoding utf8 out.json'");
    expect(r.stderr).toContain("'iconv -f UTF-16 -t UTF-8 in.json > out.json'");
    expect(r.stderr).toContain('[NOT_UTF8]');
    expect(fs.existsSync(path.join(dir, 'out.json'))).toBe(false);
  });

  describe('an input with no resource aciseg models is an error unless --allow-empty', () => {
    it('an empty list: exit 2 naming the file, no output; --allow-empty writes the empty snapshot', async () => {
      write('none.json', '[]');
      const r = await run('import', 'none.json', '-o', 'out.json');
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        'error: none.json: $: the input holds no resources, so the snapshot would be empty; check the export, or pass --allow-empty to write an empty snapshot [EMPTY_INPUT]\n',
      );
      expect(fs.existsSync(path.join(dir, 'out.json'))).toBe(false);
      const allowed = await run('import', 'none.json', '-o', 'out.json', '--allow-empty');
      expect(allowed.code).toBe(0);
      expect(allowed.stderr).toContain('wrote out.json: 0 virtual networks');
    });

    it('only resource types aciseg does not model', async () => {
      write('in/nic.json', {
        value: [
          {
            id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic',
            type: 'Microsoft.Network/networkInterfaces',
          },
        ],
      });
      write('in/empty-page.json', { value: [] });
      const r = await run('import', 'in', '-o', 'out.json');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        'error: none of the 1 resources in the input is one aciseg models and can read (see the warnings), so the snapshot would be empty',
      );
      expect(r.stderr).toContain('[EMPTY_INPUT]');
    });
  });

  describe('files in a directory that are recognisably not resources', () => {
    const others: [string, string | object, string][] = [
      [
        'flow.json',
        { records: [{ time: '2024-01-01T00:00:00Z', properties: { Version: 2, flows: [] } }] },
        'an NSG/VNet flow log',
      ],
      ['ServiceTags_Public.json', { changeNumber: 1, cloud: 'Public', values: [] }, 'a service tags file'],
      [
        'routes.json',
        {
          value: [
            { source: 'Default', state: 'Active', addressPrefix: ['10.0.0.0/16'], nextHopType: 'VnetLocal' },
          ],
        },
        'effective routes',
      ],
      [
        'effective-nsg.json',
        { value: [{ networkSecurityGroup: { id: nsgId }, effectiveSecurityRules: [] }] },
        'effective security rules',
      ],
    ];
    function writeEstate(): void {
      write('exports/nsg.json', nsgWith({}));
      for (const [name, content] of others) write(`exports/${name}`, content);
    }

    it('a resource file found in the directory is an input: -o naming it is refused, --force or not', async () => {
      writeEstate();
      const before = fs.readFileSync(path.join(dir, 'exports/nsg.json'), 'utf8');
      const r = await run('import', 'exports', '-o', 'exports/nsg.json', '--force');
      expect(r.code).toBe(2);
      expect(fs.readFileSync(path.join(dir, 'exports/nsg.json'), 'utf8')).toBe(before);
    });

    it('are skipped with one warning each saying what they are, an earlier snapshot included', async () => {
      writeEstate();
      expect((await run('import', 'exports', '-o', 'exports/estate.snapshot.json')).code).toBe(0);
      const r = await run('import', 'exports', '-o', 'exports/estate.snapshot.json', '--force');
      expect(r.code).toBe(0);
      const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning'));
      const expected = [
        ...others.map(([name, , what]) => [name, what]),
        ['estate.snapshot.json', 'an aciseg snapshot'],
      ];
      expect(warnings).toHaveLength(expected.length);
      for (const [name, what] of expected) {
        const line = warnings.find((l) =>
          l.startsWith(`warning: ${path.join('exports', name as string)}: $: `),
        );
        expect(line).toContain(`skipped: this looks like ${what}`);
        expect(line).toContain('[SKIPPED_FILE]');
      }
      expect(r.stderr).toContain('1 NSG (1 rule)');
    });

    it('--strict refuses them (exit 2, one error each, no output)', async () => {
      writeEstate();
      const r = await run('import', 'exports', '-o', 'out.json', '--strict');
      expect(r.code).toBe(2);
      const errors = r.stderr.trim().split('\n');
      expect(errors).toHaveLength(others.length);
      for (const line of errors)
        expect(line).toMatch(/^error: .*: \$: this looks like .*\[UNRECOGNISED_SHAPE\]$/);
      expect(fs.existsSync(path.join(dir, 'out.json'))).toBe(false);
    });

    it('a directory of nothing but such files is EMPTY_INPUT, saying they were skipped', async () => {
      for (const [name, content] of others) write(`logs/${name}`, content);
      const r = await run('import', 'logs', '-o', 'out.json');
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `error: the input holds no resources (${others.length} files were skipped as not resources), so the snapshot would be empty; check the export, or pass --allow-empty to write an empty snapshot [EMPTY_INPUT]\n`,
      );
    });

    it('a file named explicitly stays strict', async () => {
      writeEstate();
      const r = await run('import', 'exports/nsg.json', 'exports/flow.json', '-o', 'out.json');
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `error: ${path.join('exports', 'flow.json')}: $: this looks like an NSG/VNet flow log; flow logs are read by --flows (analyze, plan, report), not import [UNRECOGNISED_SHAPE]\n`,
      );
    });
  });

  it('refuses to replace an existing output without --force, and replaces it with --force', async () => {
    write('in.json', nsgWith({}));
    fs.writeFileSync(path.join(dir, 'out.json'), 'precious');
    const r = await run('import', 'in.json', '-o', 'out.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: output file out.json already exists (use --force to replace it)\n');
    expect(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')).toBe('precious');
    const forced = await run('import', 'in.json', '-o', 'out.json', '--force');
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')).toContain('"schemaVersion":1');
  });

  it('requires -o', async () => {
    write('in.json', nsgWith({}));
    const r = await run('import', 'in.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '-o, --output <file>' not specified");
  });
});
