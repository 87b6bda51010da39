/** `aciseg report`: one self-contained HTML page of what can talk to what, its findings, and (with a proposal) after and diff. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isCalendarDate, parseIntent } from '../../analyze/intent';
import { computeReachability, type Reachability } from '../../analyze/reachability';
import { ReachabilityView } from '../../analyze/results';
import { DEFAULT_RULE_SETTINGS, runRules } from '../../analyze/rules';
import { readObservedFlows } from '../flow-input';
import { failWith, readSnapshotFile, readTextFile, resolveInput } from '../../collect/io/files';
import type { Snapshot } from '../../model/snapshot';
import { planSegmentation, type PlanResult } from '../../plan';
import { EnvironmentError, UsageError } from '../../errors';
import { buildReportData } from '../../render/report-data';
import { rendererFor } from '../../render/registry';
import { compilePolicy, type PolicyEngine } from '../../policy';
import {
  addOptions,
  flowLogOptions,
  formatOption,
  outputOptions,
  serviceTagsOption,
  verbosityOptions,
} from '../common-options';
import { readServiceTagsFile } from '../engine-input';
import { createLog, type VerbosityOptions } from '../log';
import { openOutput, type OutputOptions } from '../output';
import type { CommandRegistration } from '../program';

interface ReportOptions extends OutputOptions, VerbosityOptions {
  format: string;
  serviceTags?: string;
  flows?: string[];
  since?: string;
  until?: string;
  intent?: string;
  proposed?: string;
  plan?: boolean;
  today?: string;
}

/**
 * The page bundle and style sheet written by `npm run build` (dist/viz). From dist/cli/commands they
 * are two folders up; from src (tests, tsx) they are in the package's dist.
 */
export function readPageAssets(): { script: string; style: string } {
  for (const dir of [path.resolve(__dirname, '../../viz'), path.resolve(__dirname, '../../../dist/viz')]) {
    const script = path.join(dir, 'report.js');
    const style = path.join(dir, 'report.css');
    if (fs.existsSync(script) && fs.existsSync(style))
      return { script: fs.readFileSync(script, 'utf8'), style: fs.readFileSync(style, 'utf8') };
  }
  throw new EnvironmentError('the report page bundle (dist/viz/report.js) is missing; run npm run build');
}

/** Registers `report`. */
export const registerReport: CommandRegistration = (program, ctx) => {
  const command = program
    .command('report')
    .description(
      'Write one self-contained HTML page (offline, no requests) showing what can talk to what (VNets, subnets, container groups, the Internet), the rules behind each flow, the findings, and what a proposal changes.',
    )
    .argument('<snapshot>', 'snapshot file written by aciseg import');
  addOptions(command, [formatOption('report'), ...outputOptions(), serviceTagsOption(), ...flowLogOptions()])
    .option('--intent <file>', 'intent file (YAML or JSON): findings check its require and forbid entries')
    .option(
      '--proposed <snapshot>',
      'a proposed snapshot (the same estate with other rules) for the After and Diff views, instead of the plan',
    )
    .option('--no-plan', 'with --flows or --intent: no plan, so no After and Diff views')
    .option('--today <date>', 'the date (YYYY-MM-DD) that decides intent expiry (default: today, UTC)');
  addOptions(command, verbosityOptions())
    .addHelpText(
      'after',
      `
Open the file in a browser (file:// works; the page makes no request). Views: Before (today),
After (the proposal: what aciseg plan proposes from --flows and --intent, or --proposed) and Diff
(flows opened, closed, narrowed). Click a box or a line for its
allowed traffic, the deciding rules on each side, its findings and the proposed rules that change
it; search, filter by port, risk or finding severity; zoom and pan; export SVG or PNG.

Examples:
  aciseg report estate.json -o report.html
  aciseg report estate.json --flows flowlogs/ --intent intent.yaml -o report.html
  aciseg report estate.json --proposed proposed.json -o report.html --force
`,
    )
    .action(async (snapshotFile: string, options: ReportOptions) => {
      const log = createLog(ctx.io, options);
      const render = rendererFor('report', options.format);
      const today = options.today ?? new Date().toISOString().slice(0, 10);
      if (!isCalendarDate(today))
        throw new UsageError(`--today must be a real date written YYYY-MM-DD, not ${JSON.stringify(today)}`);
      const output = openOutput(ctx.io, options, [
        snapshotFile,
        ...[options.serviceTags, options.intent, options.proposed].filter(
          (f): f is string => f !== undefined,
        ),
      ]);
      const assets = readPageAssets();
      let intent = null;
      if (options.intent) {
        const parsed = parseIntent(
          readTextFile(path.resolve(ctx.io.cwd, options.intent), options.intent),
          options.intent,
          { allowEmpty: true },
        );
        if (!parsed.ok) failWith(parsed.diagnostics);
        intent = { file: options.intent, entries: parsed.entries };
      }
      const observed = await log.phase('read flow logs', () => readObservedFlows(options, ctx.io, log));
      const serviceTags = options.serviceTags
        ? readServiceTagsFile(options.serviceTags, ctx.io, log.quiet)
        : undefined;
      const engine = log.phase('read snapshot and compile policy', () =>
        compilePolicy(
          readSnapshotFile(resolveInput(ctx.io.cwd, snapshotFile), snapshotFile),
          serviceTags ? { serviceTags } : {},
        ),
      );
      const reach = log.phase('compute reachability', () =>
        computeReachability(engine, { progress: log.progress }),
      );
      const findings = log.phase('findings', () => {
        let view: ReachabilityView | null = null;
        return runRules({
          snapshot: engine.index.snapshot,
          engine,
          reachability: () => ({ reach, view: (view ??= new ReachabilityView(engine, reach)) }),
          intent,
          observed,
          today,
          settings: DEFAULT_RULE_SETTINGS,
        });
      });
      // After: a proposed snapshot given by hand, else the planner's proposal when there is
      // something to plan from (flow logs or intent), unless --no-plan.
      let proposed: Snapshot | null = null;
      let plan: PlanResult | undefined;
      if (options.proposed) {
        const file = options.proposed;
        proposed = log.phase('read the proposed snapshot', () =>
          readSnapshotFile(resolveInput(ctx.io.cwd, file), file),
        );
      } else if (options.plan !== false && (observed !== null || intent !== null)) {
        plan = log.phase('plan and prove', () =>
          planSegmentation({
            snapshot: engine.index.snapshot,
            engine,
            observed,
            intent,
            ...(serviceTags ? { serviceTags } : {}),
            today,
            progress: log.progress,
            file: snapshotFile,
          }),
        );
        proposed = plan.proposed;
      }
      let after: ({ engine: PolicyEngine; reach: Reachability } & { plan?: PlanResult }) | undefined;
      if (proposed) {
        const snapshot = proposed;
        const afterEngine = log.phase('compile the proposal', () =>
          compilePolicy(snapshot, serviceTags ? { serviceTags } : {}),
        );
        after = {
          engine: afterEngine,
          reach: log.phase('compute reachability of the proposal', () =>
            computeReachability(afterEngine, { progress: log.progress }),
          ),
          ...(plan ? { plan } : {}),
        };
      }
      const data = log.phase('shape report data', () =>
        buildReportData({
          snapshot: engine.index.snapshot,
          before: { engine, reach },
          after,
          findings,
          observed,
          title: `aciseg report: ${path.basename(snapshotFile)}`,
          progress: log.progress,
        }),
      );
      await log.phase('write report', () => output.emit(render({ data, ...assets })));
    });
};
