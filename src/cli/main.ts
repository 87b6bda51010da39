#!/usr/bin/env -S node --max-semi-space-size=64
/**
 * The aciseg executable: sets the exit code. (A SIGINT or SIGTERM while an output is being written
 * removes its temp file and then lets the signal end the process: see `writeOutputFile`.)
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
