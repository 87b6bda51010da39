/** `aciseg plan`: least-privilege NSG rules for the ACI subnets, proven with the engine; exit 1 when the proof fails. */
import * as path from 'node:path';
import { Option } from 'commander';
import { inFileOrder, isCalendarDate, parseIntent, type IntentEntry } from '../../analyze/intent';
import { DEFAULT_RULE_SETTINGS } from '../../analyze/rules';
import { failWith, readSnapshotFile, readTextFile, resolveInput } from '../../collect/io/files';
import { ExitCode, UsageError } from '../../errors';
import { compilePolicy } from '../../policy';
import { measureEffect, plannedNsgs, proposeAndProve, type PlanInput, type PlanResult } from '../../plan';
import { rendererFor } from '../../render/registry';
import { printable } from '../../util/escape';
import {
  addOptions,
  flowLogOptions,
  formatOption,
  outputOptions,
  serviceTagsOption,
  verbosityOptions,
} from '../common-options';
import { readServiceTagsFile } from '../engine-input';
import { readObservedFlows } from '../flow-input';
import { startForCommand, type StandaloneRules } from '../standalone-rules';
import { createLog, type VerbosityOptions } from '../log';
import { openOutput, type OutputOptions } from '../output';
import { openFilesOutput, type FilesOutput } from '../output-directory';
import { PLAN_BICEP_LAYOUT, planBicepFiles, severalFilesRefusal } from '../../render/plan-bicep';
import { armLimitWarnings, bicepLimitWarnings } from '../../render/deploy-limits';
import { scopeKey } from '../../render/plan-groups';
import type { CommandRegistration } from '../program';

interface PlanOptions extends OutputOptions, VerbosityOptions {
  format: string;
  flows?: string[];
  since?: string;
  until?: string;
  intent?: string;
  serviceTags?: string;
  includeDeclaredPorts?: boolean;
  today?: string;
}

/** Registers `plan`. */
export const registerPlan: CommandRegistration = (program, ctx) => {
  const command = program
    .command('plan')
    .description(
      'Propose least-privilege NSG rules for the ACI subnets from observed flows and intent, proven with the engine.',
    )
    .argument('<snapshot>', 'snapshot file written by aciseg import');
  addOptions(command, [formatOption('plan'), ...outputOptions(), serviceTagsOption(), ...flowLogOptions()])
    .option('--intent <file>', 'intent file: require entries are kept allowed, forbid entries denied')
    .option(
      '--include-declared-ports',
      'also require the ports container groups declare, from within their own VNet',
    )
    .addOption(
      new Option('--today <date>', 'date (YYYY-MM-DD) that decides which intent entries have expired'),
    );
  addOptions(command, verbosityOptions())
    .addHelpText(
      'after',
      `
Every plan carries its proof, computed with the engine on the proposed snapshot: (a) every required
flow is allowed, (b) nothing is allowed that was not allowed before (except what a require entry
demands, listed as widening), (c) every forbid entry is denied. The proof summary goes to stderr
with every format. Exit codes: 0 proof ok, 1 proof failed (the failing flows are named), 2 bad
input (a require that contradicts a forbid, a required flow no NSG rule the plan writes can allow,
a snapshot with no ACI subnet) or output (bicep of several resource groups without -o <directory>,
an existing output without --force, a directory holding files plan did not write).

NSGs in several resource groups: bicep writes -o <directory>/main.bicep (subscription scope, one
module per group) and <directory>/modules/<group>.bicep (for one group too when -o ends with /);
arm writes one subscription-scoped template with a nested deployment per group. Deploy either
with az deployment sub create.

Examples:
  aciseg plan estate.json --flows flow-logs/ --intent intent.yaml --format markdown
  aciseg plan estate.json --flows flow-logs/ --format bicep -o nsg-plan.bicep
  aciseg plan estate.json --flows flow-logs/ --format bicep -o nsg-plan/
  az deployment sub create --location westeurope --template-file nsg-plan/main.bicep
`,
    )
    .action(async (snapshotFile: string, options: PlanOptions) => {
      const log = createLog(ctx.io, options);
      const render = rendererFor('plan', options.format);
      const today = options.today ?? new Date().toISOString().slice(0, 10);
      if (!isCalendarDate(today))
        throw new UsageError(`--today must be a real date written YYYY-MM-DD, not ${JSON.stringify(today)}`);
      const flowPaths = options.flows ?? [];
      if (flowPaths.length === 0 && options.intent === undefined && !options.includeDeclaredPorts)
        throw new UsageError(
          'plan needs to know what is required: give --flows, --intent or --include-declared-ports',
        );
      const inputs = [
        snapshotFile,
        ...(options.intent === undefined ? [] : [options.intent]),
        ...(options.serviceTags === undefined ? [] : [options.serviceTags]),
      ];
      // Bicep is one file per resource group (and main.bicep) when the NSGs span several: -o names a directory.
      const files =
        options.format === 'bicep' ? openFilesOutput(ctx.io, options, inputs, PLAN_BICEP_LAYOUT) : null;
      const output = files ?? openOutput(ctx.io, options, inputs);
      const intent = options.intent === undefined ? null : readIntent(options.intent, ctx.io.cwd);
      let standalone: StandaloneRules | null = null;
      let result: PlanResult;
      try {
        const snapshot = log.phase('read snapshot', () =>
          readSnapshotFile(resolveInput(ctx.io.cwd, snapshotFile), snapshotFile),
        );
        const serviceTags = options.serviceTags
          ? readServiceTagsFile(options.serviceTags, ctx.io, log.quiet)
          : undefined;
        const observed = await log.phase('read flow logs', () =>
          readObservedFlows({ ...options, flows: flowPaths }, ctx.io, log),
        );
        const engine = compilePolicy(snapshot, serviceTags ? { serviceTags } : {});
        // Before planning (minutes on large estates): Bicep for several resource groups needs -o <directory>.
        if (files) expectScopes(files, plannedNsgs(engine.index, snapshotFile));
        // The effect's rules that need no reachability (the shadowed and redundant rules among them) run
        // on the snapshot before the change on a second thread while this one plans. Started only now:
        // both threads parsing the snapshot at once slowed this one's read by half.
        standalone = startForCommand(
          ctx.io.cwd,
          snapshotFile,
          options.serviceTags,
          DEFAULT_RULE_SETTINGS,
          log.progress,
        );
        const input: PlanInput = {
          snapshot,
          engine,
          observed,
          intent,
          ...(serviceTags ? { serviceTags } : {}),
          includeDeclaredPorts: options.includeDeclaredPorts ?? false,
          today,
          progress: log.progress,
          file: snapshotFile,
        };
        const proposal = log.phase('plan and prove', () => proposeAndProve(input));
        const worker = standalone;
        const there = worker && { rules: worker.rules, findings: await worker.findings() };
        result = log.phase(`effect${there ? ' (with a worker thread)' : ''}`, () =>
          measureEffect(input, proposal, there ?? undefined),
        );
      } finally {
        standalone?.stop();
      }
      await log.phase('write', () => {
        if (files) {
          const bicep = planBicepFiles(result, files.wantsDirectory);
          for (const w of bicepLimitWarnings(result.nsgs, bicep)) log.warn(`warning: ${w}`);
          return files.write(bicep, severalFilesRefusal(result.nsgs));
        }
        if (options.format !== 'arm') return output.emit(render(result));
        const template = [...render(result)];
        for (const w of armLimitWarnings(result.nsgs, chunksBytes(template))) log.warn(`warning: ${w}`);
        return output.emit(template);
      });
      reportProof(result, (line) => ctx.io.stderr(`${printable(line)}\n`), log.quiet);
      if (!result.proof.ok) ctx.setExitCode(ExitCode.findings);
    });
};

function readIntent(file: string, cwd: string): { file: string; entries: readonly IntentEntry[] } {
  const parsed = parseIntent(readTextFile(path.resolve(cwd, file), file), file, { allowEmpty: true });
  if (!parsed.ok) failWith(inFileOrder(parsed.diagnostics));
  return { file, entries: parsed.entries };
}

type Scoped = { subscriptionId: string | null; resourceGroup: string | null };

/** Several resource groups: exit 2 for Bicep to stdout (or to an existing file), else check the directory. */
function expectScopes(files: FilesOutput, nsgs: readonly Scoped[]): void {
  files.expect(new Set(nsgs.map(scopeKey)).size > 1, severalFilesRefusal(nsgs));
}

/** The proof in a few lines on stderr: always when it fails, else unless --quiet. */
function reportProof(result: PlanResult, line: (text: string) => void, quiet: boolean): void {
  const { proof, effect } = result;
  if (proof.ok && quiet) return;
  const mark = (ok: boolean) => (ok ? 'ok' : 'FAILED');
  line(
    `proof: ${mark(proof.ok)} — (a) required allowed: ${mark(proof.required.ok)} (${proof.required.checked}), (b) nothing newly allowed: ${mark(proof.noWidening.ok)}${proof.noWidening.widening.length > 0 ? ` (${proof.noWidening.widening.length} widening by require)` : ''}, (c) forbid denied: ${mark(proof.forbidden.ok)} (${proof.forbidden.checked})`,
  );
  for (const f of [
    ...proof.required.failures,
    ...proof.noWidening.failures,
    ...proof.forbidden.failures,
  ].slice(0, 20))
    line(`  ${f.flow.from} → ${f.flow.to} ${f.flow.protocol} ${f.flow.ports}: ${f.detail}`);
  if (!quiet)
    line(
      `effect: ${BigInt(effect.closedFlowSpace).toLocaleString('en-US')} tuples closed between ${(effect.closedPairs ?? effect.closed.length).toLocaleString('en-US')} endpoint pairs; ${rulesLine(effect.rules)}`,
    );
}

/** Rules before → after: per NSG for a few, else the totals (the per-NSG counts are in every format). */
function rulesLine(rules: PlanResult['effect']['rules']): string {
  if (rules.length <= MAX_NSGS_LISTED)
    return `rules ${rules.map((r) => `${r.name} ${r.before}→${r.after}`).join(', ')}`;
  const sum = (pick: (r: (typeof rules)[number]) => number) =>
    rules.reduce((total, r) => total + pick(r), 0).toLocaleString('en-US');
  return `rules ${sum((r) => r.before)}→${sum((r) => r.after)} in ${rules.length.toLocaleString('en-US')} NSGs`;
}

/** Up to this many NSGs, the effect line on stderr names each one's rule counts. */
const MAX_NSGS_LISTED = 8;

/** The UTF-8 size of rendered chunks. */
function chunksBytes(chunks: readonly string[]): number {
  let n = 0;
  for (const c of chunks) n += Buffer.byteLength(c, 'utf8');
  return n;
}
