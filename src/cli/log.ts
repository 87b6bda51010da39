/**
 * What a command tells people on stderr, by verbosity: errors always (they are thrown and reported
 * by the program); warnings and progress unless `--quiet`; with `--verbose`, also how long each
 * phase took (`time: <phase>: 0.42 s`).
 */
import type { CliIo } from './io';

export interface VerbosityOptions {
  quiet?: boolean;
  verbose?: boolean;
}

export interface Log {
  readonly quiet: boolean;
  /** A warning or a diagnostic (one line; the newline is added). */
  warn(text: string): void;
  /** A progress or status message (one line). */
  progress(text: string): void;
  /** Runs one phase of the command (a promise: until it settles); with `--verbose`, prints how long it took. */
  phase<T>(name: string, work: () => T): T;
}

/** The log for one run of a command. */
export function createLog(io: CliIo, options: VerbosityOptions): Log {
  const quiet = options.quiet === true;
  const verbose = options.verbose === true;
  const line = quiet ? () => undefined : (text: string) => io.stderr(`${text}\n`);
  return {
    quiet,
    warn: line,
    progress: line,
    phase: (name, work) => {
      if (!verbose) return work();
      const start = performance.now();
      const report = () => io.stderr(`time: ${name}: ${((performance.now() - start) / 1000).toFixed(2)} s\n`);
      let result: ReturnType<typeof work>;
      try {
        result = work();
      } catch (e) {
        report();
        throw e;
      }
      // An asynchronous phase (writing an output file) is timed until it settles.
      if (result instanceof Promise) return result.finally(report) as typeof result;
      report();
      return result;
    },
  };
}
