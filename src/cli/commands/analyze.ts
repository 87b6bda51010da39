/**
 * `aciseg analyze`: findings — the rule pack run over the snapshot (with flow logs and an intent file
 * when given), most severe first; `--fail-on` makes them an exit code. `--reachability` writes the
 * full all-pairs reachability dump instead, streamed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import { describeAcceptance, parseAcceptances, type Acceptance } from '../../analyze/accept';
import { SEVERITIES, severityRank, type FindingSeverity } from '../../analyze/findings';
import {
  inFileOrder,
  IntentError,
  isCalendarDate,
  parseIntent,
  type IntentEntry,
} from '../../analyze/intent';
import { computeReachability } from '../../analyze/reachability';
import { DEFAULT_RULE_SETTINGS, RULES } from '../../analyze/rules';
import { computeFindings, type FindingsRun } from '../../analyze/run-findings';
import { diagnostic, formatDiagnostic, type Diagnostic } from '../../diagnostics';
import { ExitCode, UsageError } from '../../errors';
import type { Snapshot } from '../../model/snapshot';
import type { PolicyEngine } from '../../policy';
import { snapshotLineIndex, snapshotOrigins, type SnapshotRef } from '../../render/findings-common';
import { ReachabilityView } from '../../render/reachability';
import { formatsOf, rendererFor } from '../../render/registry';
import { failWith, readTextFile, resolveInput, STDIN } from '../../collect/io/files';
import {
  addOptions,
  flowLogOptions,
  formatOption,
  outputOptions,
  serviceTagsOption,
  verbosityOptions,
} from '../common-options';
import { loadEngine } from '../engine-input';
import {
  checkedProgress,
  computeFindingsWithWorker,
  confirmSnapshot,
  startForCommand,
} from '../standalone-rules';
import { readObservedFlows, type FlowInputOptions } from '../flow-input';
import { createLog, type VerbosityOptions } from '../log';
import { parsePositiveInt } from '../options';
import { openOutput, type OutputOptions } from '../output';
import type { CommandRegistration } from '../program';

interface AnalyzeOptions extends OutputOptions, VerbosityOptions, FlowInputOptions {
  format: string;
  serviceTags?: string;
  intent?: string;
  failOn: FindingSeverity | 'none';
  today?: string;
  limit: number;
  reachability?: boolean;
  broadPrefix: number;
  widePorts: number;
}

/** Registers `analyze`. */
export const registerAnalyze: CommandRegistration = (program, ctx) => {
  const command = program
    .command('analyze')
    .description(
      'Findings: what is exposed, too broad or unused in the snapshot, most severe first, with the rules responsible, the fix and the explain command that shows the evidence.',
    )
    .argument('<snapshot>', 'snapshot file written by aciseg import');
  addOptions(command, [formatOption('analyze'), ...outputOptions(), serviceTagsOption(), ...flowLogOptions()])
    .option(
      '--intent <file>',
      'intent file: require/forbid entries are checked, accept entries accept findings',
    )
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when an unaccepted finding is at or above this severity')
        .choices([...SEVERITIES.filter((s) => s !== 'info'), 'none'])
        .default('none'),
    )
    .addOption(
      new Option(
        '--today <date>',
        'date (YYYY-MM-DD) that decides which acceptances have expired; default: today',
      ),
    )
    .addOption(
      new Option('--broad-prefix <n>', 'ACI004: an allow rule with a prefix wider than /<n> is over-broad')
        .argParser(parsePrefixLength)
        .default(DEFAULT_RULE_SETTINGS.broadPrefixLength),
    )
    .option(
      '--wide-ports <n>',
      'ACI004: an allow rule opening more than <n> destination ports is over-broad',
      parsePositiveInt,
      DEFAULT_RULE_SETTINGS.widePortRange,
    )
    .option(
      '--limit <n>',
      'text format: how many findings to show in full (with --reachability: riskiest paths)',
      parsePositiveInt,
      25,
    )
    .option(
      '--reachability',
      'write the full all-pairs reachability report instead of findings (text or json; json streams one item per line)',
    );
  addOptions(command, verbosityOptions())
    .addHelpText(
      'after',
      `
Findings are grouped by severity (critical, high, medium, low, info); each has a rule ID (README "Rule
catalogue"), the resources and flows concerned, the rules responsible, the fix, the aciseg explain
command that shows the evidence, and a fingerprint that stays the same across runs. The JSON
document is kind "aciseg.findings", schemaVersion 2; markdown is sized for a pull-request comment;
sarif is SARIF 2.1.0 for code scanning.

Intent file accept entries mark findings as accepted risk until they expire:
  accept:
    - rule: ACI002                   # a rule ID with the resource the finding names (ID or name)
      resource: vnet-app/snet-aci-web
      reason: Bastion replaces SSH next quarter
      owner: team-platform
      expires: 2027-06-30            # reason, owner and expires are required
    - fingerprint: 0123456789abcdef0123456789abcdef   # or one finding's fingerprint
      reason: …
      owner: …
      expires: 2027-06-30
Accepted findings are reported as accepted and never fail --fail-on; an expired acceptance is a
finding (ACI015) and covers nothing; one that matches no finding is a warning.

Exit codes: 0 no unaccepted finding at or above --fail-on (default none: never), 1 there is one,
2 bad input (a malformed flow log, an accept entry for an unknown rule, …).

Examples:
  aciseg analyze estate.json
  aciseg analyze estate.json --flows flow-logs/ --since 2026-11-01 --intent intent.yaml
  aciseg analyze estate.json --format sarif -o aciseg.sarif --fail-on high
  aciseg analyze estate.json --reachability --format json -o reachability.json
`,
    )
    .action(async (snapshotFile: string, options: AnalyzeOptions) => {
      const log = createLog(ctx.io, options);
      if (options.reachability) return writeReachability(snapshotFile, options);
      const render = rendererFor('analyze', options.format);
      const today = options.today ?? new Date().toISOString().slice(0, 10);
      if (!isCalendarDate(today))
        throw new UsageError(`--today must be a real date written YYYY-MM-DD, not ${JSON.stringify(today)}`);
      const output = openOutput(ctx.io, options, inputsOf(snapshotFile, options));
      const intent = options.intent === undefined ? null : readIntent(options.intent);
      const settings = {
        ...DEFAULT_RULE_SETTINGS,
        broadPrefixLength: options.broadPrefix,
        widePortRange: options.widePorts,
      };
      // The rules that need no reachability start on a second thread now, reading the snapshot too
      // and checking it, while this thread only parses it (see src/cli/standalone-rules.ts).
      const standalone = startForCommand(
        ctx.io.cwd,
        snapshotFile,
        options.serviceTags,
        settings,
        log.progress,
        true,
      );
      let confirmation: Promise<void> | null = null;
      const confirm = () =>
        (confirmation ??= confirmSnapshot(standalone, resolveInput(ctx.io.cwd, snapshotFile), snapshotFile));
      let run: FindingsRun;
      let engine: PolicyEngine;
      let snapshotRead = false;
      try {
        const observed = await log.phase('read flow logs', () => readObservedFlows(options, ctx.io, log));
        snapshotRead = true;
        engine = log.phase('read snapshot and compile policy', () =>
          loadEngine(
            snapshotFile,
            {
              serviceTags: options.serviceTags,
              quiet: log.quiet,
              checks: standalone?.validates === true ? 'none' : 'full',
            },
            ctx.io,
          ),
        );
        const { progress, release } = checkedProgress(standalone, log.progress);
        run = await log.phase(`run the rule pack${standalone ? ' (with a worker thread)' : ''}`, () => {
          const input = { engine, intent, observed, today, settings, progress };
          return standalone ? computeFindingsWithWorker(input, standalone) : computeFindings(input);
        });
        // Nothing is written from an unchecked snapshot before the checks have passed.
        await confirm();
        release();
      } catch (e) {
        // Work on an unchecked snapshot may fail because it is invalid: then that is the error.
        try {
          if (snapshotRead) await confirm();
        } finally {
          standalone?.stop();
        }
        if (e instanceof IntentError) failWith(inFileOrder(e.diagnostics));
        throw e;
      }
      for (const a of run.unmatched) log.warn(formatDiagnostic(unmatchedDiagnostic(a, options.intent!)));
      const { result } = run;
      const snapshot = snapshotRef(snapshotFile, engine.index.snapshot, options.format === 'sarif');
      const color = options.output === undefined && ctx.io.colorStdout === true;
      await log.phase('write report', () =>
        output.emit(render({ result, snapshot, limit: options.limit, color })),
      );
      if (options.failOn !== 'none') {
        const bar = severityRank(options.failOn);
        if (result.findings.some((f) => f.accepted === null && severityRank(f.severity) <= bar))
          ctx.setExitCode(ExitCode.findings);
      }
    });

  /** The reachability dump (the report analyze wrote before findings), streamed. */
  async function writeReachability(snapshotFile: string, options: AnalyzeOptions): Promise<void> {
    const log = createLog(ctx.io, options);
    if (!formatsOf('reachability').includes(options.format))
      throw new UsageError(
        `--reachability writes ${formatsOf('reachability').join(' or ')}, not ${options.format}`,
      );
    for (const flag of ['intent', 'flows', 'since', 'until'] as const)
      if (options[flag] !== undefined) throw new UsageError(`--reachability does not read --${flag}`);
    const render = rendererFor('reachability', options.format);
    const output = openOutput(ctx.io, options, inputsOf(snapshotFile, options));
    const progress = log.progress;
    const engine = log.phase('read snapshot and compile policy', () =>
      loadEngine(snapshotFile, { serviceTags: options.serviceTags, quiet: log.quiet }, ctx.io),
    );
    const reach = log.phase('compute reachability', () => computeReachability(engine, { progress }));
    const view = new ReachabilityView(engine, reach);
    await log.phase('write report', () => output.emit(render({ view, limit: options.limit, progress })));
  }

  /** The intent file's entries and acceptances; every problem of the file is reported at once (exit 2). */
  function readIntent(file: string): { file: string; entries: IntentEntry[]; accept: Acceptance[] } {
    const text = readTextFile(path.resolve(ctx.io.cwd, file), file);
    const parsed = parseIntent(text, file, { allowEmpty: true });
    const accepted = parseAcceptances(
      text,
      file,
      RULES.map((r) => r.meta.id),
    );
    // A file that is not YAML is reported once; a problem both readers see (a bad `accept` list), too.
    const unreadable = !parsed.ok && parsed.diagnostics.some((d) => d.code === 'NOT_JSON');
    const problems: Diagnostic[] = [];
    const seen = new Set<string>();
    for (const d of [
      ...(parsed.ok ? [] : parsed.diagnostics),
      ...(accepted.ok || unreadable ? [] : accepted.diagnostics),
    ]) {
      const key = `${d.code} ${d.path}`;
      if (!seen.has(key)) problems.push(d);
      seen.add(key);
    }
    if (problems.length > 0) failWith(inFileOrder(problems));
    return { file, entries: parsed.entries, accept: accepted.ok ? accepted.acceptances : [] };
  }

  function inputsOf(snapshotFile: string, options: AnalyzeOptions): string[] {
    return [snapshotFile, options.serviceTags, options.intent, ...(options.flows ?? [])].filter(
      (f): f is string => f !== undefined,
    );
  }

  /**
   * The snapshot as findings name it. SARIF gets the line of each resource when the file has the
   * layout aciseg writes (its line count tells): a hand-formatted file gets pointers only.
   */
  function snapshotRef(named: string, snapshot: Snapshot, withLines: boolean): SnapshotRef {
    const uri =
      named === STDIN
        ? 'stdin'
        : path
            .relative(ctx.io.cwd, path.resolve(ctx.io.cwd, named))
            .split(path.sep)
            .map(encodeURIComponent)
            .join('/');
    const index = withLines && named !== STDIN ? snapshotLineIndex(snapshot) : null;
    const canonical = index !== null && countLines(path.resolve(ctx.io.cwd, named)) === index.lines;
    // Input files as import named them: relative ones stay as they are (relative to where import ran).
    const originUri = (file: string) =>
      (path.isAbsolute(file) ? path.relative(ctx.io.cwd, file) : file)
        .split(path.sep)
        .map(encodeURIComponent)
        .join('/');
    return {
      path: named,
      uri,
      lineOf: canonical ? index.lineOf : () => null,
      ...(withLines ? { originOf: snapshotOrigins(snapshot, originUri) } : {}),
    };
  }
};

/** `--broad-prefix`: a prefix length 0–32. */
function parsePrefixLength(value: string): number {
  if (!/^\d{1,2}$/.test(value) || Number(value) > 32)
    throw new InvalidArgumentError('expected a prefix length from 0 to 32');
  return Number(value);
}

function unmatchedDiagnostic(a: Acceptance, file: string): Diagnostic {
  return diagnostic(
    'ACCEPT_UNMATCHED',
    `acceptance ${describeAcceptance(a)} matches no finding: remove it, or check the rule ID and resource`,
    file,
    a.path,
  );
}

/** Newlines in a file, read in blocks (a large snapshot is never held whole); -1 when it cannot be read. */
function countLines(file: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return -1;
  }
  try {
    const block = Buffer.alloc(1 << 20);
    let lines = 0;
    for (let n = fs.readSync(fd, block); n > 0; n = fs.readSync(fd, block)) {
      for (let at = block.indexOf(10); at >= 0 && at < n; at = block.indexOf(10, at + 1)) lines++;
    }
    return lines;
  } finally {
    fs.closeSync(fd);
  }
}
