/**
 * The file-system side of `aciseg import`: expanding the named paths into input files (directories
 * recursively, `*.json` only, sorted) and reading them one at a time into the importer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { constants as bufferConstants } from 'node:buffer';
import { diagnostic, type Diagnostic } from '../../diagnostics';
import { InputError } from '../../errors';
import { readTextFile } from '../../cli/files';
import { utf16Message } from '../../json-text';
import { compareFileNames, Importer, type ImportOptions, type ImportOutcome } from './import-documents';

export interface InputFile {
  /** As the user named it, or joined to the directory they named. */
  file: string;
  absolute: string;
  /** Found while walking a directory (not named): a file that is not resources is skipped, not refused. */
  inDirectory: boolean;
}

/** Expands `paths` (resolved against `cwd`) into the input files, sorted by name, with problems as diagnostics. */
export function listInputFiles(
  paths: readonly string[],
  cwd: string,
): { files: InputFile[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const files: InputFile[] = [];
  const seen = new Set<string>();
  const add = (file: string, absolute: string, inDirectory: boolean): void => {
    const key = realpath(absolute);
    if (seen.has(key)) return;
    seen.add(key);
    files.push({ file, absolute, inDirectory });
  };
  if (paths.length === 0) {
    diagnostics.push(
      diagnostic('EMPTY_INPUT', 'no input: name at least one JSON file or a directory holding some'),
    );
  }
  for (const named of paths) {
    const absolute = path.resolve(cwd, named);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (e) {
      diagnostics.push(diagnostic('FILE_UNREADABLE', `cannot read: ${errorCode(e)}`, named));
      continue;
    }
    if (stat.isDirectory()) {
      const found: InputFile[] = [];
      walkDirectory(absolute, named, found, new Set([realpath(absolute)]), diagnostics);
      if (found.length === 0) {
        diagnostics.push(
          diagnostic('EMPTY_INPUT', 'the directory holds no .json file (it is searched recursively)', named),
        );
      }
      for (const f of found) add(f.file, f.absolute, true);
    } else if (/\.bicep(param)?$/i.test(named)) {
      diagnostics.push(
        diagnostic(
          'UNRECOGNISED_SHAPE',
          `this is a Bicep file; compile it to an ARM template first ('az bicep build --file ${named}') and import the JSON`,
          named,
        ),
      );
    } else {
      // Files named explicitly are read whatever their extension (az output is often saved as .txt or without one).
      add(named, absolute, false);
    }
  }
  files.sort((a, b) => compareFileNames(a.file, b.file));
  return { files, diagnostics };
}

function walkDirectory(
  dir: string,
  shown: string,
  out: InputFile[],
  visited: Set<string>,
  diagnostics: Diagnostic[],
): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    diagnostics.push(diagnostic('FILE_UNREADABLE', `cannot read directory: ${errorCode(e)}`, shown));
    return;
  }
  for (const entry of entries) {
    const absolute = path.join(dir, entry.name);
    const display = path.join(shown, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = fs.statSync(absolute);
        isDir = target.isDirectory();
        isFile = target.isFile();
      } catch {
        continue; // a dangling link is not an input
      }
    }
    if (isDir) {
      const real = realpath(absolute);
      if (visited.has(real)) continue; // a link back up the tree
      visited.add(real);
      walkDirectory(absolute, display, out, visited, diagnostics);
    } else if (isFile && /\.json$/i.test(entry.name)) {
      out.push({ file: display, absolute, inDirectory: true });
    }
  }
}

function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

function errorCode(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (e instanceof Error ? e.message : String(e));
}

/** Reads one input file; size, read and UTF-8 problems come back as diagnostics. */
export function readInputFile(input: InputFile): { text: string } | { diagnostics: readonly Diagnostic[] } {
  try {
    const size = fs.statSync(input.absolute).size;
    // One JSON document must fit in one V8 string (about 512 MB); bigger exports must be split.
    if (size > bufferConstants.MAX_STRING_LENGTH) {
      return {
        diagnostics: [
          diagnostic(
            'FILE_UNREADABLE',
            `the file is ${Math.round(size / 1048576)} MB, larger than one JSON document can be; split it (for example one file per resource type)`,
            input.file,
          ),
        ],
      };
    }
    return { text: readTextFile(input.absolute, input.file) };
  } catch (e) {
    if (e instanceof InputError) {
      const utf16 = e.diagnostics.some((d) => d.code === 'NOT_UTF8')
        ? utf16Message(firstBytes(input.absolute))
        : null;
      return { diagnostics: utf16 === null ? e.diagnostics : [diagnostic('NOT_UTF8', utf16, input.file)] };
    }
    return { diagnostics: [diagnostic('FILE_UNREADABLE', `cannot read: ${errorCode(e)}`, input.file)] };
  }
}

/** The first two bytes of a file (for its byte-order mark); empty when unreadable. */
function firstBytes(file: string): Uint8Array {
  const bytes = new Uint8Array(2);
  try {
    const fd = fs.openSync(file, 'r');
    try {
      return bytes.subarray(0, fs.readSync(fd, bytes, 0, 2, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return bytes.subarray(0, 0);
  }
}

/** Reads and imports the named files and directories (the file-system part of `aciseg import`). */
export function importPaths(
  paths: readonly string[],
  cwd: string,
  options: ImportOptions = {},
): ImportOutcome {
  const { files, diagnostics } = listInputFiles(paths, cwd);
  const importer = new Importer(options);
  for (const d of diagnostics) importer.report(d);
  for (const input of files) {
    const read = readInputFile(input);
    if ('text' in read) importer.addDocument(input.file, read.text, input.inDirectory);
    else for (const d of read.diagnostics) importer.report(d);
  }
  return importer.finish();
}
