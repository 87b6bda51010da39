/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  /** Machine output (the result of the command). */
  stdout(text: string): void;
  /** Diagnostics and progress for people. */
  stderr(text: string): void;
  /** Directory that relative paths are resolved against. */
  cwd: string;
}

/** The real process streams. */
export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
  };
}
