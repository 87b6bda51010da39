/**
 * `--flows`, `--since`, `--until`: flow logs read as a stream into observed flows for the rules, with
 * progress on stderr while the files are long to read. A malformed file stops the command (exit 2,
 * naming the file and the position); warnings are printed and the run goes on.
 */
import { formatDiagnostic } from '../diagnostics';
import { UsageError } from '../errors';
import type { ObservedFlowsInput } from '../analyze/rules';
import { FlowLogReader, listFlowLogFiles, readFlowLogFile, requireCompleteFlowLogs } from '../collect/flows';
import type { CliIo } from './io';
import type { Log } from './log';

export interface FlowInputOptions {
  flows?: string[];
  since?: string;
  until?: string;
}

/** Progress is printed at most this often (ms) while flow logs are read. */
const PROGRESS_EVERY = 2000;

/** Reads the flow logs the options name, or returns null when there are none. */
export async function readObservedFlows(
  options: FlowInputOptions,
  io: CliIo,
  log: Log,
): Promise<ObservedFlowsInput | null> {
  const paths = options.flows ?? [];
  if (paths.length === 0) {
    if (options.since !== undefined || options.until !== undefined)
      throw new UsageError('--since and --until bound the flow logs of --flows: give --flows too');
    return null;
  }
  const reader = new FlowLogReader({ since: options.since ?? null, until: options.until ?? null });
  const { files, diagnostics } = listFlowLogFiles(paths, io.cwd);
  for (const d of diagnostics) reader.report(d);
  let last = Date.now();
  for (let i = 0; i < files.length; i++) {
    await readFlowLogFile(reader, files[i]!);
    if (Date.now() - last >= PROGRESS_EVERY) {
      log.progress(`flow logs: ${i + 1}/${files.length} files read`);
      last = Date.now();
    }
  }
  const result = requireCompleteFlowLogs(reader.finish());
  for (const d of result.diagnostics) log.warn(formatDiagnostic(d));
  const { totals } = result.stats;
  log.progress(
    `flow logs: ${totals.files} files, ${totals.aggregated} tuples in ${totals.distinctFlows} observed flows`,
  );
  return {
    flows: [...result.flows],
    window: { ...result.window, files: totals.files, tuples: totals.aggregated },
  };
}
