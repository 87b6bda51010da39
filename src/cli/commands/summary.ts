/** `aciseg summary <snapshot>`: what a snapshot holds and how it hangs together, for people or as JSON. */
import { Command, Option } from 'commander';
import { formatDiagnostic } from '../../diagnostics';
import { buildTopology } from '../../graph/build';
import { renderSummary, renderSummaryJson } from '../../render/summary';
import { readSnapshotFile, resolveInput } from '../files';
import type { CommandRegistration } from '../program';

export const SUMMARY_FORMATS = ['text', 'json'] as const;
export type SummaryFormat = (typeof SUMMARY_FORMATS)[number];

/** Registers `summary`: reads a snapshot, prints its summary to stdout and missing references to stderr. */
export const registerSummary: CommandRegistration = (program, ctx) => {
  program
    .command('summary')
    .description(
      'Print what a snapshot holds: counts, VNet → subnet → container group tree, Internet-facing groups.',
    )
    .argument('<snapshot>', 'snapshot file written by aciseg import')
    .addOption(new Option('--format <format>', 'output format').choices(SUMMARY_FORMATS).default('text'))
    .addHelpText(
      'after',
      '\nExamples:\n  aciseg summary hub-spoke.snapshot.json\n  aciseg summary hub-spoke.snapshot.json --format json > summary.json\n',
    )
    .action((file: string, options: { format: SummaryFormat }, _cmd: Command) => {
      const snapshot = readSnapshotFile(resolveInput(ctx.io.cwd, file), file);
      const topology = buildTopology(snapshot);
      // The paths point into the snapshot file, so name it in the warning.
      for (const d of topology.diagnostics) ctx.io.stderr(`${formatDiagnostic({ ...d, file })}\n`);
      ctx.io.stdout(
        options.format === 'json' ? renderSummaryJson(snapshot, topology) : renderSummary(snapshot, topology),
      );
    });
};
