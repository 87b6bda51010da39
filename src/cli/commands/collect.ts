/** `aciseg collect`: a live Azure estate (ARM or Resource Graph) → a normalized snapshot file. */
import * as path from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
// The Azure SDK is loaded only when collect runs (see the action): other commands never pay for it.
import type { AttemptRecord, EngineName } from '../../collect/azure';
import { CLOUD_NAMES, normalizeEndpoint, type CloudName } from '../../collect/azure/clouds';
import { DEFAULT_RETRY, RESOURCE_GRAPH_ABOVE, TOKEN_VARIABLE } from '../../collect/azure/settings';
import { formatDiagnostic } from '../../diagnostics';
import { EnvironmentError } from '../../errors';
import { failWith, readTextFile } from '../../collect/io/files';
import { openOutput } from '../output';
import { serializeSnapshot } from '../../model/snapshot-codec';
import type { CommandRegistration } from '../program';
import { describeCounts } from './import';
import { addOptions, outputOptions, verbosityOptions } from '../common-options';

interface CollectOptions {
  subscription?: string[];
  resourceGroup?: string[];
  engine?: EngineName;
  cloud: CloudName;
  armEndpoint?: string;
  caFile?: string;
  concurrency: number;
  maxRetries: number;
  output: string;
  force?: boolean;
  strict?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  progress?: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What Azure allows in a resource group name (so it can be quoted in a Resource Graph query). */
const RESOURCE_GROUP = /^[\p{L}\p{N}_\-.()]{1,90}$/u;

function repeatable(check: (v: string) => string) {
  return (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), check(value)];
}

function subscriptionId(value: string): string {
  if (!GUID.test(value)) throw new InvalidArgumentError('expected a subscription ID (a GUID)');
  return value.toLowerCase();
}

function resourceGroupName(value: string): string {
  if (!RESOURCE_GROUP.test(value) || value.endsWith('.'))
    throw new InvalidArgumentError('expected a resource group name (letters, digits, _ - . ( ), at most 90)');
  return value;
}

function endpoint(value: string): string {
  try {
    return normalizeEndpoint(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function wholeNumber(min: number, max: number) {
  return (value: string): number => {
    if (!/^\d{1,4}$/.test(value) || Number(value) < min || Number(value) > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return Number(value);
  };
}

/** Registers `collect`. */
export const registerCollect: CommandRegistration = (program, ctx) => {
  const command = program
    .command('collect')
    .description(
      'Read a live Azure estate (after `az login`, or with workload identity in CI) into a snapshot.',
    )
    .option(
      '--subscription <id>',
      'subscription to read (repeatable; default: every one the identity can read)',
      repeatable(subscriptionId),
    )
    .option(
      '--resource-group <name>',
      'only these resource groups (repeatable)',
      repeatable(resourceGroupName),
      [],
    )
    .addOption(
      new Option(
        '--engine <engine>',
        `how to read: ARM list calls, or Resource Graph queries (default: arm up to ${RESOURCE_GRAPH_ABOVE} subscriptions, resource-graph above)`,
      ).choices(['arm', 'resource-graph']),
    )
    .addOption(new Option('--cloud <cloud>', 'Azure cloud').choices([...CLOUD_NAMES]).default('AzureCloud'))
    .option(
      '--arm-endpoint <url>',
      "ARM endpoint to use instead of the cloud's (Azure Stack Hub, a proxy)",
      endpoint,
    )
    .option(
      '--ca-file <pem>',
      'also trust the CA certificates in this PEM file (a TLS-inspecting proxy, Azure Stack Hub)',
    )
    .option(
      '--concurrency <n>',
      'subscriptions (ARM) or network managers read at once',
      wholeNumber(1, 64),
      8,
    )
    .option(
      '--max-retries <n>',
      'retries of a throttled (429) or failing (5xx) request',
      wholeNumber(0, 20),
      DEFAULT_RETRY.maxRetries,
    )
    .option('--strict', 'a subscription Azure refuses to show is an error (exit 3) instead of a warning')
    .option('--progress', 'show progress on stderr even when it is not a terminal');
  addOptions(command, [...outputOptions(true), ...verbosityOptions()])
    .addHelpText(
      'after',
      `
--verbose logs every request (method, URL without query, status, time; never tokens or bodies).
Credentials: ${TOKEN_VARIABLE} (a bearer token, e.g. from \`az account get-access-token\`) when set,
otherwise DefaultAzureCredential (environment, workload identity, managed identity, Azure CLI, ...).

Examples:
  az login && aciseg collect -o estate.snapshot.json
  aciseg collect --subscription 00000000-0000-0000-0000-000000000000 --resource-group rg-aci -o estate.snapshot.json
  aciseg collect --engine resource-graph --cloud AzureUSGovernment -o estate.snapshot.json
`,
    )
    .action(async (options: CollectOptions) => {
      // Fails before a (possibly long) collection when the output cannot be written anyway.
      const output = openOutput(ctx.io, options, options.caFile === undefined ? [] : [options.caFile]);
      const showProgress =
        !options.quiet &&
        (options.progress === true || options.verbose === true || process.stderr.isTTY === true);
      const say = (line: string): void => ctx.io.stderr(`${line}\n`);
      const progress = showProgress ? say : () => undefined;
      const onAttempt = (a: AttemptRecord): void => {
        if (options.verbose && !options.quiet) say(describeAttempt(a));
        else if (a.retryAfterMs !== null)
          progress(
            `throttled (HTTP ${a.status}) on ${a.url}: waiting ${formatMs(a.retryAfterMs)} as the service asks`,
          );
        else if (a.status !== null && a.status >= 500) progress(`HTTP ${a.status} on ${a.url}: retrying`);
      };
      const { azureTarget, chooseCredential, collectAzure } = await import('../../collect/azure');
      const azure = azureTarget(options.cloud, options.armEndpoint);
      const ca =
        options.caFile === undefined
          ? undefined
          : readTextFile(path.resolve(ctx.io.cwd, options.caFile), options.caFile);
      const controller = new AbortController();
      const interrupt = (): void => {
        if (controller.signal.aborted) process.exit(130);
        say('interrupted: stopping (nothing will be written)');
        controller.abort();
      };
      process.on('SIGINT', interrupt);
      process.on('SIGTERM', interrupt);
      let result;
      try {
        result = await collectAzure({
          target: azure,
          credential: chooseCredential(process.env, azure),
          transport: { ca, retry: { ...DEFAULT_RETRY, maxRetries: options.maxRetries }, onAttempt },
          subscriptions: options.subscription ?? [],
          resourceGroups: options.resourceGroup ?? [],
          engine: options.engine,
          concurrency: options.concurrency,
          signal: controller.signal,
          events: { progress },
          now: () => new Date(),
        });
        if (controller.signal.aborted)
          throw new EnvironmentError('collection interrupted; nothing was written');
      } finally {
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
      }
      const { outcome, failures } = result;
      if (outcome.snapshot === undefined) failWith(outcome.diagnostics);
      if (options.strict && failures.length > 0) {
        throw new EnvironmentError(
          `--strict: Azure refused ${failures.length === 1 ? 'a subscription' : `${failures.length} subscriptions`} ` +
            `(${failures.map((f) => `${f.subscriptionId}: ${f.reason}`).join('; ')}); nothing was written`,
        );
      }
      if (!options.quiet)
        for (const d of outcome.diagnostics)
          if (d.severity === 'warning') ctx.io.stderr(`${formatDiagnostic(d)}\n`);
      await output.emit(serializeSnapshot(outcome.snapshot));
      ctx.io.stderr(
        `wrote ${options.output}: ${describeCounts(outcome.snapshot)} (${result.subscriptions} subscriptions, ${result.engine} engine` +
          (failures.length > 0 ? `, ${failures.length} not collected` : '') +
          ')\n',
      );
    });
};

function describeAttempt(a: AttemptRecord): string {
  const status = a.status === null ? (a.error ?? 'no response') : `HTTP ${a.status}`;
  const extra = [
    a.retryAfterMs === null ? null : `retry after ${formatMs(a.retryAfterMs)}`,
    a.rateLimit,
  ].filter((x) => x !== null);
  return `${a.method} ${a.url} → ${status} (${a.ms} ms)${extra.length > 0 ? ` [${extra.join('; ')}]` : ''}`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
