/**
 * Reading and writing snapshot text. The file is canonical JSON laid out one resource per line, so it
 * stays diff-friendly and can be read line by line when it is larger than a V8 string may be.
 * Pure: the CLI does the file I/O.
 */
import type { z } from 'zod';
import { diagnostic, jsonPath, type Diagnostic } from '../diagnostics';
import { jsonSyntaxDiagnostic, locateJsonError, parseJsonText, stripBom } from '../util/json-text';
import { RESOURCE_ARRAYS, ResourceOrigin, SCHEMA_VERSION, Snapshot } from './snapshot';
import { snapshotValueProblems } from './snapshot-values';

type ResourceArrayName = (typeof RESOURCE_ARRAYS)[number];

/** Yields the canonical text of a snapshot in chunks (no chunk holds more than one resource). */
export function* serializeSnapshot(snapshot: Snapshot): Generator<string> {
  const { schemaVersion, generator, source } = snapshot;
  yield `{"schemaVersion":${JSON.stringify(schemaVersion)},"generator":${JSON.stringify(generator)},"source":${JSON.stringify(source)},\n`;
  for (let a = 0; a < RESOURCE_ARRAYS.length; a++) {
    const name = RESOURCE_ARRAYS[a] as ResourceArrayName;
    const items = snapshot[name] as readonly unknown[];
    const last = a === RESOURCE_ARRAYS.length - 1;
    if (items.length === 0) {
      yield `${JSON.stringify(name)}:[]${last ? '}\n' : ',\n'}`;
      continue;
    }
    yield `${JSON.stringify(name)}:[\n`;
    for (let i = 0; i < items.length; i++) {
      yield `${JSON.stringify(items[i])}${i < items.length - 1 ? ',' : ''}\n`;
    }
    yield last ? ']}\n' : '],\n';
  }
}

/** The whole canonical text (for tests and small snapshots). */
export function snapshotToString(snapshot: Snapshot): string {
  return [...serializeSnapshot(snapshot)].join('');
}

export type SnapshotParse = { ok: true; snapshot: Snapshot } | { ok: false; diagnostics: Diagnostic[] };

/** Validates already-parsed JSON as a snapshot; problems come back with JSON paths. */
export function validateSnapshot(json: unknown, file: string): SnapshotParse {
  if (typeof json === 'object' && json !== null && 'schemaVersion' in json) {
    const version = (json as { schemaVersion: unknown }).schemaVersion;
    if (version !== SCHEMA_VERSION) {
      return {
        ok: false,
        diagnostics: [
          diagnostic(
            'INVALID_VALUE',
            `snapshot schemaVersion ${JSON.stringify(version)} is not supported by this aciseg (expects ${SCHEMA_VERSION}); re-create it with 'aciseg import' or 'aciseg collect'`,
            file,
            '$.schemaVersion',
          ),
        ],
      };
    }
  }
  const issues = snapshotShapeIssues(json);
  if (issues.length > 0) return { ok: false, diagnostics: zodIssuesToDiagnostics(issues, file, '$') };
  const snapshot = withDefaults(json);
  const problems = snapshotValueProblems(snapshot);
  if (problems.length === 0) return { ok: true, snapshot };
  return {
    ok: false,
    diagnostics: problems.map((p) => {
      let path = '$';
      for (const step of p.path) path = jsonPath(path, step);
      return diagnostic(p.code, p.message, file, path);
    }),
  };
}

/**
 * The schema problems of parsed JSON (paths from the root), checked resource by resource: the same
 * checks as one `Snapshot.safeParse`, but each element's parsed copy dies young and the input itself
 * is what the caller keeps (the schema transforms nothing; only `origins` has a default). A deep copy
 * of the whole estate would otherwise live through the reading and double what the collector moves.
 */
export function snapshotShapeIssues(json: unknown): z.core.$ZodIssue[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    const top = Snapshot.safeParse(json);
    return top.success ? [] : top.error.issues;
  }
  const record = json as Record<string, unknown>;
  const shell: Record<string, unknown> = { ...record };
  const arrays = RESOURCE_ARRAYS.filter((name) => Array.isArray(record[name]));
  for (const name of arrays) shell[name] = [];
  const top = Snapshot.safeParse(shell);
  const issues: z.core.$ZodIssue[] = top.success ? [] : [...top.error.issues];
  for (const name of arrays) {
    const element = (name === 'origins' ? ResourceOrigin : Snapshot.shape[name].element) as z.ZodType;
    const items = record[name] as readonly unknown[];
    for (let i = 0; i < items.length; i++) {
      const check = element.safeParse(items[i]);
      if (!check.success)
        for (const issue of check.error.issues) issues.push({ ...issue, path: [name, i, ...issue.path] });
    }
  }
  return issues;
}

/**
 * How much of a snapshot is checked: `full` (every schema and value rule, duplicate keys), or `none`
 * for a file another reader of the same run validates, whose verdict decides before anything is
 * written (src/cli/standalone-rules.ts): in `analyze` the worker checks and the main thread only
 * parses; in `plan` the main thread checks and the worker only parses.
 */
export type SnapshotChecks = 'full' | 'none';

/** Parses snapshot text held in one string. */
export function parseSnapshotText(
  text: string,
  file: string,
  checks: SnapshotChecks = 'full',
): SnapshotParse {
  // A hand-edited snapshot may repeat a key as an input may: which value counts would be a guess.
  const parsed = parseJsonText(text, file, { duplicateKeys: checks === 'full' });
  if (!parsed.ok) return { ok: false, diagnostics: [parsed.diagnostic] };
  return checks === 'full' ? validateSnapshot(parsed.value, file) : uncheckedSnapshot(parsed.value);
}

/** Parsed JSON taken as a snapshot without checks (see SnapshotChecks). */
function uncheckedSnapshot(json: unknown): SnapshotParse {
  return { ok: true, snapshot: withDefaults(json) };
}

/** Parsed JSON as a snapshot with the schema's one default: snapshots written before origins have none. */
function withDefaults(json: unknown): Snapshot {
  const snapshot = json as Snapshot;
  snapshot.origins ??= [];
  return snapshot;
}

/**
 * Parses a snapshot from its lines, for files too large for one string. Requires the canonical
 * layout that `serializeSnapshot` writes; reports the first line that breaks it.
 */
export function parseSnapshotLines(
  lines: Iterable<string>,
  file: string,
  checks: SnapshotChecks = 'full',
): SnapshotParse {
  const parsed: Record<string, unknown> = {};
  let current: unknown[] | null = null;
  let lineNo = 0;
  const layoutError = (what: string): SnapshotParse => ({
    ok: false,
    diagnostics: [
      diagnostic(
        'NOT_JSON',
        `line ${lineNo}: ${what} (large snapshots must keep the one-resource-per-line layout aciseg writes)`,
        file,
        null,
      ),
    ],
  });
  let done = false;
  for (const raw of lines) {
    lineNo++;
    const line = lineNo === 1 ? stripBom(raw) : raw;
    if (done) {
      if (line.trim() !== '') return layoutError('text after the end of the snapshot');
      continue;
    }
    try {
      if (lineNo === 1) {
        if (!line.startsWith('{') || !line.endsWith(',')) return layoutError('unexpected header');
        Object.assign(parsed, JSON.parse(`${line.slice(0, -1)}}`));
      } else if (current === null) {
        // `"name":[` opens a non-empty array; `"name":[],` or `"name":[]}` is an empty one.
        const m = /^"(\w+)":\[(?:\](,|\}))?$/.exec(line);
        if (!m) return layoutError('expected the start of a resource array');
        current = [];
        parsed[m[1] as string] = current;
        if (m[2] !== undefined) {
          current = null;
          if (m[2] === '}') done = true;
        }
      } else if (line === '],' || line === ']}') {
        current = null;
        if (line === ']}') done = true;
      } else {
        current.push(JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line));
      }
    } catch {
      return layoutError(`invalid JSON${whereOnLine(lineNo === 1 ? `${line.slice(0, -1)}}` : line)}`);
    }
  }
  if (!done) return layoutError('the file ends before the snapshot does (truncated?)');
  return checks === 'full' ? validateSnapshot(parsed, file) : uncheckedSnapshot(parsed);
}

/** ` at column N: reason` for a line `JSON.parse` rejected (the one syntax reporter's scanner). */
function whereOnLine(json: string): string {
  const found = locateJsonError(json.endsWith(',') ? json.slice(0, -1) : json);
  return found === null ? '' : ` at column ${found.offset + 1}: ${found.reason}`;
}

/** Turns zod issues into diagnostics, each with its JSON path. */
export function zodIssuesToDiagnostics(
  issues: readonly z.core.$ZodIssue[],
  file: string,
  root: string,
  limit = 20,
): Diagnostic[] {
  const out = issues.slice(0, limit).map((issue) => {
    let path = root;
    for (const step of issue.path) path = jsonPath(path, typeof step === 'number' ? step : String(step));
    return diagnostic('INVALID_VALUE', issue.message, file, path);
  });
  if (issues.length > limit) {
    out.push(diagnostic('INVALID_VALUE', `${issues.length - limit} more problems not shown`, file, null));
  }
  return out;
}

// The one JSON reader and syntax reporter, re-exported for the snapshot's other readers.
export { jsonSyntaxDiagnostic, stripBom };
