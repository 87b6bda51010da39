/** README's rule catalogue is the pack's metadata (run `npm run readme` to rewrite it), and its tour shows analyze as it prints. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULES } from '../../../src/analyze/rules';
import { runCapture } from '../../support/cli';
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

describe('README quick tour', () => {
  it('shows the start of `aciseg analyze` on the sample as it prints it', async () => {
    const root = path.join(__dirname, '../../..');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-tour-'));
    try {
      fs.symlinkSync(path.join(root, 'samples'), path.join(dir, 'samples'));
      const imported = await runCapture(['import', 'samples/hub-spoke', '-o', 'hub-spoke.json', '-q'], dir);
      expect(imported.code).toBe(0);
      const command =
        'aciseg analyze hub-spoke.json --flows samples/hub-spoke-flow-logs --intent samples/hub-spoke/intent.yaml';
      const start = README.indexOf(`$ ${command}\n`);
      expect(start).toBeGreaterThan(0);
      const shown = README.slice(start).split('\n').slice(1);
      const tour = shown.slice(0, shown.indexOf('…'));
      const r = await runCapture([...command.split(' ').slice(1), '-q'], dir);
      expect(tour.length).toBeGreaterThan(10);
      expect(r.stdout.split('\n').slice(0, tour.length)).toEqual(tour);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
