/** Reading what the analysis commands share: the snapshot and an optional service tags file. */
import { formatDiagnostic } from '../diagnostics';
import { compilePolicy, parseServiceTags, type PolicyEngine, type ServiceTags } from '../policy';
import { jsonSyntaxDiagnostic, stripBom, type SnapshotChecks } from '../model/snapshot-codec';
import { failWith, readSnapshotFile, readTextFile, resolveInput } from '../collect/io/files';
import type { CliIo } from './io';
import * as path from 'node:path';

export interface EngineInputOptions {
  serviceTags?: string;
  quiet?: boolean;
  /** `none` only where another reader checks the same file (see SnapshotChecks); default `full`. */
  checks?: SnapshotChecks;
}

/** Reads a service tags file (ServiceTags_Public JSON or the Service Tag Discovery API response). */
export function readServiceTagsFile(file: string, io: CliIo, quiet: boolean): ServiceTags {
  const text = readTextFile(path.resolve(io.cwd, file), file);
  let json: unknown;
  try {
    json = JSON.parse(stripBom(text));
  } catch (e) {
    failWith([jsonSyntaxDiagnostic(text, e, file)]);
  }
  const parsed = parseServiceTags(json, file);
  if (!parsed.ok) failWith(parsed.diagnostics);
  if (!quiet) for (const d of parsed.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
  return parsed.serviceTags;
}

/** Loads a snapshot file and compiles its policy. */
export function loadEngine(snapshotFile: string, options: EngineInputOptions, io: CliIo): PolicyEngine {
  const snapshot = readSnapshotFile(resolveInput(io.cwd, snapshotFile), snapshotFile, {
    checks: options.checks ?? 'full',
  });
  const serviceTags = options.serviceTags
    ? readServiceTagsFile(options.serviceTags, io, options.quiet ?? false)
    : undefined;
  return compilePolicy(snapshot, serviceTags ? { serviceTags } : {});
}
