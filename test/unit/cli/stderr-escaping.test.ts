/**
 * Nothing from the input reaches stderr raw: names, types, file names and paths holding line breaks,
 * escape sequences or bidi overrides are escaped (src/util/escape.ts) as text stdout is.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSnapshotFile } from '../../../src/collect/io/files';
import { reportError } from '../../../src/cli/program';
import {
  diagnostic,
  diagnosticCodes,
  formatDiagnostic,
  jsonPath,
  type DiagnosticCode,
} from '../../../src/diagnostics';
import { InputError } from '../../../src/errors';
import { runCapture } from '../../support/cli';
import { makeSnapshot, makeSubnet, makeVnet } from '../../support/builders';

/** Forges a line, recolours the terminal, rings the bell, ends a line the Unicode way, reverses text. */
const HOSTILE = 'evil\nerror: forged line\r\u001b[31mred\u0007\u2028x\u202ey';
// Everything `printable` escapes; a line break is allowed only as the end of a line.
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** The stderr lines, asserting no raw control character is in any of them. */
function safeLines(stderr: string): string[] {
  expect(stderr).not.toMatch(RAW);
  expect(stderr.endsWith('\n')).toBe(true);
  return stderr.slice(0, -1).split('\n');
}

describe('every diagnostic code, with a hostile file, path and name', () => {
  const codes = Object.keys(diagnosticCodes) as DiagnosticCode[];

  it.each(codes)('%s reaches stderr as one escaped line', (code) => {
    const d = diagnostic(code, `resource ${HOSTILE} is odd`, `in/${HOSTILE}.json`, jsonPath('$', HOSTILE));
    const line = formatDiagnostic(d);
    expect(line).not.toMatch(RAW);
    expect(line).toContain('evil\\u{a}error: forged line\\u{d}\\u{1b}[31mred\\u{7}\\u{2028}x\\u{202e}y');
    // As printed by a command: a fatal stops it (reportError), a warning is printed as it goes.
    let stderr = '';
    reportError(new InputError(line, [d]), {
      stdout: () => undefined,
      stderr: (t) => void (stderr += t),
      cwd: '/',
    });
    expect(safeLines(stderr)).toEqual([line]);
    expect(line.startsWith(diagnosticCodes[code] === 'fatal' ? 'error: ' : 'warning: ')).toBe(true);
  });
});

describe('commands', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-escape-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (...argv: string[]) => runCapture(argv, dir);
  const sub = '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg/providers';

  it('import: warnings about hostile types, names and file names, and the line that names the output', async () => {
    fs.mkdirSync(path.join(dir, 'in'));
    const write = (name: string, json: unknown) =>
      fs.writeFileSync(path.join(dir, 'in', name), JSON.stringify(json));
    // SKIPPED_RESOURCE_TYPE with a hostile type, in a file with a hostile name.
    write(`${HOSTILE}.json`, { id: `${sub}/Evil/things/t`, type: `Evil/${HOSTILE}` });
    // DANGLING_REFERENCE: a standalone route of a route table that is not there, with a hostile name.
    write('route.json', {
      id: `${sub}/Microsoft.Network/routeTables/${HOSTILE}/routes/r`,
      name: 'r',
      properties: { addressPrefix: '10.0.0.0/8', nextHopType: 'None' },
    });
    // DUPLICATE_RESOURCE: one subnet defined differently in two files (the message names both).
    const subnet = (prefix: string) => ({
      id: `${sub}/Microsoft.Network/virtualNetworks/${HOSTILE}/subnets/s`,
      name: 's',
      properties: { addressPrefix: prefix },
    });
    write('a.json', subnet('10.0.1.0/24'));
    write('z.json', subnet('10.0.9.0/24'));
    const r = await run('import', 'in', '-o', `out${HOSTILE}.json`);
    expect(r.code).toBe(0);
    const lines = safeLines(r.stderr);
    const codes = lines.map((l) => /\[([A-Z_]+)\]$/.exec(l)?.[1] ?? l.slice(0, 6));
    expect(codes).toEqual(
      expect.arrayContaining(['SKIPPED_RESOURCE_TYPE', 'DANGLING_REFERENCE', 'DUPLICATE_RESOURCE', 'wrote ']),
    );
    expect(lines.every((l) => /^(warning: |wrote )/.test(l))).toBe(true);
  });

  it('import: a fatal error in a file with a hostile name, and a hostile output path that exists', async () => {
    fs.writeFileSync(path.join(dir, `${HOSTILE}.json`), '{ not json');
    const bad = await run('import', `${HOSTILE}.json`, '-o', 'o.json');
    expect(bad.code).toBe(2);
    expect(safeLines(bad.stderr)).toHaveLength(1);
    fs.writeFileSync(path.join(dir, `o${HOSTILE}`), 'x');
    const exists = await run('import', `${HOSTILE}.json`, '-o', `o${HOSTILE}`);
    expect(exists.code).toBe(2);
    expect(safeLines(exists.stderr)).toEqual([
      expect.stringMatching(/^error: output file o.* already exists/),
    ]);
  });

  it('summary: a dangling reference to a hostile NSG id; explain: a hostile endpoint that matches nothing', async () => {
    const vnet = makeVnet({ name: 'v' });
    const subnetWithGhost = makeSubnet(vnet, {
      name: 's',
      addressPrefixes: ['10.0.1.0/24'],
      nsg: `${sub}/Microsoft.Network/networkSecurityGroups/${HOSTILE}`,
    });
    await writeSnapshotFile(
      path.join(dir, 's.json'),
      makeSnapshot({ virtualNetworks: [vnet], subnets: [subnetWithGhost] }),
      { force: false },
    );
    const summary = await run('summary', 's.json');
    expect(summary.code).toBe(0);
    expect(safeLines(summary.stderr)).toEqual([expect.stringMatching(/^warning: .*\[DANGLING_REFERENCE\]$/)]);
    const explain = await run('explain', 's.json', '--from', HOSTILE, '--to', 'v/s', '--port', '1');
    expect(explain.code).toBe(2);
    expect(safeLines(explain.stderr)[0]).toMatch(/^error: /);
  });
});
