/**
 * The published package works: `npm pack` (which runs the real build) into a temp folder, install
 * the tarball into a scratch project, then use it from CommonJS (`require('aciseg')`), from ESM
 * (`import('aciseg')`, Node's CommonJS interop) and from TypeScript (the `types` condition), each
 * importing the bundled hub-spoke sample and computing an explain verdict.
 *
 * Offline where it can be: the tarball is a local file, and aciseg's runtime dependencies are
 * installed with `--prefer-offline`, so npm takes them from its cache (filled by `npm ci`/`install`)
 * and only asks the registry for what the cache lacks (`--offline` fails in CI, where `npm ci`
 * caches tarballs but not the package metadata an install without a lockfile needs).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compile, explain, importFiles } from '../src';

const repo = path.resolve(__dirname, '..');
const sample = path.join(repo, 'samples', 'hub-spoke');
const query = { from: 'Internet', to: 'vnet-app/snet-aci-web', ports: 22 };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let tmp: string;
let app: string;

function run(cmd: string, args: string[], cwd: string): string {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
  };
  delete env.NODE_PATH; // the scratch project must find aciseg and its dependencies on its own
  delete env.NODE_OPTIONS;
  return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-pack-'));
  // Pack a copy, so the build writes dist/ there and not into the working tree.
  const pkg = path.join(tmp, 'pkg');
  fs.mkdirSync(pkg);
  for (const f of ['package.json', 'README.md', 'LICENSE', 'tsconfig.json', 'tsconfig.build.json'])
    fs.copyFileSync(path.join(repo, f), path.join(pkg, f));
  fs.cpSync(path.join(repo, 'src'), path.join(pkg, 'src'), { recursive: true });
  // The build also bundles the report page from viz/.
  fs.cpSync(path.join(repo, 'viz'), path.join(pkg, 'viz'), { recursive: true });
  fs.symlinkSync(fs.realpathSync(path.join(repo, 'node_modules')), path.join(pkg, 'node_modules'), 'dir');
  run(npm, ['pack', '--silent', '--pack-destination', tmp], pkg);

  app = path.join(tmp, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(
    path.join(app, 'package.json'),
    '{ "name": "scratch", "version": "1.0.0", "private": true }\n',
  );
  const tarball = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('npm pack wrote no tarball');
  run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(tmp, tarball)], app);
}, 120_000);

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const expected = explain(compile(importFiles([sample]).snapshot!), query).verdict;

describe('the packed package', () => {
  it('holds the build, the schema, README and LICENSE, and no sources or tests', () => {
    const root = path.join(app, 'node_modules', 'aciseg');
    for (const f of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/main.js',
      'dist/viz/report.js',
      'dist/viz/report.css',
      'src/model/snapshot.schema.json',
    ])
      expect({ f, exists: fs.existsSync(path.join(root, f)) }).toEqual({ f, exists: true });
    expect(fs.readFileSync(path.join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(fs.existsSync(path.join(root, 'src', 'index.ts'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'test'))).toBe(false);
  });

  it('works from CommonJS: require("aciseg") and require("aciseg/snapshot.schema.json")', () => {
    const script = `
      const aciseg = require('aciseg');
      const outcome = aciseg.importFiles([${JSON.stringify(sample)}]);
      const engine = aciseg.compile(outcome.snapshot);
      const x = aciseg.explain(engine, ${JSON.stringify(query)});
      const schema = require('aciseg/snapshot.schema.json');
      console.log(JSON.stringify({ verdict: x.verdict, version: aciseg.VERSION, schema: schema.title }));
    `;
    fs.writeFileSync(path.join(app, 'use.cjs'), script);
    const out = JSON.parse(run(process.execPath, ['use.cjs'], app)) as Record<string, string>;
    expect(out).toEqual({ verdict: expected, version: '0.1.0', schema: 'aciseg snapshot' });
  });

  it('works from ESM: import("aciseg") has every CommonJS export by name', () => {
    const script = `
      import { readdirSync, readFileSync } from 'node:fs';
      import { createRequire } from 'node:module';
      import { join } from 'node:path';
      import { importDocuments, compile, explain } from 'aciseg';
      const dir = ${JSON.stringify(sample)};
      const docs = readdirSync(dir).filter((f) => f.endsWith('.json'))
        .map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') }));
      const engine = compile(importDocuments(docs).snapshot);
      const esm = await import('aciseg');
      const cjs = createRequire(import.meta.url)('aciseg');
      const missing = Object.keys(cjs).filter((k) => k !== '__esModule' && !(k in esm));
      console.log(JSON.stringify({ verdict: explain(engine, ${JSON.stringify(query)}).verdict, missing }));
    `;
    fs.writeFileSync(path.join(app, 'use.mjs'), script);
    const out = JSON.parse(run(process.execPath, ['use.mjs'], app)) as Record<string, unknown>;
    expect(out).toEqual({ verdict: expected, missing: [] });
  });

  it('types a TypeScript consumer through the exports map', () => {
    fs.writeFileSync(
      path.join(app, 'use.ts'),
      `import { compile, explain, importFiles, type Verdict } from 'aciseg';\n` +
        `const v: Verdict = explain(compile(importFiles(['x']).snapshot!), { from: 'a', to: 'b', ports: 1 }).verdict;\n` +
        `// @ts-expect-error: explain takes a query object\nexplain(compile(importFiles(['x']).snapshot!), 'a');\n` +
        `export { v };\n`,
    );
    const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    const flags = [
      '--noEmit',
      '--strict',
      '--skipLibCheck',
      '--module',
      'node16',
      '--moduleResolution',
      'node16',
    ];
    expect(() => run(process.execPath, [tsc, ...flags, 'use.ts'], app)).not.toThrow();
  });
});
