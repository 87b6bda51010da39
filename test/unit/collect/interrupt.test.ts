/**
 * The real executable in its own process: trusting the fake's certificate through NODE_EXTRA_CA_CERTS,
 * and Ctrl-C (SIGINT) in the middle of a collection leaving no file, whole or partial.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { filesIn, fixtureEstate, startHarness, SUB_A, SUB_B, TOKEN, type Harness } from './helpers';

const root = path.resolve(__dirname, '../../..');

function runAciseg(h: Harness, args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ACISEG_ACCESS_TOKEN: TOKEN, NODE_EXTRA_CA_CERTS: h.cert.certFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, done, stderr: () => stderr };
}

describe('collect in its own process', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(fixtureEstate(), { pageSize: 1, delayMs: 150 });
  });
  afterAll(async () => h.close());

  test('NODE_EXTRA_CA_CERTS is enough to trust the endpoint', async () => {
    const out = path.join(h.dir, 'spawned.json');
    const run = runAciseg(h, [
      'collect',
      '--arm-endpoint',
      h.fake.endpoint,
      '--subscription',
      SUB_B,
      '-o',
      out,
    ]);
    expect(await run.done).toBe(0);
    expect(run.stderr()).toContain('wrote');
    expect(filesIn(h.dir)).toContain('spawned.json');
  });

  test('--concurrency bounds how many subscriptions are read at once', async () => {
    h.fake.maxInFlight = 0;
    const many = Array.from(
      { length: 6 },
      (_, i) => `00000000-0000-0000-0003-${String(i).padStart(12, '0')}`,
    );
    const out = path.join(h.dir, 'bounded.json');
    const run = runAciseg(h, [
      'collect',
      '--arm-endpoint',
      h.fake.endpoint,
      '--engine',
      'arm',
      '--concurrency',
      '3',
      ...many.flatMap((s) => ['--subscription', s]),
      '-o',
      out,
    ]);
    expect(await run.done).toBe(0);
    // Within a subscription the lists are read one after another, so requests at once = subscriptions at once.
    expect(h.fake.maxInFlight).toBe(3);
  });

  test('Ctrl-C during collection: exit 3, and no output or temp file is left', async () => {
    const before = filesIn(h.dir);
    const out = path.join(h.dir, 'interrupted.json');
    h.fake.requests.length = 0;
    const run = runAciseg(h, [
      'collect',
      '--arm-endpoint',
      h.fake.endpoint,
      '--subscription',
      SUB_A,
      '--subscription',
      SUB_B,
      '-o',
      out,
    ]);
    while (h.fake.requests.length < 3) await new Promise((r) => setTimeout(r, 20));
    run.child.kill('SIGINT');
    expect(await run.done).toBe(3);
    expect(run.stderr()).toContain('interrupted: stopping (nothing will be written)');
    expect(run.stderr()).toContain('collection interrupted; nothing was written');
    expect(filesIn(h.dir)).toEqual(before);
  });
});
