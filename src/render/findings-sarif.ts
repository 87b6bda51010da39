/**
 * Findings as SARIF 2.1.0 for code scanning: one `reportingDescriptor` per pack rule (help text,
 * default level, tags and benchmark controls), one result per finding with its level from the
 * severity, a `partialFingerprints` entry (`acisegFingerprint/v1`: the finding's fingerprint, stable
 * across runs), and a location in the snapshot file: the line of the resource (the snapshot is one
 * resource per line) and its JSON pointer as a logical location. Accepted findings carry an external,
 * accepted suppression with the intent entry's reason.
 */
import type { Finding, FindingSeverity, RuleMeta } from '../analyze/findings';
import { VERSION } from '../version';
import { count, explainCommand, flowText, ruleText, type FindingsReport } from './findings-common';

export const SARIF_FINGERPRINT = 'acisegFingerprint/v1';

const LEVEL: Record<FindingSeverity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub code scanning ranks security alerts by this property (critical > 9, high 7–8.9, medium 4–6.9, low < 4). */
const SECURITY_SEVERITY: Record<FindingSeverity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

function descriptor(rule: RuleMeta): Record<string, unknown> {
  const controls = [
    ...rule.controls.mcsb.map((c) => `MCSB ${c}`),
    ...rule.controls.cis.map((c) => `CIS ${c}`),
  ];
  const text = `${rule.description}\n\nRemediation: ${rule.remediation}${controls.length > 0 ? `\n\nControls: ${controls.join(', ')}` : ''}`;
  const markdown = `${rule.description}\n\n**Remediation:** ${rule.remediation}${controls.length > 0 ? `\n\n**Controls:** ${controls.join(', ')}` : ''}`;
  return {
    id: rule.id,
    name: pascalCase(rule.name),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: { text, markdown },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: [
        'security',
        'network',
        ...rule.controls.mcsb.map((c) => `mcsb/${c}`),
        ...rule.controls.cis.map((c) => `cis/${c}`),
      ],
      precision: 'very-high',
      'security-severity': SECURITY_SEVERITY[rule.severity],
      severity: rule.severity,
      controls: rule.controls,
    },
  };
}

/** `public-container-group` → `PublicContainerGroup` (SARIF rule names are identifiers). */
function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** A result's text: the message, then the flows, rules, fix and evidence command (SARIF messages are plain text). */
function messageText(f: Finding, report: FindingsReport): string {
  const lines = [f.message];
  for (const flow of f.flows.slice(0, 5)) lines.push(`flow: ${flowText(flow)} (${flow.verdict})`);
  const more = Math.max(0, f.flows.length - 5) + f.flowsOmitted;
  if (more > 0) lines.push(`… ${count(more, 'more flow')}`);
  for (const rule of f.rules.slice(0, 5)) lines.push(`rule: ${ruleText(rule)}`);
  const moreRules = Math.max(0, f.rules.length - 5) + (f.rulesOmitted ?? 0);
  if (moreRules > 0) lines.push(`… ${count(moreRules, 'more rule')}`);
  lines.push(`fix: ${f.remediation}`);
  const command = explainCommand(f, report.snapshot.path);
  if (command !== null) lines.push(`evidence: ${command}`);
  return lines.join('\n');
}

/** The snapshot entry; then, when import recorded it, the input file and JSON path it was read from. */
function locations(f: Finding, report: FindingsReport): Record<string, unknown>[] {
  const origin =
    f.location === null ? null : (report.snapshot.originOf?.(f.location.snapshotPointer) ?? null);
  if (origin === null) return [location(f, report)];
  return [
    location(f, report),
    {
      physicalLocation: { artifactLocation: { uri: origin.uri } },
      logicalLocations: [{ fullyQualifiedName: origin.path, kind: 'object' }],
      message: { text: `where aciseg import read the resource (${origin.path})` },
    },
  ];
}

function location(f: Finding, report: FindingsReport): Record<string, unknown> {
  const physical: Record<string, unknown> = { artifactLocation: { uri: report.snapshot.uri, index: 0 } };
  const line = f.location === null ? null : report.snapshot.lineOf(f.location.snapshotPointer);
  if (line !== null) physical.region = { startLine: line };
  // The resources the finding names (the line is that of the one its pointer names).
  const logical = f.resources
    .slice(0, 5)
    .map((r) => ({ name: r.name, fullyQualifiedName: r.id, kind: 'resource' }));
  return logical.length > 0
    ? { physicalLocation: physical, logicalLocations: logical }
    : { physicalLocation: physical };
}

function result(f: Finding, ruleIndex: number, report: FindingsReport): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: messageText(f, report) },
    locations: locations(f, report),
    partialFingerprints: { [SARIF_FINGERPRINT]: f.fingerprint },
    properties: {
      severity: f.severity,
      resources: f.resources,
      ...(f.location === null ? {} : { snapshotPointer: f.location.snapshotPointer }),
    },
  };
  if (f.accepted !== null) {
    const a = f.accepted;
    out.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification: `${a.reason} (owner ${a.owner}, accepted until ${a.expires}, intent ${a.entry})`,
      },
    ];
  }
  return out;
}

/**
 * The SARIF log as chunks: the tool and its rules pretty-printed, then one result per line, so a
 * large run streams (deterministic: findings in their sorted order, no timestamps).
 */
export function* serializeFindingsSarif(report: FindingsReport): Generator<string> {
  const { rules, findings } = report.result;
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const head = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'aciseg',
            informationUri: 'https://www.npmjs.com/package/aciseg',
            version: VERSION,
            semanticVersion: VERSION,
            rules: rules.map(descriptor),
          },
        },
        artifacts: [{ location: { uri: report.snapshot.uri }, roles: ['analysisTarget'] }],
        columnKind: 'unicodeCodePoints',
        results: [] as unknown[],
      },
    ],
  };
  // The head's text up to its empty results array, which the results then fill.
  const text = JSON.stringify(head, null, 2);
  const at = text.lastIndexOf('"results": []');
  yield `${text.slice(0, at)}"results": [\n`;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    yield `${JSON.stringify(result(f, index.get(f.ruleId) ?? -1, report))}${i < findings.length - 1 ? ',' : ''}\n`;
  }
  yield `]${text.slice(at + '"results": []'.length)}\n`;
}

/** The whole SARIF log as one string (small runs, tests). */
export function renderFindingsSarif(report: FindingsReport): string {
  return [...serializeFindingsSarif(report)].join('');
}
