import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSnapshotFile } from '../../../src/collect/io/files';
import { buildTopology } from '../../../src/graph/build';
import { renderSummary, type SummaryData } from '../../../src/render/summary';
import { armId, makeSnapshot, makeSubnet, makeVnet } from '../../support/builders';
import { runCapture } from '../../support/cli';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';

const run = runCapture;

describe('aciseg summary', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-summary-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the text summary of a snapshot file (path relative to the working directory)', async () => {
    const snapshot = hubSpokeSnapshot();
    await writeSnapshotFile(path.join(dir, 'hub.snapshot.json'), snapshot, { force: false });
    const result = await run(['summary', 'hub.snapshot.json'], dir);
    expect(result).toEqual({ code: 0, stdout: renderSummary(snapshot, buildTopology(snapshot)), stderr: '' });
  });

  it('prints JSON with --format json', async () => {
    await writeSnapshotFile(path.join(dir, 's.json'), hubSpokeSnapshot(), { force: false });
    const result = await run(['summary', 's.json', '--format', 'json'], dir);
    expect(result.code).toBe(0);
    const data = JSON.parse(result.stdout) as SummaryData;
    expect(data.counts.containerGroups).toBe(6);
    expect(data.internetFacing.map((g) => g.name)).toEqual(['status-page']);
  });

  it('warns on stderr about missing references, naming the snapshot file and JSON path, and still exits 0', async () => {
    const vnet = makeVnet({ name: 'v' });
    const subnet = makeSubnet(vnet, {
      name: 's',
      addressPrefixes: ['10.0.1.0/24'],
      nsg: armId('Microsoft.Network/networkSecurityGroups', 'gone'),
    });
    await writeSnapshotFile(
      path.join(dir, 'partial.json'),
      makeSnapshot({ virtualNetworks: [vnet], subnets: [subnet] }),
      {
        force: false,
      },
    );
    const result = await run(['summary', 'partial.json'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^warning: partial\.json: \$\.subnets\[0\]\.networkSecurityGroupId: subnet v\/s refers to network security group .*gone.* \[DANGLING_REFERENCE\]\n$/,
    );
    expect(result.stdout).toContain('NSG gone (missing)');
  });

  it('rejects an unknown format with exit code 2', async () => {
    await writeSnapshotFile(path.join(dir, 's.json'), makeSnapshot(), { force: false });
    const result = await run(['summary', 's.json', '--format', 'yaml'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'yaml' is invalid");
    expect(result.stdout).toBe('');
  });

  it('fails with exit code 2 naming the file when it is missing', async () => {
    const result = await run(['summary', 'nope.json'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nope.json');
    expect(result.stderr).toContain('FILE_UNREADABLE');
    expect(result.stdout).toBe('');
  });

  it('fails with exit code 2 and a JSON path when the file is not a valid snapshot', async () => {
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ ...makeSnapshot(), subnets: [{ id: 1 }] }));
    const result = await run(['summary', 'bad.json'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.json: $.subnets[0]');
    expect(result.stdout).toBe('');
  });

  it('requires the snapshot argument', async () => {
    const result = await run(['summary'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("missing required argument 'snapshot'");
  });
});
