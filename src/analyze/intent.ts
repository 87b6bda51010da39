/**
 * Intent files (YAML or JSON): `require` lists flows that must stay allowed, `forbid` flows that must
 * stay denied. `checkIntent` evaluates every entry with `explain` (DESIGN.md "Intent file").
 */
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { diagnostic, jsonPath, type Diagnostic } from '../diagnostics';
import { zodIssuesToDiagnostics } from '../model/snapshot-codec';
import { IntervalSet, portDomain, type PortSet } from '../policy/interval-set';
import type { PolicyEngine } from '../policy/engine';
import { parsePortRange } from '../policy/ports';
import { EndpointError, resolveEndpointOrThrow } from './endpoints';
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
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expires must be a date written YYYY-MM-DD' })
      .optional(),
  })
  .strict();

const IntentFile = z
  .object({
    require: z.array(IntentEntry).optional(),
    forbid: z.array(IntentEntry).optional(),
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

export type IntentParse = { ok: true; entries: IntentEntry[] } | { ok: false; diagnostics: Diagnostic[] };

/** Parses intent text (YAML, which includes JSON); every problem comes back with its JSON path. */
export function parseIntent(text: string, file: string): IntentParse {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      diagnostics: doc.errors.map((e) => {
        const where = e.linePos?.[0] ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
        return diagnostic(
          'NOT_JSON',
          `not valid YAML or JSON${where}: ${e.message.split('\n')[0]}`,
          file,
          null,
        );
      }),
    };
  }
  const json: unknown = doc.toJS({ maxAliasCount: 100 });
  const parsed = IntentFile.safeParse(json ?? {});
  if (!parsed.success)
    return { ok: false, diagnostics: zodIssuesToDiagnostics(parsed.error.issues, file, '$') };
  const problems: Diagnostic[] = [];
  const entries: IntentEntry[] = [];
  const names = new Map<string, string>();
  for (const kind of ['require', 'forbid'] as const) {
    (parsed.data[kind] ?? []).forEach((raw, i) => {
      const path = jsonPath(`$.${kind}`, i);
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
          return;
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
          return;
        }
        ports = IntervalSet.of(
          portDomain,
          ranges.map((r) => [r!.lo, r!.hi] as [number, number]),
        );
      }
      const previous = names.get(raw.name);
      if (previous)
        problems.push(
          diagnostic(
            'INVALID_VALUE',
            `entry name ${JSON.stringify(raw.name)} is also used at ${previous}`,
            file,
            jsonPath(path, 'name'),
          ),
        );
      names.set(raw.name, path);
      entries.push({
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
      });
    });
  }
  if (problems.length > 0) return { ok: false, diagnostics: problems };
  return { ok: true, entries };
}

export interface CheckResult {
  name: string;
  kind: IntentKind;
  verdict: Verdict;
  pass: boolean;
  /** True when the entry's `expires` date is before `today`: reported, but it no longer gates. */
  expired: boolean;
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
  passed: number;
  failed: number;
}

/**
 * Evaluates every intent entry. `today` (YYYY-MM-DD) decides which entries have expired; the CLI
 * passes the current date. Unresolvable endpoints are input errors naming the entry's path.
 */
export function checkIntent(
  engine: PolicyEngine,
  entries: readonly IntentEntry[],
  today: string,
  file: string,
): CheckReport {
  const results: CheckResult[] = entries.map((e) => {
    let explanation: Explanation;
    try {
      const from = resolveEndpointOrThrow(engine.index, e.from);
      const to = resolveEndpointOrThrow(engine.index, e.to);
      explanation = explain(engine, from, to, e.protocol, e.ports);
    } catch (err) {
      if (err instanceof EndpointError)
        throw new IntentError([
          diagnostic(err.diagnostic?.code ?? 'INVALID_VALUE', `${e.name}: ${err.message}`, file, e.path),
        ]);
      throw err;
    }
    const expired = e.expires !== null && e.expires < today;
    const met = e.kind === 'require' ? explanation.verdict === 'allow' : explanation.verdict === 'deny';
    return {
      name: e.name,
      kind: e.kind,
      verdict: explanation.verdict,
      pass: met || expired,
      expired,
      from: e.from,
      to: e.to,
      protocol: e.protocol,
      ports: e.portsText,
      reason: e.reason,
      owner: e.owner,
      explanation,
    };
  });
  const passed = results.filter((r) => r.pass).length;
  return { results, passed, failed: results.length - passed };
}

/** An intent entry that cannot be evaluated (its endpoints name nothing or several things). */
export class IntentError extends Error {
  override readonly name = 'IntentError';
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('\n'));
  }
}
