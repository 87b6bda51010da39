/**
 * Writes the hub-and-spoke sample's VNet flow logs (samples/hub-spoke-flow-logs/): two hours of
 * traffic on 2026-11-30 for the four private container groups' NICs, in the blob layout Azure writes
 * (the VNet flow-log blob path). Deterministic (seeded), so rerunning gives the same files:
 *   npx tsx test/support/write-sample-flow-logs.ts
 *
 * What the logs show: the application gateway calling the web tier on 443 and 80, web → api on 8443,
 * api callbacks to the worker on 8080, payments → the data subnet on 1433, HTTPS egress and DNS;
 * denied: SSH attempts from the api subnet to the web tier and to the data subnet (DenySshOutbound).
 * Nothing arrives from the Internet on 22: the plan may close it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const SUB = '00000000-0000-0000-0000-0000000000A1';
const FLOW_LOG = `/SUBSCRIPTIONS/${SUB}/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NETWORKWATCHER_WESTEUROPE/FLOWLOGS/VNET-APP-RG-APP-FLOWLOG`;
const TARGET = `/subscriptions/${SUB.toLowerCase()}/resourceGroups/rg-app/providers/Microsoft.Network/virtualNetworks/vnet-app`;
/** The aclID of each NSG, as VNet flow logs name them (a GUID per NSG). */
const ACL = { web: '6b1f2c3d-0a1b-4c2d-9e3f-1a2b3c4d5e01', api: '6b1f2c3d-0a1b-4c2d-9e3f-1a2b3c4d5e02' };

/** One connection pattern seen on a NIC: `per10min` connections every ten minutes. */
export interface Pattern {
  acl: string;
  rule: string;
  src: string[];
  dst: string;
  port: number;
  proto: 6 | 17;
  dir: 'I' | 'O';
  denied?: boolean;
  per10min: number;
}

export interface Nic {
  name: string;
  mac: string;
  patterns: Pattern[];
}

const DNS = (acl: string, ip: string): Pattern => ({
  acl,
  rule: 'DefaultRule_AllowVnetOutBound',
  src: [ip],
  dst: '168.63.129.16',
  port: 53,
  proto: 17,
  dir: 'O',
  per10min: 6,
});

const NICS: Nic[] = [
  {
    name: 'web-frontend',
    mac: '00224800A104',
    patterns: [
      {
        acl: ACL.web,
        rule: 'UserRule_AllowAppGatewayToWeb',
        src: ['10.100.1.10', '10.100.1.11'],
        dst: '10.1.1.4',
        port: 443,
        proto: 6,
        dir: 'I',
        per10min: 12,
      },
      {
        acl: ACL.web,
        rule: 'UserRule_AllowAppGatewayToWeb',
        src: ['10.100.1.10', '10.100.1.11'],
        dst: '10.1.1.4',
        port: 80,
        proto: 6,
        dir: 'I',
        per10min: 2,
      },
      {
        acl: ACL.web,
        rule: 'DefaultRule_AllowVnetOutBound',
        src: ['10.1.1.4'],
        dst: '10.1.2.4',
        port: 8443,
        proto: 6,
        dir: 'O',
        per10min: 8,
      },
      {
        acl: ACL.web,
        rule: 'DefaultRule_AllowVnetOutBound',
        src: ['10.1.1.4'],
        dst: '10.1.2.5',
        port: 8443,
        proto: 6,
        dir: 'O',
        per10min: 3,
      },
      {
        acl: ACL.web,
        rule: 'UserRule_AllowHttpsOut',
        src: ['10.1.1.4'],
        dst: '20.38.101.25',
        port: 443,
        proto: 6,
        dir: 'O',
        per10min: 2,
      },
      DNS(ACL.web, '10.1.1.4'),
    ],
  },
  {
    name: 'web-worker',
    mac: '00224800A105',
    patterns: [
      {
        acl: ACL.web,
        rule: 'UserRule_AllowApiCallbacks',
        src: ['10.1.2.4'],
        dst: '10.1.1.5',
        port: 8080,
        proto: 6,
        dir: 'I',
        per10min: 4,
      },
      {
        acl: ACL.web,
        rule: 'UserRule_AllowHttpsOut',
        src: ['10.1.1.5'],
        dst: '52.239.140.10',
        port: 443,
        proto: 6,
        dir: 'O',
        per10min: 3,
      },
      DNS(ACL.web, '10.1.1.5'),
    ],
  },
  {
    name: 'api-orders',
    mac: '00224800A204',
    patterns: [
      {
        acl: ACL.api,
        rule: 'UserRule_AllowWebToApi',
        src: ['10.1.1.4'],
        dst: '10.1.2.4',
        port: 8443,
        proto: 6,
        dir: 'I',
        per10min: 8,
      },
      {
        acl: ACL.api,
        rule: 'DefaultRule_AllowVnetOutBound',
        src: ['10.1.2.4'],
        dst: '10.1.1.5',
        port: 8080,
        proto: 6,
        dir: 'O',
        per10min: 4,
      },
      {
        acl: ACL.api,
        rule: 'UserRule_DenySshOutbound',
        src: ['10.1.2.4'],
        dst: '10.1.1.4',
        port: 22,
        proto: 6,
        dir: 'O',
        denied: true,
        per10min: 1,
      },
      DNS(ACL.api, '10.1.2.4'),
    ],
  },
  {
    name: 'api-payments',
    mac: '00224800A205',
    patterns: [
      {
        acl: ACL.api,
        rule: 'UserRule_AllowWebToApi',
        src: ['10.1.1.4'],
        dst: '10.1.2.5',
        port: 8443,
        proto: 6,
        dir: 'I',
        per10min: 3,
      },
      {
        acl: ACL.api,
        rule: 'UserRule_AllowSqlToData',
        src: ['10.1.2.5'],
        dst: '10.1.3.4',
        port: 1433,
        proto: 6,
        dir: 'O',
        per10min: 2,
      },
      {
        acl: ACL.api,
        rule: 'UserRule_DenySshOutbound',
        src: ['10.1.2.5'],
        dst: '10.1.3.4',
        port: 22,
        proto: 6,
        dir: 'O',
        denied: true,
        per10min: 1,
      },
      DNS(ACL.api, '10.1.2.5'),
    ],
  },
];

/** A small seeded generator (mulberry32), so the files are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function record(nic: Nic, minute: Date, next: () => number): Record<string, unknown> {
  const byAcl = new Map<string, Map<string, string[]>>();
  for (const p of nic.patterns) {
    const rules = byAcl.get(p.acl) ?? new Map<string, string[]>();
    byAcl.set(p.acl, rules);
    const tuples = rules.get(p.rule) ?? [];
    rules.set(p.rule, tuples);
    for (let k = 0; k < p.per10min; k++) {
      const start = minute.getTime() + Math.floor(next() * 540_000);
      const src = p.src[Math.floor(next() * p.src.length)]!;
      const srcPort = 30000 + Math.floor(next() * 30000);
      const head = `${src},${p.dst},${srcPort},${p.port},${p.proto},${p.dir}`;
      if (p.denied) {
        tuples.push(`${start},${head},D,NX,0,0,0,0`);
        continue;
      }
      const end = start + 50 + Math.floor(next() * 4000);
      const packets = 3 + Math.floor(next() * 20);
      const bytesOut = 200 + Math.floor(next() * 4000);
      const bytesIn = 400 + Math.floor(next() * 40000);
      tuples.push(`${start},${head},B,NX,0,0,0,0`);
      tuples.push(`${end},${head},E,NX,${packets},${bytesOut},${packets + 1},${bytesIn}`);
    }
    tuples.sort();
  }
  return {
    time: new Date(minute.getTime() + 600_000).toISOString().replace('Z', '0000Z'),
    flowLogVersion: 4,
    flowLogGUID: '3f0e9d5c-7b2a-4e61-8c1d-2a9b8c7d6e5f',
    macAddress: nic.mac,
    category: 'FlowLogFlowEvent',
    flowLogResourceID: FLOW_LOG,
    targetResourceID: TARGET,
    operationName: 'FlowLogFlowEvent',
    flowRecords: {
      flows: [...byAcl].map(([aclID, rules]) => ({
        aclID,
        flowGroups: [...rules].map(([rule, flowTuples]) => ({ rule, flowTuples })),
      })),
    },
  };
}

/** Writes the sample's files under `root` (replacing what is there). */
export function writeSampleFlowLogs(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
  writeFlowLogBlobs(root, NICS, [9, 10], [0, 10, 20, 30, 40, 50], 20261130);
}

/**
 * VNet flow-log blobs (flowLogVersion 4, the blob layout Azure writes) for `nics` on 2026-11-30: one
 * blob per hour and NIC, one record per ten-minute slot starting at each of `minutes` (seeded).
 */
export function writeFlowLogBlobs(
  root: string,
  nics: readonly Nic[],
  hours: readonly number[],
  minutes: readonly number[],
  seed: number,
): void {
  const next = random(seed);
  for (const hour of hours) {
    for (const nic of nics) {
      const records = [];
      for (const m of minutes) records.push(record(nic, new Date(Date.UTC(2026, 10, 30, hour, m)), next));
      const hh = String(hour).padStart(2, '0');
      const dir = path.join(
        root,
        `flowLogResourceID=/${SUB}_NETWORKWATCHERRG/NETWORKWATCHER_WESTEUROPE_VNET-APP-RG-APP-FLOWLOG/y=2026/m=11/d=30/h=${hh}/m=00/macAddress=${nic.mac}`,
      );
      fs.mkdirSync(dir, { recursive: true });
      // As Azure appends them: one record per line inside the `records` array.
      const lines = records.map((r) => JSON.stringify(r)).join(',\n');
      fs.writeFileSync(path.join(dir, 'PT1H.json'), `{"records":[\n${lines}\n]}\n`);
    }
  }
}

export const SAMPLE_FLOW_LOGS = path.resolve(__dirname, '../../samples/hub-spoke-flow-logs');

if (require.main === module) {
  writeSampleFlowLogs(SAMPLE_FLOW_LOGS);
  console.log(`wrote ${SAMPLE_FLOW_LOGS}`);
}
