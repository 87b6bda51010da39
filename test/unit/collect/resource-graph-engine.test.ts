/** `aciseg collect --engine resource-graph`: $skipToken pages, batches, refusals, and the same snapshot as ARM. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { graphQuery, SUBSCRIPTIONS_PER_QUERY, VISIBLE_SUBSCRIPTIONS } from '../../../src/collect/azure';
import type { Json } from '../../support/fake-arm';
import { body, fixtureEstate, header, startHarness, SUB_A, SUB_B, type Harness } from './helpers';

const estate = fixtureEstate();
const subs = ['--subscription', SUB_A, '--subscription', SUB_B];
const GRAPH = '/providers/Microsoft.ResourceGraph/resources';

/** The bodies of the resource queries sent (`all`: also the subscription-visibility queries). */
function graphBodies(h: Harness, all = false): Json[] {
  return h.fake
    .requestsTo(GRAPH)
    .map((r) => r.body as Json)
    .filter((b) => all || String(b['query']).startsWith('resources '));
}

describe('collect --engine resource-graph', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(estate, { pageSize: 2, graphPageSize: 3 });
  });
  afterAll(async () => h.close());
  beforeEach(() => {
    h.fake.requests.length = 0;
    h.fake.faults.length = 0;
  });

  test('follows $skipToken to the last page and yields the same snapshot as the ARM engine', async () => {
    const graph = await h.collect([...subs, '--engine', 'resource-graph', '-o', 'graph.json']);
    expect(graph.stderr).toContain('resource-graph engine');
    expect(graph.code).toBe(0);
    const pages = graphBodies(h);
    // 11 rows of the queried types (network manager included) in pages of 3.
    expect(pages.map((b) => (b['options'] as Json)['$skipToken'] ?? null)).toEqual([null, '3', '6', '9']);
    expect(pages.every((b) => JSON.stringify(b['subscriptions']) === JSON.stringify([SUB_A, SUB_B]))).toBe(
      true,
    );
    expect((pages[0]?.['options'] as Json)['$top']).toBe(1000);
    // Network manager children come from ARM.
    expect(
      h.fake.requestsTo('/networkManagers/nm1/securityAdminConfigurations/cfg1/ruleCollections').length,
    ).toBe(2);

    const arm = await h.collect([...subs, '--engine', 'arm', '-o', 'arm.json']);
    expect(arm.code).toBe(0);
    const g = fs.readFileSync(path.join(h.dir, 'graph.json'), 'utf8');
    const a = fs.readFileSync(path.join(h.dir, 'arm.json'), 'utf8');
    expect(body(g)).toBe(body(a));
    expect(header(g)['source']).toMatchObject({ kind: 'collect' });
    expect(JSON.parse(g).containerGroups).toHaveLength(3);
  });

  test('429 then success, and 500 then success, on a Resource Graph page', async () => {
    h.fake.faults.push({
      match: (m, p) =>
        m === 'POST' && p.toLowerCase().includes('resourcegraph') && graphBodies(h).length === 2,
      times: 1,
      status: 429,
      headers: { 'retry-after': '1', 'x-ms-user-quota-remaining': '0' },
      body: { error: { code: 'RateLimiting' } },
    });
    h.fake.faults.push({
      match: (m, p) =>
        m === 'POST' && p.toLowerCase().includes('resourcegraph') && graphBodies(h).length === 4,
      times: 1,
      status: 500,
      body: { error: { code: 'InternalServerError' } },
    });
    const run = await h.collect([
      ...subs,
      '--engine',
      'resource-graph',
      '--verbose',
      '-o',
      'graph-retried.json',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /POST \S+\/providers\/Microsoft\.ResourceGraph\/resources → HTTP 429 \(\d+ ms\) \[retry after 1 s; user-quota-remaining=0\]/,
    );
    const tokens = graphBodies(h).map((b) => (b['options'] as Json)['$skipToken'] ?? null);
    expect(tokens).toEqual([null, '3', '3', '6', '6', '9']);
    expect(
      JSON.parse(fs.readFileSync(path.join(h.dir, 'graph-retried.json'), 'utf8')).virtualNetworks,
    ).toHaveLength(3);
  });

  test('a batch refused with 403 is split until the refused subscription is found; the other is collected', async () => {
    h.fake.faults.push({
      match: (m, p, b) =>
        m === 'POST' &&
        p.toLowerCase().includes('resourcegraph') &&
        JSON.stringify(b?.['subscriptions']).includes(SUB_B),
      times: Infinity,
      status: 403,
      body: { error: { code: 'AuthorizationFailed', message: 'no access' } },
    });
    const run = await h.collect([
      ...subs,
      '--engine',
      'resource-graph',
      '--progress',
      '-o',
      'graph-partial.json',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'Resource Graph refused a batch of 2 subscriptions (HTTP 403); splitting it to find which',
    );
    expect(run.stderr).toContain(`warning: /subscriptions/${SUB_B}: subscription ${SUB_B} was not collected`);
    expect(graphBodies(h, true).map((b) => b['subscriptions'])).toEqual([
      [SUB_A, SUB_B], // which are visible: refused
      [SUB_A], // visible
      [SUB_A], // sub A alone: 8 rows in 3 pages
      [SUB_A],
      [SUB_A],
      [SUB_B], // refused
    ]);
    const snapshot = JSON.parse(fs.readFileSync(path.join(h.dir, 'graph-partial.json'), 'utf8'));
    expect(snapshot.virtualNetworks.map((v: { name: string }) => v.name)).toEqual(['vnet-hub', 'vnet-app']);
  });

  test('a subscription Resource Graph silently leaves out is named, not taken for an empty one', async () => {
    h.fake.invisible.add(SUB_B);
    try {
      const run = await h.collect([...subs, '--engine', 'resource-graph', '-o', 'graph-invisible.json']);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(
        `warning: /subscriptions/${SUB_B}: subscription ${SUB_B} was not collected: Resource Graph does not show it (no read access to it, or no such subscription)`,
      );
      const snapshot = JSON.parse(fs.readFileSync(path.join(h.dir, 'graph-invisible.json'), 'utf8'));
      expect(snapshot.networkSecurityGroups.map((n: { name: string }) => n.name)).toEqual(['nsg-aci']);
      expect(graphBodies(h, true)[0]?.['query']).toBe(VISIBLE_SUBSCRIPTIONS);
    } finally {
      h.fake.invisible.clear();
    }
  });

  test('a rejected token (401) is exit 3 with the message, and nothing is written', async () => {
    const run = await h.collect([...subs, '--engine', 'resource-graph', '-o', 'graph-denied.json'], {
      ACISEG_ACCESS_TOKEN: 'FAKE-EXPIRED-TOKEN-0002',
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Azure rejected the access token (HTTP 401');
    expect(run.stderr).toContain('ACISEG_ACCESS_TOKEN');
    expect(fs.existsSync(path.join(h.dir, 'graph-denied.json'))).toBe(false);
    expect(graphBodies(h, true)).toHaveLength(1);
  });

  test('subscriptions are sent at most 1,000 per query', async () => {
    const many = Array.from(
      { length: 1001 },
      (_, i) => `00000000-0000-0000-0001-${i.toString(16).padStart(12, '0')}`,
    );
    const run = await h.collect([...many.flatMap((s) => ['--subscription', s]), '-o', 'many.json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('1001 subscriptions, resource-graph engine');
    expect(graphBodies(h).map((b) => (b['subscriptions'] as string[]).length)).toEqual([
      SUBSCRIPTIONS_PER_QUERY,
      1,
    ]);
  });

  test('without --subscription every readable subscription is listed, and above 10 Resource Graph is chosen', async () => {
    const many = Array.from({ length: 11 }, (_, i) =>
      i === 0 ? SUB_A : `00000000-0000-0000-0002-${String(i).padStart(12, '0')}`,
    );
    h.fake.setSubscriptions(many);
    try {
      const run = await h.collect(['--progress', '-o', 'auto.json']);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('found 11 readable subscriptions');
      expect(run.stderr).toContain('collecting 11 subscriptions with the resource-graph engine');
      const two = await h.collect(['--subscription', SUB_A, '--progress', '-o', 'auto-arm.json']);
      expect(two.stderr).toContain('collecting 1 subscription with the arm engine');
    } finally {
      h.fake.setSubscriptions(undefined);
    }
  });

  test('the query names the modelled types and quotes resource groups', () => {
    expect(graphQuery(['rg-a', 'rg.b(1)'])).toBe(
      "resources | where type in~ ('microsoft.network/virtualnetworks', 'microsoft.network/networksecuritygroups', " +
        "'microsoft.network/routetables', 'microsoft.network/applicationsecuritygroups', 'microsoft.network/networkprofiles', " +
        "'microsoft.containerinstance/containergroups', 'microsoft.network/networkmanagers') " +
        "| where resourceGroup in~ ('rg-a', 'rg.b(1)') " +
        '| project id, name, type, location, resourceGroup, subscriptionId, properties | order by id asc',
    );
  });
});
