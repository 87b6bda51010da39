/**
 * The `plan` preset of `npm run bench`, in its own process: the typical synthetic estate (20,000
 * container groups) with 100,000 generated required flows (observed, between container groups, on
 * their declared ports or a seeded port), planned and proven; against one all-pairs analysis of the
 * same estate in the same process. Prints one JSON line. Uses dist/ (`npm run bench` builds it).
 */
import { generateEstatePages, PRESETS } from '../support/synthetic-estate';
import { requiredPicks } from './plan-flows';
import type { ObservedFlowInput } from '../../src/analyze/rules';

/* eslint-disable @typescript-eslint/no-require-imports */
const { Importer } = require('../../dist/collect/files') as typeof import('../../src/collect/files');
const { compilePolicy } = require('../../dist/policy') as typeof import('../../src/policy');
const { computeReachability } =
  require('../../dist/analyze/reachability') as typeof import('../../src/analyze/reachability');
const { planSegmentation } = require('../../dist/plan') as typeof import('../../src/plan');
/* eslint-enable @typescript-eslint/no-require-imports */

const FLOWS = Number(process.env.BENCH_PLAN_FLOWS ?? 100_000);
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

function importEstate() {
  const importer = new Importer();
  for (const page of generateEstatePages(PRESETS.typical))
    importer.addDocument(page.name, JSON.stringify(page.json));
  const outcome = importer.finish();
  if (!outcome.snapshot) throw new Error('import failed');
  return outcome.snapshot;
}
const snapshot = importEstate();

/** The required flows as observed flows (plan-flows.ts chooses them). */
function requiredFlows(): ObservedFlowInput[] {
  return requiredPicks(snapshot, FLOWS).map((p) => ({
    source: p.source,
    destination: p.destination,
    protocol: 'Tcp',
    destinationPort: p.port,
    direction: 'Inbound',
    decision: 'allow',
    tuples: p.tuples,
    flowsStarted: 1,
    firstSeen: '2026-11-30T00:00:00.000Z',
    lastSeen: '2026-11-30T23:59:59.000Z',
  }));
}
const flows = requiredFlows();

const mode = process.argv[2] ?? 'plan';
if (mode === 'analysis') {
  const t = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const engine = compilePolicy(snapshot);
  const reach = computeReachability(engine);
  const cpu = process.cpuUsage(cpuStart);
  process.stdout.write(
    `${JSON.stringify({ analysisMs: ms(t), analysisCpuMs: Math.round((cpu.user + cpu.system) / 1000), analysisPeakMb: maxRssMb(), classes: reach.classes.length })}\n`,
  );
} else {
  const t = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const engine = compilePolicy(snapshot);
  // Each progress message starts a phase: a phase's time runs from its message to the next one.
  // Per phase: [name, wall ms, CPU ms (user + system, this process)].
  const phases: [string, number, number][] = [];
  let phase = 'compiling the snapshot, scope';
  let last = t;
  let lastCpu = cpuStart;
  const endPhase = () => {
    const cpu = process.cpuUsage(lastCpu);
    phases.push([phase, Math.round(ms(last)), Math.round((cpu.user + cpu.system) / 1000)]);
    last = process.hrtime.bigint();
    lastCpu = process.cpuUsage();
  };
  const result = planSegmentation({
    snapshot,
    engine,
    observed: {
      flows,
      window: { first: null, last: null, since: null, until: null, files: 0, tuples: flows.length },
    },
    intent: null,
    today: '2026-12-01',
    progress: (m) => {
      endPhase();
      phase = m;
    },
  });
  endPhase();
  const planMs = ms(t);
  const planCpu = process.cpuUsage(cpuStart);
  process.stdout.write(
    `${JSON.stringify({
      requiredFlows: flows.length,
      kept: result.required.length,
      excluded: result.excluded?.length ?? 0,
      nsgs: result.nsgs.length,
      rulesAfter: result.nsgs.reduce((n, x) => n + x.rules.length, 0),
      rulesBefore: result.effect.rules.reduce((n, x) => n + x.before, 0),
      proofOk: result.proof.ok,
      proofChecked: [
        result.proof.required.checked,
        result.proof.noWidening.checked,
        result.proof.forbidden.checked,
      ],
      closedFlowSpace: result.effect.closedFlowSpace,
      planMs,
      planCpuMs: Math.round((planCpu.user + planCpu.system) / 1000),
      planPeakMb: maxRssMb(),
      phases,
    })}\n`,
  );
}
