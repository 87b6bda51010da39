/**
 * The intent reader: calendar dates against the JavaScript calendar, and fuzzing (random JSON
 * values, random YAML-ish text, random entry-shaped records) that must end in a result or in
 * coded diagnostics naming the file, never in an exception.
 */
import fc from 'fast-check';
import { diagnosticCodes, type Diagnostic } from '../../../src/diagnostics';
import { checkIntent, IntentError, isCalendarDate, parseIntent } from '../../../src/analyze/intent';
import { compilePolicy } from '../../../src/policy/engine';
import {
  ACI_DELEGATION,
  makeContainerGroup,
  makeNsg,
  makeRule,
  makeSnapshot,
  makeSubnet,
  makeVnet,
} from '../../support/builders';

const SEED = process.env.FC_SEED === undefined ? 8080 : Number(process.env.FC_SEED);
const RUNS = process.env.FC_RUNS === undefined ? 300 : Number(process.env.FC_RUNS);
const FILE = 'intent.yaml';

/** Every diagnostic is a fatal, catalogued one about the file. */
function expectWellFormed(diagnostics: readonly Diagnostic[]): void {
  expect(diagnostics.length).toBeGreaterThan(0);
  for (const d of diagnostics) {
    expect(diagnosticCodes[d.code]).toBe('fatal');
    expect(d.file).toBe(FILE);
    expect(d.message).not.toBe('');
  }
}

describe('isCalendarDate', () => {
  it.each([
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2100-02-29', false],
    ['2025-02-29', false],
    ['2025-02-28', true],
    ['2025-04-31', false],
    ['2025-12-31', true],
    ['2025-13-01', false],
    ['2025-00-01', false],
    ['2025-01-00', false],
    ['2099-99-99', false],
    ['2025-1-01', false],
    ['20250101', false],
    [' 2025-01-01', false],
  ])('%s → %s', (text, expected) => {
    expect(isCalendarDate(text)).toBe(expected);
  });

  it('agrees with the JavaScript (proleptic Gregorian) calendar', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (year, month, day) => {
          const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const d = new Date(0);
          d.setUTCFullYear(year, month - 1, day);
          const real = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
          expect(isCalendarDate(text)).toBe(real);
        },
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

describe('parseIntent never throws', () => {
  const keys = fc.constantFrom(
    'name',
    'from',
    'to',
    'protocol',
    'ports',
    'reason',
    'owner',
    'expires',
    'require',
    'forbid',
    '__proto__',
    'constructor',
    'x',
  );
  const scalar = fc.oneof(
    fc.constantFrom('tcp', 'udp', 'icmp', '*', 'Internet', 'web', '80', '80-90', '2025-02-30', '2026-01-01'),
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
  );
  const value = fc.oneof(scalar, fc.jsonValue({ maxDepth: 3 }));
  const entry = fc.dictionary(keys, value, { maxKeys: 9 });
  const intentLike = fc.record(
    {
      require: fc.oneof(fc.array(entry, { maxLength: 4 }), value),
      forbid: fc.array(entry, { maxLength: 4 }),
    },
    { requiredKeys: [] },
  );

  function parsesCleanly(text: string): void {
    const r = parseIntent(text, FILE);
    if (!r.ok) expectWellFormed(r.diagnostics);
  }

  it('on random JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => parsesCleanly(JSON.stringify(v))),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('on random intent-shaped JSON', () => {
    fc.assert(
      fc.property(intentLike, (v) => parsesCleanly(JSON.stringify(v))),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('on random YAML-ish text (anchors, aliases, tags, flow and block collections)', () => {
    const token = fc.oneof(
      fc.constantFrom(
        'require:',
        'forbid:',
        '\n',
        '\n  ',
        '\n    ',
        '- ',
        ': ',
        '? ',
        '{',
        '}',
        '[',
        ']',
        ', ',
        '&a ',
        '&b ',
        '*a',
        '*b',
        '!!js/function ',
        '!!binary ',
        '!!set ',
        '!!str ',
        '!!int ',
        '!!map ',
        '!custom ',
        '<<: ',
        '"',
        "'",
        '|',
        '>',
        '#',
        '---\n',
        '...\n',
        '%YAML 1.1\n',
        'name: x',
        'protocol: tcp',
        'ports: 80',
        'ports: 1e400',
        'expires: 2025-02-30',
        'from: Internet',
        'to: web',
        '0x50',
        '.inf',
        '~',
        'null',
        'true',
      ),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => parsesCleanly(tokens.join(''))),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('on nesting deeper than the stack: a resource-limit error, again and again in one process', () => {
    // Composing such a document used to recurse until V8 aborted the whole process (a regular
    // expression compiled on a deep stack), typically on the second file read.
    const texts = [
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `${'{'.repeat(3000)}${']'.repeat(3000)}`,
      `require:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(2 * i + 2)}- `).join('\n')}x\n`,
      `${'- '.repeat(20_000)}x\n`,
      `{"require": [${'{"a": '.repeat(50_000)}1${'}'.repeat(50_000)}]}`,
    ];
    for (let round = 0; round < 3; round++)
      for (const text of texts) {
        const r = parseIntent(text, FILE);
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expectWellFormed(r.diagnostics);
          expect(r.diagnostics[0]!.message).toMatch(/nested more than 64 levels deep/);
        }
      }
  });

  it('anchors and aliases within the limit are read as their values', () => {
    const r = parseIntent(
      [
        'require:',
        '  - {name: out, from: &web web, to: Internet, protocol: tcp, ports: &https "443"}',
        'forbid:',
        '  - {name: in, from: Internet, to: *web, protocol: tcp, ports: *https}',
        '',
      ].join('\n'),
      FILE,
    );
    expect(r).toMatchObject({
      ok: true,
      entries: [
        { name: 'out', from: 'web', portsText: '443' },
        { name: 'in', to: 'web', portsText: '443' },
      ],
    });
  });

  it('nesting up to the limit is read', () => {
    const value = JSON.stringify({ require: [{ name: JSON.parse(`${'['.repeat(60)}${']'.repeat(60)}`) }] });
    const r = parseIntent(value, FILE);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics.map((d) => d.path)).toContain('$.require[0].name');
  });
});

describe('checkIntent on random entries', () => {
  const vnet = makeVnet({ name: 'vnet-app', addressPrefixes: ['10.0.0.0/16'] });
  const nsg = makeNsg({
    name: 'nsg-web',
    rules: [makeRule({ priority: 100, source: 'Internet', destinationPorts: '80-90' })],
  });
  const web = makeSubnet(vnet, {
    name: 'snet-web',
    addressPrefixes: ['10.0.1.0/24'],
    nsg,
    delegations: [ACI_DELEGATION],
  });
  const engine = compilePolicy(
    makeSnapshot({
      virtualNetworks: [vnet],
      subnets: [web],
      networkSecurityGroups: [nsg],
      containerGroups: [
        makeContainerGroup({ name: 'web', subnet: web, ip: '10.0.1.4' }),
        makeContainerGroup({ name: 'twin', subnet: web, ip: '10.0.1.5', resourceGroup: 'a' }),
        makeContainerGroup({ name: 'twin', subnet: web, ip: '10.0.1.6', resourceGroup: 'b' }),
        makeContainerGroup({ name: 'public-group', ip: '203.0.113.4' }),
      ],
    }),
  );
  const endpoint = fc.constantFrom(
    'web',
    'twin',
    'public-group',
    'Internet',
    'VirtualNetwork',
    '*',
    'vnet-app/snet-web',
    'vnet-app/none',
    '10.0.1.4',
    '10.0.1.4/24',
    '10.0.1.0/24',
    'fd00::1',
    'no-such',
    '/subscriptions/x',
  );
  const entry = fc.record(
    {
      name: fc.constantFrom('a', 'b', 'c', 'd'),
      from: endpoint,
      to: endpoint,
      protocol: fc.constantFrom('tcp', 'udp', 'icmp', '*'),
      ports: fc.constantFrom('80', '22', '80-90', '*', '79-81,443', 80),
      expires: fc.constantFrom('2026-01-01', '2027-01-01'),
    },
    { requiredKeys: ['name', 'from', 'to', 'protocol'] },
  );

  it('gives a report that counts every entry once, or coded errors at entry paths', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 4 }), fc.array(entry, { maxLength: 4 }), (require, forbid) => {
        const parsed = parseIntent(JSON.stringify({ require, forbid }), FILE, { allowEmpty: true });
        if (!parsed.ok) expectWellFormed(parsed.diagnostics);
        try {
          const report = checkIntent(engine, parsed.entries, '2026-06-01', FILE);
          expect(report.passed + report.failed + report.expired).toBe(parsed.entries.length);
        } catch (e) {
          if (!(e instanceof IntentError)) throw e;
          expectWellFormed(e.diagnostics);
          for (const d of e.diagnostics) expect(d.path).toMatch(/^\$\.(require|forbid)\[\d+\]/);
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});
