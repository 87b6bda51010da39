/** `aciseg report`: one self-contained HTML page of what can talk to what (the Before view). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { computeReachability } from '../../analyze/reachability';
import { EnvironmentError } from '../../errors';
import { buildReportData } from '../../render/report-data';
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
import { openOutput, type OutputOptions } from '../output';
import type { CommandRegistration } from '../program';

interface ReportOptions extends OutputOptions, VerbosityOptions {
  format: string;
  serviceTags?: string;
}

/**
 * The page bundle and style sheet written by `npm run build` (dist/viz). From dist/cli/commands they
 * are two folders up; from src (tests, tsx) they are in the package's dist.
 */
export function readPageAssets(): { script: string; style: string } {
  for (const dir of [path.resolve(__dirname, '../../viz'), path.resolve(__dirname, '../../../dist/viz')]) {
    const script = path.join(dir, 'report.js');
    const style = path.join(dir, 'report.css');
    if (fs.existsSync(script) && fs.existsSync(style))
      return { script: fs.readFileSync(script, 'utf8'), style: fs.readFileSync(style, 'utf8') };
  }
  throw new EnvironmentError('the report page bundle (dist/viz/report.js) is missing; run npm run build');
}

/** Registers `report`. */
export const registerReport: CommandRegistration = (program, ctx) => {
  const command = program
    .command('report')
    .description(
      'Write one self-contained HTML page (offline, no requests) showing what can talk to what: VNets, subnets, container groups, the Internet, and the rules behind each flow.',
    )
    .argument('<snapshot>', 'snapshot file written by aciseg import');
  addOptions(command, [
    formatOption('report'),
    ...outputOptions(),
    serviceTagsOption(),
    ...verbosityOptions(),
  ])
    .addHelpText(
      'after',
      `
Open the file in a browser (file:// works; the page makes no request). Click a box or a line for
its details and the deciding rules; search, filter by port or risk; zoom and pan; export SVG or PNG.

Examples:
  aciseg report estate.json -o report.html
  aciseg report estate.json --service-tags ServiceTags_Public.json -o report.html --force
`,
    )
    .action((snapshotFile: string, options: ReportOptions) => {
      const log = createLog(ctx.io, options);
      const render = rendererFor('report', options.format);
      const output = openOutput(ctx.io, options);
      const assets = readPageAssets();
      const engine = log.phase('read snapshot and compile policy', () =>
        loadEngine(snapshotFile, { serviceTags: options.serviceTags, quiet: log.quiet }, ctx.io),
      );
      const reach = log.phase('compute reachability', () =>
        computeReachability(engine, { progress: log.progress }),
      );
      const data = log.phase('shape report data', () =>
        buildReportData({
          snapshot: engine.index.snapshot,
          engine,
          reach,
          title: `aciseg report: ${path.basename(snapshotFile)}`,
          progress: log.progress,
        }),
      );
      log.phase('write report', () => output.emit(render({ data, ...assets })));
    });
};
