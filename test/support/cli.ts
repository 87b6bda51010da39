/** Runs the CLI in-process, capturing what it writes. */
import { runCli } from '../../src/cli/program';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `aciseg <argv>` with `cwd` as its working directory; returns the exit code and both streams. */
export async function runCapture(argv: string[], cwd: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd,
  });
  return { code, stdout, stderr };
}
