/**
 * The shared options have one help text and one set of flags on every command that has them, and
 * (README's Usage blocks are checked against --help by readme-usage.test.ts.)
 */
import type { Command, Option } from 'commander';
import { COMMON_HELP } from '../../../src/cli/common-options';
import { createProgram } from '../../../src/cli/program';
import { formatsOf, registeredCommands } from '../../../src/render/registry';

const program = createProgram({
  io: { stdout: () => undefined, stderr: () => undefined, cwd: '/' },
  setExitCode: () => undefined,
});
const command = (name: string): Command => program.commands.find((c) => c.name() === name)!;

/** The help line commander prints for an option (description with choices and default). */
function helpOf(cmd: Command, long: string): string | undefined {
  const option = cmd.options.find((o: Option) => o.long === long);
  return option && `${option.flags}  ${cmd.createHelp().optionDescription(option)}`;
}

const WRITERS: string[] = ['import', 'collect', 'summary', 'analyze', 'explain', 'check', 'plan', 'report'];

describe('shared options', () => {
  it('every command with --format is in the format registry', () => {
    const withFormat = program.commands.filter((c) => c.options.some((o) => o.long === '--format'));
    expect(withFormat.map((c) => c.name()).sort()).toEqual([...registeredCommands()].sort());
  });

  const shared: [string, string, string[]][] = [
    ['--output', `-o, --output <file>  ${COMMON_HELP.output}`, WRITERS],
    ['--force', `--force  ${COMMON_HELP.force}`, WRITERS],
    ['--quiet', `-q, --quiet  ${COMMON_HELP.quiet}`, WRITERS],
    ['--verbose', `-v, --verbose  ${COMMON_HELP.verbose}`, WRITERS],
    [
      '--service-tags',
      `--service-tags <file>  ${COMMON_HELP.serviceTags}`,
      ['analyze', 'explain', 'check', 'plan', 'report'],
    ],
  ];
  it.each(shared)('%s has the same flags and help text on every command', (long, expected, names) => {
    for (const name of names) expect([name, helpOf(command(name), long)]).toEqual([name, expected]);
    for (const name of registeredCommands().filter((c) => !names.includes(c)))
      expect(helpOf(command(name), long)).toBeUndefined();
  });

  it("--format has the same help text everywhere, with the registry's formats as its choices", () => {
    for (const name of registeredCommands()) {
      const formats = formatsOf(name);
      const choices = formats.map((f) => `"${f}"`).join(', ');
      expect(helpOf(command(name), '--format')).toBe(
        `--format <format>  ${COMMON_HELP.format} (choices: ${choices}, default: "${formats[0]}")`,
      );
    }
  });

  it('no command declares a shared flag a second time under another name', () => {
    for (const name of registeredCommands()) {
      const flags = command(name).options.flatMap((o) => [o.short, o.long].filter(Boolean));
      expect(new Set(flags).size).toBe(flags.length);
    }
  });
});
