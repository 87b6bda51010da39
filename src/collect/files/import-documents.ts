/**
 * The whole import without the file system: documents (file name + text) → snapshot + diagnostics.
 * Documents are processed in file-name order whatever order they come in, so the result depends only
 * on the input, and each parsed document can be dropped before the next is read.
 */
import { diagnostic, type Diagnostic } from '../../diagnostics';
import { SnapshotBuilder, type ImportOutcome } from '../../model/normalize';
import { parseJsonDocument } from './json';
import { walkDocument, type WalkSink } from './shape';

export interface InputDocument {
  /** The file as the user named it (used in diagnostics). */
  file: string;
  text: string;
}

export type { ImportOutcome };

/** An import in progress: feed documents in file-name order, then `finish()`. */
export class Importer {
  private readonly builder = new SnapshotBuilder();
  private readonly sink: WalkSink = {
    resource: (raw) => this.builder.add(raw),
    report: (d) => this.builder.report(d),
  };
  private documents = 0;

  /** Parses, walks and normalizes one document. */
  addDocument(file: string, text: string): void {
    this.documents++;
    const parsed = parseJsonDocument(text, file);
    if (!parsed.ok) {
      this.builder.report(parsed.diagnostic);
      return;
    }
    walkDocument(parsed.value, file, this.sink);
  }

  /** Records a problem found while reading inputs (unreadable file, not UTF-8). */
  report(d: Diagnostic): void {
    this.documents++;
    this.builder.report(d);
  }

  /** Finishes the import: the snapshot when nothing was fatal, and every diagnostic. */
  finish(): ImportOutcome {
    if (this.documents === 0) {
      return {
        diagnostics: [
          diagnostic('EMPTY_INPUT', 'no input: name at least one JSON file or a directory holding some'),
        ],
      };
    }
    return this.builder.finish();
  }
}

/** Compares file names by code units, so the order never depends on the locale. */
export function compareFileNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Imports documents held in memory: the pure core of `aciseg import`. */
export function importDocuments(docs: readonly InputDocument[]): ImportOutcome {
  const importer = new Importer();
  const ordered = docs
    .map((d, i) => ({ d, i }))
    .sort((x, y) => compareFileNames(x.d.file, y.d.file) || x.i - y.i);
  for (const { d } of ordered) importer.addDocument(d.file, d.text);
  return importer.finish();
}
