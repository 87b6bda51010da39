/** `aciseg collect --engine arm` against the fake ARM: paging, retries, refusals, auth, equality with import. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathContains } from '../../support/fake-arm';
import {
  body,
  filesIn,
  fixtureEstate,
  header,
  importAsFile,
  normalizedInputs,
  startHarness,
  SUB_A,
  SUB_B,
  TOKEN,
  type Harness,
} from './helpers';

const estate = fixtureEstate();
const subs = ['--subscription', SUB_A, '--subscription', SUB_B];

describe('collect --engine arm', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(estate, { pageSize: 2, emptyFirstPage: true });
  });
  afterAll(async () => h.close());
  beforeEach(() => {
    h.fake.requests.length = 0;
    h.fake.faults.length = 0;
  });

  test('drains every page (an empty first page, then nextLink pages) and equals import of the same JSON', async () => {
    const run = await h.collect([...subs, '--engine', 'arm', '-o', 'arm.json']);
    expect(run.stderr).toContain('wrote arm.json');
    expect(run.code).toBe(0);
    const text = fs.readFileSync(path.join(h.dir, 'arm.json'), 'utf8');
    const snapshot = JSON.parse(text);
    expect(snapshot.source.kind).toBe('collect');
    expect(Date.parse(snapshot.source.collectedAt)).not.toBeNaN();
    expect(snapshot.virtualNetworks).toHaveLength(3);
    expect(snapshot.networkSecurityGroups).toHaveLength(2);
    expect(snapshot.containerGroups).toHaveLength(3);
    expect(snapshot.securityAdminRules).toHaveLength(1);
    expect(snapshot.networkGroups[0].staticMemberIds).toHaveLength(1);
    expect(snapshot.diagnostics).toEqual([]);
    // Sub A has two VNets: an empty page, then one page of two.
    const vnetPages = h.fake.requestsTo(`/subscriptions/${SUB_A}/providers/Microsoft.Network/virtualNetworks`);
    expect(vnetPages.map((r) => new URL(r.url, 'https://x').searchParams.get('$skiptoken'))).toEqual([null, '0']);
    const cgPages = h.fake.requestsTo(`/subscriptions/${SUB_A}/providers/Microsoft.ContainerInstance/containerGroups`);
    expect(cgPages).toHaveLength(2);

    const imported = await importAsFile(h.dir, normalizedInputs(estate));
    expect(body(text)).toBe(body(imported));
    expect({ ...header(text), source: null }).toEqual({ ...header(imported), source: null });
  });
});
