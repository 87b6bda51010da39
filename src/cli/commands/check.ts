/** `aciseg check`: evaluates an intent file; exit code 1 when any entry fails. */
import * as path from 'node:path';
import { Option } from 'commander';
import { checkIntent, IntentError, parseIntent } from '../../analyze/intent';
import { ExitCode, UsageError } from '../../errors';
import { rendererFor } from '../../render/registry';
import {
  addOptions,
  formatOption,
  outputOptions,
  serviceTagsOption,
  verbosityOptions,
} from '../common-options';
import { loadEngine } from '../engine-input';
import { failWith, readTextFile } from '../files';
import { createLog, type VerbosityOptions } from '../log';
import { openOutput, type OutputOptions } from '../output';
import type { CommandRegistration } from '../program';

interface CheckOptions extends OutputOptions, VerbosityOptions {
  intent: string;
  format: string;
  serviceTags?: string;
  today?: string;
}

/** Registers `check`. */
export const registerCheck: CommandRegistration = (program, ctx) => {
  const command = program
    .command('check')
    .description('Check an intent file: every require entry must be allowed, every forbid entry denied.')
    .argument('<snapshot>', 'snapshot file written by aciseg import')
    .requiredOption('--intent <file>', 'intent file (YAML or JSON) with require and forbid lists');
  addOptions(command, [formatOption('check'), ...outputOptions(), serviceTagsOption()]).addOption(
    new Option(
      '--today <date>',
      'date (YYYY-MM-DD) that decides which entries have expired; default: today',
    ).argParser((v) => v),
  );
  addOptions(command, verbosityOptions())
    .addHelpText(
      'after',
      `
Intent file:
  require:                       # flows that must stay allowed
    - name: web-to-api
      from: web-frontend         # same endpoint forms as explain --from
      to: api-orders
      protocol: tcp              # tcp, udp, icmp or *
      ports: "8443"              # "443", "8000-8100", "80,443" or "*"
      reason: checkout calls the order API   # optional: reason, owner, expires (YYYY-MM-DD)
  forbid:                        # flows that must stay denied
    - name: no-ssh-from-internet
      from: Internet
      to: vnet-app/snet-aci-web
      protocol: tcp
      ports: "22"

An expired entry (expires before today) is reported but no longer fails the check.
Exit codes: 0 all entries pass, 1 an entry fails, 2 bad input.

Examples:
  aciseg check estate.json --intent intent.yaml
  aciseg check estate.json --intent intent.yaml --format json
`,
    )
    .action((snapshotFile: string, options: CheckOptions) => {
      const log = createLog(ctx.io, options);
      const render = rendererFor('check', options.format);
      const today = options.today ?? new Date().toISOString().slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(today))
        throw new UsageError('--today must be a date written YYYY-MM-DD');
      const output = openOutput(ctx.io, options);
      const parsed = parseIntent(
        readTextFile(path.resolve(ctx.io.cwd, options.intent), options.intent),
        options.intent,
      );
      if (!parsed.ok) failWith(parsed.diagnostics);
      const engine = log.phase('read snapshot and compile policy', () =>
        loadEngine(snapshotFile, { serviceTags: options.serviceTags, quiet: log.quiet }, ctx.io),
      );
      let report;
      try {
        const entries = parsed.entries;
        report = log.phase('check intent', () => checkIntent(engine, entries, today, options.intent));
      } catch (e) {
        if (e instanceof IntentError) failWith(e.diagnostics);
        throw e;
      }
      for (const r of report.results) {
        if (r.expired)
          log.warn(
            `warning: intent entry ${r.name} expired on ${parsed.entries.find((e) => e.name === r.name)?.expires}; it no longer gates`,
          );
      }
      const checked = report;
      log.phase('write', () => output.emit(render(checked)));
      if (report.failed > 0) ctx.setExitCode(ExitCode.findings);
    });
};
