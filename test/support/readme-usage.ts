/**
 * README's command help blocks, kept equal to the real `aciseg <cmd> --help`: each fenced block whose
 * first line is `Usage: aciseg <cmd>` is replaced by that command's help, run in-process. Blocks are
 * found by that first line alone, so commands and flags may change freely between runs.
 */
import { runCli } from '../../src/cli/program';

/** A fenced block that starts with a usage line: where its body is, and which command it shows. */
interface UsageBlock {
  /** Index of the first body line (the `Usage:` line) and one past the last. */
  start: number;
  end: number;
  /** `import`, `check`, …; null for the top-level `Usage: aciseg [options] [command]`. */
  command: string | null;
}

const FENCE = /^```\s*$/;
const USAGE = /^Usage: aciseg(?: (\S+))?/;

/** The command a usage line shows: undefined when it is none, null for the top level. */
function commandOf(line: string): string | null | undefined {
  const usage = USAGE.exec(line);
  if (usage === null) return undefined;
  const word = usage[1];
  return word === undefined || /^[[<]/.test(word) ? null : word;
}

/** The usage blocks of a README, in order. Throws on a block that is never closed. */
export function findUsageBlocks(lines: readonly string[]): UsageBlock[] {
  const blocks: UsageBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```/.test(lines[i] ?? '')) continue;
    const close = lines.findIndex((l, j) => j > i && FENCE.test(l));
    if (close < 0) throw new Error(`README: the code block opened on line ${i + 1} is never closed`);
    const command = commandOf(lines[i + 1] ?? '');
    if (command !== undefined && FENCE.test(lines[i] ?? ''))
      blocks.push({ start: i + 1, end: close, command });
    i = close;
  }
  return blocks;
}

/** `aciseg [<command>] --help` as printed at the default width of 80 columns, whatever the terminal. */
export async function helpText(command: string | null): Promise<string> {
  let out = '';
  let err = '';
  const argv = command === null ? ['--help'] : [command, '--help'];
  // commander wraps help to the terminal's width when stdout is a TTY; the README must not depend on it.
  const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
  Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true, writable: true });
  let code: number;
  try {
    code = await runCli(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd: '.' });
  } finally {
    if (tty) Object.defineProperty(process.stdout, 'isTTY', tty);
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
  }
  // An unknown command prints the top-level help, so the usage line must name the command asked for.
  if (code !== 0 || commandOf(out) !== command)
    throw new Error(`aciseg ${argv.join(' ')} failed (exit code ${code}): ${err.trim()}`);
  return out.replace(/\s+$/, '');
}

/** The README text with every usage block rewritten from the real help. */
export async function readmeWithUsage(readme: string): Promise<string> {
  const lines = readme.split('\n');
  const blocks = findUsageBlocks(lines);
  // Replace from the last block up, so earlier indexes stay valid.
  for (const block of [...blocks].reverse()) {
    const help = (await helpText(block.command)).split('\n').map((l) => l.replace(/\s+$/, ''));
    lines.splice(block.start, block.end - block.start, ...help);
  }
  return lines.join('\n');
}
