/**
 * The aciseg command-line program as a factory that tests can run in-process: `runCli(argv, io)`
 * returns the exit code instead of exiting.
 */
import { Command, CommanderError } from 'commander';
import { formatDiagnostic } from '../diagnostics';
import { ExitCode, InputError, UsageError, exitCodeFor } from '../errors';
import { printable, printableLines } from '../util/escape';
import { VERSION } from '../version';
import type { CliIo } from './io';
import { commands } from './commands';

/** What every command gets: the outside world, and a way to set a non-zero (finding) exit code. */
export interface CommandContext {
  io: CliIo;
  setExitCode(code: number): void;
}

export type CommandRegistration = (program: Command, ctx: CommandContext) => void;

/** Builds the commander program; output goes through `io`, and commander never exits the process. */
export function createProgram(ctx: CommandContext): Command {
  const program = new Command('aciseg')
    .description('Plan and show network segmentation for Azure Container Instances — exact, offline.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => ctx.io.stdout(s),
      // Commander quotes arguments back in its errors: escaped like everything else on stderr.
      writeErr: (s) => ctx.io.stderr(printableLines(s)),
    })
    .exitOverride();
  for (const register of commands) register(program, ctx);
  for (const cmd of program.commands) {
    cmd.exitOverride();
    cmd.showHelpAfterError('(run with --help for usage)');
  }
  return program;
}

/** Runs aciseg with `argv` (without the node and script entries); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const ctx: CommandContext = {
    io,
    setExitCode: (code) => {
      exitCode = Math.max(exitCode, code);
    },
  };
  const program = createProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; they exit 0.
      if (error.exitCode === 0) return ExitCode.ok;
      return ExitCode.input;
    }
    return reportError(error, io);
  }
}

/** Prints an error for people (escaped: messages quote names and paths) and returns its exit code; internal errors ask for a bug report. */
export function reportError(error: unknown, io: CliIo): number {
  const code = exitCodeFor(error);
  if (error instanceof InputError) {
    if (error.diagnostics.length > 0) {
      const fatal = error.diagnostics.filter((d) => d.severity === 'fatal');
      for (const d of fatal.length > 0 ? fatal : error.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
    } else io.stderr(`error: ${printable(error.message)}\n`);
  } else if (error instanceof UsageError) {
    io.stderr(`error: ${printable(error.message)}\n(run with --help for usage)\n`);
  } else if (code === ExitCode.internal) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(
      `internal error: ${printableLines(detail)}\nThis is a bug in aciseg; please report it with the command you ran.\n`,
    );
  } else {
    io.stderr(`error: ${printable(error instanceof Error ? error.message : String(error))}\n`);
  }
  return code;
}
