/** `aciseg import <file|dir>... -o <snapshot.json>`: exported Azure JSON → a normalized snapshot file. */
import * as path from 'node:path';
import { Option, type Command } from 'commander';
import { buildTopology } from '../../graph/build';
import { renderSummary, renderSummaryJson } from '../../render/summary';
import { importPaths, listInputFiles } from '../../collect/files';
import { formatDiagnostic } from '../../diagnostics';
import type { Snapshot } from '../../model/snapshot';
import { printable } from '../../util/escape';
import { checkOutputTarget, failWith, writeSnapshotFile } from '../files';
import type { CommandRegistration } from '../program';

interface ImportOptions {
  output: string;
  force?: boolean;
  quiet?: boolean;
  format: 'none' | 'text' | 'json';
}

/** Registers `import`: reads the inputs, writes the snapshot atomically, reports on stderr. */
export const registerImport: CommandRegistration = (program, ctx) => {
  program
    .command('import')
    .description(
      'Read exported Azure JSON (ARM REST, az CLI, Resource Graph, SDK objects, ARM templates) into a snapshot.',
    )
    .argument(
      '[paths...]',
      'JSON files, or directories searched recursively for *.json (- reads standard input)',
    )
    .requiredOption('-o, --output <file>', 'snapshot file to write')
    .option('--force', 'replace the output file if it exists')
    .option('-q, --quiet', 'do not print warnings (they are still stored in the snapshot)')
    .addOption(
      new Option(
        '--format <format>',
        'also print the summary of the snapshot to stdout (as `aciseg summary` does)',
      )
        .choices(['none', 'text', 'json'])
        .default('none'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  aciseg import exports/ -o estate.snapshot.json\n' +
        '  aciseg import samples/hub-spoke -o hub-spoke.snapshot.json --format text\n' +
        '  az network nsg list -o json > nsgs.json && aciseg import nsgs.json vnets.json -o estate.snapshot.json\n',
    )
    .action(async (paths: string[], options: ImportOptions, _cmd: Command) => {
      const target = path.resolve(ctx.io.cwd, options.output);
      const inputs = listInputFiles(paths, ctx.io.cwd).files.map((f) => f.absolute);
      const writeOptions = { force: options.force === true, inputs, name: options.output };
      // Fail before the (possibly long) import when the output cannot be written anyway.
      checkOutputTarget(target, writeOptions);
      const outcome = importPaths(paths, ctx.io.cwd);
      if (outcome.snapshot === undefined) failWith(outcome.diagnostics);
      if (!options.quiet) {
        for (const d of outcome.diagnostics)
          if (d.severity === 'warning') ctx.io.stderr(`${formatDiagnostic(d)}\n`);
      }
      await writeSnapshotFile(target, outcome.snapshot, writeOptions);
      ctx.io.stderr(`wrote ${printable(options.output)}: ${describeCounts(outcome.snapshot)}\n`);
      if (options.format !== 'none') {
        const topology = buildTopology(outcome.snapshot);
        if (!options.quiet)
          for (const d of topology.diagnostics)
            ctx.io.stderr(`${formatDiagnostic({ ...d, file: options.output })}\n`);
        ctx.io.stdout(
          options.format === 'json'
            ? renderSummaryJson(outcome.snapshot, topology)
            : renderSummary(outcome.snapshot, topology),
        );
      }
    });
};

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** The one-line summary printed after writing: what the snapshot holds and how much was skipped. */
export function describeCounts(s: Snapshot): string {
  const rules = s.networkSecurityGroups.reduce((n, nsg) => n + nsg.securityRules.length, 0);
  const parts = [
    count(s.virtualNetworks.length, 'virtual network'),
    count(s.subnets.length, 'subnet'),
    count(s.virtualNetworkPeerings.length, 'peering'),
    `${count(s.networkSecurityGroups.length, 'NSG')} (${count(rules, 'rule')})`,
    count(s.routeTables.length, 'route table'),
    count(s.containerGroups.length, 'container group'),
  ];
  if (s.applicationSecurityGroups.length > 0)
    parts.push(count(s.applicationSecurityGroups.length, 'application security group'));
  if (s.networkGroups.length > 0) parts.push(count(s.networkGroups.length, 'network group'));
  if (s.securityAdminRuleCollections.length > 0) {
    parts.push(count(s.securityAdminRuleCollections.length, 'admin rule collection'));
  }
  if (s.securityAdminRules.length > 0) parts.push(count(s.securityAdminRules.length, 'admin rule'));
  const skipped = s.skippedResourceTypes.reduce((n, t) => n + t.count, 0);
  const warnings = s.diagnostics.length;
  return (
    `${parts.join(', ')}; ${count(skipped, 'resource')} of other types skipped` +
    (warnings > 0 ? `; ${count(warnings, 'warning')}` : '')
  );
}
