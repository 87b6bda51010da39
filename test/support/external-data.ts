/**
 * Where the shared real Azure data (../shared/external) is, and what the suite does without it: on a
 * developer's fresh clone it skips with a note; in CI (the `CI` variable set, as every CI service
 * does) a missing folder is a failure, so the suite can never pass by silently running nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** `../shared/external` beside the repository. `ACISEG_EXTERNAL_DATA` points elsewhere (a worktree). */
export const DEFAULT_EXTERNAL_DATA = path.resolve(__dirname, '../../../shared/external');

export interface ExternalData {
  root: string;
  /** run: the folder is there; skip: it is not, outside CI; fail: it is not, in CI. */
  mode: 'run' | 'skip' | 'fail';
  /** Why the suite does not run (empty when it runs). */
  note: string;
}

/** Whether the environment says this is a CI run (`CI=true`, `CI=1`; not `CI=false`, `CI=0`, empty). */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = (env.CI ?? '').trim().toLowerCase();
  return value !== '' && value !== 'false' && value !== '0';
}

export function locateExternalData(env: NodeJS.ProcessEnv = process.env): ExternalData {
  const override = env.ACISEG_EXTERNAL_DATA;
  const root = override ? path.resolve(override) : DEFAULT_EXTERNAL_DATA;
  if (fs.existsSync(root)) return { root, mode: 'run', note: '' };
  const absent = `${root} is absent (shared reference data, not part of the repository; ACISEG_EXTERNAL_DATA may name it)`;
  if (isCi(env)) return { root, mode: 'fail', note: `external-data tests cannot run in CI: ${absent}` };
  return { root, mode: 'skip', note: `external-data tests skipped: ${absent}` };
}
