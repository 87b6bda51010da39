/**
 * `npm run bench`: runs each preset in its own process and prints the figures: input size, the
 * JSON.parse floor, import throughput, the snapshot file written and read back (in a second process),
 * policy compilation and all-pairs time, the ratio to the parse floor, peak memory, endpoint classes
 * and pairs, and the brute-force oracle extrapolated to all pairs.
 * The `flows` preset measures flow-log ingestion instead (test/bench/measure-flows.ts), the
 * `analyze` preset the command end to end on the typical estate, per format (test/bench/analyze.ts),
 * and the `plan` preset planning with 100,000 required flows on the typical estate against one
 * analysis of it (test/bench/measure-plan.ts), and the commands `analyze --flows` and `plan --flows`
 * on the same estate and flows, as flow logs, in fresh processes (test/bench/plan-cli.ts).
 * BENCH_PRESETS=small,typical,heavy,flows,analyze,plan chooses presets (default: all six).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const presets = (process.env.BENCH_PRESETS ?? 'small,typical,heavy,flows,analyze,plan')
  .split(',')
  .map((p) => p.trim());
const flowRows: Record<string, number | string>[] = [];
const analyzeRows: Record<string, number | string | null>[] = [];
const planRows: Record<string, unknown>[] = [];
// A 4 GB heap for every preset: about Node's default on a large machine, and the heavy preset's target.
const memory: Record<string, number> = { small: 4096, typical: 4096, heavy: 4096 };
const rows: Record<string, number | string | null>[] = [];
// The engine runs with the V8 flags the aciseg command gives itself (the first line of its script).
const cliFlags = (readFileSync(path.join(__dirname, '../../dist/cli/main.js'), 'utf8').split('\n')[0] ?? '')
  .split(/\s+/)
  .filter((word) => word.startsWith('--'));

/** One `measure.ts` process; its last stdout line is its JSON result. */
function measure(preset: string, ...args: string[]): Record<string, number | string | null> {
  const flags = [`--max-old-space-size=${memory[preset] ?? 4096}`, ...cliFlags];
  return lastJsonLine(benchScript('measure.ts', `${preset} ${args.join(' ')}`, flags, [preset, ...args]));
}

for (const preset of presets) {
  process.stderr.write(`bench: ${preset} …\n`);
  if (preset === 'flows') {
    flowRows.push(measureFlows());
    continue;
  }
  if (preset === 'analyze') {
    analyzeRows.push(...measureAnalyze());
    continue;
  }
  if (preset === 'plan') {
    planRows.push({ ...measurePlan('analysis'), ...measurePlan('plan'), cli: measurePlanCli() });
    continue;
  }
  const row = measure(preset);
  process.stderr.write(`bench: ${preset} snapshot round trip …\n`);
  rows.push({ ...row, ...measure(preset, 'roundtrip') });
}

const f = (v: unknown, digits = 1) => (typeof v === 'number' ? v.toFixed(digits) : String(v));
const lines = [
  '| preset | CGs | NSGs × rules | input MB | parse floor s | import s (MB/s) | snapshot MB: write + read s | compile s | all-pairs s | total ÷ parse | peak MB | classes (+external) | pairs | oracle µs/flow | oracle all-pairs (lower bound) | oracle check (flows: agree / unknown where approximated / contradict) |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const r of rows) {
  const pairs = Number(r.pairsEvaluated);
  const oracleHours = (pairs * 3 * Number(r.oracleUsPerFlow)) / 1e6 / 3600;
  const speedup = (pairs * 3 * Number(r.oracleUsPerFlow)) / 1000 / Number(r.allPairsMs);
  lines.push(
    `| ${r.preset} | ${r.containerGroups} | ${r.nsgs} × ${Math.round(Number(r.rules) / Number(r.nsgs))} | ${f(r.inputMb)} | ${f(Number(r.parseMs) / 1000, 2)} | ${f(Number(r.importMs) / 1000, 2)} (${f(r.importMbPerS, 0)}) | ${f(r.snapshotMb, 1)}: ${f(Number(r.snapshotWriteMs) / 1000, 2)} + ${f(Number(r.snapshotReadMs) / 1000, 2)}${r.snapshotReadMode === 'lines' ? ' (by lines)' : ''} | ${f(Number(r.compileMs) / 1000, 2)} | ${f(Number(r.allPairsMs) / 1000, 2)} | ${f(r.ratioToParse)}× | ${f(r.peakMb, 0)} | ${r.endpointClasses} (+${r.externalGroups}) | ${r.pairsEvaluated} | ${f(r.oracleUsPerFlow)} | ${f(oracleHours, 2)} h = ${f(speedup, 0)}× the engine | ${Math.round(Number(r.oracleAgreement) * Number(r.oracleFlows))} / ${r.approximatedUnknowns} / ${r.oracleContradictions} |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n\n`);
process.stdout.write(
  'Oracle lower bound: one oracle flow per class pair per protocol (tcp, udp, icmp) at a single port; exact answers need every port, so the real oracle cost is far higher.\n\n',
);
for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
if (flowRows.length > 0) printFlowRows();
if (analyzeRows.length > 0) printAnalyzeRows();
if (planRows.length > 0) printPlanRows();

function printAnalyzeRows(): void {
  const al = [
    '| analyze (typical, fresh process) | wall s | user CPU s | user + system s | floor on the cores s | idle % | steal % | load | peak MB | output MB | findings |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of analyzeRows)
    al.push(
      `| --format ${r.format} | ${f(r.seconds, 2)} | ${f(r.userSeconds, 2)} | ${f(r.cpuSeconds, 2)} | ${f(r.floorSeconds, 2)} (${r.cores} cores) | ${r.idlePercent ?? '-'} | ${r.stealPercent ?? '-'} | ${f(r.load, 2)} | ${r.peakMb} | ${f(r.outputMb, 2)} | ${r.findings ?? ''} |`,
    );
  process.stdout.write(`\n${al.join('\n')}\n\n`);
  for (const r of analyzeRows) process.stdout.write(`${JSON.stringify(r)}\n`);
}

/** A script's result: the JSON of its last stdout line. */
function lastJsonLine<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

/** Runs one bench script (TypeScript, through tsx) as its own process; returns its stdout. */
function benchScript(script: string, what: string, nodeFlags: string[] = [], args: string[] = []): string {
  const run = spawnSync(
    process.execPath,
    [...nodeFlags, '-r', require.resolve('tsx/cjs'), path.join(__dirname, script), ...args],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (run.status !== 0) {
    process.stderr.write(run.stderr);
    throw new Error(`bench ${what} failed with status ${run.status}`);
  }
  return run.stdout;
}

/** `analyze` per format, each a fresh `node dist/cli/main.js` process (test/bench/analyze.ts). */
function measureAnalyze(): Record<string, number | string | null>[] {
  return benchScript('analyze.ts', 'analyze')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, number | string | null>);
}

/** One `measure-plan.ts` process (4 GB heap, the CLI's V8 flags); its last stdout line is its JSON. */
function measurePlan(mode: 'analysis' | 'plan'): Record<string, unknown> {
  const out = benchScript(
    'measure-plan.ts',
    `plan ${mode}`,
    ['--max-old-space-size=4096', ...cliFlags],
    [mode],
  );
  return lastJsonLine(out);
}

function printPlanRows(): void {
  const pl = [
    '| plan (typical estate) | required flows (kept / left out) | NSGs | rules before → after | proof | in process: one all-pairs analysis s, CPU s (peak MB) | plan + proof + effect s, CPU s (peak MB) | ÷ all-pairs | command, fresh process: analyze --flows s, user s (peak MB) | plan --flows s, user s (peak MB) | plan ÷ analyze (median pair) | every pair: analyze s / plan s (÷) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of planRows) {
    const a = Number(r.analysisMs) / 1000;
    const p = Number(r.planMs) / 1000;
    const c = r.cli as Record<string, number>;
    pl.push(
      `| typical | ${r.requiredFlows} (${r.kept} / ${r.excluded}) | ${r.nsgs} | ${r.rulesBefore} → ${r.rulesAfter} | ${r.proofOk ? 'ok' : 'FAILED'} | ${f(a, 1)}, ${f(Number(r.analysisCpuMs) / 1000, 1)} (${f(r.analysisPeakMb, 0)}) | ${f(p, 1)}, ${f(Number(r.planCpuMs) / 1000, 1)} (${f(r.planPeakMb, 0)}) | ${f(p / a)}× | ${f(c.analyzeS, 1)}, ${f(c.analyzeUserS, 1)} (${c.analyzePeakMb}) | ${f(c.planS, 1)}, ${f(c.planUserS, 1)} (${c.planPeakMb}) | ${f(Number(c.planS) / Number(c.analyzeS), 2)}× | ${everyPair(r.cli)} |`,
    );
  }
  process.stdout.write(`\n${pl.join('\n')}\n\n`);
  // Where the in-process plan's time goes: each phase from its progress message to the next.
  for (const r of planRows) {
    const ph = ['| plan phase | wall s | CPU s |', '| --- | --- | --- |'];
    for (const [name, wall, cpu] of r.phases as [string, number, number][])
      ph.push(`| ${name} | ${f(wall / 1000, 2)} | ${f(cpu / 1000, 2)} |`);
    process.stdout.write(`${ph.join('\n')}\n\n`);
  }
  for (const r of planRows) process.stdout.write(`${JSON.stringify(r)}\n`);
}

/** Each interleaved pair of the command comparison: `analyze s / plan s (ratio×)`. */
function everyPair(cli: unknown): string {
  const { pairs, pairRatios } = cli as { pairs: [number, number][]; pairRatios: number[] };
  return pairs.map(([a, p], i) => `${f(a, 1)} / ${f(p, 1)} (${f(pairRatios[i]!, 2)}×)`).join(', ');
}

/** `analyze --flows` and `plan --flows` as fresh command processes (test/bench/plan-cli.ts). */
function measurePlanCli(): Record<string, number> {
  return lastJsonLine(benchScript('plan-cli.ts', 'plan (command)'));
}

function printFlowRows(): void {
  const fl = [
    '| flow logs | blobs | gzip MB | JSON MB | tuples | distinct flows | gunzip floor s | read s (wall) | tuples/s (wall) | read CPU s | tuples per CPU s | read ÷ gunzip | peak MB (read / + walk and group) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of flowRows) {
    fl.push(
      `| ${r.preset} | ${r.blobs} | ${f(r.gzMb, 0)} | ${f(r.jsonMb, 0)} | ${r.tuples} | ${r.distinctFlows} | ${f(r.gunzipFloorS, 2)} | ${f(r.readS, 2)} | ${f(r.tuplesPerS, 0)} | ${f(r.readCpuS, 2)} | ${f(r.tuplesPerCpuS, 0)} | ${f(r.ratioToGunzip)}× | ${f(r.readPeakMb, 0)} / ${f(r.peakMb, 0)} |`,
    );
  }
  process.stdout.write(`\n${fl.join('\n')}\n\n`);
  for (const r of flowRows) process.stdout.write(`${JSON.stringify(r)}\n`);
}

/** Flow-log ingestion in its own process with a 1 GB heap (the target's ceiling). */
function measureFlows(): Record<string, number | string> {
  return lastJsonLine(benchScript('measure-flows.ts', 'flows', ['--max-old-space-size=1024']));
}
