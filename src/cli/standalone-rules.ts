/**
 * The pack's standalone rules (PackRule.standalone: they read only the snapshot, the compiled policy
 * and the settings) on a worker thread, while the main thread computes all-pairs reachability for
 * the others. The worker reads the same snapshot file and compiles its own engine, so its findings
 * are the ones the main thread would have made; the runner sorts all findings together, so the output
 * is byte-identical either way. Where a worker cannot help (one CPU, the snapshot on standard input,
 * running from the TypeScript sources) or fails, the main thread runs those rules itself. The worker
 * runs at a lower scheduling priority (thread-priority.ts): its findings are needed only at the end.
 *
 * Asked to (`validate`), the worker also does the snapshot's full checks (schema, values, duplicate
 * keys: two seconds of the typical estate) while the main thread only parses: its verdict comes
 * first, and an invalid file raises a shared flag that the main thread reads at its progress points,
 * so it stops within one step instead of computing on bad data. The main thread writes nothing
 * before it has the verdict; if the worker fails before giving one, the main thread checks the file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../diagnostics';
import type { Finding } from '../analyze/findings';
import { accepted, findingsContext, type FindingsInput, type FindingsRun } from '../analyze/run-findings';
import { packResult, RULES, ruleFindings, type PackRule, type RuleSettings } from '../analyze/rules';
import { readSnapshotFile, resolveInput, STDIN } from '../collect/io/files';
import { InputError } from '../errors';

/** What the worker is given: files by absolute path, the settings the rules read. */
export interface StandaloneJob {
  snapshotFile: string;
  /** The snapshot as the user named it (what diagnostics say). */
  displayName: string;
  serviceTagsFile: string | null;
  settings: RuleSettings;
  ruleIds: string[];
  /** Whether the worker does the snapshot's full checks (the main thread then only parses it). */
  validate: boolean;
  /** One Int32, the worker's verdict as soon as it has one (with `validate`): see VERDICT. */
  verdictFlag: SharedArrayBuffer;
}

/** The values of StandaloneJob.verdictFlag. */
export const VERDICT = { pending: 0, invalid: 1, valid: 2 } as const;

/**
 * The worker's messages: with `validate`, first the verdict on the snapshot (`valid`, or `invalid`
 * and then nothing more); then its findings, or why it failed.
 */
export type StandaloneReply =
  | { kind: 'valid' }
  | { kind: 'invalid'; message: string; diagnostics: Diagnostic[] }
  | { kind: 'findings'; findings: Finding[] }
  | { kind: 'failed'; message: string };

/**
 * The worker's verdict on the snapshot: null when it gave none (it failed first, or was not asked);
 * for an invalid one, the error the main thread would have thrown reading it.
 */
export type SnapshotVerdict = { valid: true } | { valid: false; error: InputError } | null;

export interface StandaloneRules {
  rules: readonly PackRule[];
  /** The worker's findings, or null when it failed (the reason goes to `onFailure`). */
  findings(): Promise<Finding[] | null>;
  /** Whether the worker checks the snapshot (the main thread then reads it unchecked). */
  readonly validates: boolean;
  /** The worker's verdict on the snapshot (null at once when it does not validate). */
  verdict(): Promise<SnapshotVerdict>;
  /** The verdict so far, read without waiting (for the main thread's progress points): see VERDICT. */
  verdictNow(): (typeof VERDICT)[keyof typeof VERDICT];
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
  job: Omit<StandaloneJob, 'ruleIds' | 'verdictFlag'>,
  onFailure: (message: string) => void,
  pack: readonly PackRule[] = RULES,
): StandaloneRules | null {
  const rules = pack.filter((r) => r.standalone === true);
  if (rules.length === 0 || !workerThreadsWanted()) return null;
  const verdictFlag = new SharedArrayBuffer(4);
  const flag = new Int32Array(verdictFlag);
  const workerData: StandaloneJob = { ...job, ruleIds: rules.map((r) => r.meta.id), verdictFlag };
  const worker = new Worker(WORKER_FILE, { workerData });
  // Each settles exactly once and never rejects: a failed worker only means the main thread does the work.
  let settleVerdict!: (v: SnapshotVerdict) => void;
  let settleFindings!: (f: Finding[] | null) => void;
  const verdict = new Promise<SnapshotVerdict>((resolve) => (settleVerdict = resolve));
  const findings = new Promise<Finding[] | null>((resolve) => (settleFindings = resolve));
  if (!job.validate) settleVerdict(null);
  // Stopped, or done with an invalid snapshot: its exit is no failure worth a note.
  let ended = false;
  const failed = (message: string | null) => {
    if (message !== null && !ended) onFailure(message);
    settleVerdict(null);
    settleFindings(null);
  };
  worker.on('message', (m: StandaloneReply) => {
    if (m.kind === 'valid') settleVerdict({ valid: true });
    else if (m.kind === 'invalid') {
      settleVerdict({ valid: false, error: new InputError(m.message, m.diagnostics) });
      ended = true;
      failed(null);
    } else if (m.kind === 'findings') settleFindings(m.findings);
    else failed(m.message);
  });
  worker.once('error', (e) => failed(e.message));
  worker.once('exit', (code) => failed(code !== 0 ? `the worker thread stopped with code ${code}` : null));
  return {
    rules,
    validates: job.validate,
    findings: () => findings,
    verdict: () => verdict,
    verdictNow: () => Atomics.load(flag, 0) as (typeof VERDICT)[keyof typeof VERDICT],
    stop: () => {
      ended = true;
      void worker.terminate();
    },
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
  validate = false,
): StandaloneRules | null {
  if (snapshotFile === STDIN) return null;
  return startStandaloneRules(
    {
      snapshotFile: resolveInput(cwd, snapshotFile),
      displayName: snapshotFile,
      serviceTagsFile: serviceTags === undefined ? null : path.resolve(cwd, serviceTags),
      settings,
      validate,
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
  const found = await standalone.findings();
  if (found === null) stopIfInvalid(standalone);
  const there = found ?? ruleFindings(context, standalone.rules);
  return accepted(packResult([...here, ...there], pack, context.observed?.window ?? null), input);
}

/** Thrown at the main thread's progress points once the worker has found the snapshot invalid. */
export class SnapshotFoundInvalid extends Error {
  override readonly name = 'SnapshotFoundInvalid';
}

/** A progress point of the main thread: stops the work (SnapshotFoundInvalid) once the worker found the snapshot invalid. */
export function stopIfInvalid(standalone: StandaloneRules | null): void {
  if (standalone?.verdictNow() === VERDICT.invalid) throw new SnapshotFoundInvalid('the snapshot is invalid');
}

/**
 * The main thread's progress with a validating worker: a progress point (stopIfInvalid) that holds
 * the messages back until the snapshot is known valid, so an invalid one gets its diagnostics alone,
 * as when one thread checks it before doing anything. `release` prints what is held (call it once
 * the snapshot is confirmed).
 */
export function checkedProgress(
  standalone: StandaloneRules | null,
  progress: (message: string) => void,
): { progress: (message: string) => void; release: () => void } {
  if (standalone === null || !standalone.validates) return { progress, release: () => undefined };
  const held: string[] = [];
  const release = () => {
    for (const m of held.splice(0)) progress(m);
  };
  return {
    progress: (message) => {
      stopIfInvalid(standalone);
      if (standalone.verdictNow() === VERDICT.pending) held.push(message);
      else {
        release();
        progress(message);
      }
    },
    release,
  };
}

/**
 * The snapshot checks for work the main thread did on an unchecked snapshot (the worker validating):
 * resolves when the snapshot is valid, and throws the error reading it with full checks gives when it
 * is not — the worker's verdict, or the main thread's own check of the file when the worker gave none.
 * Call before writing anything, and before reporting a failure of that work (bad data can make it fail).
 */
export async function confirmSnapshot(
  standalone: StandaloneRules | null,
  snapshotFile: string,
  displayName: string,
): Promise<void> {
  if (standalone === null || !standalone.validates) return;
  const verdict = await standalone.verdict();
  if (verdict === null) readSnapshotFile(snapshotFile, displayName, { checks: 'full' });
  else if (!verdict.valid) throw verdict.error;
}
