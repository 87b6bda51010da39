/**
 * The file-system side of `aciseg import`: expanding the named paths into input files (directories
 * recursively, `*.json` only, sorted) and reading them one at a time into the importer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { constants as bufferConstants } from 'node:buffer';
import { diagnostic, type Diagnostic } from '../../diagnostics';
import { InputError } from '../../errors';
import { notRegularInput, readTextFile, STDIN } from '../io/files';
import { realpath, walkFiles } from '../io/walk';
import { cannotRead } from '../../util/fs-errors';
import { compareFileNames, Importer, type ImportOptions, type ImportOutcome } from './import-documents';

export interface InputFile {
  /** As the user named it, or joined to the directory they named. */
  file: string;
  absolute: string;
  /** Found while walking a directory (not named): a file that is not resources is skipped, not refused. */
  inDirectory: boolean;
}

/**
 * Expands `paths` (resolved against `cwd`) into the input files, sorted by name, with problems as
 * diagnostics. `-` is standard input; any other input must be a regular file or a directory.
 */
export function listInputFiles(
  paths: readonly string[],
  cwd: string,
): { files: InputFile[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const files: InputFile[] = [];
  const seen = new Set<string>();
  const add = (file: string, absolute: string, inDirectory: boolean): void => {
    const key = absolute === STDIN ? STDIN : realpath(absolute);
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
    if (named === STDIN) {
      add(STDIN, STDIN, false);
      continue;
    }
    const absolute = path.resolve(cwd, named);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (e) {
      diagnostics.push(diagnostic('FILE_UNREADABLE', cannotRead(e), named));
      continue;
    }
    if (!stat.isDirectory() && !stat.isFile()) {
      // A FIFO would block the import forever, a device never ends: only `-` reads a stream.
      diagnostics.push(diagnostic('FILE_UNREADABLE', notRegularInput(stat), named));
    } else if (stat.isDirectory()) {
      const found = walkFiles(absolute, named, /\.json$/i, diagnostics);
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

/** Reads one input file; size, read and UTF-8 problems come back as diagnostics. */
export function readInputFile(input: InputFile): { text: string } | { diagnostics: readonly Diagnostic[] } {
  try {
    if (input.absolute === STDIN) return { text: readTextFile(STDIN, input.file) };
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
    if (e instanceof InputError) return { diagnostics: e.diagnostics };
    return { diagnostics: [diagnostic('FILE_UNREADABLE', cannotRead(e), input.file)] };
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
