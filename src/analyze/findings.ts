/**
 * Findings: what `aciseg analyze` reports first, and what `report`, `plan` (findings resolved) and
 * `diff` (new / fixed findings) share. A finding is plain data; the rule pack (src/analyze/rules/)
 * makes them and the renderers (src/render/findings-*.ts) print them.
 *
 * The fingerprint is the finding's identity across runs: a hash of the rule ID and the finding's
 * identity parts (lower-cased resource IDs, rule keys, protocol and port words), never of positions,
 * counts, labels or priorities, so reordering the input or editing an unrelated resource keeps it.
 */
import { createHash } from 'node:crypto';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type FindingSeverity = (typeof SEVERITIES)[number];

/** Lower is more severe: `critical` 0 … `info` 4. */
export function severityRank(severity: FindingSeverity): number {
  return SEVERITIES.indexOf(severity);
}

/** The benchmark controls a rule serves: Microsoft cloud security benchmark (`NS-1` …) and CIS Azure Foundations (`6.1` …). */
export interface BenchmarkControls {
  mcsb: string[];
  cis: string[];
}

/** A pack rule's metadata (pinned by test/unit/analyze/rules/catalogue.test.ts, listed in README). */
export interface RuleMeta {
  /** `ACI001` … : never reused, never renumbered. */
  id: string;
  /** kebab-case, for people and SARIF `name`: `public-container-group`. */
  name: string;
  title: string;
  /** The rule's usual severity; a finding may carry another (the rule documents when). */
  severity: FindingSeverity;
  /** What the rule detects and why it matters (SARIF `fullDescription` and `help`). */
  description: string;
  remediation: string;
  controls: BenchmarkControls;
}

export type FindingResourceKind =
  | 'containerGroup'
  | 'subnet'
  | 'virtualNetwork'
  | 'networkSecurityGroup'
  | 'securityRule'
  | 'routeTable'
  | 'adminRule'
  | 'endpointGroup';

/** A resource a finding names. `id` is the snapshot's lower-cased ID (for a security rule: `<nsg id>/securityRules/<name>`). */
export interface FindingResource {
  kind: FindingResourceKind;
  id: string;
  name: string;
}

/** A flow a finding concerns, summarised for people: `Internet → vnet-app/snet-aci-web tcp 22`. */
export interface FindingFlow {
  /** Short, readable endpoint labels (never a list of hundreds: "unassigned space of 100 VNets + Internet"). */
  from: string;
  to: string;
  /** The endpoint group keys of the reachability results (README "Result keys"), when the flow is between groups. */
  fromKey: string | null;
  toKey: string | null;
  protocol: 'tcp' | 'udp' | 'icmp' | '*';
  /** Destination ports as an intent file writes them: `22`, `8000-8100`, `22,3389`, `*`; `-` for ICMP. */
  ports: string;
  verdict: 'allow' | 'partial' | 'deny' | 'unknown';
  /** With flow logs: what was seen. */
  observed?: { tuples: number; flowsStarted: number; firstSeen: string; lastSeen: string };
}

/** A rule responsible for a finding (NSG security rule or AVNM admin rule). */
export interface FindingRuleRef {
  /**
   * The rule's lower-cased resource ID, which also names the NSG (or admin rule collection) holding it:
   * `<nsg id>/securityrules/<name>`, `<nsg id>/defaultsecurityrules/<name>` for the six default rules,
   * `<collection id>/rules/<name>` for an admin rule (ruleOwnerId gives the holder's ID).
   */
  id: string;
  policy: 'nsg' | 'avnm';
  /** The name of the NSG (or admin rule collection) holding the rule. */
  containerName: string;
  name: string;
  direction: 'Inbound' | 'Outbound';
  priority: number;
  access: 'Allow' | 'Deny';
  /** True for one of the six default rules (AllowVnetInBound …). */
  isDefault: boolean;
}

/** Where the finding points in the snapshot: an RFC 6901 pointer (`/networkSecurityGroups/2/securityRules/0`). */
export interface FindingLocation {
  snapshotPointer: string;
}

/** An intent `accept` entry that matched the finding. */
export interface FindingAcceptance {
  /** The entry's JSON path in the intent file (`accept[2]`). */
  entry: string;
  reason: string;
  owner: string;
  expires: string;
}

/**
 * Rules a finding reports (ACI008/ACI009) that the same rules decide instead, by name: all of them
 * are rules of the finding's NSG and of the same direction. Rules with the same coverers share one
 * entry (an NSG often has dozens that AllowVnetInBound decides alike).
 */
export interface FindingCoverage {
  direction: 'Inbound' | 'Outbound';
  /** The reported rules, in the NSG's evaluation order. */
  rules: string[];
  coveredBy: string[];
}

export interface Finding {
  ruleId: string;
  severity: FindingSeverity;
  title: string;
  /** One line that says what is wrong, with the names: "Internet can reach snet-aci-web on tcp 22 (SSH)". */
  message: string;
  resources: FindingResource[];
  /** Resources the finding concerns that `resources` leaves out, beyond RESOURCES_PER_FINDING (absent when none are). */
  resourcesOmitted?: number;
  /** The flows concerned, most severe first; at most FLOWS_PER_FINDING, the rest counted in `flowsOmitted`. */
  flows: FindingFlow[];
  flowsOmitted: number;
  /** The rules responsible, at most RULES_PER_FINDING; the rest counted in `rulesOmitted`. */
  rules: FindingRuleRef[];
  /** Rules responsible that `rules` leaves out (absent when none are). */
  rulesOmitted?: number;
  remediation: string;
  /** The `aciseg explain …` command that shows the evidence (snapshot written as `<snapshot>`), or null. */
  explain: string | null;
  controls: BenchmarkControls;
  /** 32 hex digits: findingFingerprint(ruleId, identity). */
  fingerprint: string;
  location: FindingLocation | null;
  /**
   * ACI008/ACI009 (optional): every rule the finding reports with the rules that decide its traffic
   * instead — the whole set, while `rules` and `resources` detail only the first few.
   */
  coverage?: FindingCoverage[];
  /** Set when an unexpired intent `accept` entry matches; accepted findings never fail `--fail-on`. */
  accepted: FindingAcceptance | null;
  /**
   * Exposure rules (ACI001 to ACI005; optional): how much the finding exposes
   * (exposureRisk), which orders the findings of one severity, highest first.
   */
  risk?: number;
}

/** The ID of the NSG (or admin rule collection) holding a rule: its ID without the last two segments. */
export function ruleOwnerId(ref: Pick<FindingRuleRef, 'id'>): string {
  return ref.id.slice(0, ref.id.lastIndexOf('/', ref.id.lastIndexOf('/') - 1));
}

/** How many flows a finding lists; the JSON report says how many more there were. */
export const FLOWS_PER_FINDING = 20;

/** How many rules and resources a finding lists (`rulesOmitted`, `resourcesOmitted` count the rest): keeps the JSON of a large estate small. */
export const RULES_PER_FINDING = 10;
export const RESOURCES_PER_FINDING = 10;

/** The placeholder for the snapshot path in `Finding.explain`; renderers substitute the real path. */
export const SNAPSHOT_PLACEHOLDER = '<snapshot>';

/**
 * The fingerprint of a finding: the first 32 hex digits of SHA-256 over the rule ID and the identity
 * parts, sorted (so the order a rule found them in does not matter). Parts must be content: IDs, rule
 * keys, `tcp:22` — not positions, counts or display labels.
 */
export function findingFingerprint(ruleId: string, identity: readonly string[]): string {
  const parts = [...identity].map((p) => p.toLowerCase()).sort();
  return createHash('sha256')
    .update([ruleId, ...parts].join('\u0000'))
    .digest()
    .toString('hex', 0, 16);
}

/**
 * The order of findings in every format: severity, risk (highest first; none counts as 0), rule ID,
 * then fingerprint (content, so stable).
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    (b.risk ?? 0) - (a.risk ?? 0) ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0)
  );
}

export type SeverityCounts = Record<FindingSeverity, number>;

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) if (f.accepted === null) counts[f.severity]++;
  return counts;
}

/** Observed-flow context of a findings run (absent without `--flows`). */
export interface FindingsWindow {
  first: string | null;
  last: string | null;
  since: string | null;
  until: string | null;
  files: number;
  tuples: number;
}

/**
 * The findings of one analysis: the value `analyze` renders in every format (`kind: aciseg.findings`
 * in JSON), `report` embeds and `diff` compares by fingerprint.
 */
export interface FindingsResult {
  findings: Finding[];
  /** Unaccepted findings per severity. */
  counts: SeverityCounts;
  accepted: number;
  /** The pack's rules that ran (all of them, in ID order): SARIF `tool.driver.rules`. */
  rules: RuleMeta[];
  window: FindingsWindow | null;
}
