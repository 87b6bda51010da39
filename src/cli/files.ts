/**
 * File access for commands: reading inputs with clear errors, and writing outputs atomically
 * (temp file in the target directory, then rename) so a failed run leaves nothing half-written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { diagnostic, formatDiagnostic, type Diagnostic } from '../diagnostics';
import { EnvironmentError, InputError } from '../errors';
import type { Snapshot } from '../model/snapshot';
import { parseSnapshotLines, parseSnapshotText, serializeSnapshot } from '../model/snapshot-codec';

/** Files above this size are read line by line (V8 strings stop at about 512 MB). */
export const WHOLE_FILE_LIMIT = 256 * 1024 * 1024;

/** Throws an InputError carrying the diagnostics, with the first one as the message. */
export function failWith(diagnostics: readonly Diagnostic[]): never {
  const fatal = diagnostics.filter((d) => d.severity === 'fatal');
  const shown = (fatal.length > 0 ? fatal : diagnostics).map(formatDiagnostic);
  throw new InputError(shown.join('\n'), diagnostics);
}

/** Reads a UTF-8 text file; a missing or unreadable file is an input error naming it. */
export function readTextFile(file: string, displayName = file): string {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    failWith([
      diagnostic(
        'FILE_UNREADABLE',
        `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        displayName,
      ),
    ]);
  }
  return decodeUtf8(buf, displayName);
}

/** Decodes UTF-8 strictly: invalid byte sequences are an input error, not replacement characters. */
export function decodeUtf8(buf: Buffer, displayName: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    failWith([diagnostic('NOT_UTF8', 'file is not valid UTF-8 text', displayName)]);
  }
}

/** Reads and validates a snapshot file, streaming by lines when it is large. */
export function readSnapshotFile(file: string, displayName = file): Snapshot {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (e) {
    failWith([
      diagnostic(
        'FILE_UNREADABLE',
        `cannot read snapshot: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        displayName,
      ),
    ]);
  }
  const result =
    size <= WHOLE_FILE_LIMIT
      ? parseSnapshotText(readTextFile(file, displayName), displayName)
      : parseSnapshotLines(readLines(file), displayName);
  if (!result.ok) failWith(result.diagnostics);
  return result.snapshot;
}

/** Yields the lines of a file of any size without holding it in one string. */
export function* readLines(file: string): Generator<string> {
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(16 * 1024 * 1024);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let pending = '';
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      pending += decoder.decode(chunk.subarray(0, n), { stream: true });
      let nl = pending.indexOf('\n');
      let start = 0;
      while (nl >= 0) {
        yield pending.slice(start, nl);
        start = nl + 1;
        nl = pending.indexOf('\n', start);
      }
      pending = pending.slice(start);
    }
    pending += decoder.decode();
    if (pending !== '') yield pending;
  } finally {
    fs.closeSync(fd);
  }
}

export interface WriteOptions {
  /** Replace an existing file (without it, an existing output is an error). */
  force: boolean;
}

/**
 * Writes text chunks to `target` atomically: a temp file beside it, then rename. Refuses to
 * replace an existing file without `force`, and never writes into a directory or through a symlink.
 */
/** Joins many small chunks (a report line each) into pieces of about `size` characters, for fewer writes. */
export function* batchChunks(chunks: Iterable<string>, size = 1 << 20): Generator<string> {
  let pending: string[] = [];
  let length = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    length += chunk.length;
    if (length >= size) {
      yield pending.join('');
      pending = [];
      length = 0;
    }
  }
  if (pending.length > 0) yield pending.join('');
}

export function writeOutputFile(target: string, chunks: Iterable<string>, options: WriteOptions): void {
  const dir = path.dirname(target);
  let existing: fs.Stats | null = null;
  try {
    existing = fs.lstatSync(target);
  } catch {
    existing = null;
  }
  if (existing) {
    if (existing.isDirectory()) throw new InputError(`output path ${target} is a directory`);
    if (existing.isSymbolicLink())
      throw new InputError(`output path ${target} is a symbolic link; refusing to write through it`);
    if (!options.force)
      throw new InputError(`output file ${target} already exists (use --force to replace it)`);
  }
  try {
    if (!fs.statSync(dir).isDirectory()) throw new InputError(`output directory ${dir} is not a directory`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`output directory ${dir} does not exist`);
  }
  const temp = path.join(
    dir,
    `.${path.basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  let fd: number | null = null;
  try {
    fd = fs.openSync(temp, 'wx', 0o644);
    for (const chunk of batchChunks(chunks)) fs.writeSync(fd, chunk);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(temp, target);
  } catch (e) {
    if (fd !== null) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    if (e instanceof InputError) throw e;
    throw new EnvironmentError(`cannot write ${target}: ${(e as Error).message}`);
  }
}

/** Writes a snapshot file atomically. */
export function writeSnapshotFile(target: string, snapshot: Snapshot, options: WriteOptions): void {
  writeOutputFile(target, serializeSnapshot(snapshot), options);
}
