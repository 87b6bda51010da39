/**
 * The worker thread of src/cli/standalone-rules.ts: reads the snapshot (and service tags), checking it
 * when asked to and posting the verdict at once, compiles the policy and runs the standalone rules
 * it is given, then posts their findings. It runs at a lower priority than the main thread.
 */
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { RULES, ruleFindings } from '../analyze/rules';
import { readSnapshotFile } from '../collect/io/files';
import { InputError } from '../errors';
import { stripBom } from '../model/snapshot-codec';
import { compilePolicy, parseServiceTags } from '../policy';
import { VERDICT, type StandaloneJob, type StandaloneReply } from './standalone-rules';
import { currentThreadId, lowerThreadPriority } from './thread-priority';

function post(reply: StandaloneReply): void {
  parentPort!.postMessage(reply);
}

/** The snapshot, checked when the job says so (the verdict posted at once), else only parsed. */
function readSnapshot(job: StandaloneJob) {
  // Without `validate` the main thread checks the same file (and stops this worker when it is invalid).
  if (!job.validate) return readSnapshotFile(job.snapshotFile, job.displayName, { checks: 'none' });
  try {
    const snapshot = readSnapshotFile(job.snapshotFile, job.displayName, { checks: 'full' });
    Atomics.store(new Int32Array(job.verdictFlag), 0, VERDICT.valid);
    post({ kind: 'valid' });
    return snapshot;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    // The flag first: the main thread may be deep in its work and reads it at its next progress point.
    Atomics.store(new Int32Array(job.verdictFlag), 0, VERDICT.invalid);
    post({ kind: 'invalid', message: e.message, diagnostics: [...e.diagnostics] });
    return null;
  }
}

function run(job: StandaloneJob): StandaloneReply | null {
  const snapshot = readSnapshot(job);
  if (snapshot === null) return null;
  let serviceTags;
  if (job.serviceTagsFile !== null) {
    // The main thread reads the same file first and reports its problems; here a bad file only fails.
    const parsed = parseServiceTags(JSON.parse(stripBom(fs.readFileSync(job.serviceTagsFile, 'utf8'))), '');
    if (!parsed.ok) return { kind: 'failed', message: 'the service tags file did not parse' };
    serviceTags = parsed.serviceTags;
  }
  const engine = compilePolicy(snapshot, serviceTags ? { serviceTags } : {});
  const rules = RULES.filter((r) => job.ruleIds.includes(r.meta.id));
  const context = {
    snapshot: engine.index.snapshot,
    engine,
    // Standalone rules never read these (a test holds them to it); reading one is a bug.
    reachability: () => {
      throw new Error('a standalone rule read reachability');
    },
    intent: null,
    observed: null,
    today: '',
    settings: job.settings,
  };
  return { kind: 'findings', findings: ruleFindings(context, rules) };
}

// Off the critical path: on a busy machine the main thread goes first (see thread-priority.ts).
const threadId = currentThreadId();
if (threadId !== null) lowerThreadPriority(threadId);

let reply: StandaloneReply | null;
try {
  reply = run(workerData as StandaloneJob);
} catch (e) {
  reply = { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
}
if (reply !== null) post(reply);
