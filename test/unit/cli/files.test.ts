/** Reading inputs and writing outputs (src/collect/io/files.ts): the paths refused, line mode, error wording. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  linesOf,
  readSnapshotFile,
  wholeFileLimit,
  WHOLE_FILE_LIMIT,
  writeOutputFile,
  writeSnapshotFile,
} from '../../../src/collect/io/files';
import { diagnostic } from '../../../src/diagnostics';
import { parseSnapshotLines, snapshotToString } from '../../../src/model/snapshot-codec';
import { describeFsError } from '../../../src/util/fs-errors';
import { runCapture } from '../../support/cli';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-files-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = (...argv: string[]) => runCapture(argv, dir);
const samples = path.join(__dirname, '../../../samples/hub-spoke');

async function writeSample(name = 's.json'): Promise<string> {
  await writeSnapshotFile(path.join(dir, name), hubSpokeSnapshot(), { force: false });
  return name;
}

/** A character device like /dev/null (1,3) in the temp folder; null where mknod is not allowed (not root). */
function makeDevice(name: string): string | null {
  const made = spawnSync('mknod', [path.join(dir, name), 'c', '1', '3']);
  return made.status === 0 ? name : null;
}

describe('output paths', () => {
  it('refuses to replace a character device, even with --force (exit 2, device untouched)', async () => {
    const dev = makeDevice('dev');
    if (dev === null) {
      console.warn('skipped: mknod needs root');
      return;
    }
    await writeSample();
    for (const argv of [
      ['analyze', 's.json', '-o', dev, '--force'],
      ['import', samples, '-o', dev, '--force'],
    ]) {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        'error: output path dev is a character device, not a regular file; refusing to replace it\n',
      );
      expect(fs.lstatSync(path.join(dir, dev)).isCharacterDevice()).toBe(true);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['dev', 's.json']);
  });

  it('refuses a FIFO as output (it would block, and is not a file to replace)', async () => {
    await writeSample();
    spawnSync('mkfifo', [path.join(dir, 'pipe')]);
    const r = await run('analyze', 's.json', '-o', 'pipe', '--force');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('output path pipe is a FIFO (named pipe), not a regular file');
  });

  it('refuses an output that is one of the inputs: same path, another spelling, a hard link (exit 2, input untouched)', async () => {
    await writeSample();
    const before = fs.readFileSync(path.join(dir, 's.json'));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.linkSync(path.join(dir, 's.json'), path.join(dir, 'hard.json'));
    for (const out of ['s.json', 'sub/../s.json', 'hard.json']) {
      const r = await run('analyze', 's.json', '-o', out, '--force');
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `error: output path ${out} is also an input of this command; write the output elsewhere\n`,
      );
    }
    expect(fs.readFileSync(path.join(dir, 's.json'))).toEqual(before);
    // import: an output equal to a file found inside a named directory.
    fs.mkdirSync(path.join(dir, 'in'));
    fs.copyFileSync(path.join(samples, 'virtual-networks.json'), path.join(dir, 'in', 'vnets.json'));
    const r = await run('import', 'in', '-o', 'in/vnets.json', '--force');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is also an input of this command');
    expect(fs.readFileSync(path.join(dir, 'in', 'vnets.json'))).toEqual(
      fs.readFileSync(path.join(samples, 'virtual-networks.json')),
    );
  });

  it('still replaces a regular file that is not an input with --force', async () => {
    await writeSample();
    fs.writeFileSync(path.join(dir, 'r.txt'), 'old');
    const r = await run('analyze', 's.json', '--reachability', '-o', 'r.txt', '--force', '-q');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'r.txt'), 'utf8')).toMatch(/endpoint groups/);
  });
});

describe('writing an output file', () => {
  it('writes the UTF-8 of the joined chunks: pieces across the 1 MiB buffer, a chunk larger than it, a surrogate pair cut in two', async () => {
    const chunks: string[] = [];
    for (let i = 0; i < 40_000; i++) chunks.push(`{"line":${i},"name":"caf\u00e9 \u{1F600}"}\n`);
    chunks.push('x'.repeat(700_000), '\u00e9'.repeat(400_000));
    // One emoji split between two chunks, at the end of the output and in the middle.
    chunks.push('before \ud83d', '\ude00 after', 'end \ud83d', '\ude01');
    const target = path.join(dir, 'out.txt');
    await writeOutputFile(target, chunks, { force: false });
    expect(fs.readFileSync(target).equals(Buffer.from(chunks.join(''), 'utf8'))).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['out.txt']);
  });
});

describe('large snapshots (line mode)', () => {
  it('reads back, line by line, a snapshot above the whole-file limit exactly as written', async () => {
    const name = await writeSample();
    const file = path.join(dir, name);
    expect(fs.statSync(file).size).toBeGreaterThan(1024);
    const lines = readSnapshotFile(file, name, { wholeFileLimit: 1024 });
    const whole = readSnapshotFile(file, name);
    expect(lines).toEqual(whole);
    expect(snapshotToString(lines)).toBe(fs.readFileSync(file, 'utf8'));
  });

  it("reads the same snapshot without checks (the worker's read), whole or by lines, origins defaulted", async () => {
    const name = await writeSample();
    const file = path.join(dir, name);
    const checked = readSnapshotFile(file, name);
    for (const limit of [1024, WHOLE_FILE_LIMIT])
      expect(readSnapshotFile(file, name, { wholeFileLimit: limit, checks: 'none' })).toEqual(checked);
    const older = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete older.origins;
    fs.writeFileSync(path.join(dir, 'old.json'), JSON.stringify(older));
    expect(readSnapshotFile(path.join(dir, 'old.json'), 'old.json', { checks: 'none' }).origins).toEqual([]);
    // What it does not check, the checked read (the main thread's) refuses.
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ ...older, subnets: 'none' }));
    expect(() => readSnapshotFile(path.join(dir, 'bad.json'), 'bad.json')).toThrow(/subnets/);
  });

  it('accepts every array layout the writer produces (empty, one, many; the last array empty or not)', () => {
    const full = {
      ...hubSpokeSnapshot(),
      diagnostics: [diagnostic('HOST_BITS_SET', 'read as 10.0.0.0/24', 'in.json', '$.x')],
    };
    const empty = { ...full, containerGroups: [], diagnostics: [], skippedResourceTypes: [] };
    for (const snapshot of [full, empty]) {
      const text = snapshotToString(snapshot);
      const parsed = parseSnapshotLines(text.split('\n'), 's.json');
      expect(parsed.ok && parsed.snapshot).toEqual(snapshot);
    }
  });

  it('splits lines on bytes whatever the chunk boundaries: characters cut in two, lines longer than a chunk', () => {
    const text = 'é€😀\n{"a":"ü"},\n\nx'.repeat(3);
    const bytes = Buffer.from(text, 'utf8');
    for (const size of [1, 2, 3, 5, 7, bytes.length]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect([...linesOf(chunks, 'f.json')]).toEqual(text.split('\n'));
    }
    expect([...linesOf([Buffer.from('a\nb\n')], 'f.json')]).toEqual(['a', 'b']);
  });

  it('refuses invalid UTF-8 in line mode as NOT_UTF8 naming the file', () => {
    const bad = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]);
    expect(() => [...linesOf([bad], 'big.json')]).toThrow(
      'error: big.json: file is not valid UTF-8 text [NOT_UTF8]',
    );
    // A character cut off at the very end of the file.
    expect(() => [...linesOf([Buffer.from([0x61, 0x0a, 0xe2, 0x82])], 'big.json')]).toThrow('[NOT_UTF8]');
  });

  it('takes the limit from ACISEG_WHOLE_FILE_LIMIT, else 256 MiB', () => {
    expect(WHOLE_FILE_LIMIT).toBe(256 * 1024 * 1024);
    expect(wholeFileLimit({})).toBe(WHOLE_FILE_LIMIT);
    expect(wholeFileLimit({ ACISEG_WHOLE_FILE_LIMIT: '4096' })).toBe(4096);
    expect(wholeFileLimit({ ACISEG_WHOLE_FILE_LIMIT: 'lots' })).toBe(WHOLE_FILE_LIMIT);
  });
});

describe('file errors', () => {
  it('words an errno one way: reason, then code', () => {
    expect(describeFsError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(
      'no such file or directory (ENOENT)',
    );
    expect(describeFsError(Object.assign(new Error('x'), { code: 'ENOSPC' }))).toBe(
      'no space left on device (ENOSPC)',
    );
    expect(describeFsError(Object.assign(new Error('x'), { code: 'EWEIRD' }))).toBe('system error (EWEIRD)');
  });

  it('reports a missing snapshot, a missing import input and a missing service tags file the same way', async () => {
    await writeSample();
    const expected = (f: string) =>
      `error: ${f}: cannot read file: no such file or directory (ENOENT) [FILE_UNREADABLE]\n`;
    expect((await run('summary', 'gone.json')).stderr).toBe(expected('gone.json'));
    expect((await run('import', 'gone.json', '-o', 'o.json')).stderr).toBe(expected('gone.json'));
    expect(
      (await run('analyze', 's.json', '--reachability', '--service-tags', 'tags.json', '-q')).stderr,
    ).toBe(expected('tags.json'));
  });

  it('refuses a directory or a device named as a snapshot, naming it', async () => {
    fs.mkdirSync(path.join(dir, 'd'));
    const r = await run('summary', 'd');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "error: d: cannot read file: it is a directory, not a regular file (name '-' to read standard input) [FILE_UNREADABLE]\n",
    );
    const dev = await run('summary', '/dev/null');
    expect(dev.code).toBe(2);
    expect(dev.stderr).toContain('/dev/null: cannot read file: it is a character device');
  });
});
