/**
 * Flow logs from the file system: directories in the storage layout, gzip told by its bytes, corrupt
 * and truncated gzip, unreadable paths, each file once. Files are written to a temporary directory.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { listFlowLogFiles, readFlowLogs } from '../../../src/collect/flows';
import { codes, vnetRecord } from './helpers';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-flowtest-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const blob = (minute: number, tuples: number) =>
  JSON.stringify({
    records: [
      vnetRecord(
        {
          acl: {
            r: Array.from(
              { length: tuples },
              (_, i) =>
                `${1764496800000 + minute * 60000 + i},10.0.0.4,10.1.0.${i % 7},5${i},443,6,O,B,NX,0,0,0,0`,
            ),
          },
        },
        `2026-11-30T10:${String(minute).padStart(2, '0')}:00Z`,
      ),
    ],
  });

function write(rel: string, content: string | Buffer): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

const storage = (mac: string, hour: number) =>
  `flowLogResourceID=/00000000_NETWORKWATCHERRG/NETWORKWATCHER_WESTEUROPE_VNET-FLOWLOG/y=2026/m=11/d=30/h=${hour}/m=00/macAddress=${mac}/PT1H.json`;

describe('reading flow-log files', () => {
  it('a storage-layout directory of gzip blobs named PT1H.json, with plain ones beside them (sorted by path)', async () => {
    write(storage('00224800AAAA', 10), zlib.gzipSync(blob(0, 50)));
    write(storage('00224800AAAA', 11), blob(1, 30));
    write(storage('00224800BBBB', 10), zlib.gzipSync(blob(2, 20)));
    write('other/notes.txt', 'not a flow log');
    const r = await readFlowLogs(['.'], { cwd: dir });
    expect(r.diagnostics).toEqual([]);
    expect(r.stats.totals).toMatchObject({ files: 3, tuples: 100, aggregated: 100 });
    expect(r.stats.totals.bytesRead).toBeLessThan(r.stats.totals.jsonBytes);
    expect(r.stats.files.map((f) => f.file)).toEqual(
      [storage('00224800AAAA', 10), storage('00224800BBBB', 10), storage('00224800AAAA', 11)].map((f) =>
        path.join('.', f),
      ),
    );
  });

  it('a large blob streamed through gunzip in many chunks gives the same result as in memory', async () => {
    const text = blob(3, 20000);
    write('big.json.gz', zlib.gzipSync(text));
    write('big.json', text);
    const [gz, plain] = [
      await readFlowLogs(['big.json.gz'], { cwd: dir }),
      await readFlowLogs(['big.json'], { cwd: dir }),
    ];
    expect(gz.stats.totals.tuples).toBe(20000);
    expect([...gz.flows]).toEqual([...plain.flows]);
  });

  it('a truncated gzip blob: FLOW_LOG_MALFORMED naming the file and the JSON read so far', async () => {
    const gz = zlib.gzipSync(blob(0, 2000));
    write('cut.json.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const r = await readFlowLogs(['cut.json.gz'], { cwd: dir });
    expect(codes(r)).toEqual(['FLOW_LOG_MALFORMED']);
    expect(r.diagnostics[0]!.file).toBe('cut.json.gz');
    expect(r.diagnostics[0]!.message).toMatch(
      /^the gzip stream is corrupt or truncated \(.*\) after \d+ bytes of JSON \(line 1, column \d+\)/,
    );
    expect(r.diagnostics[0]!.path).toMatch(/^\$\.records\[0\]\.flowRecords/);
  });

  it('a corrupt gzip blob', async () => {
    const gz = zlib.gzipSync(blob(0, 10));
    gz[20] = gz[20]! ^ 0xff;
    gz[21] = gz[21]! ^ 0xff;
    write('bad.gz', gz);
    const r = await readFlowLogs(['bad.gz'], { cwd: dir });
    expect(codes(r)).toEqual(['FLOW_LOG_MALFORMED']);
    expect(r.diagnostics[0]!.message).toContain('the gzip stream is corrupt or truncated');
  });

  it('missing paths, empty directories, no paths', async () => {
    fs.mkdirSync(path.join(dir, 'empty'));
    const r = await readFlowLogs(['nope.json', 'empty'], { cwd: dir });
    expect(r.diagnostics.map((d) => `${d.code} ${d.file} ${d.message}`)).toEqual([
      'FILE_UNREADABLE nope.json cannot read file: no such file or directory (ENOENT)',
      'EMPTY_INPUT empty the directory holds no flow-log file (.json, .jsonl, .ndjson, .gz)',
    ]);
    expect(codes(await readFlowLogs([], { cwd: dir }))).toEqual(['EMPTY_INPUT']);
  });

  it('a file named twice (directly and through its directory, or through a link) is read once', () => {
    write('d/a.json', blob(0, 1));
    write('d/b.jsonl', blob(1, 1));
    write('d/c.ndjson.gz', zlib.gzipSync(blob(2, 1)));
    fs.symlinkSync(path.join(dir, 'd'), path.join(dir, 'link'));
    const { files, diagnostics } = listFlowLogFiles(['d/a.json', 'd', 'link'], dir);
    expect(diagnostics).toEqual([]);
    expect(files.map((f) => f.file)).toEqual([
      'd/a.json',
      path.join('d', 'b.jsonl'),
      path.join('d', 'c.ndjson.gz'),
    ]);
  });

  it('a file named explicitly is read whatever its extension', async () => {
    write('export.txt', blob(0, 3));
    expect((await readFlowLogs(['export.txt'], { cwd: dir })).stats.totals.aggregated).toBe(3);
  });
});
