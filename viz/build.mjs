// Bundles the report page (viz/src/main.ts, d3 included) into dist/viz/report.js and copies its
// style sheet; `aciseg report` inlines both. Runs as part of `npm run build`.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'viz');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, 'viz', 'src', 'main.ts')],
  outfile: join(out, 'report.js'),
  bundle: true,
  format: 'iife',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
});
copyFileSync(join(root, 'viz', 'src', 'style.css'), join(out, 'report.css'));
