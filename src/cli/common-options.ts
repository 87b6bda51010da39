/**
 * The options several commands share, built in one place so each has one meaning and one help
 * text everywhere (README "Common options"). `--format` offers the formats the registry holds for
 * the command.
 */
import { Option, type Command } from 'commander';
import { formatsOf, type CommandName } from '../render/registry';

/** The help text of each shared option (test/unit/cli/common-options.test.ts holds every command to it). */
export const COMMON_HELP = {
  format: 'report format',
  output: 'write the result to <file> (atomically) instead of stdout',
  force: 'replace <file> if it exists',
  serviceTags:
    'ServiceTags_Public JSON (or the Service Tag Discovery API response) that resolves service tags such as Storage.WestEurope',
  quiet: 'print only errors on stderr: no warnings, no progress',
  verbose: 'also print on stderr how long each phase took (collect: and every request)',
  flows: 'flow-log file or directory (plain or .gz); repeatable',
  since: 'with --flows: leave out tuples before this ISO time (2026-11-30T10:00:00Z)',
  until: 'with --flows: leave out tuples at or after this ISO time',
} as const;

/** `--format <format>`: the command's registered formats, the first one by default. */
export function formatOption(command: CommandName): Option {
  const formats = formatsOf(command);
  return new Option('--format <format>', COMMON_HELP.format).choices(formats).default(formats[0]);
}

/** `-o, --output <file>` and `--force`. */
export function outputOptions(required = false): Option[] {
  const output = new Option('-o, --output <file>', COMMON_HELP.output);
  if (required) output.makeOptionMandatory();
  return [output, new Option('--force', COMMON_HELP.force)];
}

/** `--service-tags <file>`. */
export function serviceTagsOption(): Option {
  return new Option('--service-tags <file>', COMMON_HELP.serviceTags);
}

/** `--flows <path>` (repeatable), `--since <time>` and `--until <time>` (read by cli/flow-input.ts). */
export function flowLogOptions(): Option[] {
  return [
    new Option('--flows <path>', COMMON_HELP.flows).argParser((v: string, previous: string[] = []) => [
      ...previous,
      v,
    ]),
    new Option('--since <time>', COMMON_HELP.since),
    new Option('--until <time>', COMMON_HELP.until),
  ];
}

/** `-q, --quiet` and `-v, --verbose`, which exclude each other. */
export function verbosityOptions(): Option[] {
  return [
    new Option('-q, --quiet', COMMON_HELP.quiet).conflicts('verbose'),
    new Option('-v, --verbose', COMMON_HELP.verbose).conflicts('quiet'),
  ];
}

/** Adds options to a command in order. */
export function addOptions(command: Command, options: readonly Option[]): Command {
  for (const option of options) command.addOption(option);
  return command;
}
