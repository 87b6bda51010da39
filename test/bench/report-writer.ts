/**
 * CPU time and peak memory of the report writer's phases on one snapshot (the machine may be shared:
 * CPU time says more than wall time there), the diff of Before and After on its own.
 * `npx tsx test/bench/report-writer.ts snapshot.json [proposed.json | --intent intent.json]`
 * (with --intent, the proposal is the planner's, as `aciseg report --intent` makes it).
 */
import * as fs from 'node:fs';
import { parseIntent } from '../../src/analyze/intent';
import { computeReachability } from '../../src/analyze/reachability';
import { readSnapshotFile } from '../../src/collect/io/files';
import { diffReachability } from '../../src/diff';
import type { Snapshot } from '../../src/model/snapshot';
import { planSegmentation } from '../../src/plan';
import { compilePolicy } from '../../src/policy';
import {
  buildReportData,
  CHANGE_DETAIL,
  DIFF_CELL_PAIR_BUDGET,
  type ReportAnalysis,
} from '../../src/render/report-data';

function phase<T>(name: string, run: () => T): T {
  const cpu = process.cpuUsage();
  const wall = Date.now();
  const out = run();
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `${name}: ${((used.user + used.system) / 1e6).toFixed(1)} s CPU, ${((Date.now() - wall) / 1000).toFixed(1)} s wall, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB\n`,
  );
  return out;
}

const args = process.argv.slice(2);
const intentAt = args.indexOf('--intent');
const intentFile = intentAt >= 0 ? args.splice(intentAt, 2)[1] : undefined;
const [file, proposedFile] = args;
if (!file) throw new Error('usage: report-writer.ts <snapshot.json> [proposed.json | --intent intent.json]');
const engine = phase('compile', () => compilePolicy(readSnapshotFile(file, file)));
const reach = phase('reachability', () => computeReachability(engine));
let proposed: Snapshot | null = null;
if (proposedFile) proposed = readSnapshotFile(proposedFile, proposedFile);
else if (intentFile) {
  const parsed = parseIntent(fs.readFileSync(intentFile, 'utf8'), intentFile, { allowEmpty: true });
  if (!parsed.ok) throw new Error(`bad intent file ${intentFile}`);
  const intent = { file: intentFile, entries: parsed.entries };
  proposed = phase('plan', () =>
    planSegmentation({
      snapshot: engine.index.snapshot,
      engine,
      observed: null,
      intent,
      today: '2026-12-01',
      file,
    }),
  ).proposed;
}
let after: ReportAnalysis | undefined;
if (proposed) {
  const e = phase('compile proposal', () => compilePolicy(proposed));
  after = { engine: e, reach: phase('reachability of the proposal', () => computeReachability(e)) };
  const diff = phase('diff (alone)', () =>
    diffReachability({ engine, reach }, after!, undefined, {
      groupPairs: false,
      maxCellPairs: DIFF_CELL_PAIR_BUDGET,
      // As the report asks: the traffic of CHANGE_DETAIL pairs.
      pairTraffic: (pairs) => Array.from({ length: Math.min(CHANGE_DETAIL, pairs.from.length) }, (_, k) => k),
    }),
  );
  process.stdout.write(
    `diff: ${diff.cells.length} cells, ${diff.changedPairs.from.length} changed endpoint pairs, ${JSON.stringify(diff.counts)}${diff.skipped ? `, skipped at ${diff.skipped.cellPairs} cell pairs` : ''}\n`,
  );
}
const memory = () => `peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`;
process.stdout.write(`before the report data: ${memory()}\n`);
const data = phase('shape report data', () =>
  buildReportData({ snapshot: engine.index.snapshot, before: { engine, reach }, after, title: 'bench' }),
);
process.stdout.write(
  `edges ${data.views.before.edges}; diff skipped: ${data.summary.diffSkipped ?? 'no'}; ${memory()}\n`,
);
