import type { Diagnostic } from './diagnostics';

/** Exit codes of the aciseg command line (README "Exit codes"). */
export const ExitCode = {
  ok: 0,
  findings: 1,
  input: 2,
  environment: 3,
  internal: 4,
} as const;

/** A mistake in how the command was called: a bad flag, a missing argument. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Input that cannot be used: unreadable files, invalid JSON, values Azure would reject. Exit code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
  }
}

/** Azure or the local environment failed us: auth, network, throttling, disk. Exit code 3. */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
}

/** Maps an error to the exit code the README documents for it. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof InputError) return ExitCode.input;
  if (error instanceof EnvironmentError) return ExitCode.environment;
  return ExitCode.internal;
}
