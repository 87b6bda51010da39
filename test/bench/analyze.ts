/**
 * `analyze` end to end, as a user runs it: the typical synthetic estate is generated, imported by the
 * built command (`node dist/cli/main.js import`), then `node dist/cli/main.js analyze s.json --format X
 * -o out` runs as a fresh process per format under /usr/bin/time: wall time, user and system CPU time,
 * peak RSS and output size, and the 1-minute load average before the run. Targets: ≤ 10 s and ≤ 2 GB
 * per format, findings JSON ≤ 50 MB. Prints one JSON line per format.
 *
 * The CPU time bounds the wall time from below: a run that needs C CPU seconds cannot end before
 * C / cores, however its work is split between threads (`floorSeconds`). On Linux the machine's own
 * counters (/proc/stat) during the run add how much of every core was idle (headroom a better split
 * could use) and stolen by the hypervisor (time the machine did not get: noise, not aciseg).
 * BENCH_ANALYZE_SNAPSHOT=<file> uses an existing snapshot instead of generating one.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PRESETS, writeEstate } from '../support/synthetic-estate';

const root = path.join(__dirname, '..', '..');
const main = path.join(root, 'dist', 'cli', 'main.js');
// The V8 flags the aciseg command gives itself (the first line of its script).
const cliFlags = (fs.readFileSync(main, 'utf8').split('\n')[0] ?? '')
  .split(/\s+/)
  .filter((w) => w.startsWith('--'));
const FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;

interface Timed {
  seconds: number;
  /** User CPU seconds: on a shared machine the wall time says more about the load than about aciseg. */
  userSeconds: number;
  systemSeconds: number;
  peakMb: number;
  /** Shares of the machine's CPU time during the run (null where /proc/stat cannot be read). */
  machine: MachineShares | null;
  code: number | null;
  stderr: string;
}

interface MachineShares {
  idlePercent: number;
  stealPercent: number;
}

/** The machine's CPU counters (/proc/stat, all cores): [idle + iowait, steal, total] ticks, or null. */
function machineTicks(): [number, number, number] | null {
  let line: string;
  try {
    line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  } catch {
    return null;
  }
  // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is in user already)
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (!line.startsWith('cpu ') || v.length < 8 || v.some((x) => !Number.isFinite(x))) return null;
  return [v[3]! + v[4]!, v[7]!, v.reduce((a, b) => a + b, 0)];
}

function shares(
  before: [number, number, number] | null,
  after: [number, number, number] | null,
): MachineShares | null {
  if (before === null || after === null || after[2] <= before[2]) return null;
  const total = after[2] - before[2];
  const pct = (x: number) => Math.round((1000 * x) / total) / 10;
  return { idlePercent: pct(after[0] - before[0]), stealPercent: pct(after[1] - before[1]) };
}

function timed(args: string[]): Timed {
  const before = machineTicks();
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', 'BENCH %e s %U u %S k %M KB', process.execPath, ...cliFlags, main, ...args],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  const machine = shares(before, machineTicks());
  const m = /BENCH ([\d.]+) s ([\d.]+) u ([\d.]+) k (\d+) KB/.exec(r.stderr);
  if (m === null) throw new Error(`no timing for ${args.join(' ')}: ${r.stderr.slice(-2000)}`);
  return {
    seconds: Number(m[1]),
    userSeconds: Number(m[2]),
    systemSeconds: Number(m[3]),
    peakMb: Math.round(Number(m[4]) / 1024),
    machine,
    code: r.status,
    stderr: r.stderr,
  };
}

function run(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-bench-analyze-'));
  try {
    let snapshot = process.env.BENCH_ANALYZE_SNAPSHOT;
    if (snapshot === undefined) {
      const estate = path.join(dir, 'estate');
      writeEstate(estate, PRESETS.typical);
      snapshot = path.join(dir, 's.json');
      const imported = timed(['import', estate, '-o', snapshot, '-q']);
      if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr.slice(-2000)}`);
    }
    const cores = os.availableParallelism();
    for (const format of FORMATS) {
      const out = path.join(dir, `findings.${format}`);
      const load = Math.round(os.loadavg()[0]! * 100) / 100;
      const r = timed(['analyze', snapshot, '--format', format, '-o', out, '-q']);
      if (r.code !== 0)
        throw new Error(`analyze --format ${format} failed (${r.code}): ${r.stderr.slice(-2000)}`);
      const bytes = fs.statSync(out).size;
      let findings: number | null = null;
      if (format === 'json') findings = (JSON.parse(fs.readFileSync(out, 'utf8')) as { total: number }).total;
      const cpuSeconds = Math.round((r.userSeconds + r.systemSeconds) * 100) / 100;
      const row = {
        preset: 'typical',
        format,
        seconds: r.seconds,
        userSeconds: r.userSeconds,
        cpuSeconds,
        cores,
        floorSeconds: Math.round((cpuSeconds / cores) * 100) / 100,
        idlePercent: r.machine?.idlePercent ?? null,
        stealPercent: r.machine?.stealPercent ?? null,
        load,
        peakMb: r.peakMb,
        outputMb: Math.round(bytes / 1e4) / 100,
        findings,
      };
      process.stdout.write(`${JSON.stringify(row)}\n`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

run();
