/**
 * Diagnostics are data: every problem found in the input carries the file, the JSON path inside it,
 * a stable code (tests assert codes, not prose) and a message for people.
 */
import { printable } from './util/escape';

export type Severity = 'fatal' | 'warning';

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  /** The input file as the user named it (or found it under a directory they named); null when not file-bound. */
  file: string | null;
  /** JSONPath into that file, e.g. `$.value[2].properties.securityRules[0].properties.priority`. */
  path: string | null;
}

/**
 * The catalogue of diagnostic codes. A code is never reused for a different meaning.
 * Fatal codes stop the run with exit code 2 and no output file.
 */
export const diagnosticCodes = {
  // Reading files
  FILE_UNREADABLE: 'fatal',
  NOT_JSON: 'fatal',
  NOT_UTF8: 'fatal',
  EMPTY_INPUT: 'fatal',
  UNRECOGNISED_SHAPE: 'fatal',
  // Values Azure would reject
  INVALID_VALUE: 'fatal',
  INVALID_PREFIX: 'fatal',
  INVALID_PORT: 'fatal',
  INVALID_PRIORITY: 'fatal',
  DUPLICATE_PRIORITY: 'fatal',
  MISSING_FIELD: 'fatal',
  // Flow logs (src/collect/flows)
  FLOW_LOG_MALFORMED: 'fatal',
  FLOW_LOG_UNSUPPORTED_VERSION: 'fatal',
  // Accepted with a warning
  HOST_BITS_SET: 'warning',
  SKIPPED_RESOURCE_TYPE: 'warning',
  TEMPLATE_EXPRESSION: 'warning',
  DUPLICATE_RESOURCE: 'warning',
  DANGLING_REFERENCE: 'warning',
  UNRESOLVED_SUBNET: 'warning',
  UNKNOWN_VALUE: 'warning',
  CONFLICTING_FIELDS: 'warning',
  INCOMPLETE_LIST: 'warning',
  /** A container group, subnet or VNet named like a tag (`internet`, `*`…): the word means the tag. */
  RESERVED_NAME: 'warning',
  // Endpoints (`--from` / `--to`, intent entries)
  /** The endpoint names nothing in the snapshot. */
  ENDPOINT_NOT_FOUND: 'fatal',
  /** The endpoint names several things; the message lists their resource IDs. */
  ENDPOINT_AMBIGUOUS: 'fatal',
  /** The endpoint cannot be analysed: IPv6, a CIDR with host bits set, a group without a usable address. */
  ENDPOINT_INVALID: 'fatal',
  // Accepted risk (intent `accept` entries)
  /** An `accept` entry names a rule ID the pack does not have. */
  UNKNOWN_RULE: 'fatal',
  /** An `accept` entry in force matches no finding (stale, or misspelt). */
  ACCEPT_UNMATCHED: 'warning',
  // Live collection
  SUBSCRIPTION_UNREADABLE: 'warning',
  // Input that would otherwise be read silently one way or another
  DUPLICATE_KEY: 'fatal',
  UNKNOWN_SERVICE_TAG: 'warning',
  SKIPPED_FILE: 'warning',
  // Flow logs, accepted with a warning
  FLOW_LOG_LENIENT_JSON: 'warning',
  FLOW_LOG_DUPLICATE_RECORD: 'warning',
} as const satisfies Record<string, Severity>;

export type DiagnosticCode = keyof typeof diagnosticCodes;

/** Builds a diagnostic whose severity is the one the catalogue fixes for its code. */
export function diagnostic(
  code: DiagnosticCode,
  message: string,
  file: string | null = null,
  path: string | null = null,
): Diagnostic {
  return { severity: diagnosticCodes[code], code, message, file, path };
}

/**
 * Formats a diagnostic as one line for stderr: `file: $.path: message [CODE]`. File names, paths and
 * messages quote the input, so they are escaped: a hostile name cannot forge lines or reach the terminal raw.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file, d.path].filter((p): p is string => p !== null && p !== '').join(': ');
  const level = d.severity === 'fatal' ? 'error' : 'warning';
  return printable(`${level}: ${where ? `${where}: ` : ''}${d.message} [${d.code}]`);
}

/** Appends one JSONPath step: an array index or an object key (bracket-quoted when not an identifier). */
export function jsonPath(base: string, step: string | number): string {
  if (typeof step === 'number') return `${base}[${step}]`;
  return /^[A-Za-z_$][\w$]*$/.test(step) ? `${base}.${step}` : `${base}[${JSON.stringify(step)}]`;
}
