/**
 * The file-system side of flow logs: expanding `--flows` paths into files and streaming each one
 * (plain or gzip, told by its first bytes, not its name) through the scanner into one aggregator.
 * `FlowLogReader` is the pure core; `readFlowLogs` adds the files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { diagnostic, type Diagnostic } from '../../diagnostics';
import { InputError, UsageError } from '../../errors';
import { cannotRead, describeFsError } from '../../util/fs-errors';
import { realpath, walkFiles } from '../io/walk';
import { FlowAggregator, type ObservedFlows, type ObservedWindow } from './aggregate';
import { FlowLogFileReader, noCounts, type FlowLogFileStats } from './records';

export interface FlowLogOptions {
  /** ISO time (`2026-11-30`, `2026-11-30T10:00:00Z`): tuples before it are left out. */
  since?: string | null;
  /** ISO time: tuples at or after it are left out. */
  until?: string | null;
  /** Relative paths are resolved against it (default: the process's working directory). */
  cwd?: string;
}

export interface FlowLogTotals extends Omit<FlowLogFileStats, 'file'> {
  files: number;
  /** Bytes read from disk (compressed where the file is gzip). */
  bytesRead: number;
  distinctFlows: number;
}

export interface FlowLogStats {
  totals: FlowLogTotals;
  files: FlowLogFileStats[];
}

export interface FlowLogResult {
  /** Iterable, sorted, made one at a time (there may be millions); `flows.size` of them. */
  flows: ObservedFlows;
  window: ObservedWindow;
  stats: FlowLogStats;
  /** Fatal ones mean the flows are incomplete: commands stop with exit code 2 (see `requireCompleteFlowLogs`). */
  diagnostics: Diagnostic[];
}

const TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** Parses a `--since` / `--until` value; a time of day needs its offset (`Z`, `+01:00`): no local-time guess. */
export function parseTimeBound(text: string, flag: string): number {
  const ms = TIME.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) {
    throw new UsageError(
      `${flag} ${JSON.stringify(text)} is not an ISO time: use 2026-11-30 or 2026-11-30T10:00:00Z (a time of day needs Z or an offset)`,
    );
  }
  return ms;
}

/** Aggregates flow-log files fed to it one at a time, chunk by chunk. No I/O. */
export class FlowLogReader {
  private readonly aggregator: FlowAggregator;
  private readonly files: FlowLogFileStats[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private bytesRead = 0;

  constructor(options: Pick<FlowLogOptions, 'since' | 'until'> = {}) {
    const since = options.since ? parseTimeBound(options.since, '--since') : null;
    const until = options.until ? parseTimeBound(options.until, '--until') : null;
    if (since !== null && until !== null && since >= until) {
      throw new UsageError(`--since ${options.since} is not before --until ${options.until}`);
    }
    this.aggregator = new FlowAggregator(since, until);
  }

  /** Starts a file; feed it with `write` and close it with `end`. `bytes`: its size on disk. */
  file(name: string, bytes = 0): FlowLogFileReader {
    const reader = new FlowLogFileReader(name, this.aggregator, this.diagnostics);
    this.files.push(reader.stats);
    this.bytesRead += bytes;
    return reader;
  }

  /** A whole file in memory (tests, small inputs); gzip is recognised by its first bytes. */
  addDocument(name: string, content: Buffer | string): void {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const reader = this.file(name, bytes.length);
    if (!isGzip(bytes)) {
      reader.write(bytes);
      reader.end();
      return;
    }
    let json: Buffer;
    try {
      json = zlib.gunzipSync(bytes);
    } catch (e) {
      reader.end(`the gzip stream is corrupt or truncated (${(e as Error).message})`);
      return;
    }
    reader.write(json);
    reader.end();
  }

  report(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  finish(): FlowLogResult {
    const totals: FlowLogTotals = {
      files: this.files.length,
      bytesRead: this.bytesRead,
      distinctFlows: this.aggregator.size,
      ...noCounts(),
    };
    for (const f of this.files) {
      for (const k of Object.keys(f) as (keyof FlowLogFileStats)[]) {
        if (k !== 'file') totals[k] += f[k];
      }
    }
    return {
      flows: this.aggregator.flows(),
      window: this.aggregator.window(),
      stats: { totals, files: this.files },
      diagnostics: this.diagnostics,
    };
  }
}

/**
 * Reads flow logs from files and directories (searched recursively for `.json`, `.jsonl`,
 * `.ndjson`, each optionally `.gz`, and `.gz`), streaming: memory grows with the distinct flows,
 * not the volume. Throws UsageError for a bad `since`/`until`; every input problem is a diagnostic.
 */
export async function readFlowLogs(
  paths: readonly string[],
  options: FlowLogOptions = {},
): Promise<FlowLogResult> {
  const reader = new FlowLogReader(options);
  const { files, diagnostics } = listFlowLogFiles(paths, options.cwd ?? process.cwd());
  for (const d of diagnostics) reader.report(d);
  for (const f of files) await readFlowLogFile(reader, f);
  return reader.finish();
}

/** Throws an InputError (exit code 2) listing the fatal diagnostics, if any: the flows are then incomplete. */
export function requireCompleteFlowLogs(result: FlowLogResult): FlowLogResult {
  const fatal = result.diagnostics.filter((d) => d.severity === 'fatal');
  if (fatal.length > 0) {
    throw new InputError(
      `flow logs: ${fatal.length} error(s); the observed flows would be incomplete, so nothing is used`,
      fatal,
    );
  }
  return result;
}

export interface FlowLogFile {
  /** As the user named it, or joined to the directory they named. */
  file: string;
  absolute: string;
}

const FLOW_LOG_NAME = /\.(?:json|jsonl|ndjson)(?:\.gz)?$|\.gz$/i;

/** Expands paths into flow-log files, sorted by name, each once (by real path). */
export function listFlowLogFiles(
  paths: readonly string[],
  cwd: string,
): { files: FlowLogFile[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const files: FlowLogFile[] = [];
  const seen = new Set<string>();
  const add = (file: string, absolute: string): void => {
    const key = realpath(absolute);
    if (!seen.has(key)) {
      seen.add(key);
      files.push({ file, absolute });
    }
  };
  if (paths.length === 0)
    diagnostics.push(diagnostic('EMPTY_INPUT', 'no flow logs: name a file or a directory'));
  for (const named of paths) {
    const absolute = path.resolve(cwd, named);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (e) {
      diagnostics.push(diagnostic('FILE_UNREADABLE', cannotRead(e), named));
      continue;
    }
    if (!stat.isDirectory()) {
      add(named, absolute);
      continue;
    }
    const found = walkFiles(absolute, named, FLOW_LOG_NAME, diagnostics);
    if (found.length === 0) {
      diagnostics.push(
        diagnostic(
          'EMPTY_INPUT',
          'the directory holds no flow-log file (.json, .jsonl, .ndjson, .gz)',
          named,
        ),
      );
    }
    found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    for (const f of found) add(f.file, f.absolute);
  }
  return { files, diagnostics };
}

/** Streams one file into the reader; read and gzip failures become diagnostics. */
export async function readFlowLogFile(reader: FlowLogReader, input: FlowLogFile): Promise<void> {
  let size: number;
  let gzip: boolean;
  try {
    size = fs.statSync(input.absolute).size;
    const head = Buffer.alloc(2);
    const fd = fs.openSync(input.absolute, 'r');
    try {
      gzip = isGzip(head.subarray(0, fs.readSync(fd, head, 0, 2, 0)));
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    reader.report(diagnostic('FILE_UNREADABLE', cannotRead(e), input.file));
    return;
  }
  const file = reader.file(input.file, size);
  const source = fs.createReadStream(input.absolute, { highWaterMark: 1 << 20 });
  const consume = async (chunks: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of chunks) file.write(chunk);
  };
  try {
    if (gzip) await pipeline(source, zlib.createGunzip({ chunkSize: 1 << 18 }), consume);
    else await pipeline(source, consume);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      file.end(`the gzip stream is corrupt or truncated (${(e as Error).message})`);
      return;
    }
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      file.end(`the file could not be read to the end (${describeFsError(e)})`);
      return;
    }
    throw e;
  }
  file.end();
}

function isGzip(b: Buffer): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}
