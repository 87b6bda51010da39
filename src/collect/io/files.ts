/**
 * File access for commands: reading inputs with clear errors, and writing outputs atomically
 * (temp file in the target directory, then rename) so a failed run leaves nothing half-written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { utf16Message } from '../../util/json-text';
import { diagnostic, formatDiagnostic, type Diagnostic } from '../../diagnostics';
import { EnvironmentError, InputError } from '../../errors';
import type { Snapshot } from '../../model/snapshot';
import {
  parseSnapshotLines,
  parseSnapshotText,
  serializeSnapshot,
  type SnapshotChecks,
  type SnapshotParse,
} from '../../model/snapshot-codec';
import { cannotRead, describeFsError, fileKind } from '../../util/fs-errors';

/** Names standard input where a command reads a file (import's paths, the snapshot argument). */
export const STDIN = '-';

/** Resolves a named input against `cwd`; `-` stays `-`, standard input (name `./-` for a file called `-`). */
export function resolveInput(cwd: string, named: string): string {
  return named === STDIN ? STDIN : path.resolve(cwd, named);
}

/** Snapshots above this size are read line by line (V8 strings stop at about 512 MB). */
export const WHOLE_FILE_LIMIT = 256 * 1024 * 1024;

/** The line-mode threshold: WHOLE_FILE_LIMIT, or ACISEG_WHOLE_FILE_LIMIT bytes (to test line mode on small files). */
export function wholeFileLimit(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ACISEG_WHOLE_FILE_LIMIT;
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : WHOLE_FILE_LIMIT;
}

/** Throws an InputError carrying the diagnostics, with the first one as the message. */
export function failWith(diagnostics: readonly Diagnostic[]): never {
  const fatal = diagnostics.filter((d) => d.severity === 'fatal');
  const shown = (fatal.length > 0 ? fatal : diagnostics).map(formatDiagnostic);
  throw new InputError(shown.join('\n'), diagnostics);
}

/**
 * Opens an input that must be a regular file. A device, FIFO or socket is refused before it is
 * opened; the open itself does not block (a FIFO swapped in would wait forever for a writer), and
 * the opened descriptor is checked again, so what is read is what was checked.
 */
function openRegularFile(file: string, displayName: string): { fd: number; size: number } {
  const refuse = (stat: fs.Stats): never =>
    failWith([diagnostic('FILE_UNREADABLE', notRegularInput(stat), displayName)]);
  let fd: number;
  try {
    const named = fs.statSync(file);
    if (!named.isFile()) refuse(named);
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    if (e instanceof InputError) throw e;
    failWith([diagnostic('FILE_UNREADABLE', cannotRead(e), displayName)]);
  }
  const stat = fs.fstatSync(fd);
  if (!stat.isFile()) {
    fs.closeSync(fd);
    refuse(stat);
  }
  return { fd, size: stat.size };
}

/** Reads an open regular file to its end; a read error is FILE_UNREADABLE naming it. */
function readAll(fd: number, displayName: string): Buffer {
  try {
    return fs.readFileSync(fd);
  } catch (e) {
    failWith([diagnostic('FILE_UNREADABLE', cannotRead(e), displayName)]);
  }
}

/** The message for an input that is a FIFO, device, socket or directory. */
export function notRegularInput(stat: fs.Stats): string {
  return `cannot read file: it is ${fileKind(stat)}, not a regular file (name '-' to read standard input)`;
}

/** Reads a UTF-8 text file (`-`: standard input); a missing, unreadable or non-regular file is an input error naming it. */
export function readTextFile(file: string, displayName = file): string {
  if (file === STDIN) return decodeUtf8(Buffer.concat([...readChunks(0, displayName)]), displayName);
  const { fd } = openRegularFile(file, displayName);
  try {
    return decodeUtf8(readAll(fd, displayName), displayName);
  } finally {
    fs.closeSync(fd);
  }
}

/** Decodes UTF-8 strictly: invalid byte sequences are an input error, not replacement characters. */
export function decodeUtf8(buf: Buffer, displayName: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    // PowerShell writes UTF-16 by default: say so, and how to convert.
    failWith([diagnostic('NOT_UTF8', utf16Message(buf) ?? 'file is not valid UTF-8 text', displayName)]);
  }
}

export interface SnapshotReadOptions {
  /** Above this many bytes the snapshot is read line by line (default: `wholeFileLimit()`). */
  wholeFileLimit?: number;
  /** `none` only where another reader validates the same file and its verdict wins (default `full`). */
  checks?: SnapshotChecks;
}

/** Reads and validates a snapshot file (`-`: standard input), streaming by lines when it is large. */
export function readSnapshotFile(
  file: string,
  displayName = file,
  options: SnapshotReadOptions = {},
): Snapshot {
  const limit = options.wholeFileLimit ?? wholeFileLimit();
  const checks = options.checks ?? 'full';
  const result =
    file === STDIN ? parseStdinSnapshot(limit) : parseSnapshotAt(file, displayName, limit, checks);
  if (!result.ok) failWith(result.diagnostics);
  return result.snapshot;
}

function parseSnapshotAt(
  file: string,
  displayName: string,
  limit: number,
  checks: SnapshotChecks,
): SnapshotParse {
  const { fd, size } = openRegularFile(file, displayName);
  try {
    if (size <= limit) return parseSnapshotText(readWholeText(fd, displayName), displayName, checks);
    return parseSnapshotLines(linesOf(readChunks(fd, displayName), displayName), displayName, checks);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * An open file's text. Its own function so that the bytes (as large as the file) are garbage once it
 * returns: a temporary in the caller's frame would keep them alive while the text is parsed.
 */
function readWholeText(fd: number, displayName: string): string {
  return decodeUtf8(readAll(fd, displayName), displayName);
}

/** Standard input has no size to look at: buffer up to the limit, then go on line by line if it is longer. */
function parseStdinSnapshot(limit: number): SnapshotParse {
  const chunks = readChunks(0, STDIN);
  const head: Buffer[] = [];
  let total = 0;
  for (let next = chunks.next(); !next.done; next = chunks.next()) {
    head.push(next.value);
    total += next.value.length;
    if (total > limit) {
      const rest = function* (): Generator<Buffer> {
        yield* head;
        yield* chunks;
      };
      return parseSnapshotLines(linesOf(rest(), STDIN), STDIN);
    }
  }
  return parseSnapshotText(decodeUtf8(Buffer.concat(head), STDIN), STDIN);
}

/** Yields the lines of a file of any size without holding it in one string. */
export function* readLines(file: string, displayName = file): Generator<string> {
  const { fd } = openRegularFile(file, displayName);
  try {
    yield* linesOf(readChunks(fd, displayName), displayName);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Splits UTF-8 chunks into lines (without the `\n`); invalid UTF-8 is an input error. Works on the
 * bytes: a newline byte never occurs inside a multi-byte character, so everything up to a chunk's
 * last newline is whole characters, validated at once and decoded line by line (no giant strings).
 */
export function* linesOf(chunks: Iterable<Buffer>, displayName: string): Generator<string> {
  const valid = (bytes: Buffer): void => {
    if (!isUtf8(bytes)) failWith([diagnostic('NOT_UTF8', 'file is not valid UTF-8 text', displayName)]);
  };
  let rest: Buffer = Buffer.alloc(0);
  for (const chunk of chunks) {
    const buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    const last = buf.lastIndexOf(NEWLINE);
    if (last < 0) {
      rest = buf; // a line longer than the chunk: keep collecting
      continue;
    }
    valid(buf.subarray(0, last));
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl >= 0 && nl <= last; nl = buf.indexOf(NEWLINE, start)) {
      yield buf.toString('utf8', start, nl);
      start = nl + 1;
    }
    rest = buf.subarray(last + 1);
  }
  if (rest.length > 0) {
    valid(rest);
    yield rest.toString('utf8');
  }
}

const NEWLINE = 0x0a;

/** Reads a descriptor to its end in chunks; a read error is FILE_UNREADABLE naming the file. */
function* readChunks(fd: number, displayName: string, size = 16 * 1024 * 1024): Generator<Buffer> {
  const chunk = Buffer.allocUnsafe(size);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, chunk, 0, size, null);
    } catch (e) {
      // Standard input may be a non-blocking pipe or terminal: wait for it rather than fail.
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        pause(5);
        continue;
      }
      failWith([diagnostic('FILE_UNREADABLE', cannotRead(e), displayName)]);
    }
    if (n === 0) return;
    // A copy of what was read: callers may keep chunks (standard input is buffered) while the next is read.
    yield Buffer.from(chunk.subarray(0, n));
  }
}

const pauseCell = new Int32Array(new SharedArrayBuffer(4));

/** Sleeps the thread (for a descriptor that is not ready yet; the CLI has nothing else to do meanwhile). */
export function pause(ms: number): void {
  Atomics.wait(pauseCell, 0, 0, ms);
}

export interface WriteOptions {
  /** Replace an existing file (without it, an existing output is an error). */
  force: boolean;
  /** The files this run reads: the output may not be one of them, even with `force`. */
  inputs?: readonly string[];
  /** The output as the user named it, for messages (default: the resolved path). */
  name?: string;
}

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

/**
 * Refuses an output path that cannot be written safely (input error, exit code 2): a directory, a
 * symbolic link, a device, FIFO or other non-regular file (even with `force`: replacing /dev/null by
 * a regular file is never what was meant), one of the run's inputs (same device and inode, so also a
 * hard link), an existing file without `force`, a missing directory. Commands call it before long
 * work; `writeOutputFile` calls it again.
 */
export function checkOutputTarget(target: string, options: WriteOptions): void {
  const shown = options.name ?? target;
  let existing: fs.Stats | null = null;
  try {
    existing = fs.lstatSync(target);
  } catch {
    existing = null;
  }
  if (existing) {
    if (existing.isDirectory()) throw new InputError(`output path ${shown} is a directory`);
    if (existing.isSymbolicLink())
      throw new InputError(`output path ${shown} is a symbolic link; refusing to write through it`);
    if (!existing.isFile())
      throw new InputError(
        `output path ${shown} is ${fileKind(existing)}, not a regular file; refusing to replace it`,
      );
    if (isOneOf(existing, options.inputs ?? []))
      throw new InputError(
        `output path ${shown} is also an input of this command; write the output elsewhere`,
      );
    if (!options.force)
      throw new InputError(`output file ${shown} already exists (use --force to replace it)`);
  }
  const dir = path.dirname(target);
  const shownDir = path.dirname(shown);
  try {
    if (!fs.statSync(dir).isDirectory())
      throw new InputError(`output directory ${shownDir} is not a directory`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`output directory ${shownDir} does not exist`);
  }
}

/** True when `file` is one of `inputs` (compared by device and inode: symlinks, `..` and hard links alike). */
export function isOneOf(file: fs.Stats, inputs: readonly string[]): boolean {
  return inputs.some((input) => {
    if (input === STDIN) return false;
    try {
      const s = fs.statSync(input);
      return s.dev === file.dev && s.ino === file.ino;
    } catch {
      return false;
    }
  });
}

/**
 * Writes text chunks to `target` atomically: a temp file beside it, then rename; nothing is left
 * behind when writing fails or the run is interrupted (SIGINT, SIGTERM). See `checkOutputTarget`
 * for the paths it refuses. Yields to the event loop between pieces, so a signal is handled promptly.
 */
export async function writeOutputFile(
  target: string,
  chunks: Iterable<string>,
  options: WriteOptions,
): Promise<void> {
  checkOutputTarget(target, options);
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  let fd: number | null = null;
  const release = removeOnSignal(temp);
  try {
    fd = fs.openSync(temp, 'wx', 0o644);
    await writeChunks(fd, chunks);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(temp, target);
  } catch (e) {
    if (fd !== null) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    if (e instanceof InputError) throw e;
    throw new EnvironmentError(`cannot write ${options.name ?? target}: ${describeFsError(e)}`);
  } finally {
    release();
  }
}

/** Writes a snapshot file atomically. */
export function writeSnapshotFile(target: string, snapshot: Snapshot, options: WriteOptions): Promise<void> {
  return writeOutputFile(target, serializeSnapshot(snapshot), options);
}

/**
 * Writes string chunks to `fd` as UTF-8 through one reused buffer of `size` bytes, yielding to the
 * event loop after each full buffer. No joined string and no buffer per write: a report of hundreds
 * of MB would otherwise leave as much garbage behind.
 */
async function writeChunks(fd: number, chunks: Iterable<string>, size = 1 << 20): Promise<void> {
  const buffer = Buffer.allocUnsafe(size);
  let used = 0;
  const flush = (): void => {
    for (let at = 0; at < used;) at += fs.writeSync(fd, buffer, at, used - at);
    used = 0;
  };
  /** Puts text in the buffer (or writes it, when it is larger); true when the buffer was written first. */
  const put = (text: string): boolean => {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    const flushed = used + text.length * 3 > size;
    if (flushed) flush();
    if (text.length * 3 > size) fs.writeSync(fd, text);
    else used += buffer.write(text, used);
    return flushed;
  };
  // A surrogate pair split between two chunks is encoded whole: the high half waits for the next chunk.
  let carry = '';
  for (const chunk of chunks) {
    let text = carry === '' ? chunk : carry + chunk;
    carry = '';
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      carry = text.slice(-1);
      text = text.slice(0, -1);
    }
    if (text.length > 0 && put(text)) await nextTurn();
  }
  if (carry !== '') put(carry);
  flush();
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Temp files (or directories) being written; a signal removes them before the process dies of it. */
const liveTemps = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Removes `temp` if SIGINT or SIGTERM arrives before `release()` is called. The handlers are
 * installed only while a temp file exists: a handler would otherwise delay Ctrl-C until a long
 * computation yields. After cleanup the signal is raised again with its default action, so the
 * process dies of it as usual (the shell reports 130 for SIGINT, 143 for SIGTERM).
 */
export function removeOnSignal(temp: string): () => void {
  if (liveTemps.size === 0) for (const signal of SIGNALS) process.on(signal, onSignal);
  liveTemps.add(temp);
  return () => {
    liveTemps.delete(temp);
    if (liveTemps.size === 0) for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
}

function onSignal(signal: NodeJS.Signals): void {
  for (const temp of liveTemps) fs.rmSync(temp, { force: true, recursive: true });
  liveTemps.clear();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
}
