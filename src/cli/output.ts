/**
 * The one output path of every command: its result's chunks go to stdout, or atomically to the
 * `-o` file (writeOutputFile: a temp file, then rename).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors';
import type { Chunks } from '../render/registry';
import { batchChunks, writeOutputFile } from './files';
import type { CliIo } from './io';

export interface OutputOptions {
  output?: string;
  force?: boolean;
}

/** Where a command's result goes. */
export interface Output {
  /** Writes the chunks (stdout, or the whole `-o` file at once). */
  emit(chunks: Chunks): void;
}

/**
 * Returns the command's output. An `-o` file that exists without `--force` is refused here, before
 * the (possibly long) work; writeOutputFile checks again when it writes.
 */
export function openOutput(io: CliIo, options: OutputOptions): Output {
  const file = options.output;
  if (file === undefined) return { emit: (chunks) => writeStdout(io, chunks) };
  const target = path.resolve(io.cwd, file);
  const force = options.force === true;
  if (!force && exists(target))
    throw new InputError(`output file ${file} already exists (use --force to replace it)`);
  return { emit: (chunks) => writeOutputFile(target, chunks, { force }) };
}

/** Writes chunks to stdout, joined into large pieces. */
export function writeStdout(io: CliIo, chunks: Chunks): void {
  for (const piece of batchChunks(chunks)) io.stdout(piece);
}

function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
