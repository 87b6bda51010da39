/**
 * Rewrites README.md's `Usage: aciseg <cmd>` blocks from the real `--help` output and its rule
 * catalogue from the pack's metadata (`npm run readme`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readmeWithCatalogue } from './readme-catalogue';
import { findUsageBlocks, readmeWithUsage } from './readme-usage';

async function main(): Promise<void> {
  const target = path.join(__dirname, '..', '..', 'README.md');
  const before = fs.readFileSync(target, 'utf8');
  const after = readmeWithCatalogue(await readmeWithUsage(before));
  const count = findUsageBlocks(after.split('\n')).length;
  if (after !== before) fs.writeFileSync(target, after);
  process.stdout.write(
    `${after === before ? 'unchanged' : 'rewrote'} ${target}: ${count} usage blocks and the rule catalogue\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
