/** README's rule catalogue is the pack's metadata (run `npm run readme` to rewrite it). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../../src/analyze/rules';
import { catalogueTable, readmeWithCatalogue } from '../../support/readme-catalogue';

const README = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');

describe('README rule catalogue', () => {
  it('lists every rule of the pack as its metadata says (else run `npm run readme`)', () => {
    expect(readmeWithCatalogue(README)).toBe(README);
    for (const rule of RULES)
      expect(README).toContain(`| ${rule.meta.id} | \`${rule.meta.name}\` | ${rule.meta.severity} |`);
  });

  it('goes stale when a rule changes: the rewrite differs', () => {
    const changed = RULES.map((r, i) =>
      i === 0 ? { ...r.meta, severity: 'info' as const, title: 'renamed' } : r.meta,
    );
    expect(readmeWithCatalogue(README, changed)).not.toBe(README);
    expect(catalogueTable(changed)).toContain('| info | renamed |');
  });
});
