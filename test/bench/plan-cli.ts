/**
 * `analyze --flows` and `plan --flows` as a user runs them, each a fresh `dist/cli/main.js` process
 * under /usr/bin/time: the typical synthetic estate is written as a snapshot file, the `plan`
 * preset's required flows (plan-flows.ts) as VNet flow logs (flowLogVersion 4, the blob layout;
 * test/support/write-sample-flow-logs.ts writes them), all under a temp dir; then
 * `aciseg analyze <snapshot> --flows <dir> --format json -o …` and
 * `aciseg plan <snapshot> --flows <dir> --format json -o …` (not bicep: see below), in
 * BENCH_PLAN_PAIRS (default 3) interleaved pairs: this machine's wall times vary by ±10% from one
 * run to the next, so one pair's ratio says little. Prints one JSON line: the pair with the median
 * ratio (wall, user CPU and peak RSS of each command, the load average before each), the median
 * plan ÷ analyze, and every pair's ratio. Uses dist/.
 * BENCH_PLAN_DIR=<dir> keeps the snapshot, flow logs and outputs there.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateEstatePages, PRESETS } from '../support/synthetic-estate';
import { writeFlowLogBlobs, type Nic } from '../support/write-sample-flow-logs';
import { requiredPicks } from './plan-flows';

/* eslint-disable @typescript-eslint/no-require-imports */
const { Importer } = require('../../dist/collect/files') as typeof import('../../src/collect/files');
const { snapshotToString } =
  require('../../dist/model/snapshot-codec') as typeof import('../../src/model/snapshot-codec');
/* eslint-enable @typescript-eslint/no-require-imports */

const FLOWS = Number(process.env.BENCH_PLAN_FLOWS ?? 100_000);
const PAIRS = Math.max(1, Number(process.env.BENCH_PLAN_PAIRS ?? 3));
const root = path.join(__dirname, '..', '..');
const main = path.join(root, 'dist', 'cli', 'main.js');

interface Timed {
  seconds: number;
  userSeconds: number;
  peakMb: number;
  load: number;
}

/** One fresh `aciseg …` process as the installed command runs (its shebang's V8 flags). */
function timed(args: string[], output: string): Timed {
  const load = Math.round(os.loadavg()[0]! * 100) / 100;
  const r = spawnSync('/usr/bin/time', ['-f', 'BENCH %e s %U u %M KB', main, ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const m = /BENCH ([\d.]+) s ([\d.]+) u (\d+) KB/.exec(r.stderr);
  // Exit 1 is findings (analyze): a result. Anything else, or no output, is a failed run.
  if (m === null || (r.status !== 0 && r.status !== 1) || !fs.existsSync(output))
    throw new Error(`aciseg ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return { seconds: Number(m[1]), userSeconds: Number(m[2]), peakMb: Math.round(Number(m[3]) / 1024), load };
}

function run(): void {
  // BENCH_PLAN_DIR=<dir> writes the files there and keeps them (to profile the commands on them).
  const keep = process.env.BENCH_PLAN_DIR;
  if (keep !== undefined) fs.mkdirSync(keep, { recursive: true });
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-bench-plan-'));
  try {
    const importer = new Importer();
    for (const page of generateEstatePages(PRESETS.typical))
      importer.addDocument(page.name, JSON.stringify(page.json));
    const snapshot = importer.finish().snapshot;
    if (!snapshot) throw new Error('import failed');
    const snapshotFile = path.join(dir, 's.json');
    fs.writeFileSync(snapshotFile, snapshotToString(snapshot));
    // One NIC per destination VNet, one connection per required flow in one ten-minute record.
    const picks = requiredPicks(snapshot, FLOWS);
    const vnetOf = new Map(
      snapshot.containerGroups.map((g) => [
        g.ipAddress?.ip ?? '',
        g.subnetIds[0]?.split('/subnets/')[0] ?? '',
      ]),
    );
    const nics = new Map<string, Nic>();
    for (const p of picks) {
      const vnet = vnetOf.get(p.destination)!;
      let nic = nics.get(vnet);
      if (nic === undefined) {
        const mac = `0022480B${nics.size.toString(16).toUpperCase().padStart(4, '0')}`;
        nics.set(vnet, (nic = { name: vnet, mac, patterns: [] }));
      }
      nic.patterns.push({
        acl: '6b1f2c3d-0a1b-4c2d-9e3f-1a2b3c4d5eb0',
        rule: 'UserRule_AllowApp',
        src: [p.source],
        dst: p.destination,
        port: p.port,
        proto: 6,
        dir: 'I',
        per10min: 1,
      });
    }
    const logs = path.join(dir, 'flow-logs');
    writeFlowLogBlobs(logs, [...nics.values()], [10], [0], 20261201);
    const findings = path.join(dir, 'findings.json');
    // JSON, not Bicep: the estate's NSGs are in 20 resource groups, so Bicep is a directory
    // (main.bicep and 20 modules); the JSON holds the same plan, proof and effect, as one file.
    const planned = path.join(dir, 'plan.json');
    const pairs: { analyze: Timed; plan: Timed; ratio: number }[] = [];
    for (let i = 0; i < PAIRS; i++) {
      for (const out of [findings, planned]) fs.rmSync(out, { force: true });
      const analyze = timed(
        ['analyze', snapshotFile, '--flows', logs, '--format', 'json', '-o', findings, '-q'],
        findings,
      );
      const plan = timed(
        ['plan', snapshotFile, '--flows', logs, '--format', 'json', '-o', planned, '-q'],
        planned,
      );
      pairs.push({ analyze, plan, ratio: plan.seconds / analyze.seconds });
    }
    const { analyze, plan } = [...pairs].sort((a, b) => a.ratio - b.ratio)[Math.floor((PAIRS - 1) / 2)]!;
    process.stdout.write(
      `${JSON.stringify({
        requiredFlows: picks.length,
        analyzeS: analyze.seconds,
        analyzeUserS: analyze.userSeconds,
        analyzePeakMb: analyze.peakMb,
        analyzeLoad: analyze.load,
        planS: plan.seconds,
        planUserS: plan.userSeconds,
        planPeakMb: plan.peakMb,
        planLoad: plan.load,
        planToAnalyze: Math.round((plan.seconds / analyze.seconds) * 100) / 100,
        planToAnalyzeUser: Math.round((plan.userSeconds / analyze.userSeconds) * 100) / 100,
        pairRatios: pairs.map((p) => Math.round(p.ratio * 100) / 100),
        pairs: pairs.map((p) => [p.analyze.seconds, p.plan.seconds]),
        kept: (JSON.parse(fs.readFileSync(planned, 'utf8')) as { required: unknown[] }).required.length,
      })}\n`,
    );
  } finally {
    if (keep === undefined) fs.rmSync(dir, { recursive: true, force: true });
  }
}

run();
