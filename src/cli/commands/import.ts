/** `aciseg import <file|dir>... -o <snapshot.json>`: exported Azure JSON → a normalized snapshot file. */
import type { Command } from 'commander';
import { buildTopology } from '../../graph/build';
import type { Topology } from '../../graph/attributes';
import { importPaths, listInputFiles } from '../../collect/files';
import { formatDiagnostic } from '../../diagnostics';
import type { Snapshot } from '../../model/snapshot';
import { serializeSnapshot } from '../../model/snapshot-codec';
import { rendererFor } from '../../render/registry';
import { addOptions, formatOption, outputOptions, verbosityOptions } from '../common-options';
import { printable } from '../../util/escape';
import { failWith } from '../../collect/io/files';
import { createLog, type VerbosityOptions } from '../log';
import { openOutput, writeStdout, type OutputOptions } from '../output';
import type { CommandRegistration } from '../program';

interface ImportOptions extends OutputOptions, VerbosityOptions {
  output: string;
  format: string;
  allowEmpty?: boolean;
  strict?: boolean;
}

/** Registers `import`: reads the inputs, writes the snapshot atomically, reports on stderr. */
export const registerImport: CommandRegistration = (program, ctx) => {
  const command = program
    .command('import')
    .description(
      'Read exported Azure JSON (ARM REST, az CLI, Resource Graph, SDK objects, ARM templates) into a snapshot.',
    )
    .argument(
      '[paths...]',
      'JSON files, or directories searched recursively for *.json (- reads standard input)',
    )
    .option('--allow-empty', 'write the snapshot even when the input holds no resource aciseg models')
    .option(
      '--strict',
      'refuse files found in a directory that are not resources (flow logs, snapshots, …) instead of skipping them',
    );
  addOptions(command, [...outputOptions(true), formatOption('import'), ...verbosityOptions()])
    .addHelpText(
      'after',
      '\nThe result of import is the snapshot, so -o is required; --format prints the summary of the snapshot\n' +
        'to stdout, as `aciseg summary` does (none by default). Warnings are stored in the snapshot\n' +
        'whether or not --quiet hides them.\n' +
        '\nExamples:\n  aciseg import exports/ -o estate.snapshot.json\n' +
        '  aciseg import samples/hub-spoke -o hub-spoke.snapshot.json --format text\n' +
        '  az network nsg list -o json > nsgs.json && aciseg import nsgs.json vnets.json -o estate.snapshot.json\n',
    )
    .action(async (paths: string[], options: ImportOptions, _cmd: Command) => {
      const log = createLog(ctx.io, options);
      const render = rendererFor('import', options.format);
      // Fails before the (possibly long) import when the output cannot be written anyway: it may
      // never be a file named on the command line.
      const listed = listInputFiles(paths, ctx.io.cwd).files;
      openOutput(
        ctx.io,
        options,
        listed.filter((f) => !f.inDirectory).map((f) => f.absolute),
      );
      const outcome = log.phase('read inputs', () =>
        importPaths(paths, ctx.io.cwd, {
          allowEmpty: options.allowEmpty === true,
          strict: options.strict === true,
        }),
      );
      if (outcome.snapshot === undefined) failWith(outcome.diagnostics);
      // A file found in a directory counts as an input when it was read: an earlier snapshot
      // there was skipped, and `--force` may replace it.
      const skipped = new Set(
        outcome.diagnostics.filter((d) => d.code === 'SKIPPED_FILE').map((d) => d.file),
      );
      const output = openOutput(
        ctx.io,
        options,
        listed.filter((f) => !skipped.has(f.file)).map((f) => f.absolute),
      );
      const snapshot = outcome.snapshot;
      for (const d of outcome.diagnostics) if (d.severity === 'warning') log.warn(formatDiagnostic(d));
      await log.phase('write snapshot', () => output.emit(serializeSnapshot(snapshot)));
      log.progress(`wrote ${printable(options.output)}: ${describeCounts(snapshot)}`);
      let topology: Topology | undefined;
      const topologyOnce = (): Topology => {
        if (topology) return topology;
        topology = buildTopology(snapshot);
        for (const d of topology.diagnostics) log.warn(formatDiagnostic({ ...d, file: options.output }));
        return topology;
      };
      log.phase('summary', () => writeStdout(ctx.io, render({ snapshot, topology: topologyOnce })));
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
