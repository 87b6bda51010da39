/** `aciseg check`: evaluates an intent file; exit code 1 when any entry fails. */
import * as path from 'node:path';
import { Option } from 'commander';
import {
  checkIntent,
  inFileOrder,
  IntentError,
  isCalendarDate,
  parseIntent,
  type CheckReport,
} from '../../analyze/intent';
import { ExitCode, UsageError } from '../../errors';
import { printable } from '../../render/summary';
import { rendererFor } from '../../render/registry';
import type { Diagnostic } from '../../diagnostics';
import {
  addOptions,
  formatOption,
  outputOptions,
  serviceTagsOption,
  verbosityOptions,
} from '../common-options';
import { loadEngine } from '../engine-input';
import { failWith, readTextFile } from '../../collect/io/files';
import { createLog, type VerbosityOptions } from '../log';
import { openOutput, type OutputOptions } from '../output';
import type { CommandRegistration } from '../program';

interface CheckOptions extends OutputOptions, VerbosityOptions {
  intent: string;
  format: string;
  serviceTags?: string;
  today?: string;
  allowEmpty?: boolean;
}

/** Registers `check`. */
export const registerCheck: CommandRegistration = (program, ctx) => {
  const command = program
    .command('check')
    .description('Check an intent file: every require entry must be allowed, every forbid entry denied.')
    .argument('<snapshot>', 'snapshot file written by aciseg import')
    .requiredOption('--intent <file>', 'intent file (YAML or JSON) with require and forbid lists');
  addOptions(command, [formatOption('check'), ...outputOptions(), serviceTagsOption()])
    .addOption(
      new Option(
        '--today <date>',
        'date (YYYY-MM-DD) that decides which entries have expired; default: today',
      ).argParser((v) => v),
    )
    .option('--allow-empty', 'accept an intent file with no entries (otherwise an input error)');
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

An expired entry (expires before today) is reported and counted apart but no longer fails the
check. An intent file with no entries is an error unless --allow-empty is given. Every bad entry
is reported (file, JSON path, code), not only the first.
Exit codes: 0 all entries in force pass, 1 an entry fails, 2 bad input.

Examples:
  aciseg check estate.json --intent intent.yaml
  aciseg check estate.json --intent intent.yaml --format json
`,
    )
    .action(async (snapshotFile: string, options: CheckOptions) => {
      const log = createLog(ctx.io, options);
      const render = rendererFor('check', options.format);
      const today = options.today ?? new Date().toISOString().slice(0, 10);
      if (!isCalendarDate(today))
        throw new UsageError(`--today must be a real date written YYYY-MM-DD, not ${JSON.stringify(today)}`);
      const output = openOutput(ctx.io, options, [
        snapshotFile,
        options.intent,
        ...(options.serviceTags === undefined ? [] : [options.serviceTags]),
      ]);
      const parsed = parseIntent(
        readTextFile(path.resolve(ctx.io.cwd, options.intent), options.intent),
        options.intent,
        { allowEmpty: options.allowEmpty ?? false },
      );
      // Entries with no problem of their own still get their endpoints checked, so every bad
      // entry is reported at once.
      const problems: Diagnostic[] = parsed.ok ? [] : [...parsed.diagnostics];
      if (problems.length > 0 && parsed.entries.length === 0) failWith(problems);
      const engine = log.phase('read snapshot and compile policy', () =>
        loadEngine(snapshotFile, { serviceTags: options.serviceTags, quiet: log.quiet }, ctx.io),
      );
      let report: CheckReport | null = null;
      try {
        const entries = parsed.entries;
        report = log.phase('check intent', () => checkIntent(engine, entries, today, options.intent));
      } catch (e) {
        if (!(e instanceof IntentError)) throw e;
        problems.push(...e.diagnostics);
      }
      if (problems.length > 0 || report === null) failWith(inFileOrder(problems));
      for (const r of report.results) {
        if (r.expired)
          log.warn(printable(`warning: intent entry ${r.name} expired on ${r.expires}; it no longer gates`));
      }
      const checked = report;
      await log.phase('write', () => output.emit(render(checked)));
      if (report.failed > 0) ctx.setExitCode(ExitCode.findings);
    });
};
