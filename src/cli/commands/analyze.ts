/** `aciseg analyze`: exact all-pairs reachability between endpoint groups, riskiest paths first. */
import * as path from 'node:path';
import { Option } from 'commander';
import { computeReachability } from '../../analyze/reachability';
import {
  ReachabilityView,
  renderReachabilityText,
  serializeReachabilityJson,
} from '../../render/reachability';
import { loadEngine } from '../engine-input';
import { batchChunks, writeOutputFile } from '../files';
import { parsePositiveInt } from '../options';
import type { CommandRegistration } from '../program';

interface AnalyzeOptions {
  format: 'text' | 'json';
  output?: string;
  force: boolean;
  serviceTags?: string;
  limit: number;
  quiet: boolean;
}

/** Registers `analyze`. */
export const registerAnalyze: CommandRegistration = (program, ctx) => {
  program
    .command('analyze')
    .description(
      'Compute every flow Azure policy allows between container groups, subnets, peered VNets and the Internet.',
    )
    .argument('<snapshot>', 'snapshot file written by aciseg import')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--force', 'replace an existing output file', false)
    .option('--service-tags <file>', 'ServiceTags_Public JSON to resolve service tags')
    .option('--limit <n>', 'text format: how many of the riskiest paths to list', parsePositiveInt, 25)
    .option('-q, --quiet', 'no progress messages', false)
    .addHelpText(
      'after',
      `
The JSON report (kind "aciseg.reachability", schemaVersion 3) lists endpointGroups (sets of addresses
that every policy treats alike, with the container groups in them), traffic (allowed and unknown),
sides (the rules that decided traffic on one side) and paths (from groups to groups, with their
traffic, their two sides and a risk score).

Examples:
  aciseg analyze estate.json
  aciseg analyze estate.json --format json -o reachability.json
`,
    )
    .action((snapshotFile: string, options: AnalyzeOptions) => {
      const progress = options.quiet ? () => undefined : (m: string) => ctx.io.stderr(`${m}\n`);
      const engine = loadEngine(
        snapshotFile,
        { serviceTags: options.serviceTags, quiet: options.quiet },
        ctx.io,
      );
      const reach = computeReachability(engine, { progress });
      const view = new ReachabilityView(engine, reach);
      const chunks =
        options.format === 'json'
          ? serializeReachabilityJson(view, progress)
          : [renderReachabilityText(view, options.limit)];
      if (options.output)
        writeOutputFile(path.resolve(ctx.io.cwd, options.output), chunks, { force: options.force });
      else for (const c of batchChunks(chunks)) ctx.io.stdout(c);
    });
};
