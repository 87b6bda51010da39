/** `aciseg summary <snapshot>`: what a snapshot holds and how it hangs together, for people or as JSON. */
import type { Command } from 'commander';
import { formatDiagnostic } from '../../diagnostics';
import { buildTopology } from '../../graph/build';
import { rendererFor } from '../../render/registry';
import { addOptions, formatOption, outputOptions, verbosityOptions } from '../common-options';
import { readSnapshotFile, resolveInput } from '../../collect/io/files';
import { createLog, type VerbosityOptions } from '../log';
import { openOutput, type OutputOptions } from '../output';
import type { CommandRegistration } from '../program';

interface SummaryOptions extends OutputOptions, VerbosityOptions {
  format: string;
}

/** Registers `summary`: reads a snapshot, prints its summary to stdout and missing references to stderr. */
export const registerSummary: CommandRegistration = (program, ctx) => {
  const command = program
    .command('summary')
    .description(
      'Print what a snapshot holds: counts, VNet → subnet → container group tree, Internet-facing groups.',
    )
    .argument('<snapshot>', 'snapshot file written by aciseg import');
  addOptions(command, [formatOption('summary'), ...outputOptions(), ...verbosityOptions()])
    .addHelpText(
      'after',
      '\nExamples:\n  aciseg summary hub-spoke.snapshot.json\n  aciseg summary hub-spoke.snapshot.json --format json -o summary.json\n',
    )
    .action(async (file: string, options: SummaryOptions, _cmd: Command) => {
      const log = createLog(ctx.io, options);
      const render = rendererFor('summary', options.format);
      const output = openOutput(ctx.io, options, [file]);
      const snapshot = log.phase('read snapshot', () =>
        readSnapshotFile(resolveInput(ctx.io.cwd, file), file),
      );
      const topology = log.phase('build topology', () => buildTopology(snapshot));
      // The paths point into the snapshot file, so name it in the warning.
      for (const d of topology.diagnostics) log.warn(formatDiagnostic({ ...d, file }));
      await log.phase('write', () => output.emit(render({ snapshot, topology: () => topology })));
    });
};
