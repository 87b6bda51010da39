/**
 * The whole import without the file system: documents (file name + text) → snapshot + diagnostics.
 * Documents are processed in file-name order whatever order they come in, so the result depends only
 * on the input, and each parsed document can be dropped before the next is read.
 */
import { diagnostic, type Diagnostic } from '../../diagnostics';
import { SnapshotBuilder, type ImportOutcome } from '../../model/normalize';
import type { Snapshot } from '../../model/snapshot';
import { parseJsonDocument } from './json';
import { walkDocument, type WalkSink } from './shape';

export interface InputDocument {
  /** The file as the user named it (used in diagnostics). */
  file: string;
  text: string;
}

export type { ImportOutcome };

export interface ImportOptions {
  /** Write a snapshot even when the input holds no resource aciseg models (otherwise EMPTY_INPUT). */
  allowEmpty?: boolean;
  /** Files found in a directory that are not resources (flow logs, snapshots, …) are errors, not skipped. */
  strict?: boolean;
}

/** An import in progress: feed documents in file-name order, then `finish()`. */
export class Importer {
  private readonly builder = new SnapshotBuilder({ recordOrigins: true });
  private readonly sink: WalkSink = {
    resource: (raw) => {
      this.resources++;
      this.builder.add(raw);
    },
    report: (d) => this.builder.report(d),
  };
  private documents = 0;
  private resources = 0;
  /** The one document read, while there is only one (named in an empty-input error). */
  private onlyFile: string | null = null;

  constructor(private readonly options: ImportOptions = {}) {}

  /**
   * Parses, walks and normalizes one document. `foundInDirectory`: the file was found while walking a
   * directory rather than named, so a file that is recognisably not resources is skipped with a warning.
   */
  addDocument(file: string, text: string, foundInDirectory = false): void {
    this.documents++;
    this.onlyFile = this.documents === 1 ? file : null;
    const parsed = parseJsonDocument(text, file);
    if (!parsed.ok) {
      this.builder.report(parsed.diagnostic);
      return;
    }
    walkDocument(parsed.value, file, this.sink, {
      skipOthers: foundInDirectory && this.options.strict !== true,
    });
  }

  /** Records a problem found while reading inputs (unreadable file, not UTF-8). */
  report(d: Diagnostic): void {
    this.documents++;
    this.onlyFile = null;
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
    const outcome = this.builder.finish();
    if (outcome.snapshot === undefined || this.options.allowEmpty || holdsResources(outcome.snapshot))
      return outcome;
    // An empty snapshot makes every later verdict vacuous ("nothing is reachable"): say so instead.
    const skippedFiles = outcome.diagnostics.filter((d) => d.code === 'SKIPPED_FILE').length;
    const found =
      (this.resources === 0
        ? 'the input holds no resources'
        : `none of the ${this.resources} resources in the input is one aciseg models and can read (see the warnings)`) +
      (skippedFiles > 0
        ? ` (${skippedFiles} file${skippedFiles === 1 ? ' was' : 's were'} skipped as not resources)`
        : '');
    return {
      diagnostics: [
        ...outcome.diagnostics,
        diagnostic(
          'EMPTY_INPUT',
          `${found}, so the snapshot would be empty; check the export, or pass --allow-empty to write an empty snapshot`,
          this.onlyFile,
          this.onlyFile === null ? null : '$',
        ),
      ],
    };
  }
}

/** True when a snapshot holds at least one modelled resource. */
function holdsResources(s: Snapshot): boolean {
  return (
    s.virtualNetworks.length +
      s.subnets.length +
      s.virtualNetworkPeerings.length +
      s.networkSecurityGroups.length +
      s.routeTables.length +
      s.applicationSecurityGroups.length +
      s.containerGroups.length +
      s.networkGroups.length +
      s.securityAdminRuleCollections.length +
      s.securityAdminRules.length >
    0
  );
}

/** Compares file names by code units, so the order never depends on the locale. */
export function compareFileNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Imports documents held in memory: the pure core of `aciseg import`. */
export function importDocuments(docs: readonly InputDocument[], options: ImportOptions = {}): ImportOutcome {
  const importer = new Importer(options);
  const ordered = docs
    .map((d, i) => ({ d, i }))
    .sort((x, y) => compareFileNames(x.d.file, y.d.file) || x.i - y.i);
  for (const { d } of ordered) importer.addDocument(d.file, d.text);
  return importer.finish();
}
