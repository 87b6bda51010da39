/**
 * Output that is one file, or a directory of files when the result has several (plan's Bicep for
 * NSGs in several resource groups: main.bicep and modules/*.bicep). The directory is written whole
 * into a temp directory beside the target, then renamed into place; an existing target is refused
 * unless --force, and even then replaced only when it holds nothing but files this kind of output
 * wrote (recognised by name and by their first line), never a directory with anything else in it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  checkOutputTarget,
  isOneOf,
  removeOnSignal,
  resolveInput,
  writeOutputFile,
  type WriteOptions,
} from '../collect/io/files';
import { EnvironmentError, InputError, UsageError } from '../errors';
import type { Chunks } from '../render/registry';
import { describeFsError, fileKind } from '../util/fs-errors';
import type { CliIo } from './io';
import { writeStdout, type Output, type OutputOptions } from './output';

/** One file of a result: `path` relative to the output directory (`/`-separated), null for a lone file. */
export interface OutputFile {
  path: string | null;
  text: string;
}

/** What a previous output directory may hold: its file names, and text each file holds near its start. */
export interface DirectoryLayout {
  /** True for a relative path (`/`-separated) this output writes, e.g. `main.bicep`, `modules/x.bicep`. */
  isOwnFile(relative: string): boolean;
  /** True for a directory this output writes, e.g. `modules`. */
  isOwnDirectory(relative: string): boolean;
  /** Text found in the first 4 KiB of every file this output writes. */
  marker: string;
  /** For messages: what the command writes there, e.g. "main.bicep and modules/*.bicep". */
  describe: string;
}

export interface FilesOutput extends Output {
  /** `-o` ends with a `/`: a directory is wanted even for a result of one file. */
  readonly wantsDirectory: boolean;
  /**
   * Before the long work: refuses what cannot take the result (several files to standard output,
   * an existing file, a foreign directory); `refusal` says why several files cannot go to stdout.
   */
  expect(several: boolean, refusal: string): void;
  /** Writes one file (stdout or the `-o` file) or, for several, the `-o` directory. */
  write(files: readonly OutputFile[], refusal: string): Promise<void>;
}

/** Opens output for a result of one file or several (see the module comment). */
export function openFilesOutput(
  io: CliIo,
  options: OutputOptions,
  inputs: readonly string[],
  layout: DirectoryLayout,
): FilesOutput {
  const named = options.output;
  const write: WriteOptions = {
    force: options.force === true,
    inputs: inputs.map((n) => resolveInput(io.cwd, n)),
    name: named ?? '',
  };
  const target = named === undefined ? null : path.resolve(io.cwd, named);
  const wantsDirectory = named !== undefined && (named.endsWith('/') || named.endsWith(path.sep));
  // Before anything is read: a target that no kind of output may replace is refused now.
  if (wantsDirectory) checkOutputDirectory(target!, write, layout);
  else if (target !== null && !isDirectory(target)) checkOutputTarget(target, write);
  const one = (chunks: Chunks): Promise<void> => {
    if (target === null) {
      writeStdout(io, chunks);
      return Promise.resolve();
    }
    return writeOutputFile(target, chunks, write);
  };
  return {
    wantsDirectory,
    emit: one,
    expect(several, refusal) {
      if (!several && !wantsDirectory) {
        if (target !== null) checkOutputTarget(target, write);
        return;
      }
      if (target === null) throw new UsageError(refusal);
      checkOutputDirectory(target, write, layout);
    },
    write(files, refusal) {
      const [first] = files;
      if (files.length === 1 && first !== undefined && first.path === null && !wantsDirectory)
        return one([first.text]);
      if (target === null) throw new UsageError(refusal);
      return writeOutputDirectory(target, files, write, layout);
    },
  };
}

function isDirectory(target: string): boolean {
  try {
    return fs.lstatSync(target).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Refuses an output directory that cannot be written safely (input error, exit 2): a symbolic link,
 * a file or anything else that is not a directory, a missing parent, an existing directory without
 * `force`, or with `force` one that holds anything but this output's own files (or holds an input).
 */
export function checkOutputDirectory(target: string, options: WriteOptions, layout: DirectoryLayout): void {
  const shown = options.name ?? target;
  let existing: fs.Stats | null;
  try {
    existing = fs.lstatSync(target);
  } catch {
    existing = null;
  }
  if (existing === null) {
    let parent: fs.Stats | null;
    try {
      parent = fs.statSync(path.dirname(target));
    } catch {
      parent = null;
    }
    if (parent === null) throw new InputError(`output directory ${path.dirname(shown)} does not exist`);
    if (!parent.isDirectory())
      throw new InputError(`output directory ${path.dirname(shown)} is not a directory`);
    return;
  }
  if (existing.isSymbolicLink())
    throw new InputError(`output path ${shown} is a symbolic link; refusing to write through it`);
  if (!existing.isDirectory())
    throw new InputError(
      `output path ${shown} is ${fileKind(existing)}: this output is several files (${layout.describe}), so -o names a directory`,
    );
  if (!options.force)
    throw new InputError(
      `output directory ${shown} already exists (use --force to replace a previous output of ${layout.describe})`,
    );
  const foreign = foreignEntry(target, '', layout, options.inputs ?? []);
  if (foreign !== null)
    throw new InputError(
      `output directory ${shown} holds ${foreign}, which this command did not write; refusing to replace it (it replaces only a directory of nothing but ${layout.describe} it wrote)`,
    );
}

/** The first entry under `dir` that is not this output's own file, as `path (why)`; null when none. */
function foreignEntry(
  dir: string,
  prefix: string,
  layout: DirectoryLayout,
  inputs: readonly string[],
): string | null {
  for (const name of fs.readdirSync(dir).sort()) {
    const relative = prefix === '' ? name : `${prefix}/${name}`;
    const full = path.join(dir, name);
    const stat = fs.lstatSync(full);
    if (stat.isDirectory()) {
      if (!layout.isOwnDirectory(relative)) return JSON.stringify(`${relative}/`);
      const inner = foreignEntry(full, relative, layout, inputs);
      if (inner !== null) return inner;
      continue;
    }
    if (!stat.isFile() || !layout.isOwnFile(relative)) return JSON.stringify(relative);
    if (isOneOf(stat, inputs)) return `${JSON.stringify(relative)} (an input of this command)`;
    if (!startsWithMarker(full, layout.marker)) return `${JSON.stringify(relative)} (not written by aciseg)`;
  }
  return null;
}

function startsWithMarker(file: string, marker: string): boolean {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const head = Buffer.alloc(4096);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return head.toString('utf8', 0, n).includes(marker);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes `files` as the directory `target`: all of them into a temp directory beside it, then one
 * rename (a previous output, checked as above, is moved aside first and removed after). Nothing is
 * left behind when writing fails or a signal arrives while the temp directory is written.
 */
export async function writeOutputDirectory(
  target: string,
  files: readonly OutputFile[],
  options: WriteOptions,
  layout: DirectoryLayout,
): Promise<void> {
  checkOutputDirectory(target, options, layout);
  const beside = (what: string) =>
    path.join(
      path.dirname(target),
      `.${path.basename(target)}.${what}-${process.pid}-${randomBytes(4).toString('hex')}`,
    );
  const temp = beside('tmp');
  const release = removeOnSignal(temp);
  let old: string | null = null;
  try {
    fs.mkdirSync(temp, { mode: 0o755 });
    for (const file of files) {
      const relative = file.path;
      // Never a path outside the directory, whatever a renderer hands over (an Error: exit 4).
      if (relative === null || !layout.isOwnFile(relative))
        throw new Error(`${JSON.stringify(relative)} is not a file of ${layout.describe}`);
      const full = path.join(temp, ...relative.split('/'));
      fs.mkdirSync(path.dirname(full), { recursive: true, mode: 0o755 });
      const fd = fs.openSync(full, 'wx', 0o644);
      try {
        fs.writeFileSync(fd, file.text);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (fs.existsSync(target)) {
      old = beside('old');
      fs.renameSync(target, old);
    }
    try {
      fs.renameSync(temp, target);
    } catch (e) {
      if (old !== null) fs.renameSync(old, target);
      old = null;
      throw e;
    }
  } catch (e) {
    fs.rmSync(temp, { recursive: true, force: true });
    if (e instanceof InputError || !isFsError(e)) throw e;
    throw new EnvironmentError(`cannot write ${options.name ?? target}: ${describeFsError(e)}`);
  } finally {
    release();
  }
  if (old !== null) fs.rmSync(old, { recursive: true, force: true });
}

function isFsError(e: unknown): boolean {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
}
