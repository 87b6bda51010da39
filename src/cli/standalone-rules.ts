/**
 * The pack's standalone rules (PackRule.standalone: they read only the snapshot, the compiled policy
 * and the settings) on a worker thread, while the main thread computes all-pairs reachability for
 * the others. The worker reads the same snapshot file and compiles its own engine, so its findings
 * are the ones the main thread would have made; the runner sorts all findings together, so the output
 * is byte-identical either way. Where a worker cannot help (one CPU, the snapshot on standard input,
 * running from the TypeScript sources) or fails, the main thread runs those rules itself.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Finding } from '../analyze/findings';
import { accepted, findingsContext, type FindingsInput, type FindingsRun } from '../analyze/run-findings';
import { packResult, RULES, ruleFindings, type PackRule, type RuleSettings } from '../analyze/rules';
import { resolveInput, STDIN } from '../collect/io/files';

/** What the worker is given: files by absolute path, the settings the rules read. */
export interface StandaloneJob {
  snapshotFile: string;
  serviceTagsFile: string | null;
  settings: RuleSettings;
  ruleIds: string[];
}

/** The worker's one message. */
export type StandaloneReply = { ok: true; findings: Finding[] } | { ok: false; message: string };

export interface StandaloneRules {
  rules: readonly PackRule[];
  /** The worker's findings, or null when it failed (the reason goes to `onFailure`). */
  findings(): Promise<Finding[] | null>;
  /** Stops the worker (when the command fails before it needs the findings). */
  stop(): void;
}

const WORKER_FILE = path.join(__dirname, 'standalone-rules-worker.js');

/** `ACISEG_THREADS=1` keeps every rule on the main thread (for comparison; the output is the same). */
export function workerThreadsWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.ACISEG_THREADS !== '1' && os.availableParallelism() > 1 && fs.existsSync(WORKER_FILE);
}

/** Starts the worker for the pack's standalone rules, or returns null where a worker cannot help. */
export function startStandaloneRules(
  job: Omit<StandaloneJob, 'ruleIds'>,
  onFailure: (message: string) => void,
  pack: readonly PackRule[] = RULES,
): StandaloneRules | null {
  const rules = pack.filter((r) => r.standalone === true);
  if (rules.length === 0 || !workerThreadsWanted()) return null;
  const workerData: StandaloneJob = { ...job, ruleIds: rules.map((r) => r.meta.id) };
  const worker = new Worker(WORKER_FILE, { workerData });
  // Settles exactly once, never rejects: a failed worker only means the main thread does the work.
  const reply = new Promise<Finding[] | null>((resolve) => {
    worker.once('message', (m: StandaloneReply) => {
      if (!m.ok) onFailure(m.message);
      resolve(m.ok ? m.findings : null);
    });
    worker.once('error', (e) => {
      onFailure(e.message);
      resolve(null);
    });
    worker.once('exit', (code) => {
      if (code !== 0) onFailure(`the worker thread stopped with code ${code}`);
      resolve(null);
    });
  });
  return {
    rules,
    findings: () => reply,
    stop: () => void worker.terminate(),
  };
}

/**
 * The worker for a command's snapshot argument and `--service-tags` (paths as the user gave them,
 * resolved against `cwd`), or null for a snapshot on standard input; a failure is noted on the log.
 */
export function startForCommand(
  cwd: string,
  snapshotFile: string,
  serviceTags: string | undefined,
  settings: RuleSettings,
  progress: (message: string) => void,
): StandaloneRules | null {
  if (snapshotFile === STDIN) return null;
  return startStandaloneRules(
    {
      snapshotFile: resolveInput(cwd, snapshotFile),
      serviceTagsFile: serviceTags === undefined ? null : path.resolve(cwd, serviceTags),
      settings,
    },
    (message) => progress(`note: the worker thread failed (${message}); its rules run here`),
  );
}

/**
 * `computeFindings` with the standalone rules' findings from the worker: the other rules run here
 * (reachability among them) while it works; if it failed, its rules run here after them.
 */
export async function computeFindingsWithWorker(
  input: FindingsInput,
  standalone: StandaloneRules,
): Promise<FindingsRun> {
  const pack = input.rules ?? RULES;
  const context = findingsContext(input);
  const here = ruleFindings(
    context,
    pack.filter((r) => !standalone.rules.includes(r)),
  );
  const there = (await standalone.findings()) ?? ruleFindings(context, standalone.rules);
  return accepted(packResult([...here, ...there], pack, context.observed?.window ?? null), input);
}
