/**
 * The format registry as the commands use it: every registered (command, format) is covered by a
 * golden or a test, `--format` offers exactly the registry's formats (anything else is exit 2 naming
 * them), `-o` writes any command's result atomically, and --quiet / --verbose mean the same everywhere.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../../../src/errors';
import {
  formatsOf,
  registeredCommands,
  registeredFormats,
  rendererFor,
  type CommandName,
} from '../../../src/render/registry';
import { runCapture } from '../../support/cli';
import { expectGolden } from '../../support/golden';

const ROOT = path.join(__dirname, '..', '..', '..');
const run = (argv: string[]) => runCapture(argv, ROOT);

let dir: string;
const hub = () => path.join(dir, 'hub-spoke.json');
const seg = () => path.join(dir, 'segmented.json');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-formats-'));
  for (const [sample, out] of [
    ['hub-spoke', hub()],
    ['segmented', seg()],
  ] as const) {
    const r = await run(['import', path.join(ROOT, 'samples', sample), '-o', out, '-q']);
    expect(r.code).toBe(0);
  }
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A run of each command on a sample (HUB / SEG / OUT stand for the snapshots and a fresh file). */
const BASE: Record<CommandName, string[]> = {
  import: ['import', 'samples/hub-spoke', '-o', 'OUT'],
  summary: ['summary', 'HUB'],
  analyze: [
    'analyze',
    'HUB',
    '--flows',
    'samples/hub-spoke-flow-logs',
    '--intent',
    'samples/hub-spoke/intent.yaml',
    '--today',
    '2026-11-26',
  ],
  reachability: ['analyze', 'HUB', '--reachability', '--limit', '8'],
  explain: ['explain', 'HUB', '--from', 'Internet', '--to', 'vnet-app/snet-aci-web', '--port', '22'],
  check: ['check', 'HUB', '--intent', 'samples/hub-spoke/intent.yaml', '--today', '2026-11-26'],
  plan: ['plan', 'SEG', '--intent', 'samples/segmented/intent.yaml', '--today', '2026-11-26'],
  report: ['report', 'HUB'],
};

/** The hub-spoke plan from its flow logs and intent: it proves (exit 0, nothing on stderr with -q), with a deny-only NSG for snet-data (README "plan"). */
const HUB_PLAN = [
  'plan',
  'HUB',
  '--flows',
  'samples/hub-spoke-flow-logs',
  '--intent',
  'samples/hub-spoke/intent.yaml',
  '--today',
  '2026-11-26',
];
/** How each registered (command, format) is proven: the golden its output must equal, or a check. */
const COVERAGE: Record<
  string,
  {
    argv: string[];
    golden?: string;
    check?: (stdout: string) => void;
    code?: number;
    stderr?: (stderr: string) => void;
  }
> = {
  'import none': { argv: BASE.import, check: (stdout) => expect(stdout).toBe('') },
  'import text': { argv: BASE.import, golden: 'samples/hub-spoke.summary.txt' },
  'import json': { argv: BASE.import, golden: 'samples/hub-spoke.summary.json' },
  'summary text': { argv: BASE.summary, golden: 'samples/hub-spoke.summary.txt' },
  'summary json': { argv: BASE.summary, golden: 'samples/hub-spoke.summary.json' },
  // Findings name the snapshot (explain commands, SARIF locations): its temporary path is written
  // as hub-spoke.json before the comparison.
  'analyze text': {
    argv: BASE.analyze,
    check: (out) => expectGolden('analyze/findings.txt', samplePath(out)),
  },
  'analyze json': {
    argv: BASE.analyze,
    check: (out) => expectGolden('analyze/findings.json', samplePath(out)),
  },
  'analyze markdown': {
    argv: BASE.analyze,
    check: (out) => expectGolden('analyze/findings.md', samplePath(out)),
  },
  'analyze sarif': {
    argv: BASE.analyze,
    check: (out) => expectGolden('analyze/findings.sarif', samplePath(out)),
  },
  'reachability text': { argv: BASE.reachability, golden: 'analyze/hub-spoke.txt' },
  'reachability json': { argv: ['analyze', 'SEG', '--reachability'], golden: 'analyze/segmented.json' },
  'explain text': { argv: BASE.explain, golden: 'explain/hub-ssh-from-internet.txt' },
  'explain json': {
    argv: ['explain', 'HUB', '--from', 'web-frontend', '--to', 'api-orders', '--port', '8443'],
    golden: 'explain/hub-web-to-api.json',
  },
  'check text': { argv: BASE.check, golden: 'check/hub-spoke.txt' },
  'check json': {
    argv: ['check', 'SEG', '--intent', 'samples/segmented/intent.yaml', '--today', '2026-11-26'],
    golden: 'check/segmented.json',
  },
  'plan bicep': { argv: HUB_PLAN, golden: 'plan/hub-spoke.bicep' },
  'plan arm': { argv: HUB_PLAN, golden: 'plan/hub-spoke.arm.json' },
  'plan markdown': { argv: HUB_PLAN, golden: 'plan/hub-spoke.md' },
  'plan json': { argv: BASE.plan, golden: 'plan/segmented.json' },
  // The page itself is tested in test/unit/render/report-*.test.ts and test/browser.
  'report html': {
    argv: BASE.report,
    check: (stdout) => {
      expect(stdout.startsWith('<!doctype html>')).toBe(true);
      expect(stdout).toContain("default-src 'none'");
    },
  },
};

/** Output with the snapshot's temporary path (absolute, or relative to the repository) as `hub-spoke.json`. */
/** The sample snapshot's path written as `hub-spoke.json`: relative first (SARIF URIs), so the golden does not depend on where the checkout is. */
function samplePath(out: string): string {
  return out.split(path.relative(ROOT, hub())).join('hub-spoke.json').split(hub()).join('hub-spoke.json');
}

let runs = 0;
function argvFor(argv: string[], out = path.join(dir, `out-${++runs}.json`)) {
  return argv.map((a) => (a === 'HUB' ? hub() : a === 'SEG' ? seg() : a === 'OUT' ? out : a));
}

const registered = registeredFormats();

describe('the format registry', () => {
  it('holds the seven commands, text (import: none, plan: bicep, report: html) first as the default', () => {
    expect(registeredCommands()).toEqual([
      'import',
      'summary',
      'analyze',
      'explain',
      'check',
      'plan',
      'report',
    ]);
    const defaults: Partial<Record<CommandName, string>> = { import: 'none', plan: 'bicep', report: 'html' };
    for (const c of registeredCommands()) expect(formatsOf(c)[0]).toBe(defaults[c] ?? 'text');
  });

  it('every registered (command, format) has a golden or a test below, and nothing else does', () => {
    expect(Object.keys(COVERAGE).sort()).toEqual(registered.map(([c, f]) => `${c} ${f}`).sort());
  });

  it.each(registered)('%s --format %s prints its golden or passes its test', async (command, format) => {
    const covered = COVERAGE[`${command} ${format}`]!;
    const r = await run([...argvFor(covered.argv), '--format', format, '-q']);
    if (covered.stderr) covered.stderr(r.stderr);
    else expect(r.stderr).toBe('');
    expect(r.code).toBe(covered.code ?? (command === 'check' && covered.argv.includes('HUB') ? 1 : 0));
    if (covered.golden) expectGolden(covered.golden, r.stdout);
    covered.check?.(r.stdout);
  });

  it.each(['markdown', 'sarif'])(
    'analyze --reachability --format %s is exit 2, naming text and json',
    async (format) => {
      const r = await run([...argvFor(BASE.reachability), '--format', format]);
      expect(r).toEqual({
        code: 2,
        stdout: '',
        stderr: `error: --reachability writes text or json, not ${format}\n(run with --help for usage)\n`,
      });
    },
  );

  it('rendererFor refuses a format the command does not have, listing its formats', () => {
    expect(() => rendererFor('explain', 'sarif')).toThrow(UsageError);
    expect(() => rendererFor('explain', 'sarif')).toThrow(
      'explain has no format "sarif"; choose one of text, json',
    );
    // Only the registry's own entries count, not what every object inherits.
    expect(() => rendererFor('summary', 'toString')).toThrow(UsageError);
  });
});

describe('--format with a value not in the registry', () => {
  it.each(registeredCommands())('%s: exit 2, naming the formats it has, writing nothing', async (command) => {
    const out = path.join(dir, `unknown-format-${command}.json`);
    const r = await run([...argvFor(BASE[command], out), '--format', 'yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `argument 'yaml' is invalid. Allowed choices are ${formatsOf(command).join(', ')}.`,
    );
    expect(r.stdout).toBe('');
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('-o writes the result atomically for every command that prints one', () => {
  const cases: [CommandName, string[], number][] = [
    ['summary', BASE.summary, 0],
    ['explain', BASE.explain, 0],
    ['check', BASE.check, 1],
    ['analyze', BASE.analyze, 0],
    ['reachability', BASE.reachability, 0],
  ];

  it.each(cases)('%s -o writes what it prints, and keeps the exit code', async (command, argv, code) => {
    const shown = await run([...argvFor(argv), '--format', 'json', '-q']);
    const outDir = fs.mkdtempSync(path.join(dir, `${command}-`));
    const out = path.join(outDir, 'report.json');
    const r = await run([...argvFor(argv), '--format', 'json', '-q', '-o', out]);
    expect(r).toEqual({ code, stdout: '', stderr: '' });
    expect(fs.readFileSync(out, 'utf8')).toBe(shown.stdout);
    // No temp file is left beside it.
    expect(fs.readdirSync(outDir)).toEqual(['report.json']);
  });

  it.each(cases)(
    '%s refuses to replace a file without --force and replaces it with it',
    async (command, argv, code) => {
      const out = path.join(dir, `${command}-existing.txt`);
      fs.writeFileSync(out, 'keep me');
      const refused = await run([...argvFor(argv), '-o', out]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`output file ${out} already exists (use --force to replace it)`);
      expect(fs.readFileSync(out, 'utf8')).toBe('keep me');
      const forced = await run([...argvFor(argv), '-o', out, '--force', '-q']);
      expect(forced.code).toBe(code);
      expect(fs.readFileSync(out, 'utf8')).toBe((await run([...argvFor(argv), '-q'])).stdout);
    },
  );

  it('a run that fails writes nothing (explain with an endpoint that matches nothing)', async () => {
    const out = path.join(dir, 'failed-explain.txt');
    const r = await run([
      'explain',
      hub(),
      '--from',
      'nonexistent-group',
      '--to',
      'api-orders',
      '--port',
      '80',
      '-o',
      out,
    ]);
    expect(r.code).toBe(2);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

describe('--quiet and --verbose', () => {
  it.each(registeredCommands())('%s: --quiet with --verbose is exit 2', async (command) => {
    const r = await run([...argvFor(BASE[command]), '--quiet', '--verbose']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("option '-q, --quiet' cannot be used with option '-v, --verbose'");
    expect(r.stdout).toBe('');
  });

  it.each(registeredCommands())(
    '%s --verbose prints phase times on stderr and the same result',
    async (command) => {
      const plain = await run([...argvFor(BASE[command]), '--format', formatsOf(command).at(-1)!]);
      const verbose = await run([...argvFor(BASE[command]), '--format', formatsOf(command).at(-1)!, '-v']);
      expect(verbose.code).toBe(plain.code);
      expect(verbose.stdout).toBe(plain.stdout);
      const times = verbose.stderr.split('\n').filter((l) => l.startsWith('time: '));
      expect(times.length).toBeGreaterThan(0);
      for (const line of times) expect(line).toMatch(/^time: [a-z ]+: \d+\.\d\d s$/);
      expect(plain.stderr).not.toContain('time: ');
    },
  );

  it('--quiet leaves only errors on stderr: import prints no "wrote" line, analyze no progress', async () => {
    const out = path.join(dir, 'quiet.json');
    const loud = await run(['import', 'samples/hub-spoke', '-o', out]);
    expect(loud.stderr).toMatch(/^wrote .*quiet\.json: 2 virtual networks/m);
    expect((await run(['import', 'samples/hub-spoke', '-o', out, '--force', '-q'])).stderr).toBe('');
    expect((await run(['analyze', hub(), '--reachability'])).stderr).toContain('open paths');
    expect((await run(['analyze', hub(), '--reachability', '-q'])).stderr).toBe('');
  });

  it("--quiet hides check's expired-entry warning but not the EXPIRED line of the report", async () => {
    const intent = path.join(dir, 'expired.yaml');
    fs.writeFileSync(
      intent,
      'forbid:\n  - {name: old, from: Internet, to: vnet-app/snet-aci-web, protocol: tcp, ports: "22", expires: 2025-01-31}\n',
    );
    const argv = ['check', hub(), '--intent', intent, '--today', '2026-11-26'];
    expect((await run(argv)).stderr).toContain('expired on 2025-01-31');
    const quiet = await run([...argv, '-q']);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toContain('EXPIRED');
  });
});
