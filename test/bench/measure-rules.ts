/**
 * Times the rule pack on one snapshot, rule by rule, in pack order (each rule pays for what it is
 * the first to compute, as in `analyze`): wall and CPU milliseconds, findings per severity and the
 * findings' JSON size. Without a snapshot argument it generates the typical synthetic estate.
 *
 *   npx tsx test/bench/measure-rules.ts [snapshot.json | --preset small|typical] [--rules ACI001,ACI002]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { computeReachability } from '../../src/analyze/reachability';
import { ReachabilityView } from '../../src/analyze/results';
import { DEFAULT_RULE_SETTINGS, RULES, runRules, type RuleContext } from '../../src/analyze/rules';
import { importPaths } from '../../src/collect/files';
import { readSnapshotFile } from '../../src/collect/io/files';
import type { Snapshot } from '../../src/model/snapshot';
import { compilePolicy } from '../../src/policy';
import { PRESETS, writeEstate } from '../support/synthetic-estate';

function timed<T>(label: string, run: () => T): T {
  const wall = Date.now();
  const cpu = process.cpuUsage();
  const value = run();
  const used = process.cpuUsage(cpu);
  console.log(
    `${label}: ${Date.now() - wall} ms wall, ${Math.round((used.user + used.system) / 1000)} ms cpu`,
  );
  return value;
}

function generatedEstate(preset: keyof typeof PRESETS): Snapshot {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-rules-bench-'));
  try {
    writeEstate(dir, PRESETS[preset]);
    const outcome = importPaths([dir], dir);
    if (!outcome.snapshot) throw new Error(`the ${preset} estate did not import`);
    return outcome.snapshot;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : null);
const only = option('--rules')?.split(',') ?? null;
const preset = (option('--preset') ?? 'typical') as keyof typeof PRESETS;
const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const snapshot = timed('snapshot', () => (file ? readSnapshotFile(file) : generatedEstate(preset)));
const engine = compilePolicy(snapshot);
const reach = timed('reachability', () => computeReachability(engine));
const view = timed('view', () => new ReachabilityView(engine, reach));
const context: RuleContext = {
  snapshot,
  engine,
  reachability: () => ({ reach, view }),
  intent: null,
  observed: null,
  today: new Date().toISOString().slice(0, 10),
  settings: DEFAULT_RULE_SETTINGS,
};
let findings = 0;
let bytes = 0;
for (const rule of RULES.filter((r) => only === null || only.includes(r.meta.id))) {
  const result = timed(rule.meta.id, () => runRules(context, [rule]));
  const json = JSON.stringify(result.findings).length;
  findings += result.findings.length;
  bytes += json;
  console.log(`  ${result.findings.length} findings ${JSON.stringify(result.counts)}, ${json} bytes of JSON`);
}
console.log(
  `${findings} findings, ${bytes} bytes of JSON; rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`,
);
