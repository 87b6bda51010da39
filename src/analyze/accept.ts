/**
 * Accepted risk: the intent file's `accept` entries. Each names one finding — a pack rule ID with the
 * resource it concerns, or a finding's fingerprint — with `reason`, `owner` and `expires`, all
 * required. An unexpired entry marks the findings it matches accepted (they never fail `--fail-on`);
 * an expired one is itself a finding (ACI015) and covers nothing; one that matches nothing is a
 * warning. There is no blanket skip: no wildcard rule, no wildcard resource.
 */
import { z } from 'zod';
import { diagnostic, jsonPath, type Diagnostic } from '../diagnostics';
import { zodIssuesToDiagnostics } from '../model/snapshot-codec';
import { countBySeverity, type Finding, type FindingsResult } from './findings';
import { isCalendarDate, readYaml } from './intent';

export interface Acceptance {
  /** The entry's JSON path in the intent file (`$.accept[2]`). */
  path: string;
  /** `ACI001` … with `resource`, or null when the entry names a fingerprint. */
  rule: string | null;
  /** A resource ID or name, as written. */
  resource: string | null;
  /** 32 lower-case hex digits, or null. */
  fingerprint: string | null;
  reason: string;
  owner: string;
  expires: string;
}

/** The rule whose findings report expired acceptances: accepting it would hide the expiry itself. */
export const EXPIRED_ACCEPTANCE_RULE = 'ACI015';

const requiredText = (field: string, what: string) =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined ? `${field} is required: ${what}` : `${field} must be text`,
    })
    .trim()
    .min(1, { message: `${field} must not be empty: ${what}` });

const AcceptEntry = z
  .object({
    rule: z.string().optional(),
    resource: z.string().optional(),
    fingerprint: z.string().optional(),
    reason: requiredText('reason', 'why the risk is accepted'),
    owner: requiredText('owner', 'who accepted it'),
    expires: z
      .string({
        error: (issue) =>
          issue.input === undefined
            ? 'expires is required: the date (YYYY-MM-DD) until which the risk is accepted'
            : 'expires must be a date written YYYY-MM-DD',
      })
      .refine(isCalendarDate, { message: 'expires must be a real date written YYYY-MM-DD' }),
  })
  .strict();

const AcceptList = z.object({ accept: z.array(z.unknown()).optional() }).passthrough();

export type AcceptParse = { ok: true; acceptances: Acceptance[] } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Reads the `accept` list of intent text (YAML or JSON). `knownRules` are the pack's rule IDs: an
 * entry naming another is an input error (UNKNOWN_RULE) at its JSON path. Every bad entry is reported.
 */
export function parseAcceptances(text: string, file: string, knownRules: readonly string[]): AcceptParse {
  const read = readYaml(text, file);
  if (!read.ok) return { ok: false, diagnostics: read.diagnostics };
  const list = AcceptList.safeParse(read.value ?? {});
  if (!list.success) return { ok: false, diagnostics: zodIssuesToDiagnostics(list.error.issues, file, '$') };
  const problems: Diagnostic[] = [];
  const acceptances: Acceptance[] = [];
  const seen = new Map<string, string>();
  (list.data.accept ?? []).forEach((raw, i) => {
    const entry = readEntry(jsonPath('$.accept', i), raw, file, knownRules, problems);
    if (entry === null) return;
    const identity = entry.fingerprint ?? `${entry.rule}\u0000${entry.resource!.toLowerCase()}`;
    const previous = seen.get(identity);
    if (previous !== undefined) {
      problems.push(
        diagnostic('INVALID_VALUE', `the same finding is accepted at ${previous}`, file, entry.path),
      );
      return;
    }
    seen.set(identity, entry.path);
    acceptances.push(entry);
  });
  return problems.length > 0 ? { ok: false, diagnostics: problems } : { ok: true, acceptances };
}

function readEntry(
  path: string,
  value: unknown,
  file: string,
  knownRules: readonly string[],
  problems: Diagnostic[],
): Acceptance | null {
  const parsed = AcceptEntry.safeParse(value);
  if (!parsed.success) {
    problems.push(...zodIssuesToDiagnostics(parsed.error.issues, file, path));
    return null;
  }
  const raw = parsed.data;
  const fail = (
    code: 'INVALID_VALUE' | 'MISSING_FIELD' | 'UNKNOWN_RULE',
    message: string,
    field?: string,
  ) => {
    problems.push(diagnostic(code, message, file, field === undefined ? path : jsonPath(path, field)));
    return null;
  };
  const base = { path, reason: raw.reason, owner: raw.owner, expires: raw.expires };
  if (raw.fingerprint !== undefined) {
    if (raw.rule !== undefined || raw.resource !== undefined)
      return fail(
        'INVALID_VALUE',
        'an accept entry names either a fingerprint or a rule and a resource, not both',
      );
    if (!/^[0-9a-fA-F]{32}$/.test(raw.fingerprint))
      return fail('INVALID_VALUE', 'fingerprint must be the 32 hex digits a finding shows', 'fingerprint');
    return { ...base, rule: null, resource: null, fingerprint: raw.fingerprint.toLowerCase() };
  }
  if (raw.rule === undefined)
    return fail('MISSING_FIELD', 'an accept entry needs a rule and a resource, or a fingerprint');
  const rule = raw.rule.trim().toUpperCase();
  if (!/^ACI\d{3}$/.test(rule))
    return fail(
      'UNKNOWN_RULE',
      `rule must be one rule ID such as ACI001, not ${JSON.stringify(raw.rule)}`,
      'rule',
    );
  if (!knownRules.includes(rule))
    return fail(
      'UNKNOWN_RULE',
      `unknown rule ID ${rule}: the rule pack has ${knownRules.length > 0 ? knownRules.join(', ') : 'no rules'}`,
      'rule',
    );
  if (rule === EXPIRED_ACCEPTANCE_RULE)
    return fail(
      'INVALID_VALUE',
      `${rule} reports an expired acceptance: renew that entry's expires instead`,
      'rule',
    );
  const resource = raw.resource?.trim() ?? '';
  if (resource === '')
    return fail(
      'MISSING_FIELD',
      `resource is required with rule ${rule}: the resource ID or name of the finding (there is no blanket skip)`,
    );
  if (/[*?]/.test(resource))
    return fail(
      'INVALID_VALUE',
      'resource must name one resource: no wildcards (there is no blanket skip)',
      'resource',
    );
  return { ...base, rule, resource, fingerprint: null };
}

/** True when the acceptance is past its date (an entry is in force through the day it names). */
export function isExpired(acceptance: Acceptance, today: string): boolean {
  return acceptance.expires < today;
}

/** True when the acceptance names the finding (expiry aside). */
export function acceptanceMatches(acceptance: Acceptance, finding: Finding): boolean {
  if (acceptance.fingerprint !== null) return finding.fingerprint === acceptance.fingerprint;
  if (finding.ruleId !== acceptance.rule) return false;
  const wanted = acceptance.resource!.toLowerCase();
  return finding.resources.some((r) => r.id.toLowerCase() === wanted || r.name.toLowerCase() === wanted);
}

export interface AcceptanceOutcome {
  result: FindingsResult;
  /** Acceptances in force that matched no finding (a warning each). */
  unmatched: Acceptance[];
}

/**
 * Marks the findings that an unexpired acceptance names as accepted (the first matching entry in file
 * order) and recounts. Expired acceptances cover nothing: ACI015 reports them.
 */
export function applyAcceptances(
  result: FindingsResult,
  acceptances: readonly Acceptance[],
  today: string,
): AcceptanceOutcome {
  const inForce = acceptances.filter((a) => !isExpired(a, today));
  const used = new Set<Acceptance>();
  const findings = result.findings.map((finding) => {
    const by = inForce.find((a) => acceptanceMatches(a, finding));
    if (by === undefined) return finding;
    used.add(by);
    const { path, reason, owner, expires } = by;
    return { ...finding, accepted: { entry: path.replace(/^\$\./, ''), reason, owner, expires } };
  });
  return {
    result: {
      ...result,
      findings,
      counts: countBySeverity(findings),
      accepted: findings.filter((f) => f.accepted !== null).length,
    },
    unmatched: inForce.filter((a) => !used.has(a)),
  };
}

/** How an acceptance is named in messages: `accept[2] (ACI001 on nsg-web)`. */
export function describeAcceptance(a: Acceptance): string {
  const what = a.fingerprint !== null ? `fingerprint ${a.fingerprint}` : `${a.rule} on ${a.resource}`;
  return `${a.path.replace(/^\$\./, '')} (${what})`;
}
