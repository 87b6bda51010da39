/**
 * The built `aciseg` as a real process: what only a process shows (its own stdout and stdin, signals,
 * exit codes). The sources are compiled once, into a temporary folder, so `dist/` is never stale.
 */
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSnapshotFile } from '../src/collect/io/files';
import { Importer } from '../src/collect/files';
import type { Snapshot } from '../src/model/snapshot';
import { WORKER_NICE } from '../src/cli/thread-priority';
import { niceIn } from './support/proc';
import { generateEstatePages } from './support/synthetic-estate';
import { hubSpokeSnapshot } from './support/sample-snapshots';

const root = path.join(__dirname, '..');
const samples = path.join(root, 'samples/hub-spoke');
let build: string;
let dir: string;

beforeAll(() => {
  build = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-build-'));
  const tsc = spawnSync(
    process.execPath,
    // Emit only: `npm run typecheck` checks the types.
    [
      require.resolve('typescript/bin/tsc'),
      ...['-p', path.join(root, 'tsconfig.build.json'), '--outDir', build],
      ...['--noCheck', '--declaration', 'false', '--sourceMap', 'false'],
    ],
    { encoding: 'utf8' },
  );
  if (tsc.status !== 0) throw new Error(`build failed:\n${tsc.stdout}${tsc.stderr}`);
});
afterAll(() => fs.rmSync(build, { recursive: true, force: true }));

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-process-'));
  await writeSnapshotFile(path.join(dir, 's.json'), hubSpokeSnapshot(), { force: false });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The compiled program resolves its dependencies from this checkout's node_modules. */
const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_PATH: path.join(root, 'node_modules'),
  ...extra,
});
const mainJs = () => path.join(build, 'cli/main.js');

function aciseg(argv: string[], options: SpawnSyncOptions = {}) {
  return spawnSync(process.execPath, [mainJs(), ...argv], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 20_000,
    env: env(),
    ...options,
  });
}

describe('standard output', () => {
  it('a stdout that cannot be written (/dev/full) is exit 3 with one line on stderr', () => {
    const full = fs.openSync('/dev/full', 'w');
    try {
      const r = aciseg(['summary', 's.json'], { stdio: ['ignore', full, 'pipe'] });
      expect(r.status).toBe(3);
      expect(r.stderr).toBe('error: cannot write to standard output: no space left on device (ENOSPC)\n');
    } finally {
      fs.closeSync(full);
    }
  });

  it('a reader that closed the pipe ends output quietly, and the exit code stays the command’s own', async () => {
    const closedReader = (argv: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [mainJs(), ...argv], { cwd: dir, env: env() });
        child.stdout.destroy(); // as `| head -1` does once it has its line
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    expect(await closedReader(['analyze', 's.json', '--reachability', '--format', 'json', '-q'])).toEqual({
      code: 0,
      stderr: '',
    });
    // The hub-spoke sample breaks its intent: still exit 1 when nobody reads the report.
    expect(await closedReader(['check', 's.json', '--intent', path.join(samples, 'intent.yaml')])).toEqual({
      code: 1,
      stderr: '',
    });
  });
});

describe('colour (analyze text)', () => {
  // eslint-disable-next-line no-control-regex
  const ansi = /\u001b\[/;
  /** Runs analyze on a terminal made by script(1), with `extra` in the environment. */
  function onTerminal(extra: NodeJS.ProcessEnv): string | null {
    if (!fs.existsSync('/usr/bin/script')) return null;
    const command = [process.execPath, mainJs(), 'analyze', 's.json', '-q', '--limit', '2']
      .map((w) => `'${w}'`)
      .join(' ');
    const r = spawnSync('/usr/bin/script', ['-qec', command, '/dev/null'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
      env: env(extra),
    });
    return r.stdout;
  }

  it('is plain on a pipe, coloured on a terminal, plain on a terminal with NO_COLOR', () => {
    const piped = aciseg(['analyze', 's.json', '-q', '--limit', '2']);
    expect(piped.status).toBe(0);
    expect(piped.stdout).toMatch(/^\d+ findings: /);
    expect(piped.stdout).not.toMatch(ansi);
    const tty = onTerminal({ NO_COLOR: '' });
    if (tty === null) {
      console.warn('skipped: no script(1) to make a terminal');
      return;
    }
    expect(tty).toMatch(ansi);
    const noColor = onTerminal({ NO_COLOR: '1' });
    expect(noColor).toMatch(/findings: /);
    expect(noColor).not.toMatch(ansi);
  });
});

describe('inputs that are not regular files', () => {
  it('refuses a FIFO as snapshot or import input at once (exit 2, naming it) instead of waiting for a writer', () => {
    spawnSync('mkfifo', [path.join(dir, 'fifo')]);
    for (const argv of [
      ['summary', 'fifo'],
      ['analyze', 'fifo'],
      ['import', 'fifo', '-o', 'o.json'],
    ]) {
      const r = aciseg(argv, { timeout: 10_000 });
      expect(r.signal).toBeNull(); // not killed by the timeout
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        "error: fifo: cannot read file: it is a FIFO (named pipe), not a regular file (name '-' to read standard input) [FILE_UNREADABLE]\n",
      );
    }
    expect(fs.existsSync(path.join(dir, 'o.json'))).toBe(false);
  });

  it("reads '-' as standard input: the snapshot argument, and import's paths", () => {
    const text = fs.readFileSync(path.join(dir, 's.json'), 'utf8');
    const fromFile = aciseg(['summary', 's.json']);
    const fromStdin = aciseg(['summary', '-'], { input: text });
    expect(fromStdin.status).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
    // Longer than the whole-text limit: standard input is read line by line too.
    const lines = aciseg(['summary', '-'], { input: text, env: env({ ACISEG_WHOLE_FILE_LIMIT: '1000' }) });
    expect(lines.status).toBe(0);
    expect(lines.stdout).toBe(fromFile.stdout);

    const nsgs = fs.readFileSync(path.join(samples, 'network-security-groups.json'), 'utf8');
    const imported = aciseg(['import', '-', path.join(samples, 'virtual-networks.json'), '-o', 'o.json'], {
      input: nsgs,
    });
    expect(imported.status).toBe(0);
    expect(imported.stderr).toMatch(/^wrote o\.json: 2 virtual networks, 6 subnets, 2 peerings, 3 NSGs/);
    const bad = aciseg(['import', '-', '-o', 'p.json'], { input: '{"value": [' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error: -: .*\[NOT_JSON\]\n$/);
  });
});

describe('signals', () => {
  let big: Snapshot | null = null;
  /** A snapshot whose JSON report takes a while to write (some 6 MB). */
  async function bigSnapshot(): Promise<void> {
    if (big === null) {
      const importer = new Importer();
      const estate = { seed: 1, vnets: 16, subnetsPerVnet: 20, containerGroupsPerSubnet: 2, rulesPerNsg: 10 };
      for (const page of generateEstatePages(estate))
        importer.addDocument(page.name, JSON.stringify(page.json));
      const outcome = importer.finish();
      if (!outcome.snapshot) throw new Error('the synthetic estate did not import');
      big = outcome.snapshot;
    }
    await writeSnapshotFile(path.join(dir, 'big.json'), big, { force: false });
  }

  /** Runs `analyze -o r.json` and sends `signal` as soon as its temp file appears. */
  function interruptWrite(signal: NodeJS.Signals) {
    return new Promise<{ code: number | null; signal: NodeJS.Signals | null; sawTemp: boolean }>(
      (resolve) => {
        const child = spawn(
          process.execPath,
          [mainJs(), 'analyze', 'big.json', '--reachability', '--format', 'json', '-o', 'r.json', '-q'],
          { cwd: dir, env: env(), stdio: 'ignore' },
        );
        let sawTemp = false;
        const watcher = fs.watch(dir, (_event, name) => {
          if (!sawTemp && name?.includes('.tmp-')) {
            sawTemp = true;
            child.kill(signal);
          }
        });
        child.on('close', (code, sig) => {
          watcher.close();
          resolve({ code, signal: sig, sawTemp });
        });
      },
    );
  }

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s while the output is written removes the temp file and ends the process by the signal (shell: %i)',
    async (signal, _shellCode) => {
      await bigSnapshot();
      const r = await interruptWrite(signal);
      expect(r.sawTemp).toBe(true);
      expect(r).toEqual({ code: null, signal, sawTemp: true });
      expect(fs.readdirSync(dir).sort()).toEqual(['big.json', 's.json']);
    },
  );
});

describe('analyze with a worker thread', () => {
  it('writes byte-identical findings with and without it (ACISEG_THREADS=1)', () => {
    const args = ['analyze', 's.json', '--format', 'json', '-v'];
    const threaded = aciseg(args);
    const single = aciseg(args, { env: env({ ACISEG_THREADS: '1' }) });
    expect([threaded.status, single.status]).toEqual([0, 0]);
    expect(JSON.parse(String(threaded.stdout)).total).toBeGreaterThan(10);
    expect(threaded.stdout).toBe(single.stdout);
    // The standalone rules run on the worker wherever there is a second CPU.
    expect(String(threaded.stderr).includes('run the rule pack (with a worker thread)')).toBe(
      os.availableParallelism() > 1,
    );
    expect(single.stderr).not.toContain('worker thread');
  });

  const onLinuxWithTwoCpus = process.platform === 'linux' && os.availableParallelism() > 1 ? it : it.skip;
  onLinuxWithTwoCpus('runs the worker thread at a lower priority than the main thread', async () => {
    const child = spawn(process.execPath, [mainJs(), 'analyze', 's.json', '-q', '-o', 'f.txt'], {
      cwd: dir,
      env: env(),
      stdio: 'ignore',
    });
    // Every thread's nice value, polled while the process runs.
    const seen = new Map<string, number>();
    const poll = setInterval(() => {
      try {
        for (const t of fs.readdirSync(`/proc/${child.pid}/task`))
          seen.set(t, niceIn(`/proc/${child.pid}/task/${t}/stat`));
      } catch {
        // a thread (or the process) ended between the listing and the read
      }
    }, 5);
    const code = await new Promise((resolve) => child.on('close', resolve));
    clearInterval(poll);
    expect(code).toBe(0);
    // The process starts at this one's nice value (0, unless the tests themselves run niced).
    const base = niceIn(`/proc/${process.pid}/stat`);
    expect(seen.get(String(child.pid))).toBe(base);
    expect([...seen.values()]).toContain(Math.max(base, WORKER_NICE));
  });

  it('an invalid snapshot is exit 2 with its diagnostic and no output, whichever thread checks it', () => {
    // analyze: the worker checks the file and the main thread only parses it; plan: the other way round.
    const snapshot = hubSpokeSnapshot();
    snapshot.subnets[0]!.addressPrefixes = ['10.0.0.0/33'];
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(snapshot));
    for (const command of ['analyze', 'plan']) {
      const extra = command === 'plan' ? ['--intent', path.join(samples, 'intent.yaml')] : [];
      const r = aciseg([command, 'bad.json', ...extra, '--format', 'json', '-o', 'out.json']);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('bad.json');
      expect(r.stderr).toContain('$.subnets[0].addressPrefixes[0]');
      expect(r.stderr).not.toContain('worker');
      expect(fs.existsSync(path.join(dir, 'out.json'))).toBe(false);
    }
  });

  // Each is invalid in a way only the full checks see; the unchecked main thread may compute on it
  // (or fail on it) first, and must still answer exactly as the single-threaded run does.
  const invalidSnapshots: [string, () => string][] = [
    [
      'a value the compiler reads wrongly',
      () => {
        const s = hubSpokeSnapshot();
        (s.subnets[0] as unknown as { addressPrefixes: unknown }).addressPrefixes = null;
        return JSON.stringify(s);
      },
    ],
    [
      'a duplicate key',
      () => {
        const text = JSON.stringify(hubSpokeSnapshot());
        return text.replace('"name":', '"name":"first","name":');
      },
    ],
    ['a missing resource array', () => JSON.stringify({ ...hubSpokeSnapshot(), subnets: undefined })],
  ];
  it.each(invalidSnapshots)('%s: exit 2, the same diagnostics as ACISEG_THREADS=1, no output', (_, text) => {
    fs.writeFileSync(path.join(dir, 'bad.json'), text());
    const args = ['analyze', 'bad.json', '--format', 'json', '-o', 'out.json'];
    const threaded = aciseg(args);
    const single = aciseg(args, { env: env({ ACISEG_THREADS: '1' }) });
    expect(threaded.status).toBe(2);
    expect(String(threaded.stderr)).toContain('bad.json');
    expect({ status: threaded.status, stderr: String(threaded.stderr) }).toEqual({
      status: single.status,
      stderr: String(single.stderr),
    });
    expect(fs.existsSync(path.join(dir, 'out.json'))).toBe(false);
  });
});

describe('plan with a worker thread', () => {
  it('writes byte-identical plans with and without it, the worker’s rules’ findings counted in the effect', () => {
    const intent = path.join(samples, 'intent.yaml');
    const args = ['plan', 's.json', '--intent', intent, '--today', '2026-11-26', '--format', 'json', '-v'];
    const threaded = aciseg(args);
    const single = aciseg(args, { env: env({ ACISEG_THREADS: '1' }) });
    expect([threaded.status, single.status]).toEqual([0, 0]);
    expect(threaded.stdout).toBe(single.stdout);
    expect(String(threaded.stderr).includes('effect (with a worker thread)')).toBe(
      os.availableParallelism() > 1,
    );
    expect(single.stderr).not.toContain('worker thread');
    // The standalone rules' findings on the snapshot before (the worker's) are among the effect's.
    const findings = aciseg(['analyze', 's.json', '--format', 'json', '-q']);
    const standalone = (
      JSON.parse(String(findings.stdout)) as { findings: { ruleId: string; fingerprint: string }[] }
    ).findings.filter((f) => ['ACI004', 'ACI008', 'ACI009'].includes(f.ruleId));
    expect(standalone.length).toBeGreaterThan(0);
    const { effect } = JSON.parse(String(threaded.stdout)) as {
      effect: { findingsResolved: string[]; findingsRemaining: string[] };
    };
    const counted = new Set([...effect.findingsResolved, ...effect.findingsRemaining]);
    for (const f of standalone) expect(counted.has(f.fingerprint)).toBe(true);
  });
});
