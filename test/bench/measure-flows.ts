/**
 * Flow-log ingestion benchmark, in its own process: a child process generates a seeded set of
 * gzip'd PT1H.json blobs in the storage layout (VNet flow logs version 4 and NSG flow logs version 2)
 * into a temporary directory (not timed, not committed, deleted afterwards); this process then
 * times the gunzip floor (zlib alone) and `readFlowLogs` over the whole set, and reports peak
 * memory (which must stay under 1 GB: the run fails otherwise). Prints one JSON line.
 * BENCH_FLOW_MB sets the decompressed size (default 2048); BENCH_FLOW_DIR keeps the generated set
 * there (generated when the directory is empty) for repeated runs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { mulberry32 } from '../support/synthetic-estate';

/* eslint-disable @typescript-eslint/no-require-imports */
const { readFlowLogs, groupObservedFlows } =
  require('../../dist/collect/flows') as typeof import('../../src/collect/flows');
/* eslint-enable @typescript-eslint/no-require-imports */

const TUPLES_PER_RECORD = 4000;
const RECORDS_PER_BLOB = 60; // one a minute

/**
 * Writes blobs until `targetBytes` of JSON are written. Tuples come from a fixed population of
 * conversations (as in a real estate, where the same flows repeat all day) plus a tail of denied
 * scans from a large pool of Internet sources, so distinct flows are a few hundred thousand.
 */
function generate(dir: string, targetBytes: number): { tuples: number; jsonBytes: number; blobs: number } {
  const rnd = mulberry32(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const ip = (a: number) =>
    `${a}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${1 + Math.floor(rnd() * 254)}`;
  const internal = Array.from(
    { length: 2000 },
    (_, i) => `10.${(i >> 6) & 255}.${(i & 63) * 4}.${4 + (i % 100)}`,
  );
  const services = Array.from({ length: 5000 }, () => ip(pick([20, 40, 52, 104, 13])));
  const scanners = Array.from({ length: 100000 }, () => ip(pick([45, 89, 185, 193, 194])));
  const ports = [443, 443, 443, 80, 22, 5432, 6379, 8080, 53, 1433, 3389, 9000];
  // A conversation: [source, destination, destination port, inbound?] as the text pieces of a tuple.
  interface Conversation {
    head: string;
    dport: number;
    inbound: boolean;
  }
  const conversations: Conversation[] = [];
  for (let i = 0; i < 200000; i++) {
    const me = pick(internal);
    const kind = rnd();
    const other = kind < 0.6 ? pick(internal) : pick(services);
    const inbound = kind < 0.3 || kind > 0.9;
    conversations.push({ head: inbound ? `${other},${me}` : `${me},${other}`, dport: pick(ports), inbound });
  }
  const counts = Array.from(
    { length: 512 },
    () =>
      `${1 + Math.floor(rnd() * 40)},${Math.floor(rnd() * 90000)},${Math.floor(rnd() * 40)},${Math.floor(rnd() * 900000)}`,
  );
  let jsonBytes = 0;
  let tuples = 0;
  let blobs = 0;
  const start = Date.UTC(2026, 10, 30, 10, 0, 0);
  const sub = '00000000-0000-0000-0000-00000000AC15';
  while (jsonBytes < targetBytes) {
    const n = blobs++;
    const vnet = n % 4 !== 3;
    const mac = (0x00224800000 + n).toString(16).toUpperCase().padStart(12, '0');
    const hour = 10 + (n % 12);
    const when = `y=2026/m=11/d=30/h=${String(hour).padStart(2, '0')}/m=00/macAddress=${mac}/PT1H.json`;
    const blobPath = vnet
      ? `flowLogResourceID=/${sub}_NETWORKWATCHERRG/NETWORKWATCHER_WESTEUROPE_VNET-${n % 50}-FLOWLOG/${when}`
      : `resourceId=/SUBSCRIPTIONS/${sub}/RESOURCEGROUPS/RG-${n % 50}/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/NSG-${n % 50}/${when}`;
    const offset = (n * 1811) % (conversations.length - 4000);
    const mine = conversations.slice(offset, offset + 4000);
    const parts: string[] = ['{"records":['];
    for (let r = 0; r < RECORDS_PER_BLOB; r++) {
      const minute = start + (hour - 10) * 3600_000 + r * 60_000;
      const time = new Date(minute).toISOString().replace('Z', '0000Z');
      const lines: string[] = [];
      for (let t = 0; t < TUPLES_PER_RECORD; t++) {
        const ts = minute + Math.floor(rnd() * 60_000);
        const sport = 1024 + Math.floor(rnd() * 64000);
        const scan = rnd() < 0.01;
        const c = scan ? null : mine[Math.floor(rnd() * rnd() * mine.length)]!; // skewed: some flows are busy
        const head = c ? c.head : `${pick(scanners)},${pick(internal)}`;
        const dport = c ? c.dport : 1 + Math.floor(rnd() * 1024);
        const inbound = c ? c.inbound : true;
        const deny = scan || rnd() < 0.05;
        const state = deny ? 'D' : rnd() < 0.4 ? 'B' : rnd() < 0.5 ? 'C' : 'E';
        const udp = dport === 53;
        const dir = inbound ? 'I' : 'O';
        lines.push(
          vnet
            ? `"${ts},${head},${sport},${dport},${udp ? 17 : 6},${dir},${state},NX,${state === 'B' || deny ? '0,0,0,0' : pick(counts)}"`
            : `"${Math.floor(ts / 1000)},${head},${sport},${dport},${udp ? 'U' : 'T'},${dir},${deny ? 'D' : 'A'},${deny ? 'B' : state},${state === 'B' || deny ? ',,,' : pick(counts)}"`,
        );
      }
      tuples += TUPLES_PER_RECORD;
      const half = TUPLES_PER_RECORD / 2;
      const first = lines.slice(0, half).join(',');
      const second = lines.slice(half).join(',');
      const record = vnet
        ? `{"time":"${time}","flowLogVersion":4,"flowLogGUID":"6a2f0e1c-0000-4000-8000-${mac}","macAddress":"${mac}","category":"FlowLogFlowEvent","flowLogResourceID":"/SUBSCRIPTIONS/${sub}/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NETWORKWATCHER_WESTEUROPE/FLOWLOGS/VNET-${n % 50}-FLOWLOG","targetResourceID":"/subscriptions/${sub}/resourceGroups/rg-${n % 50}/providers/Microsoft.Network/virtualNetworks/vnet-${n % 50}","operationName":"FlowLogFlowEvent","flowRecords":{"flows":[{"aclID":"00000000-1234-abcd-ef00-${mac}","flowGroups":[{"rule":"UserRule_allow-app","flowTuples":[${first}]},{"rule":"DefaultRule_DenyAllInBound","flowTuples":[${second}]}]}]}}`
        : `{"time":"${time}","systemId":"b54f041a-a9ad-4dc1-b847-${mac}","macAddress":"${mac}","category":"NetworkSecurityGroupFlowEvent","resourceId":"/SUBSCRIPTIONS/${sub}/RESOURCEGROUPS/RG-${n % 50}/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/NSG-${n % 50}","operationName":"NetworkSecurityGroupFlowEvents","properties":{"Version":2,"flows":[{"rule":"UserRule_allow-app","flows":[{"mac":"${mac}","flowTuples":[${first}]}]},{"rule":"DefaultRule_DenyAllInBound","flows":[{"mac":"${mac}","flowTuples":[${second}]}]}]}}`;
      parts.push(r === 0 ? record : `\r\n,${record}`);
    }
    parts.push(']}');
    const json = Buffer.from(parts.join(''), 'latin1');
    jsonBytes += json.length;
    const file = path.join(dir, blobPath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, zlib.gzipSync(json, { level: 1 }));
  }
  return { tuples, jsonBytes, blobs };
}

async function gunzipFloor(files: string[]): Promise<number> {
  let bytes = 0;
  for (const f of files) {
    await pipeline(
      fs.createReadStream(f, { highWaterMark: 1 << 20 }),
      zlib.createGunzip({ chunkSize: 1 << 18 }),
      async (chunks: AsyncIterable<Buffer>) => {
        for await (const c of chunks) bytes += c.length;
      },
    );
  }
  return bytes;
}

function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile() && e.name === 'PT1H.json')
    .map((e) => path.join(e.parentPath, e.name));
}

async function main(): Promise<void> {
  if (process.argv[2] === 'generate') {
    process.stdout.write(`${JSON.stringify(generate(process.argv[3]!, Number(process.argv[4])))}\n`);
    return;
  }
  const targetMb = Number(process.env.BENCH_FLOW_MB ?? 2048);
  const kept = process.env.BENCH_FLOW_DIR;
  const dir = kept ?? fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-flows-'));
  try {
    let t = process.hrtime.bigint();
    const summary = path.join(dir, 'generated.txt');
    if (!fs.existsSync(summary)) {
      const gen = spawnSync(
        process.execPath,
        ['-r', require.resolve('tsx/cjs'), __filename, 'generate', dir, String(targetMb * 1e6)],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      if (gen.status !== 0) throw new Error(`generation failed: ${gen.stderr}`);
      fs.writeFileSync(summary, gen.stdout.trim());
    }
    const generated = JSON.parse(fs.readFileSync(summary, 'utf8')) as {
      tuples: number;
      jsonBytes: number;
      blobs: number;
    };
    const generateS = Number(process.hrtime.bigint() - t) / 1e9;
    const files = listFiles(dir);
    const gzBytes = files.reduce((s, f) => s + fs.statSync(f).size, 0);
    t = process.hrtime.bigint();
    let cpu = process.cpuUsage();
    const result = await readFlowLogs([dir]);
    const readS = Number(process.hrtime.bigint() - t) / 1e9;
    const readCpu = process.cpuUsage(cpu);
    const readCpuS = (readCpu.user + readCpu.system) / 1e6;
    const readPeakMb = process.resourceUsage().maxRSS / 1024;
    if (readPeakMb > 1024) throw new Error(`peak memory ${readPeakMb.toFixed(0)} MB is over the 1 GB target`);
    // What the commands will do next: walk the flows once (made one at a time) and group them.
    t = process.hrtime.bigint();
    let walked = 0;
    for (const flow of result.flows) walked += flow.tuples;
    // Endpoint groups as subnets: a /16 per 10.x network (64 of the estate's 2,000 addresses each),
    // the rest one Internet group.
    const groups = groupObservedFlows(result.flows, (a) =>
      a.startsWith('10.') ? a.split('.').slice(0, 2).join('.') : 'Internet',
    );
    const flowsS = Number(process.hrtime.bigint() - t) / 1e9;
    if (walked !== result.stats.totals.aggregated)
      throw new Error(`flows hold ${walked} tuples, not ${result.stats.totals.aggregated}`);
    const peakMb = process.resourceUsage().maxRSS / 1024;
    if (
      result.stats.totals.tuples !== generated.tuples ||
      result.stats.totals.aggregated !== generated.tuples
    ) {
      throw new Error(`read ${result.stats.totals.tuples} tuples, generated ${generated.tuples}`);
    }
    if (result.diagnostics.length > 0)
      throw new Error(`diagnostics: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
    t = process.hrtime.bigint();
    cpu = process.cpuUsage();
    await gunzipFloor(files);
    const gunzipS = Number(process.hrtime.bigint() - t) / 1e9;
    const gunzipCpu = process.cpuUsage(cpu);
    const gunzipCpuS = (gunzipCpu.user + gunzipCpu.system) / 1e6;
    process.stdout.write(
      `${JSON.stringify({
        preset: 'flows',
        blobs: generated.blobs,
        gzMb: gzBytes / 1e6,
        jsonMb: generated.jsonBytes / 1e6,
        tuples: generated.tuples,
        distinctFlows: result.stats.totals.distinctFlows,
        groupedFlows: groups.length,
        walkAndGroupS: flowsS,
        generateS,
        gunzipFloorS: gunzipS,
        readS,
        readCpuS,
        gunzipFloorCpuS: gunzipCpuS,
        tuplesPerS: generated.tuples / readS,
        tuplesPerCpuS: generated.tuples / readCpuS,
        jsonMbPerS: generated.jsonBytes / 1e6 / readS,
        ratioToGunzip: readS / gunzipS,
        readPeakMb,
        peakMb,
      })}\n`,
    );
  } finally {
    if (kept === undefined) fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
