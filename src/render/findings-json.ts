/**
 * Findings as JSON (`kind: "aciseg.findings"`, `schemaVersion: 2`, README "Findings JSON"): the
 * counts, the observed-flow window, the pack's rules and every finding, one rule or finding per line
 * so the document streams and greps. Deterministic: findings come sorted (compareFindings), keys in a
 * fixed order, and nothing depends on the clock.
 */
import type { Finding, RuleMeta } from '../analyze/findings';
import { envelope } from './envelope';
import { jsonDocumentLines } from './json-lines';
import { explainCommand, type FindingsReport } from './findings-common';

/** A finding as the JSON writes it: fields in a fixed order, `explain` with the real snapshot path. */
export function findingJson(f: Finding, snapshotPath: string): Record<string, unknown> {
  const ordered: Record<string, unknown> = {
    ruleId: f.ruleId,
    severity: f.severity,
    title: f.title,
    message: f.message,
    fingerprint: f.fingerprint,
    accepted: f.accepted,
    resources: f.resources,
    ...(f.resourcesOmitted ? { resourcesOmitted: f.resourcesOmitted } : {}),
    flows: f.flows,
    flowsOmitted: f.flowsOmitted,
    rules: f.rules,
    ...(f.rulesOmitted ? { rulesOmitted: f.rulesOmitted } : {}),
    remediation: f.remediation,
    explain: explainCommand(f, snapshotPath),
    controls: f.controls,
    location: f.location,
  };
  // Fields a rule adds beyond the shared shape follow, in name order.
  for (const key of Object.keys(f).sort()) if (!(key in ordered)) ordered[key] = f[key as keyof Finding];
  return ordered;
}

function ruleJson(r: RuleMeta): RuleMeta {
  return {
    id: r.id,
    name: r.name,
    title: r.title,
    severity: r.severity,
    description: r.description,
    remediation: r.remediation,
    controls: r.controls,
  };
}

export function* serializeFindingsJson(report: FindingsReport): Generator<string> {
  const { result } = report;
  const head = {
    ...envelope('aciseg.findings'),
    snapshot: report.snapshot.path,
    counts: result.counts,
    accepted: result.accepted,
    total: result.findings.length,
    window: result.window,
  };
  yield* jsonDocumentLines(head, [
    ['rules', result.rules.length, (i) => ruleJson(result.rules[i]!)],
    ['findings', result.findings.length, (i) => findingJson(result.findings[i]!, report.snapshot.path)],
  ]);
}
