/**
 * The format registry: for each command, the formats it can print and the renderer of each. A
 * renderer turns the command's result into chunks of text (an Iterable, so large reports stream).
 * A new format is one renderer module, one line here and one golden (test/unit/cli/formats.test.ts
 * fails until the new (command, format) has one). The first format of a command is its default,
 * and `--format` offers exactly these names.
 */
import type { Explanation } from '../analyze/explain';
import type { CheckReport } from '../analyze/intent';
import type { Topology } from '../graph/attributes';
import type { Snapshot } from '../model/snapshot';
import type { PlanResult } from '../plan/model';
import { UsageError } from '../errors';
import { checkReportJson, renderCheckText } from './check';
import { enveloped } from './envelope';
import { renderExplanationText } from './explain';
import type { FindingsReport } from './findings-common';
import { serializeFindingsJson } from './findings-json';
import { renderFindingsMarkdown } from './findings-markdown';
import { serializeFindingsSarif } from './findings-sarif';
import { renderFindingsText } from './findings-text';
import { renderReportHtml } from './report-html';
import type { ReportData } from './report-model';
import { renderReachabilityText, serializeReachabilityJson, type ReachabilityView } from './reachability';
import { renderSummary, renderSummaryJson } from './summary';
import { renderPlanBicep } from './plan-bicep';
import { renderPlanArm } from './plan-arm';
import { serializePlanJson } from './plan-json';
import { renderPlanMarkdown } from './plan-markdown';

/** Chunks of output text, written in order. */
export type Chunks = Iterable<string>;

/** Renders one command's result in one format. */
export type Renderer<R> = (result: R) => Chunks;

/** A snapshot to summarize; the topology is built only when a format asks for it. */
export interface SnapshotResult {
  snapshot: Snapshot;
  topology(): Topology;
}

/** The reachability dump (`analyze --reachability`), with the text form's length and a sink for progress while it streams. */
export interface AnalyzeResult {
  view: ReachabilityView;
  limit: number;
  progress(message: string): void;
}

/** The report page's data, with the page bundle and style sheet it inlines. */
export interface ReportResult {
  data: ReportData;
  script: string;
  style: string;
}

/** What each command hands to its renderers. */
export interface CommandResults {
  import: SnapshotResult;
  summary: SnapshotResult;
  analyze: FindingsReport;
  /** `analyze --reachability`: not a command of its own, the dump behind analyze's option. */
  reachability: AnalyzeResult;
  explain: Explanation;
  check: CheckReport;
  plan: PlanResult;
  report: ReportResult;
}

export type CommandName = keyof CommandResults;

type FormatTable<R> = Readonly<Record<string, Renderer<R>>>;

/** Pretty-printed JSON ending with a newline. */
function jsonDocument(value: unknown): Chunks {
  return [`${JSON.stringify(value, null, 2)}\n`];
}

const summaryText: Renderer<SnapshotResult> = (r) => [renderSummary(r.snapshot, r.topology())];
const summaryJson: Renderer<SnapshotResult> = (r) => [renderSummaryJson(r.snapshot, r.topology())];

const REGISTRY: { readonly [C in CommandName]: FormatTable<CommandResults[C]> } = {
  // import writes the snapshot to -o; its format is the summary it also prints (none by default).
  import: { none: () => [], text: summaryText, json: summaryJson },
  summary: { text: summaryText, json: summaryJson },
  analyze: {
    text: (r) => [renderFindingsText(r)],
    json: (r) => serializeFindingsJson(r),
    markdown: (r) => [renderFindingsMarkdown(r)],
    sarif: (r) => serializeFindingsSarif(r),
  },
  reachability: {
    text: (r) => [renderReachabilityText(r.view, r.limit)],
    json: (r) => serializeReachabilityJson(r.view, r.progress),
  },
  explain: {
    text: (x) => [renderExplanationText(x)],
    json: (x) => jsonDocument(enveloped('aciseg.explanation', x)),
  },
  check: { text: (r) => [renderCheckText(r)], json: (r) => jsonDocument(checkReportJson(r)) },
  plan: {
    bicep: (r) => [renderPlanBicep(r)],
    arm: (r) => [renderPlanArm(r)],
    json: (r) => serializePlanJson(r),
    markdown: (r) => [renderPlanMarkdown(r)],
  },
  report: { html: (r) => [renderReportHtml(r.data, r.script, r.style)] },
};

/** Results that are not a command of their own but another command's option (`analyze --reachability`). */
const OPTION_RESULTS: ReadonlySet<CommandName> = new Set(['reachability']);

/** The registered command names, in registry order. */
export function registeredCommands(): CommandName[] {
  return (Object.keys(REGISTRY) as CommandName[]).filter((c) => !OPTION_RESULTS.has(c));
}

/** Every registered (result, format), the option results (`reachability`) included: each needs a golden or a test. */
export function registeredFormats(): [CommandName, string][] {
  return (Object.keys(REGISTRY) as CommandName[]).flatMap((c) =>
    formatsOf(c).map((f) => [c, f] as [CommandName, string]),
  );
}

/** The formats a command can print, its default first. */
export function formatsOf(command: CommandName): string[] {
  return Object.keys(REGISTRY[command]);
}

/** The renderer of (command, format); a format the command does not have is a usage error listing the choices. */
export function rendererFor<C extends CommandName>(command: C, format: string): Renderer<CommandResults[C]> {
  const table: FormatTable<CommandResults[C]> = REGISTRY[command];
  const renderer = Object.hasOwn(table, format) ? table[format] : undefined;
  if (!renderer)
    throw new UsageError(
      `${command} has no format ${JSON.stringify(format)}; choose one of ${formatsOf(command).join(', ')}`,
    );
  return renderer;
}
