/** README's help blocks equal `aciseg <cmd> --help` (run `npm run readme` to rewrite them). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commands } from '../../../src/cli/commands';
import { findUsageBlocks, helpText, readmeWithUsage } from '../../support/readme-usage';

const README = path.join(__dirname, '../../../README.md');

describe('README usage blocks', () => {
  const readme = fs.readFileSync(README, 'utf8');

  it('show every command, each exactly as `--help` prints it (else run `npm run readme`)', async () => {
    const blocks = findUsageBlocks(readme.split('\n'));
    expect(blocks.length).toBe(commands.length);
    expect(await readmeWithUsage(readme)).toBe(readme);
  });

  it('are found by their first line and rewritten, leaving the rest of the text alone', async () => {
    const stale = [
      '# t',
      '```sh',
      'Usage: aciseg import (a shell example, not a usage block)',
      '```',
      'text',
      '```',
      'Usage: aciseg explain [options] <snapshot>',
      '  --old-flag   gone',
      '```',
      'more text',
      '',
    ].join('\n');
    const help = await helpText('explain');
    const out = await readmeWithUsage(stale);
    expect(out).toBe(stale.replace('Usage: aciseg explain [options] <snapshot>\n  --old-flag   gone', help));
    expect(await readmeWithUsage(out)).toBe(out); // a second run changes nothing
  });

  it('fails loudly on a block naming a command that does not exist', async () => {
    await expect(readmeWithUsage('```\nUsage: aciseg frobnicate\n```\n')).rejects.toThrow(/frobnicate/);
  });
});
