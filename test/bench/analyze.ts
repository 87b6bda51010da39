/**
 * `analyze` end to end, as a user runs it: the typical synthetic estate is generated, imported by the
 * built command (`node dist/cli/main.js import`), then `node dist/cli/main.js analyze s.json --format X
 * -o out` runs as a fresh process per format under /usr/bin/time: wall time, user CPU time, peak RSS
 * and output size, and the 1-minute load average before the run. Targets: ≤ 10 s and ≤ 2 GB per format, findings JSON ≤ 50 MB. Prints one JSON line per format.
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
  peakMb: number;
  code: number | null;
  stderr: string;
}

function timed(args: string[]): Timed {
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', 'BENCH %e s %U u %M KB', process.execPath, ...cliFlags, main, ...args],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  const m = /BENCH ([\d.]+) s ([\d.]+) u (\d+) KB/.exec(r.stderr);
  if (m === null) throw new Error(`no timing for ${args.join(' ')}: ${r.stderr.slice(-2000)}`);
  return {
    seconds: Number(m[1]),
    userSeconds: Number(m[2]),
    peakMb: Math.round(Number(m[3]) / 1024),
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
    for (const format of FORMATS) {
      const out = path.join(dir, `findings.${format}`);
      const load = Math.round(os.loadavg()[0]! * 100) / 100;
      const r = timed(['analyze', snapshot, '--format', format, '-o', out, '-q']);
      if (r.code !== 0)
        throw new Error(`analyze --format ${format} failed (${r.code}): ${r.stderr.slice(-2000)}`);
      const bytes = fs.statSync(out).size;
      let findings: number | null = null;
      if (format === 'json') findings = (JSON.parse(fs.readFileSync(out, 'utf8')) as { total: number }).total;
      process.stdout.write(
        `${JSON.stringify({ preset: 'typical', format, seconds: r.seconds, userSeconds: r.userSeconds, load, peakMb: r.peakMb, outputMb: Math.round(bytes / 1e4) / 100, findings })}\n`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

run();
