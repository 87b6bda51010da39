/**
 * Intent files (YAML or JSON): `require` lists flows that must stay allowed, `forbid` flows that must
 * stay denied. `checkIntent` evaluates every entry with `explain` (docs/semantics.md §9).
 */
import { Parser, parseDocument, type CST } from 'yaml';
import { z } from 'zod';
import { diagnostic, jsonPath, type Diagnostic } from '../diagnostics';
import { zodIssuesToDiagnostics } from '../model/snapshot-codec';
import { IntervalSet, portDomain, type PortSet } from '../net/interval-set';
import type { PolicyEngine } from '../policy';
import { parsePortRange } from '../net/ports';
import { EndpointError, resolveEndpoint, type EndpointResolution } from './endpoints';
import { explain, type Explanation, type QueryProtocol, type Verdict } from './explain';

const PROTOCOLS: Record<string, QueryProtocol> = { tcp: 'Tcp', udp: 'Udp', icmp: 'Icmp', '*': '*', any: '*' };

const IntentEntry = z
  .object({
    name: z.string().min(1),
    from: z.string().min(1),
    to: z.string().min(1),
    protocol: z
      .string()
      .refine((p) => p.toLowerCase() in PROTOCOLS, { message: 'protocol must be tcp, udp, icmp or *' }),
    ports: z.union([z.string().min(1), z.number().int()]).optional(),
    reason: z.string().optional(),
    owner: z.string().optional(),
    expires: z
      .string()
      .refine(isCalendarDate, { message: 'expires must be a real date written YYYY-MM-DD' })
      .optional(),
  })
  .strict();

/**
 * The file's shape; each entry is checked on its own so that every bad entry is reported. `accept`
 * (accepted findings, src/analyze/accept.ts) is read by `analyze`; `check` ignores it.
 */
const IntentFile = z
  .object({
    require: z.array(z.unknown()).optional(),
    forbid: z.array(z.unknown()).optional(),
    accept: z.array(z.unknown()).optional(),
  })
  .strict();

export type IntentKind = 'require' | 'forbid';

export interface IntentEntry {
  kind: IntentKind;
  /** JSON path of the entry in the file, for messages. */
  path: string;
  name: string;
  from: string;
  to: string;
  protocol: QueryProtocol;
  /** Destination ports; null for ICMP. */
  ports: PortSet | null;
  portsText: string;
  reason: string | null;
  owner: string | null;
  expires: string | null;
}

/**
 * On failure, `entries` holds the entries that are valid on their own, so that the caller can still
 * resolve their endpoints and report every problem of the file at once.
 */
export type IntentParse =
  { ok: true; entries: IntentEntry[] } | { ok: false; diagnostics: Diagnostic[]; entries: IntentEntry[] };

export interface IntentParseOptions {
  /** Accept a file with no entries (otherwise an error: an empty intent checks nothing). */
  allowEmpty?: boolean;
}

/** True for a real calendar date written YYYY-MM-DD (Gregorian leap years: 2024-02-29 yes, 2100-02-29 no). */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/**
 * Parses intent text (YAML, which includes JSON); every problem of every entry comes back with its
 * JSON path. A file with no entries is an error unless `allowEmpty`.
 */
export function parseIntent(text: string, file: string, options: IntentParseOptions = {}): IntentParse {
  const read = readYaml(text, file);
  if (!read.ok) return { ok: false, diagnostics: read.diagnostics, entries: [] };
  const parsed = IntentFile.safeParse(read.value ?? {});
  if (!parsed.success)
    return { ok: false, diagnostics: zodIssuesToDiagnostics(parsed.error.issues, file, '$'), entries: [] };
  const problems: Diagnostic[] = [];
  const entries: IntentEntry[] = [];
  const names = new Map<string, string>();
  for (const kind of ['require', 'forbid'] as const) {
    (parsed.data[kind] ?? []).forEach((raw, i) => {
      const path = jsonPath(`$.${kind}`, i);
      const entry = readEntry(kind, path, raw, file, problems);
      if (entry === null) return;
      const previous = names.get(entry.name);
      if (previous !== undefined) {
        problems.push(
          diagnostic(
            'INVALID_VALUE',
            `entry name ${JSON.stringify(entry.name)} is also used at ${previous}`,
            file,
            jsonPath(path, 'name'),
          ),
        );
        return;
      }
      names.set(entry.name, path);
      entries.push(entry);
    });
  }
  const count = (parsed.data.require?.length ?? 0) + (parsed.data.forbid?.length ?? 0);
  if (count === 0 && !options.allowEmpty)
    problems.push(
      diagnostic(
        'EMPTY_INPUT',
        'the intent file has no require or forbid entries, so it checks nothing (pass --allow-empty if that is meant)',
        file,
        '$',
      ),
    );
  if (problems.length > 0) return { ok: false, diagnostics: problems, entries };
  return { ok: true, entries };
}

/**
 * YAML text to plain data. Syntax errors, YAML warnings (an unresolved tag such as `!!js/function`)
 * and resource limits (alias expansion, nesting depth) are input errors naming the file.
 */
export function readYaml(
  text: string,
  file: string,
): { ok: true; value: unknown } | { ok: false; diagnostics: Diagnostic[] } {
  const fail = (message: string): { ok: false; diagnostics: Diagnostic[] } => ({
    ok: false,
    diagnostics: [diagnostic('NOT_JSON', message, file, null)],
  });
  try {
    // Composing a deep document recurses, and a deep stack can abort Node outright (V8 fails to
    // compile a regular expression there): measure the nesting first, without recursion.
    if (nestingDepth(text) > MAX_NESTING)
      return fail(`nested more than ${MAX_NESTING} levels deep (a resource limit; an intent file needs 4)`);
    // Known tags (!!binary, !!set, !!omap, !!timestamp) stay unresolved: an intent file is plain data.
    const doc = parseDocument(text, {
      uniqueKeys: true,
      prettyErrors: false,
      resolveKnownTags: false,
      logLevel: 'error',
    });
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) {
      const messages = problems.map((e) => {
        const where = e.linePos?.[0] ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
        return `not valid YAML or JSON${where}: ${e.message.split('\n')[0]}`;
      });
      const shown = messages.slice(0, MAX_SYNTAX_ERRORS);
      if (messages.length > shown.length)
        shown.push(`${messages.length - shown.length} more YAML problems not shown`);
      return { ok: false, diagnostics: shown.map((m) => diagnostic('NOT_JSON', m, file, null)) };
    }
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown };
  } catch (e) {
    if (e instanceof ReferenceError && /Excessive alias count/.test(e.message))
      return fail(
        `too many YAML alias expansions (more than ${MAX_ALIAS_COUNT}, a resource limit against alias bombs)`,
      );
    if (e instanceof RangeError) return fail('the YAML is nested too deeply to read (a resource limit)');
    if (e instanceof Error) return fail(`cannot read the YAML: ${e.message.split('\n')[0]}`);
    throw e;
  }
}

/** At most this many alias expansions (the yaml package's measure) before reading stops. */
const MAX_ALIAS_COUNT = 100;
/** Deepest nesting of collections read. */
const MAX_NESTING = 64;
/** YAML syntax problems listed (a broken file can have one per character). */
const MAX_SYNTAX_ERRORS = 20;

/** The deepest nesting of collections in the YAML's syntax tree, walked with an explicit stack. */
function nestingDepth(text: string): number {
  let deepest = 0;
  const stack: [CST.Token | undefined, number][] = [];
  for (const token of new Parser().parse(text)) stack.push([token, 0]);
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [token, depth] = top;
    if (token === undefined) continue;
    deepest = Math.max(deepest, depth);
    if (token.type === 'document') stack.push([token.value, depth + 1]);
    else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection')
      for (const item of token.items) stack.push([item.key ?? undefined, depth + 1], [item.value, depth + 1]);
  }
  return deepest;
}

/** One entry, checked on its own; its problems are appended to `problems` and null returned. */
function readEntry(
  kind: IntentKind,
  path: string,
  value: unknown,
  file: string,
  problems: Diagnostic[],
): IntentEntry | null {
  const parsed = IntentEntry.safeParse(value);
  if (!parsed.success) {
    problems.push(...zodIssuesToDiagnostics(parsed.error.issues, file, path));
    return null;
  }
  const raw = parsed.data;
  const protocol = PROTOCOLS[raw.protocol.toLowerCase()]!;
  const portsText = raw.ports === undefined ? (protocol === 'Icmp' ? '*' : '') : String(raw.ports);
  let ports: PortSet | null = null;
  if (protocol !== 'Icmp') {
    if (portsText === '') {
      problems.push(
        diagnostic(
          'MISSING_FIELD',
          `ports is required for ${raw.protocol} entries ("443", "8000-8100" or "*")`,
          file,
          path,
        ),
      );
      return null;
    }
    const ranges = portsText.split(',').map((p) => parsePortRange(p.trim()));
    if (ranges.some((r) => r === null)) {
      problems.push(
        diagnostic(
          'INVALID_PORT',
          `invalid ports ${JSON.stringify(portsText)}: expected "443", "8000-8100", "*" or a comma list`,
          file,
          jsonPath(path, 'ports'),
        ),
      );
      return null;
    }
    ports = IntervalSet.of(
      portDomain,
      ranges.map((r) => [r!.lo, r!.hi] as [number, number]),
    );
  }
  return {
    kind,
    path,
    name: raw.name,
    from: raw.from,
    to: raw.to,
    protocol,
    ports,
    portsText: protocol === 'Icmp' ? '*' : portsText,
    reason: raw.reason ?? null,
    owner: raw.owner ?? null,
    expires: raw.expires ?? null,
  };
}

export interface CheckResult {
  name: string;
  kind: IntentKind;
  verdict: Verdict;
  /** True when the verdict is what the entry asks for (allow for require, deny for forbid). */
  pass: boolean;
  /** True when the entry's `expires` date is before `today`: reported and counted apart, it no longer gates. */
  expired: boolean;
  expires: string | null;
  from: string;
  to: string;
  protocol: QueryProtocol;
  ports: string;
  reason: string | null;
  owner: string | null;
  explanation: Explanation;
}

export interface CheckReport {
  results: CheckResult[];
  /** Entries in force that pass. */
  passed: number;
  /** Entries in force that fail: the check fails when this is above 0. */
  failed: number;
  /** Expired entries, whatever their verdict. */
  expired: number;
}

/**
 * Evaluates every intent entry. `today` (YYYY-MM-DD) decides which entries have expired; the CLI
 * passes the current date. Entries that cannot be evaluated (endpoints that name nothing or several
 * things) are collected, every one, and thrown together as an IntentError.
 */
export function checkIntent(
  engine: PolicyEngine,
  entries: readonly IntentEntry[],
  today: string,
  file: string,
): CheckReport {
  const problems: Diagnostic[] = [];
  const results: CheckResult[] = [];
  for (const e of entries) {
    const explanation = explainEntry(engine, e, file, problems);
    if (explanation === null) continue;
    results.push({
      name: e.name,
      kind: e.kind,
      verdict: explanation.verdict,
      pass: e.kind === 'require' ? explanation.verdict === 'allow' : explanation.verdict === 'deny',
      expired: e.expires !== null && e.expires < today,
      expires: e.expires,
      from: e.from,
      to: e.to,
      protocol: e.protocol,
      ports: e.portsText,
      reason: e.reason,
      owner: e.owner,
      explanation,
    });
  }
  if (problems.length > 0) throw new IntentError(problems);
  const inForce = results.filter((r) => !r.expired);
  const passed = inForce.filter((r) => r.pass).length;
  return { results, passed, failed: inForce.length - passed, expired: results.length - inForce.length };
}

/** The entry's explanation, or null with its problems appended to `problems`. */
function explainEntry(
  engine: PolicyEngine,
  entry: IntentEntry,
  file: string,
  problems: Diagnostic[],
): Explanation | null {
  const from = entryEndpoint(engine, entry, 'from', file);
  const to = entryEndpoint(engine, entry, 'to', file);
  if (!from.ok || !to.ok) {
    for (const r of [from, to]) if (!r.ok) problems.push(r.diagnostic);
    return null;
  }
  try {
    return explain(engine, from.endpoint, to.endpoint, entry.protocol, entry.ports);
  } catch (err) {
    // explain refuses a query that holds no flow (from and to are one and the same address).
    if (!(err instanceof EndpointError)) throw err;
    problems.push(
      diagnostic('INVALID_VALUE', `${JSON.stringify(entry.name)}: ${err.message}`, file, entry.path),
    );
    return null;
  }
}

/** One endpoint of an entry, or its coded diagnostic (ENDPOINT_NOT_FOUND, …) at the field's JSON path. */
function entryEndpoint(
  engine: PolicyEngine,
  entry: IntentEntry,
  field: 'from' | 'to',
  file: string,
): EndpointResolution {
  const r = resolveEndpoint(engine.index, entry[field]);
  if (r.ok) return r;
  return {
    ok: false,
    diagnostic: {
      ...r.diagnostic,
      message: `${JSON.stringify(entry.name)}: ${r.diagnostic.message}`,
      file,
      path: jsonPath(entry.path, field),
    },
  };
}

/**
 * Diagnostics in the order of the file: `require` entries, then `forbid`, then `accept`, by index (a stable sort,
 * so the problems of one entry keep their order); file-wide ones first.
 */
export function inFileOrder(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic): [number, number] => {
    const m = /^\$\.(require|forbid|accept)\[(\d+)\]/.exec(d.path ?? '');
    return m ? [m[1] === 'require' ? 1 : m[1] === 'forbid' ? 2 : 3, Number(m[2])] : [0, 0];
  };
  return [...diagnostics].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || ka[1] - kb[1];
  });
}

/** Intent entries that cannot be evaluated (their endpoints name nothing or several things). */
export class IntentError extends Error {
  override readonly name = 'IntentError';
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('\n'));
  }
}
