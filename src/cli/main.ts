#!/usr/bin/env -S node --max-semi-space-size=64 --max-inlined-bytecode-size-cumulative=300
/**
 * The aciseg executable: sets the exit code. (A SIGINT or SIGTERM while an output is being written
 * removes its temp file and then lets the signal end the process: see `writeOutputFile`.)
 *
 * The Node flags on the first line: a larger young generation (fewer scavenges of the large,
 * short-lived sets the engine builds), and a third of V8's default inlining budget, because a run is
 * seconds long and optimizing compilation of the engine's large functions is several seconds of CPU
 * on two cores (README, cost paragraph).
 */
import { printableLines } from '../util/escape';
import { processIo } from './io';
import { runCli } from './program';

const io = processIo();
runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    io.stderr(`internal error: ${printableLines(String(error))}\n`);
    process.exitCode = 4;
  },
);
