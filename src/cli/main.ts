#!/usr/bin/env -S node --max-semi-space-size=64
/** The aciseg executable: the only place that exits the process. */
import { processIo } from './io';
import { runCli } from './program';

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`internal error: ${String(error)}\n`);
    process.exitCode = 4;
  },
);
