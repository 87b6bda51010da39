/** `aciseg check`: evaluates an intent file; exit code 1 when any entry fails. */
import * as path from 'node:path';
import { Option } from 'commander';
import { checkIntent, IntentError, parseIntent } from '../../analyze/intent';
import { ExitCode, UsageError } from '../../errors';
import { checkReportJson, renderCheckText } from '../../render/check';
import { printable } from '../../util/escape';
import { loadEngine } from '../engine-input';
import { failWith, readTextFile } from '../files';
import type { CommandRegistration } from '../program';

interface CheckOptions {
  intent: string;
  format: 'text' | 'json';
  serviceTags?: string;
  today?: string;
}

/** Registers `check`. */
export const registerCheck: CommandRegistration = (program, ctx) => {
  program
    .command('check')
    .description('Check an intent file: every require entry must be allowed, every forbid entry denied.')
    .argument('<snapshot>', 'snapshot file written by aciseg import')
    .requiredOption('--intent <file>', 'intent file (YAML or JSON) with require and forbid lists')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--service-tags <file>', 'ServiceTags_Public JSON to resolve service tags')
    .addOption(
      new Option(
        '--today <date>',
        'date (YYYY-MM-DD) that decides which entries have expired; default: today',
      ).argParser((v) => v),
    )
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
      const today = options.today ?? new Date().toISOString().slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(today))
        throw new UsageError('--today must be a date written YYYY-MM-DD');
      const parsed = parseIntent(
        readTextFile(path.resolve(ctx.io.cwd, options.intent), options.intent),
        options.intent,
      );
      if (!parsed.ok) failWith(parsed.diagnostics);
      const engine = loadEngine(snapshotFile, { serviceTags: options.serviceTags }, ctx.io);
      let report;
      try {
        report = checkIntent(engine, parsed.entries, today, options.intent);
      } catch (e) {
        if (e instanceof IntentError) failWith(e.diagnostics);
        throw e;
      }
      for (const r of report.results) {
        if (r.expired)
          ctx.io.stderr(
            `${printable(`warning: intent entry ${r.name} expired on ${parsed.entries.find((e) => e.name === r.name)?.expires}; it no longer gates`)}\n`,
          );
      }
      ctx.io.stdout(
        options.format === 'json'
          ? `${JSON.stringify(checkReportJson(report), null, 2)}\n`
          : renderCheckText(report),
      );
      if (report.failed > 0) ctx.setExitCode(ExitCode.findings);
    });
};
