/** `aciseg analyze`: exact all-pairs reachability between endpoint groups, riskiest paths first. */
import { computeReachability } from '../../analyze/reachability';
import { ReachabilityView } from '../../render/reachability';
import { rendererFor } from '../../render/registry';
import {
  addOptions,
  formatOption,
  outputOptions,
  serviceTagsOption,
  verbosityOptions,
} from '../common-options';
import { loadEngine } from '../engine-input';
import { createLog, type VerbosityOptions } from '../log';
import { parsePositiveInt } from '../options';
import { openOutput, type OutputOptions } from '../output';
import type { CommandRegistration } from '../program';

interface AnalyzeOptions extends OutputOptions, VerbosityOptions {
  format: string;
  serviceTags?: string;
  limit: number;
}

/** Registers `analyze`. */
export const registerAnalyze: CommandRegistration = (program, ctx) => {
  const command = program
    .command('analyze')
    .description(
      'Compute every flow Azure policy allows between container groups, subnets, peered VNets and the Internet.',
    )
    .argument('<snapshot>', 'snapshot file written by aciseg import');
  addOptions(command, [formatOption('analyze'), ...outputOptions(), serviceTagsOption()]).option(
    '--limit <n>',
    'text format: how many of the riskiest paths to list',
    parsePositiveInt,
    25,
  );
  addOptions(command, verbosityOptions())
    .addHelpText(
      'after',
      `
The JSON report (kind "aciseg.reachability", schemaVersion 2) lists endpointGroups (sets of addresses
that every policy treats alike, with the container groups in them), traffic (allowed and unknown),
sides (the rules that decided traffic on one side) and paths (from groups to groups, with their
traffic, their two sides and a risk score).

Examples:
  aciseg analyze estate.json
  aciseg analyze estate.json --format json -o reachability.json
`,
    )
    .action(async (snapshotFile: string, options: AnalyzeOptions) => {
      const log = createLog(ctx.io, options);
      const render = rendererFor('analyze', options.format);
      const output = openOutput(ctx.io, options, [
        snapshotFile,
        ...(options.serviceTags === undefined ? [] : [options.serviceTags]),
      ]);
      const progress = log.progress;
      const engine = log.phase('read snapshot and compile policy', () =>
        loadEngine(snapshotFile, { serviceTags: options.serviceTags, quiet: log.quiet }, ctx.io),
      );
      const reach = log.phase('compute reachability', () => computeReachability(engine, { progress }));
      const view = new ReachabilityView(engine, reach);
      await log.phase('write report', () => output.emit(render({ view, limit: options.limit, progress })));
    });
};
