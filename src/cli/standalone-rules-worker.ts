/**
 * The worker thread of src/cli/standalone-rules.ts: reads the snapshot (and service tags), compiles
 * the policy and runs the standalone rules it is given, then posts their findings once.
 */
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { RULES, ruleFindings } from '../analyze/rules';
import { readSnapshotFile } from '../collect/io/files';
import { stripBom } from '../model/snapshot-codec';
import { compilePolicy, parseServiceTags } from '../policy';
import type { StandaloneJob, StandaloneReply } from './standalone-rules';

function run(job: StandaloneJob): StandaloneReply {
  // The main thread validates the same file (and stops this worker when it is invalid): parse only.
  const snapshot = readSnapshotFile(job.snapshotFile, job.snapshotFile, { checks: 'none' });
  let serviceTags;
  if (job.serviceTagsFile !== null) {
    // The main thread reads the same file first and reports its problems; here a bad file only fails.
    const parsed = parseServiceTags(JSON.parse(stripBom(fs.readFileSync(job.serviceTagsFile, 'utf8'))), '');
    if (!parsed.ok) return { ok: false, message: 'the service tags file did not parse' };
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
  return { ok: true, findings: ruleFindings(context, rules) };
}

let reply: StandaloneReply;
try {
  reply = run(workerData as StandaloneJob);
} catch (e) {
  reply = { ok: false, message: e instanceof Error ? e.message : String(e) };
}
parentPort!.postMessage(reply);
