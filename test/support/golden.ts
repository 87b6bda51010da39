/**
 * Golden-file comparison for tests: `expectGolden('summary/hub-spoke.txt', text)` compares `text`
 * with `test/golden/summary/hub-spoke.txt`.
 * - On a mismatch (or a missing golden) it writes `test/golden/summary/hub-spoke.actual.txt`
 *   beside it (git-ignored) and fails, naming both files, with jest's diff.
 * - With `UPDATE_GOLDEN=1` in the environment it (re)writes the golden instead and passes;
 *   review the change with `git diff test/golden` before committing it.
 * - On a match it removes a stale `.actual` file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where goldens live. */
export const GOLDEN_ROOT = path.join(__dirname, '..', 'golden');

/** The outcome of one comparison (for tests of this helper; tests use `expectGolden`). */
export type GoldenOutcome =
  | { status: 'match'; goldenPath: string }
  | { status: 'updated'; goldenPath: string }
  | { status: 'mismatch'; goldenPath: string; actualPath: string; expected: string | null };

/** Returns `<dir>/<name>.actual.<ext>` for `<dir>/<name>.<ext>` (or `<name>.actual` without an extension). */
export function actualPathFor(goldenPath: string): string {
  const dir = path.dirname(goldenPath);
  const base = path.basename(goldenPath);
  const dot = base.indexOf('.', 1);
  return dot < 0
    ? path.join(dir, `${base}.actual`)
    : path.join(dir, `${base.slice(0, dot)}.actual${base.slice(dot)}`);
}

/** Resolves `relPath` under `root`, refusing absolute paths and paths that climb out of it. */
function resolveGolden(root: string, relPath: string): string {
  if (path.isAbsolute(relPath)) throw new Error(`golden path must be relative: ${relPath}`);
  const full = path.resolve(root, relPath);
  const rel = path.relative(root, full);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    throw new Error(`golden path escapes ${root}: ${relPath}`);
  }
  if (/\.actual(\.|$)/.test(path.basename(full)))
    throw new Error(`golden path must not be an .actual file: ${relPath}`);
  return full;
}

/** Compares `actual` with the golden at `root/relPath`, writing files as described above; never throws on a mismatch. */
export function compareGolden(root: string, relPath: string, actual: string, update: boolean): GoldenOutcome {
  const goldenPath = resolveGolden(root, relPath);
  const actualPath = actualPathFor(goldenPath);
  if (update) {
    fs.mkdirSync(path.dirname(goldenPath), { recursive: true });
    fs.writeFileSync(goldenPath, actual);
    fs.rmSync(actualPath, { force: true });
    return { status: 'updated', goldenPath };
  }
  const expected = fs.existsSync(goldenPath) ? fs.readFileSync(goldenPath, 'utf8') : null;
  if (expected === actual) {
    fs.rmSync(actualPath, { force: true });
    return { status: 'match', goldenPath };
  }
  fs.mkdirSync(path.dirname(actualPath), { recursive: true });
  fs.writeFileSync(actualPath, actual);
  return { status: 'mismatch', goldenPath, actualPath, expected };
}

/** True when the environment asks to rewrite goldens (`UPDATE_GOLDEN=1`). */
export function updatingGoldens(): boolean {
  return process.env.UPDATE_GOLDEN === '1';
}

/** Asserts that `actual` equals the golden file `test/golden/<relPath>` (see the module comment). */
export function expectGolden(relPath: string, actual: string): void {
  const outcome = compareGolden(GOLDEN_ROOT, relPath, actual, updatingGoldens());
  if (outcome.status !== 'mismatch') return;
  const hint =
    outcome.expected === null
      ? `golden file ${outcome.goldenPath} does not exist; output written to ${outcome.actualPath}.\n` +
        'Run the tests with UPDATE_GOLDEN=1 to create it, then review it.'
      : `output differs from golden file ${outcome.goldenPath}; output written to ${outcome.actualPath}.\n` +
        'If the change is intended, run the tests with UPDATE_GOLDEN=1 and review `git diff test/golden`.';
  try {
    expect(actual).toBe(outcome.expected ?? '');
  } catch (error) {
    if (error instanceof Error) error.message = `${hint}\n\n${error.message}`;
    throw error;
  }
  // Only reached when the golden is missing and the output is empty: still a failure.
  throw new Error(hint);
}
