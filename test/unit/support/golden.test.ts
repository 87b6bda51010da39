import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { actualPathFor, compareGolden, expectGolden } from '../../support/golden';

describe('golden-file helper', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-golden-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('names the actual file beside the golden, before the first extension', () => {
    expect(actualPathFor('/g/summary/hub.txt')).toBe('/g/summary/hub.actual.txt');
    expect(actualPathFor('/g/topology/hub.topology.json')).toBe('/g/topology/hub.actual.topology.json');
    expect(actualPathFor('/g/plain')).toBe('/g/plain.actual');
  });

  it('writes the golden when updating, then matches it', () => {
    expect(compareGolden(root, 'a/b.txt', 'hello\n', true).status).toBe('updated');
    expect(fs.readFileSync(path.join(root, 'a/b.txt'), 'utf8')).toBe('hello\n');
    expect(compareGolden(root, 'a/b.txt', 'hello\n', false).status).toBe('match');
  });

  it('writes <name>.actual.<ext> on a mismatch and removes it once output matches again', () => {
    compareGolden(root, 'b.txt', 'old\n', true);
    const outcome = compareGolden(root, 'b.txt', 'new\n', false);
    expect(outcome).toEqual({
      status: 'mismatch',
      goldenPath: path.join(root, 'b.txt'),
      actualPath: path.join(root, 'b.actual.txt'),
      expected: 'old\n',
    });
    expect(fs.readFileSync(path.join(root, 'b.actual.txt'), 'utf8')).toBe('new\n');
    expect(fs.readFileSync(path.join(root, 'b.txt'), 'utf8')).toBe('old\n');
    expect(compareGolden(root, 'b.txt', 'old\n', false).status).toBe('match');
    expect(fs.existsSync(path.join(root, 'b.actual.txt'))).toBe(false);
  });

  it('treats a missing golden as a mismatch (never creates it without UPDATE_GOLDEN)', () => {
    const outcome = compareGolden(root, 'new/c.json', '{}\n', false);
    expect(outcome).toMatchObject({ status: 'mismatch', expected: null });
    expect(fs.existsSync(path.join(root, 'new/c.json'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'new/c.actual.json'))).toBe(true);
  });

  it('refuses paths outside the golden directory and .actual names', () => {
    expect(() => compareGolden(root, '../escape.txt', 'x', true)).toThrow(/escapes/);
    expect(() => compareGolden(root, path.join(root, 'abs.txt'), 'x', true)).toThrow(/relative/);
    expect(() => compareGolden(root, 'x.actual.txt', 'x', true)).toThrow(/actual/);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('expectGolden fails with both paths on a mismatch', () => {
    // Uses the real test/golden directory through a file that does not exist there.
    const rel = 'selftest/never-committed.txt';
    const previous = process.env.UPDATE_GOLDEN;
    delete process.env.UPDATE_GOLDEN;
    try {
      expect(() => expectGolden(rel, 'some output\n')).toThrow(
        /does not exist; output written to .*never-committed\.actual\.txt/,
      );
    } finally {
      if (previous !== undefined) process.env.UPDATE_GOLDEN = previous;
      fs.rmSync(path.join(__dirname, '../../golden/selftest'), { recursive: true, force: true });
    }
  });
});
