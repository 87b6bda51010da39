/**
 * The one output path of every command: its result's chunks go to stdout, or atomically to the
 * `-o` file (writeOutputFile: a temp file, then rename).
 */
import * as path from 'node:path';
import type { Chunks } from '../render/registry';
import {
  batchChunks,
  checkOutputTarget,
  resolveInput,
  writeOutputFile,
  type WriteOptions,
} from '../collect/io/files';
import type { CliIo } from './io';

export interface OutputOptions {
  output?: string;
  force?: boolean;
}

/** Where a command's result goes. */
export interface Output {
  /** Writes the chunks (stdout, or the whole `-o` file at once); resolves when they are written. */
  emit(chunks: Chunks): Promise<void>;
}

/**
 * Returns the command's output. An `-o` path that cannot be written (an existing file without
 * `--force`, a device, one of `inputs`: the files the command reads, as named) is refused here,
 * before the (possibly long) work; writeOutputFile checks again when it writes.
 */
export function openOutput(io: CliIo, options: OutputOptions, inputs: readonly string[] = []): Output {
  const file = options.output;
  if (file === undefined)
    return {
      emit: (chunks) => {
        writeStdout(io, chunks);
        return Promise.resolve();
      },
    };
  const target = path.resolve(io.cwd, file);
  const write: WriteOptions = {
    force: options.force === true,
    inputs: inputs.map((named) => resolveInput(io.cwd, named)),
    name: file,
  };
  checkOutputTarget(target, write);
  return { emit: (chunks) => writeOutputFile(target, chunks, write) };
}

/** Writes chunks to stdout, joined into large pieces. */
export function writeStdout(io: CliIo, chunks: Chunks): void {
  for (const piece of batchChunks(chunks)) io.stdout(piece);
}
