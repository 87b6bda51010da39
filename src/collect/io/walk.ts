/**
 * Walking a directory for input files, shared by the importer and the flow-log reader: recursive,
 * following symbolic links once (a link back up the tree is not followed again), dangling links
 * skipped, unreadable directories reported.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnostic, type Diagnostic } from '../../diagnostics';
import { cannotRead } from '../../util/fs-errors';

export interface FoundFile {
  /** Joined to the directory as the user named it. */
  file: string;
  absolute: string;
}

/** The files below `dir` (shown as `shown`) whose names match `accept`, in the order found. */
export function walkFiles(
  dir: string,
  shown: string,
  accept: RegExp,
  diagnostics: Diagnostic[],
): FoundFile[] {
  const out: FoundFile[] = [];
  walk(dir, shown, accept, out, new Set([realpath(dir)]), diagnostics);
  return out;
}

function walk(
  dir: string,
  shown: string,
  accept: RegExp,
  out: FoundFile[],
  visited: Set<string>,
  diagnostics: Diagnostic[],
): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    diagnostics.push(diagnostic('FILE_UNREADABLE', cannotRead(e, 'directory'), shown));
    return;
  }
  for (const entry of entries) {
    const absolute = path.join(dir, entry.name);
    const display = path.join(shown, entry.name);
    let stat: { isDirectory(): boolean; isFile(): boolean } = entry;
    try {
      if (entry.isSymbolicLink()) stat = fs.statSync(absolute);
    } catch {
      continue; // a dangling link is not an input
    }
    if (stat.isDirectory()) {
      const real = realpath(absolute);
      if (visited.has(real)) continue; // a link back up the tree
      visited.add(real);
      walk(absolute, display, accept, out, visited, diagnostics);
    } else if (stat.isFile() && accept.test(entry.name)) out.push({ file: display, absolute });
  }
}

/** The real path, or the path itself when it cannot be resolved. */
export function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}
