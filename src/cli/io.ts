import * as fs from 'node:fs';
import { EnvironmentError } from '../errors';
import { describeFsError } from '../util/fs-errors';
import { pause } from '../collect/io/files';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  /** Machine output (the result of the command). */
  stdout(text: string): void;
  /** Diagnostics and progress for people. */
  stderr(text: string): void;
  /** Directory that relative paths are resolved against. */
  cwd: string;
  /** True when stdout is a terminal that may get ANSI colours (never with NO_COLOR); absent means no. */
  colorStdout?: boolean;
}

/** Colour is for a terminal only, and never when NO_COLOR is set to anything but the empty string (no-color.org). */
export function colorAllowed(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

/**
 * The real process streams, written synchronously so that a failure surfaces where it happens:
 * a stdout that cannot be written (a full disk, /dev/full) is an EnvironmentError (exit code 3,
 * one line on stderr). A reader that closed the pipe (`aciseg analyze s.json | head -1`) is not an
 * error: the rest of the output is dropped quietly and the exit code stays the command's own.
 * A failing stderr has nowhere left to be reported and is ignored.
 */
export function processIo(): CliIo {
  let stdoutClosed = false;
  return {
    stdout: (text) => {
      if (stdoutClosed) return;
      try {
        writeFully(1, text);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EPIPE') stdoutClosed = true;
        else throw new EnvironmentError(`cannot write to standard output: ${describeFsError(e)}`);
      }
    },
    stderr: (text) => {
      try {
        writeFully(2, text);
      } catch {
        // Nothing to do: stderr is where errors would go.
      }
    },
    cwd: process.cwd(),
    colorStdout: colorAllowed(process.stdout.isTTY, process.env),
  };
}

/** Writes all of `text` to a descriptor, waiting while a non-blocking pipe is full. */
function writeFully(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(fd, bytes, offset);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      pause(1);
    }
  }
}
