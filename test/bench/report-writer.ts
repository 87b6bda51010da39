/**
 * CPU time and peak memory of the report writer's phases on one snapshot (the machine may be shared:
 * CPU time says more than wall time there). `npx tsx test/bench/report-writer.ts snapshot.json [proposed.json]`.
 */
import { computeReachability } from '../../src/analyze/reachability';
import { readSnapshotFile } from '../../src/collect/io/files';
import { compilePolicy } from '../../src/policy';
import { buildReportData, type ReportAnalysis } from '../../src/render/report-data';

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

const [file, proposedFile] = process.argv.slice(2);
if (!file) throw new Error('usage: report-writer.ts <snapshot.json> [proposed.json]');
const engine = phase('compile', () => compilePolicy(readSnapshotFile(file, file)));
const reach = phase('reachability', () => computeReachability(engine));
let after: ReportAnalysis | undefined;
if (proposedFile) {
  const e = phase('compile proposal', () => compilePolicy(readSnapshotFile(proposedFile, proposedFile)));
  after = { engine: e, reach: phase('reachability of the proposal', () => computeReachability(e)) };
}
const data = phase('shape report data', () =>
  buildReportData({ snapshot: engine.index.snapshot, before: { engine, reach }, after, title: 'bench' }),
);
process.stdout.write(`edges ${data.views.before.edges}; diff skipped: ${data.summary.diffSkipped ?? 'no'}\n`);
