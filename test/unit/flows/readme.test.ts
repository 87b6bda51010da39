/** The README's diagnostics table lists every flow-log code with the catalogue's severity. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnosticCodes } from '../../../src/diagnostics';

it('README documents each FLOW_LOG_* diagnostic code with its severity', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
  const flowCodes = Object.entries(diagnosticCodes).filter(([code]) => code.startsWith('FLOW_LOG_'));
  expect(flowCodes.length).toBe(4);
  for (const [code, severity] of flowCodes) expect(readme).toContain(`| \`${code}\` | ${severity} |`);
  expect(readme).toMatch(/## Flow logs\n\n\*Used by `analyze --flows`, `plan --flows` and `report --flows`/);
});
