/**
 * Every bundled sample imports with no warning (but hub-spoke's deliberate RESERVED_NAME) and summarizes to its golden, so samples cannot rot.
 * The hub-spoke sample must also match its builder-made twin (test/support/sample-snapshots.ts),
 * which the graph and summary unit tests use.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSnapshotFile } from '../../src/collect/io/files';
import { buildTopology } from '../../src/graph/build';
import { renderSummary } from '../../src/render/summary';
import { runCapture } from '../support/cli';
import { expectGolden } from '../support/golden';
import { hubSpokeSnapshot } from '../support/sample-snapshots';
import { estateCounts, PRESETS, writeEstate } from '../support/synthetic-estate';

const REPO = path.join(__dirname, '..', '..');
const SAMPLES = path.join(REPO, 'samples');
const sampleNames = fs
  .readdirSync(SAMPLES, { withFileTypes: true })
  // Estates are the folders of resource files; flow-log folders (hub-spoke-flow-logs) are not.
  .filter((e) => e.isDirectory() && fs.existsSync(path.join(SAMPLES, e.name, 'virtual-networks.json')))
  .map((e) => e.name)
  .sort();

const run = (argv: string[]) => runCapture(argv, REPO);

/** Every plain environment variable value in a sample's container groups (they must not reach a snapshot). */
function environmentValues(dir: string): string[] {
  const file = path.join(dir, 'container-groups.json');
  const page = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    value: { properties: { containers: { properties: { environmentVariables: { value?: string }[] } }[] } }[];
  };
  return page.value.flatMap((g) =>
    g.properties.containers.flatMap((c) =>
      c.properties.environmentVariables.map((e) => e.value).filter((v): v is string => v !== undefined),
    ),
  );
}

describe('bundled samples', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-samples-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('has the two documented samples', () => {
    expect(sampleNames).toEqual(['hub-spoke', 'segmented']);
  });

  it.each(sampleNames)('%s imports without warnings and summarizes to its golden', async (name) => {
    const out = path.join(tmp, `${name}.snapshot.json`);
    const imported = await run(['import', `samples/${name}`, '-o', out]);
    // The only warning is on purpose: hub-spoke has a container group named `internet`.
    const expected = name === 'hub-spoke' ? ['RESERVED_NAME'] : [];
    expect(imported.stderr).not.toMatch(/^error:/m);
    expect(imported.stderr.split('\n').filter((l) => l.startsWith('warning:')).length).toBe(expected.length);
    expect(imported.code).toBe(0);

    const snapshot = readSnapshotFile(out);
    expect(snapshot.diagnostics.map((d) => d.code)).toEqual(expected);
    expect(snapshot.skippedResourceTypes).toEqual([]);

    // No environment variable value, plain or secure, reaches the snapshot.
    const text = fs.readFileSync(out, 'utf8');
    for (const value of environmentValues(path.join(SAMPLES, name)))
      expect(text).not.toContain(JSON.stringify(value));
    expect(text).not.toContain('shop.worker');

    const summary = await run(['summary', out]);
    expect(summary.code).toBe(0);
    expect(summary.stderr).toBe('');
    expectGolden(`samples/${name}.summary.txt`, summary.stdout);
    const json = await run(['summary', out, '--format', 'json']);
    expect(json.code).toBe(0);
    expectGolden(`samples/${name}.summary.json`, json.stdout);
  });

  it('hub-spoke imports to the estate its builder-made twin describes', async () => {
    const out = path.join(tmp, 'twin.snapshot.json');
    expect((await run(['import', 'samples/hub-spoke', '-o', out])).code).toBe(0);
    const imported = readSnapshotFile(out);
    const twin = hubSpokeSnapshot();
    expect(renderSummary(imported, buildTopology(imported))).toBe(renderSummary(twin, buildTopology(twin)));
  });

  it('a small synthetic estate imports without warnings, with the counts the generator promises', async () => {
    const dir = path.join(tmp, 'synthetic');
    writeEstate(dir, PRESETS.small);
    const out = path.join(tmp, 'synthetic.snapshot.json');
    const imported = await run(['import', dir, '-o', out]);
    expect(imported.stderr).not.toMatch(/^(warning|error):/m);
    expect(imported.code).toBe(0);
    const snapshot = readSnapshotFile(out);
    const counts = estateCounts(PRESETS.small);
    expect({
      virtualNetworks: snapshot.virtualNetworks.length,
      subnets: snapshot.subnets.length,
      networkSecurityGroups: snapshot.networkSecurityGroups.length,
      customRules: snapshot.networkSecurityGroups.reduce((n, g) => n + g.securityRules.length, 0),
      routeTables: snapshot.routeTables.length,
      peerings: snapshot.virtualNetworkPeerings.length,
      containerGroups: snapshot.containerGroups.length,
      publicContainerGroups: snapshot.containerGroups.filter((g) => g.ipAddress?.type === 'Public').length,
    }).toEqual(counts);
    expect(buildTopology(snapshot).diagnostics).toEqual([]);
  });
});
