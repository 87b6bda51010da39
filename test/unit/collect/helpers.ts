/** Shared set-up for collection tests: the fake ARM, the token in the environment, temp dirs, imports. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Snapshot } from '../../../src/model/snapshot';
import { snapshotToString } from '../../../src/model/snapshot-codec';
import { runCapture, type CliRun } from '../../support/cli';
import {
  FakeArm,
  makeCertificate,
  type Certificate,
  type FakeArmOptions,
  type Json,
} from '../../support/fake-arm';

export const TOKEN = 'FAKE-BEARER-TOKEN-eyJhbGciOi-DO-NOT-LEAK';
export const SUB_A = '00000000-0000-0000-0000-0000000000a1';
export const SUB_B = '00000000-0000-0000-0000-0000000000b2';

/** Types the collector reads only to find their children; `import` of them would count them as skipped. */
export const WALKED_ONLY = /\/(networkmanagers|securityadminconfigurations)$/;

export function fixtureEstate(): Json[] {
  const file = path.join(__dirname, '../../fixtures/collect/estate.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { resources: Json[] }).resources;
}

/** The resources `import` should see for the same estate (what the collector feeds the normalizer). */
export function normalizedInputs(resources: readonly Json[]): Json[] {
  return resources.filter((r) => !WALKED_ONLY.test(String(r['type']).toLowerCase()));
}

export interface Harness {
  cert: Certificate;
  fake: FakeArm;
  dir: string;
  /** Runs `aciseg collect` against the fake with the token set and the fake's CA trusted. */
  collect(args: string[], env?: Record<string, string | undefined>): Promise<CliRun>;
  close(): Promise<void>;
}

export async function startHarness(
  resources: readonly Json[],
  options: Partial<FakeArmOptions> = {},
): Promise<Harness> {
  const cert = makeCertificate();
  const fake = new FakeArm(cert, resources, { token: TOKEN, ...options });
  await fake.start();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-collect-'));
  return {
    cert,
    fake,
    dir,
    collect: async (args, env = {}) => {
      const saved = { ...process.env };
      process.env['ACISEG_ACCESS_TOKEN'] = TOKEN;
      for (const [k, v] of Object.entries(env)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      try {
        return await runCapture(
          ['collect', '--arm-endpoint', fake.endpoint, '--ca-file', cert.certFile, ...args],
          dir,
        );
      } finally {
        for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
        Object.assign(process.env, saved);
      }
    },
    close: async () => {
      await fake.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(cert.dir, { recursive: true, force: true });
    },
  };
}

/** A snapshot file's text without its first line (the header, which holds `source`). */
export function body(text: string): string {
  return text.slice(text.indexOf('\n') + 1);
}

export function header(text: string): Json {
  return JSON.parse(`${text.slice(0, text.indexOf('\n') - 1)}}`) as Json;
}

/**
 * Writes `resources` as one REST list page and imports it with the CLI; returns the snapshot text
 * without the origins import records (collect, which these texts are compared with, has none).
 */
export async function importAsFile(
  dir: string,
  resources: readonly Json[],
  name = 'same.json',
): Promise<string> {
  fs.writeFileSync(path.join(dir, name), JSON.stringify({ value: resources }));
  const out = `${name}.snapshot.json`;
  const run = await runCapture(['import', name, '-o', out, '--force'], dir);
  if (run.code !== 0) throw new Error(`import failed: ${run.stderr}`);
  const snapshot = JSON.parse(fs.readFileSync(path.join(dir, out), 'utf8')) as Snapshot;
  if (snapshot.origins.length === 0) throw new Error('import recorded no origins');
  return snapshotToString({ ...snapshot, origins: [] });
}

/** Every file in `dir` (to prove nothing half-written is left behind). */
export function filesIn(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

/**
 * `../shared/external` beside the checkout; from a git worktree, beside its main checkout (the
 * `.git` file names it). Null when absent (a fresh clone without shared data).
 */
export function sharedExternal(): string | null {
  const root = path.resolve(__dirname, '../../..');
  const candidates = [path.resolve(root, '../shared/external')];
  try {
    const gitdir = /^gitdir: (.*)$/m.exec(fs.readFileSync(path.join(root, '.git'), 'utf8'))?.[1];
    if (gitdir !== undefined) {
      const main = path.dirname(gitdir.replace(/[\\/]worktrees[\\/][^\\/]+[\\/]?$/, ''));
      candidates.push(path.resolve(main, '../shared/external'));
    }
  } catch {
    // .git is a directory (a normal clone): the first candidate is the one
  }
  return candidates.find((c) => fs.existsSync(c)) ?? null;
}
