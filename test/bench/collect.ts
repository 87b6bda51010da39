/**
 * Collection benchmark (not a unit test): a fake ARM on 127.0.0.1 serves a generated estate of
 * SUBS subscriptions × (20 VNets, 40 NSGs, 100 container groups), and `aciseg collect` (dist/, in its
 * own process, under /usr/bin/time) reads it with each engine. Prints time and peak memory per engine.
 *   npm run build && npx tsx test/bench/collect.ts [subscriptions=500] [engines=resource-graph,arm]
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeArm, makeCertificate, type Json } from '../support/fake-arm';

const SUBS = Number(process.argv[2] ?? 500);
const ENGINES = (process.argv[3] ?? 'resource-graph,arm').split(',');
const TOKEN = 'bench-token';
const root = path.resolve(__dirname, '../..');

function guid(n: number, kind: number): string {
  return `00000000-0000-0000-${kind.toString(16).padStart(4, '0')}-${n.toString(16).padStart(12, '0')}`;
}

function* estate(): Generator<Json> {
  for (let s = 0; s < SUBS; s++) {
    const sub = guid(s, 1);
    const base = `/subscriptions/${sub}/resourceGroups/rg-${s % 7}/providers`;
    for (let n = 0; n < 40; n++) {
      const id = `${base}/Microsoft.Network/networkSecurityGroups/nsg-${n}`;
      yield {
        id,
        name: `nsg-${n}`,
        type: 'Microsoft.Network/networkSecurityGroups',
        location: 'westeurope',
        properties: {
          securityRules: Array.from({ length: 5 }, (_, r) => ({
            id: `${id}/securityRules/r${r}`,
            name: `r${r}`,
            properties: {
              priority: 100 + r * 10,
              direction: r % 2 === 0 ? 'Inbound' : 'Outbound',
              access: r === 4 ? 'Deny' : 'Allow',
              protocol: 'Tcp',
              sourceAddressPrefix: r === 0 ? 'Internet' : `10.${s % 250}.${n}.0/24`,
              sourcePortRange: '*',
              destinationAddressPrefix: '*',
              destinationPortRange: String(443 + r),
            },
          })),
        },
      };
    }
    for (let v = 0; v < 20; v++) {
      const id = `${base}/Microsoft.Network/virtualNetworks/vnet-${v}`;
      yield {
        id,
        name: `vnet-${v}`,
        type: 'Microsoft.Network/virtualNetworks',
        location: 'westeurope',
        properties: {
          addressSpace: { addressPrefixes: [`10.${v}.0.0/16`] },
          subnets: [0, 1].map((k) => ({
            id: `${id}/subnets/snet-${k}`,
            name: `snet-${k}`,
            properties: {
              addressPrefix: `10.${v}.${k}.0/24`,
              networkSecurityGroup: {
                id: `${base}/Microsoft.Network/networkSecurityGroups/nsg-${(v * 2 + k) % 40}`,
              },
              delegations:
                k === 0
                  ? [
                      {
                        name: 'aci',
                        properties: { serviceName: 'Microsoft.ContainerInstance/containerGroups' },
                      },
                    ]
                  : [],
            },
          })),
        },
      };
    }
    for (let c = 0; c < 100; c++) {
      const v = c % 20;
      yield {
        id: `${base}/Microsoft.ContainerInstance/containerGroups/cg-${c}`,
        name: `cg-${c}`,
        type: 'Microsoft.ContainerInstance/containerGroups',
        location: 'westeurope',
        properties: {
          osType: 'Linux',
          provisioningState: 'Succeeded',
          ipAddress: {
            type: 'Private',
            ip: `10.${v}.0.${4 + Math.floor(c / 20)}`,
            ports: [{ port: 8080, protocol: 'TCP' }],
          },
          subnetIds: [{ id: `${base}/Microsoft.Network/virtualNetworks/vnet-${v}/subnets/snet-0` }],
          containers: [
            {
              name: 'app',
              properties: {
                image: `acr.azurecr.io/app-${c}:1`,
                ports: [{ port: 8080, protocol: 'TCP' }],
                environmentVariables: [
                  { name: 'MODE', value: 'production' },
                  { name: 'DB_PASSWORD', secureValue: 'bench-secret' },
                ],
                resources: { requests: { cpu: 1, memoryInGB: 1.5 } },
              },
            },
          ],
        },
      };
    }
  }
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

async function main(): Promise<void> {
  const cert = makeCertificate();
  const resources = [...estate()];
  const fake = new FakeArm(cert, resources, { token: TOKEN, pageSize: 100 });
  const endpoint = await fake.start();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-bench-collect-'));
  console.log(`estate: ${SUBS} subscriptions, ${resources.length} resources`);
  try {
    for (const engine of ENGINES) {
      fake.requests.length = 0;
      const out = path.join(dir, `${engine}.json`);
      const result = await run(
        '/usr/bin/time',
        [
          '-f',
          'BENCH %e s %M KB %U %S',
          process.execPath,
          'dist/cli/main.js',
          'collect',
          '--arm-endpoint',
          endpoint,
          '--engine',
          engine,
          '-o',
          out,
        ],
        { ...process.env, ACISEG_ACCESS_TOKEN: TOKEN, NODE_EXTRA_CA_CERTS: cert.certFile },
      );
      const m = /BENCH ([\d.]+) s (\d+) KB ([\d.]+) ([\d.]+)/.exec(result.stderr);
      if (result.code !== 0 || m === null)
        throw new Error(`${engine} failed (${result.code}): ${result.stderr.slice(-2000)}`);
      const text = fs.readFileSync(out, 'utf8');
      const snapshot = JSON.parse(text) as Record<string, unknown[]>;
      console.log(
        JSON.stringify({
          engine,
          seconds: Number(m[1]),
          cpuSeconds: Math.round((Number(m[3]) + Number(m[4])) * 10) / 10,
          peakMb: Math.round(Number(m[2]) / 1024),
          requests: fake.requests.length,
          snapshotMb: Math.round(fs.statSync(out).size / 1e5) / 10,
          // Of everything after the header (which holds collectedAt): equal hashes = the same snapshot.
          bodySha256: createHash('sha256')
            .update(text.slice(text.indexOf('\n') + 1))
            .digest('hex')
            .slice(0, 16),
          virtualNetworks: snapshot['virtualNetworks']?.length,
          networkSecurityGroups: snapshot['networkSecurityGroups']?.length,
          containerGroups: snapshot['containerGroups']?.length,
        }),
      );
    }
  } finally {
    await fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cert.dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
