/**
 * The layer rule (.eslint/layers.mjs) fails the lint for each fixture under test/fixtures/layers that
 * imports across a forbidden boundary, linted as if it stood at the path its first line names.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/layers');

interface Breach {
  file: string;
  messageId: string;
  message: string;
}

/**
 * Lints texts as if they stood at the given paths, and all of src/, with the project's config in a
 * child process (jest cannot load the ESM config): the layer rule's messages per path.
 */
function lint(texts: readonly (readonly [string, string])[]): Breach[] {
  const script = `
    import { ESLint } from 'eslint';
    const eslint = new ESLint({ cwd: process.cwd() });
    const texts = JSON.parse(process.argv[1]);
    const results = [...(await eslint.lintFiles(['src/**/*.ts']))];
    for (const [as, text] of texts) results.push(...(await eslint.lintText(text, { filePath: as })));
    const out = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'layers/imports')
      .map((m) => ({ file: r.filePath, messageId: m.messageId, message: m.message })));
    process.stdout.write(JSON.stringify(out));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(texts)], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Breach[];
}

const fixtures = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.fixture'))
  .sort()
  .map((name) => {
    const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
    const as = /^\/\/ as: (\S+)$/m.exec(text)![1]!;
    const expected = /^\/\/ expect: (\S+)$/m.exec(text)![1]!;
    return [name, as, expected, text] as const;
  });

const breaches = lint(fixtures.map(([, as, , text]) => [path.join(ROOT, as), text] as const));

describe('layer rule', () => {
  it('has fixtures of every kind of breach and one that keeps to the layers', () => {
    expect(new Set(fixtures.map(([, , expected]) => expected))).toEqual(
      new Set(['layer', 'facade', 'io', 'azure', 'none']),
    );
  });

  it.each(fixtures)('%s (as %s): %s', (_name, as, expected) => {
    const found = breaches.filter((b) => b.file === path.join(ROOT, as)).map((b) => b.messageId);
    expect(found).toEqual(expected === 'none' ? [] : [expected]);
  });

  it('src/ as it is keeps to the layers', () => {
    const inSrc = breaches.filter((b) => !fixtures.some(([, as]) => b.file === path.join(ROOT, as)));
    expect(inSrc).toEqual([]);
  });
});
