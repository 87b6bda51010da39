/**
 * One benchmark run, in its own process (so peak memory is this preset's): generates a seeded
 * synthetic estate page by page and times JSON.parse (the floor), import, policy compilation,
 * all-pairs reachability and the brute-force oracle. Prints one JSON line. With `roundtrip` after the
 * preset it times instead writing the snapshot file and reading it back. Uses the compiled engine
 * in dist/ (run `npm run build` first; `npm run bench` does).
 */
import {
  generateEstatePages,
  mulberry32,
  PRESETS,
  SERVICE_TAGS,
  type PresetName,
} from '../support/synthetic-estate';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { oracleVerdict } from '../oracle/evaluate-flow';
import type { Flow, FlowEnd } from '../../src/policy/flow';
import type { ServiceTags } from '../../src/policy/words/service-tags';

/* eslint-disable @typescript-eslint/no-require-imports */
const { Importer } = require('../../dist/collect/files') as typeof import('../../src/collect/files');
const { compilePolicy } = require('../../dist/policy/engine') as typeof import('../../src/policy/engine');
const { computeReachability } =
  require('../../dist/analyze/reachability') as typeof import('../../src/analyze/reachability');
const { serializeSnapshot } =
  require('../../dist/model/snapshot-codec') as typeof import('../../src/model/snapshot-codec');
const { batchChunks, readSnapshotFile, wholeFileLimit } =
  require('../../dist/collect/io/files') as typeof import('../../src/collect/io/files');
/* eslint-enable @typescript-eslint/no-require-imports */

const preset = process.argv[2] as PresetName;
const oracleFlows = Number(process.env.BENCH_ORACLE_FLOWS ?? 2000);
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

// 1. Input: generate pages (not timed), parse each (the floor), import each. In a function, so the
// importer and the page texts can be collected before the engine runs (as in `aciseg analyze`, which
// starts from the snapshot).
function importEstate() {
  let bytes = 0;
  let parseMs = 0;
  let importMs = 0;
  const importer = new Importer();
  for (const page of generateEstatePages(PRESETS[preset])) {
    const text = JSON.stringify(page.json);
    bytes += text.length;
    let t = process.hrtime.bigint();
    JSON.parse(text);
    parseMs += ms(t);
    t = process.hrtime.bigint();
    importer.addDocument(page.name, text);
    importMs += ms(t);
  }
  const t = process.hrtime.bigint();
  const outcome = importer.finish();
  importMs += ms(t);
  if (!outcome.snapshot) throw new Error(`import failed: ${JSON.stringify(outcome.diagnostics.slice(0, 3))}`);
  return { snapshot: outcome.snapshot, bytes, parseMs, importMs, importPeakMb: maxRssMb() };
}
const { snapshot, bytes, parseMs, importMs, importPeakMb } = importEstate();

// 2. The snapshot seam, in its own process (`measure.ts <preset> roundtrip`, so the figures above and
// below keep their own peak memory): serialize to a file and read it back as `aciseg` does (line by
// line above 256 MiB: the heavy preset).
if (process.argv[3] === 'roundtrip') {
  process.stdout.write(`${JSON.stringify({ preset, ...snapshotRoundTrip() })}\n`);
  process.exit(0);
}
function snapshotRoundTrip() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-bench-')), 'snapshot.json');
  try {
    let t0 = process.hrtime.bigint();
    const fd = fs.openSync(file, 'w');
    for (const piece of batchChunks(serializeSnapshot(snapshot))) fs.writeSync(fd, piece);
    fs.closeSync(fd);
    const snapshotWriteMs = ms(t0);
    const bytes = fs.statSync(file).size;
    t0 = process.hrtime.bigint();
    const back = readSnapshotFile(file);
    const snapshotReadMs = ms(t0);
    const rules = (s: typeof snapshot) =>
      s.networkSecurityGroups.reduce((n, g) => n + g.securityRules.length, 0);
    if (rules(back) !== rules(snapshot) || back.containerGroups.length !== snapshot.containerGroups.length)
      throw new Error('the snapshot did not read back whole');
    return {
      snapshotMb: bytes / 1e6,
      snapshotReadMode: bytes > wholeFileLimit() ? 'lines' : 'whole',
      snapshotWriteMs,
      snapshotReadMs,
      snapshotRoundTripMs: snapshotWriteMs + snapshotReadMs,
    };
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
let t = process.hrtime.bigint();

// 3. Policy compilation (every side table), then all-pairs reachability. With BENCH_SERVICE_TAGS=1 a
// synthetic service tags file resolves the tags the generator uses (as `--service-tags` would).
const serviceTags = process.env.BENCH_SERVICE_TAGS === '1' ? syntheticServiceTags() : undefined;
t = process.hrtime.bigint();
const engine = compilePolicy(snapshot, serviceTags ? { serviceTags } : {});
for (const s of snapshot.subnets) {
  engine.sideTable(s, 'Outbound');
  engine.sideTable(s, 'Inbound');
}
const compileMs = ms(t);
t = process.hrtime.bigint();
const reach = computeReachability(engine);
const reachMs = ms(t);
const peakMb = maxRssMb();

// 4. The brute-force oracle on random flows between container groups (and from the Internet).
const rnd = mulberry32(7);
const groups = snapshot.containerGroups.filter((g) => g.ipAddress?.ip);
const endOf = (g: (typeof groups)[number]): FlowEnd =>
  g.subnetIds.length > 0
    ? { kind: 'subnet', subnetId: g.subnetIds[0]!, ip: g.ipAddress!.ip! }
    : { kind: 'publicContainerGroup', containerGroupId: g.id };
const flows: Flow[] = [];
while (flows.length < oracleFlows) {
  const a = groups[Math.floor(rnd() * groups.length)]!;
  const b = groups[Math.floor(rnd() * groups.length)]!;
  if (a === b) continue;
  const src =
    rnd() < 0.1 ? ({ kind: 'external', ip: `52.${Math.floor(rnd() * 256)}.1.9` } as FlowEnd) : endOf(a);
  flows.push({
    src,
    dst: endOf(b),
    protocol: rnd() < 0.8 ? 'Tcp' : 'Udp',
    srcPort: 50000,
    dstPort: [22, 80, 443, 8080, 5432][Math.floor(rnd() * 5)]!,
  });
}
t = process.hrtime.bigint();
let agree = 0;
// Where the engine gives a definite verdict it must be the oracle's; where it approximated a table
// (see `approximatedTables`) it may say `unknown` for a flow the oracle decides.
let contradictions = 0;
let approximatedUnknowns = 0;
for (const f of flows) {
  const expected = oracleVerdict(snapshot, f, serviceTags ? { serviceTags } : {});
  const actual = engine.evaluateFlow(f);
  if (expected === actual) agree++;
  else if (actual === 'unknown') approximatedUnknowns++;
  else contradictions++;
}
if (contradictions > 0) throw new Error(`${contradictions} engine verdicts contradict the oracle`);
const oraclePlusEngineMs = ms(t);
t = process.hrtime.bigint();
for (const f of flows) engine.evaluateFlow(f);
const engineFlowsMs = ms(t);
const oracleUsPerFlow = ((oraclePlusEngineMs - engineFlowsMs) * 1000) / flows.length;

const stats = reach.stats;
process.stdout.write(
  `${JSON.stringify({
    preset,
    serviceTags: serviceTags !== undefined,
    containerGroups: snapshot.containerGroups.length,
    subnets: snapshot.subnets.length,
    nsgs: snapshot.networkSecurityGroups.length,
    rules: snapshot.networkSecurityGroups.reduce((n, g) => n + g.securityRules.length, 0),
    inputMb: bytes / 1e6,
    parseMs,
    importMs,
    importMbPerS: bytes / 1e6 / (importMs / 1000),
    importPeakMb,
    compileMs,
    reachMs,
    allPairsMs: compileMs + reachMs,
    ratioToParse: (compileMs + reachMs) / parseMs,
    peakMb,
    atoms: stats.atoms,
    endpointClasses: stats.internalClasses,
    externalGroups: stats.externalGroups,
    pairsEvaluated: stats.pairsEvaluated,
    openPairs: stats.openPairs,
    paths: reach.paths.count,
    decisions: stats.distinctDecisions,
    pairResults: engine.pairCount,
    oracleFlows: flows.length,
    oracleAgreement: agree / flows.length,
    oracleContradictions: contradictions,
    approximatedUnknowns,
    approximatedTables: engine.approximatedTables.size,
    oracleUsPerFlow,
  })}\n`,
);

/** Four public /20s per service tag the generator uses, from a fixed seed. */
function syntheticServiceTags(): ServiceTags {
  const r = mulberry32(11);
  const tags = new Map<string, string[]>();
  for (const name of SERVICE_TAGS) {
    tags.set(
      name.toLowerCase(),
      Array.from(
        { length: 4 },
        () =>
          `${[20, 40, 52, 104][Math.floor(r() * 4)]}.${Math.floor(r() * 256)}.${Math.floor(r() * 16) * 16}.0/20`,
      ),
    );
  }
  return { changeNumber: '1', cloud: 'Public', tags };
}
