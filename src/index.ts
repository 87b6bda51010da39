/**
 * aciseg as a library: the functions the commands are made of, for programs that hold their Azure
 * JSON in memory. The pipeline is import → snapshot → compile → analyze / explain / check.
 *
 * No function here touches the file system except those named for it, `importFiles`,
 * `readSnapshotFile` and `readFlowLogs`. Bad input comes back as diagnostics (`ok: false`) or is thrown as an
 * `InputError` carrying them; a query that names nothing is an `EndpointError`, a bad query value a
 * `UsageError`. The snapshot's JSON Schema is shipped as `aciseg/snapshot.schema.json`.
 */
import * as path from 'node:path';
import { resolveEndpointOrThrow as resolveIn, type EndpointSet } from './analyze/endpoints';
import { explain as explainSets, type Explanation, type QueryProtocol } from './analyze/explain';
import { checkIntent, type CheckReport, type IntentEntry } from './analyze/intent';
import { computeReachability, type Reachability, type ReachabilityOptions } from './analyze/reachability';
import { parseProtocolOption } from './cli/options';
import { readSnapshotFile as readSnapshotAt } from './collect/io/files';
import { importPaths, type ImportOutcome } from './collect/files';
import { UsageError } from './errors';
import { buildTopology } from './graph/build';
import type { Snapshot } from './model/snapshot';
import { compilePolicy, type PolicyEngine, type ServiceTags } from './policy';
import type { PortSet } from './net/interval-set';
import { portSetOf } from './net/ports';
import { ReachabilityView, renderReachabilityText, serializeReachabilityJson } from './render/reachability';
import { renderSummary, renderSummaryJson } from './render/summary';
import { parseAcceptances, type Acceptance, type AcceptParse } from './analyze/accept';
import type { FindingsResult, RuleMeta } from './analyze/findings';
import { computeFindings, type FindingsRun } from './analyze/run-findings';
import { RULES, type ObservedFlowsInput, type RuleSettings } from './analyze/rules';
import type { FlowLogResult } from './collect/flows';
import type { FindingsReport } from './render/findings-common';
import { serializeFindingsJson } from './render/findings-json';
import { renderFindingsMarkdown } from './render/findings-markdown';
import { renderFindingsSarif } from './render/findings-sarif';
import { renderFindingsText } from './render/findings-text';
import type { PlanResult } from './plan/model';
import { printBicep } from './render/bicep';
import { planBicepTree } from './render/plan-bicep';
import { renderPlanArm } from './render/plan-arm';
import { serializePlanJson } from './render/plan-json';
import { renderPlanMarkdown } from './render/plan-markdown';

export { VERSION } from './version';
export { SCHEMA_VERSION, type Snapshot } from './model/snapshot';
export type { Diagnostic, Severity } from './diagnostics';
export { formatDiagnostic } from './diagnostics';
export { ExitCode, EnvironmentError, InputError, UsageError, exitCodeFor } from './errors';
export { EndpointError, type EndpointSet } from './analyze/endpoints';
export type { Explanation, Verdict, QueryProtocol } from './analyze/explain';
export {
  IntentError,
  parseIntent,
  type CheckReport,
  type CheckResult,
  type IntentEntry,
} from './analyze/intent';
export type { Reachability, ReachabilityOptions } from './analyze/reachability';
export { parseServiceTags, type PolicyEngine, type ServiceTags } from './policy';
export { renderExplanationText as explanationText } from './render/explain';
export { checkReportJson, renderCheckText as checkReportText } from './render/check';

// ── plan ────────────────────────────────────────────────────────────────────────────────────────

/** `plan`: least-privilege NSG rule sets for the ACI subnets, the proof, the effect and the proposed snapshot. */
export { planSegmentation, type PlanInput } from './plan';
export type {
  PlanEffect,
  PlanProof,
  PlanResult,
  ProofCheck,
  ProofFailure,
  ProposedNsg,
  ProposedRule,
  RequiredFlow,
  RuleProvenance,
} from './plan/model';

/** The plan as `plan --format bicep` prints it. */
export function planBicep(result: PlanResult): string {
  return printBicep(planBicepTree(result));
}

/** The plan as `plan --format arm` prints it (a deployable ARM template). */
export function planArm(result: PlanResult): string {
  return renderPlanArm(result);
}

/** The plan as `plan --format json` prints it (`kind: aciseg.plan`). */
export function planJsonText(result: PlanResult): string {
  return [...serializePlanJson(result)].join('');
}

/** The plan as `plan --format markdown` prints it (a review table per NSG). */
export function planMarkdown(result: PlanResult): string {
  return renderPlanMarkdown(result);
}

// ── import ──────────────────────────────────────────────────────────────────────────────────────

/** Exported Azure JSON in any accepted shape (ARM REST, az CLI, Resource Graph, SDK objects, templates). */
export { importDocuments, type InputDocument, type ImportOutcome } from './collect/files';

/** File helper: reads the named files and directories (`*.json`, recursively) as `aciseg import` does. */
export function importFiles(paths: readonly string[], options: { cwd?: string } = {}): ImportOutcome {
  return importPaths(paths, options.cwd ?? process.cwd());
}

// ── snapshot ────────────────────────────────────────────────────────────────────────────────────

/** Parses and validates snapshot text: `{ ok: true, snapshot }` or `{ ok: false, diagnostics }`. */
export { parseSnapshotText as parseSnapshot, validateSnapshot } from './model/snapshot-codec';

/** The snapshot file's text: sorted, one resource per line, byte-identical for the same snapshot. */
export { snapshotToString } from './model/snapshot-codec';

/** File helper: reads and validates a snapshot file of any size; throws an InputError naming it. */
export function readSnapshotFile(file: string): Snapshot {
  return readSnapshotAt(path.resolve(file), file);
}

/** What a snapshot holds, as `aciseg summary` prints it (text or the JSON document). */
export function summaryText(snapshot: Snapshot): string {
  return renderSummary(snapshot, buildTopology(snapshot));
}

export function summaryJson(snapshot: Snapshot): string {
  return renderSummaryJson(snapshot, buildTopology(snapshot));
}

// ── compile, analyze ────────────────────────────────────────────────────────────────────────────

export interface CompileOptions {
  /** Resolves service tags such as `Storage.WestEurope`; without it they are unknown. */
  serviceTags?: ServiceTags;
}

/** Compiles a snapshot's policy once; every query below runs against the result. */
export function compile(snapshot: Snapshot, options: CompileOptions = {}): PolicyEngine {
  return compilePolicy(snapshot, options.serviceTags ? { serviceTags: options.serviceTags } : {});
}

/**
 * Every flow Azure policy allows between the snapshot's endpoint groups (`aciseg analyze`). The
 * report's ids (`o2`, `k7`) follow the engine's internal numbering, which `explain` and `check`
 * queries extend: analyze on a freshly compiled engine for a report byte-identical to the command's.
 */
export function analyze(engine: PolicyEngine, options: ReachabilityOptions = {}): Reachability {
  return computeReachability(engine, options);
}

/** The `aciseg analyze --format json` report (kind `aciseg.reachability`). */
export function reachabilityJson(engine: PolicyEngine, reachability: Reachability): string {
  return [...serializeReachabilityJson(new ReachabilityView(engine, reachability))].join('');
}

/** The `aciseg analyze` text report, listing the `limit` riskiest paths. */
export function reachabilityText(engine: PolicyEngine, reachability: Reachability, limit = 25): string {
  return renderReachabilityText(new ReachabilityView(engine, reachability), limit);
}

// ── explain, check ──────────────────────────────────────────────────────────────────────────────

/** Resolves an endpoint as `--from` / `--to` do (resource ID, group name, vnet/subnet, CIDR, tag). */
export function resolveEndpoint(engine: PolicyEngine, text: string): EndpointSet {
  return resolveIn(engine.index, text);
}

export interface ExplainQuery {
  from: string;
  to: string;
  /** `tcp` (the default), `udp`, `icmp` or `*`, in any case. */
  protocol?: string;
  /** Destination ports: a port number, or text as in an intent file (`443`, `8000-8100`, `80,443`, `*`). */
  ports?: number | string;
}

/** The verdict for one query, with the rules that decide it on each side (`aciseg explain`). */
export function explain(engine: PolicyEngine, query: ExplainQuery): Explanation {
  const protocol = queryProtocol(query.protocol ?? 'tcp');
  const ports = query.ports === undefined || protocol === 'Icmp' ? null : queryPorts(query.ports);
  return explainSets(
    engine,
    resolveEndpoint(engine, query.from),
    resolveEndpoint(engine, query.to),
    protocol,
    ports,
  );
}

/**
 * Evaluates intent entries (from `parseIntent`): `require` entries must be allowed, `forbid` entries
 * denied. `today` (YYYY-MM-DD, default the current date) decides which entries have expired.
 */
export function check(
  engine: PolicyEngine,
  entries: readonly IntentEntry[],
  options: { today?: string; file?: string } = {},
): CheckReport {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new UsageError('today must be a date written YYYY-MM-DD');
  return checkIntent(engine, entries, today, options.file ?? 'intent');
}

function queryProtocol(text: string): QueryProtocol {
  try {
    return parseProtocolOption(text);
  } catch {
    throw new UsageError(`protocol ${JSON.stringify(text)}: expected tcp, udp, icmp or *`);
  }
}

function queryPorts(ports: number | string): PortSet {
  const text = String(ports);
  try {
    return portSetOf(text.split(',').map((p) => p.trim()));
  } catch {
    throw new UsageError(`ports ${JSON.stringify(text)}: expected 0–65535, a range a-b, a list or *`);
  }
}

// ── flow logs ───────────────────────────────────────────────────────────────────────────────────

/**
 * File helper: VNet and NSG flow logs (files, directories, gzip) → `{ flows, window, stats,
 * diagnostics }`, streamed; `FlowLogReader` does the same from bytes in memory.
 */
export {
  readFlowLogs,
  requireCompleteFlowLogs,
  groupObservedFlows,
  FlowLogReader,
  type FlowLogOptions,
  type FlowLogResult,
  type ObservedFlow,
  type ObservedFlows,
  type GroupedFlow,
} from './collect/flows';

// ── findings ────────────────────────────────────────────────────────────────────────────────────

export type {
  Finding,
  FindingFlow,
  FindingResource,
  FindingRuleRef,
  FindingSeverity,
  FindingsResult,
  RuleMeta,
} from './analyze/findings';
export type { Acceptance, AcceptParse } from './analyze/accept';
export type { FindingsRun } from './analyze/run-findings';
export type { ObservedFlowsInput, PackRule, RuleSettings } from './analyze/rules';

/** The rule pack's metadata, in ID order (README "Rule catalogue"). */
export function rulePack(): RuleMeta[] {
  return RULES.map((r) => r.meta);
}

/** The `accept` entries of intent text (YAML or JSON), checked against the pack's rule IDs. */
export function parseAccept(text: string, file: string): AcceptParse {
  return parseAcceptances(
    text,
    file,
    RULES.map((r) => r.meta.id),
  );
}

export interface FindingsOptions {
  /** The intent file's `require`/`forbid` entries (`parseIntent`) and `accept` entries (`parseAccept`). */
  intent?: { file: string; entries?: readonly IntentEntry[]; accept?: readonly Acceptance[] };
  /** Observed flows (`observedFlows(readFlowLogs(…))`). */
  observed?: ObservedFlowsInput;
  /** YYYY-MM-DD that decides which acceptances have expired (default: the current UTC date). */
  today?: string;
  settings?: Partial<RuleSettings>;
}

/**
 * The findings of `aciseg analyze`: the pack run over the engine's snapshot, acceptances applied.
 * `unmatched` lists the acceptances in force that matched no finding (the command warns about them).
 */
export function findings(engine: PolicyEngine, options: FindingsOptions = {}): FindingsRun {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new UsageError('today must be a date written YYYY-MM-DD');
  const intent = options.intent
    ? {
        file: options.intent.file,
        entries: options.intent.entries ?? [],
        accept: options.intent.accept ?? [],
      }
    : null;
  return computeFindings({
    engine,
    intent,
    observed: options.observed ?? null,
    today,
    ...(options.settings ? { settings: options.settings } : {}),
  });
}

/** Flow logs read by `readFlowLogs` (after `requireCompleteFlowLogs`) as the findings' observed flows. */
export function observedFlows(result: FlowLogResult): ObservedFlowsInput {
  const { totals } = result.stats;
  return {
    flows: [...result.flows],
    window: { ...result.window, files: totals.files, tuples: totals.aggregated },
  };
}

export interface FindingsRenderOptions {
  /** The snapshot path written into explain commands and SARIF locations (default `snapshot.json`). */
  snapshot?: string;
  /** Text: findings shown in full (default 25). */
  limit?: number;
  /** Text: ANSI colours (default false). */
  color?: boolean;
}

function findingsReport(result: FindingsResult, options: FindingsRenderOptions): FindingsReport {
  const name = options.snapshot ?? 'snapshot.json';
  return {
    result,
    snapshot: { path: name, uri: name.split(path.sep).join('/'), lineOf: () => null },
    limit: options.limit ?? 25,
    color: options.color ?? false,
  };
}

/** The `aciseg analyze` text, JSON (`aciseg.findings`), Markdown and SARIF outputs. */
export function findingsText(result: FindingsResult, options: FindingsRenderOptions = {}): string {
  return renderFindingsText(findingsReport(result, options));
}

export function findingsJson(result: FindingsResult, options: FindingsRenderOptions = {}): string {
  return [...serializeFindingsJson(findingsReport(result, options))].join('');
}

export function findingsMarkdown(result: FindingsResult, options: FindingsRenderOptions = {}): string {
  return renderFindingsMarkdown(findingsReport(result, options));
}

export function findingsSarif(result: FindingsResult, options: FindingsRenderOptions = {}): string {
  return renderFindingsSarif(findingsReport(result, options));
}
