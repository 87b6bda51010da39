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
    const vnetPages = h.fake.requestsTo(
      `/subscriptions/${SUB_A}/providers/Microsoft.Network/virtualNetworks`,
    );
    expect(vnetPages.map((r) => new URL(r.url, 'https://x').searchParams.get('$skiptoken'))).toEqual([
      null,
      '0',
    ]);
    const cgPages = h.fake.requestsTo(
      `/subscriptions/${SUB_A}/providers/Microsoft.ContainerInstance/containerGroups`,
    );
    expect(cgPages).toHaveLength(2);

    const imported = await importAsFile(h.dir, normalizedInputs(estate));
    expect(body(text)).toBe(body(imported));
    expect({ ...header(text), source: null }).toEqual({ ...header(imported), source: null });
  });

  test('a 429 with Retry-After is waited out and a 500 retried, by the SDK retry policy; progress says so', async () => {
    const vnets = `/subscriptions/${SUB_A}/providers/Microsoft.Network/virtualNetworks`;
    const nsgs = `/subscriptions/${SUB_B}/providers/Microsoft.Network/networkSecurityGroups`;
    h.fake.faults.push(
      {
        match: pathContains(vnets),
        times: 1,
        status: 429,
        headers: { 'retry-after': '1' },
        body: { error: { code: 'TooManyRequests' } },
      },
      { match: pathContains(nsgs), times: 1, status: 500, body: { error: { code: 'InternalServerError' } } },
    );
    const started = Date.now();
    const run = await h.collect([...subs, '--engine', 'arm', '--progress', '-o', 'retried.json']);
    expect(run.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(h.fake.requestsTo(vnets).length).toBe(3); // 429, then the empty page and the page of two
    expect(h.fake.requestsTo(nsgs).length).toBe(3); // 500, then two pages
    expect(run.stderr).toMatch(
      /throttled \(HTTP 429\) on https:\/\/127\.0\.0\.1:\d+\/subscriptions\/[^ ]+\/virtualNetworks: waiting 1 s/,
    );
    expect(run.stderr).toContain('HTTP 500 on');
    expect(run.stderr).toContain(`${SUB_A}: 2 virtual networks (2 pages)`);
    const snapshot = JSON.parse(fs.readFileSync(path.join(h.dir, 'retried.json'), 'utf8'));
    expect(snapshot.networkSecurityGroups).toHaveLength(2);
  });

  test('a 5xx that outlasts the retries is exit 3 and writes nothing', async () => {
    h.fake.faults.push({
      match: pathContains('/networkSecurityGroups'),
      times: Infinity,
      status: 503,
      body: { error: { code: 'ServiceUnavailable', message: 'down' } },
    });
    const before = filesIn(h.dir);
    const run = await h.collect([...subs, '--engine', 'arm', '--max-retries', '1', '-o', 'failed.json']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('an Azure request failed with HTTP 503 (ServiceUnavailable) after retries');
    expect(filesIn(h.dir)).toEqual(before);
  });

  test('403 on one of two subscriptions: a warning naming it, the other collected, exit 0; --strict exits 3', async () => {
    const refuse = () => ({
      match: pathContains(`/subscriptions/${SUB_B}/`),
      times: Infinity,
      status: 403,
      body: { error: { code: 'AuthorizationFailed', message: 'The client does not have authorization' } },
    });
    h.fake.faults.push(refuse());
    const run = await h.collect([...subs, '--engine', 'arm', '-o', 'partial.json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `warning: /subscriptions/${SUB_B}: subscription ${SUB_B} was not collected: Azure answered HTTP 403 (AuthorizationFailed)`,
    );
    expect(run.stderr).toContain('[SUBSCRIPTION_UNREADABLE]');
    const snapshot = JSON.parse(fs.readFileSync(path.join(h.dir, 'partial.json'), 'utf8'));
    const ids: string[] = [
      ...snapshot.virtualNetworks,
      ...snapshot.networkSecurityGroups,
      ...snapshot.containerGroups,
    ].map((r: { id: string }) => r.id);
    expect(ids.some((id) => id.includes(SUB_B))).toBe(false);
    expect(ids.filter((id) => id.includes(SUB_A))).toHaveLength(5);
    expect(snapshot.diagnostics.map((d: { code: string }) => d.code)).toEqual(['SUBSCRIPTION_UNREADABLE']);

    h.fake.faults.length = 0;
    h.fake.faults.push(refuse());
    const quiet = await h.collect([...subs, '--engine', 'arm', '-q', '-o', 'partial-quiet.json']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain('warning:');
    expect(fs.readFileSync(path.join(h.dir, 'partial-quiet.json'), 'utf8')).toContain(
      'SUBSCRIPTION_UNREADABLE',
    );

    h.fake.faults.length = 0;
    h.fake.faults.push(refuse());
    const before = filesIn(h.dir);
    const strict = await h.collect([...subs, '--engine', 'arm', '--strict', '-o', 'strict.json']);
    expect(strict.code).toBe(3);
    expect(strict.stderr).toContain(
      `--strict: Azure refused a subscription (${SUB_B}: Azure answered HTTP 403 (AuthorizationFailed))`,
    );
    expect(filesIn(h.dir)).toEqual(before);
  });

  test('a rejected token (401) is exit 3 with what to do, and nothing is written', async () => {
    const before = filesIn(h.dir);
    const run = await h.collect([...subs, '-o', 'denied.json'], {
      ACISEG_ACCESS_TOKEN: 'FAKE-EXPIRED-TOKEN-0001',
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Azure rejected the access token (HTTP 401 from https://127.0.0.1:');
    expect(run.stderr).toContain('InvalidAuthenticationToken');
    expect(run.stderr).toContain('The token in ACISEG_ACCESS_TOKEN is expired');
    expect(run.stderr).toContain('az account get-access-token --resource https://127.0.0.1:');
    expect(run.stderr).not.toContain('FAKE-EXPIRED-TOKEN-0001');
    expect(filesIn(h.dir)).toEqual(before);
  });

  test('--resource-group lists per resource group and keeps only those groups', async () => {
    const run = await h.collect([
      '--subscription',
      SUB_A,
      '--resource-group',
      'rg-net',
      '--resource-group',
      'rg-Avnm',
      '-o',
      'rg.json',
    ]);
    expect(run.code).toBe(0);
    expect(
      h.fake
        .requestsTo(`/subscriptions/${SUB_A}/`)
        .filter((r) => r.url.includes('/virtualNetworks'))
        .map((r) => r.url.split('?')[0]),
    ).toEqual([
      `/subscriptions/${SUB_A}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks`,
      `/subscriptions/${SUB_A}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks`,
      `/subscriptions/${SUB_A}/resourceGroups/rg-Avnm/providers/Microsoft.Network/virtualNetworks`,
    ]);
    const snapshot = JSON.parse(fs.readFileSync(path.join(h.dir, 'rg.json'), 'utf8'));
    expect(snapshot.virtualNetworks.map((v: { name: string }) => v.name)).toEqual(['vnet-app']);
    expect(snapshot.containerGroups).toEqual([]);
    expect(snapshot.securityAdminRules).toHaveLength(1);
  });

  test('no token, secret value or password reaches the snapshot or the --verbose log', async () => {
    const run = await h.collect([...subs, '--engine', 'arm', '--verbose', '-o', 'secrets.json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /GET https:\/\/127\.0\.0\.1:\d+\/subscriptions\/[^ ]+\/virtualNetworks → HTTP 200 \(\d+ ms\)/,
    );
    const text = fs.readFileSync(path.join(h.dir, 'secrets.json'), 'utf8');
    for (const out of [text, run.stderr, run.stdout]) {
      expect(out).not.toContain(TOKEN);
      expect(out).not.toMatch(/FAKE-COLLECT-[A-Z-]+/);
      expect(out).not.toMatch(/Bearer/i);
    }
    expect(text).toContain('"environmentVariableNames":["DB_PASSWORD","PLAIN"]');
    // The fake saw the token: the test would pass vacuously otherwise.
    expect(h.fake.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(JSON.stringify(h.fake.requests)).toContain(TOKEN);
  });

  test('an existing output without --force is exit 2 before any request', async () => {
    fs.writeFileSync(path.join(h.dir, 'exists.json'), 'keep me');
    const run = await h.collect([...subs, '-o', 'exists.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('output file exists.json already exists (use --force to replace it)');
    expect(h.fake.requests).toEqual([]);
    expect(fs.readFileSync(path.join(h.dir, 'exists.json'), 'utf8')).toBe('keep me');
    expect((await h.collect([...subs, '--force', '-o', 'exists.json'])).code).toBe(0);
    expect(fs.readFileSync(path.join(h.dir, 'exists.json'), 'utf8')).toContain('"kind":"collect"');
  });

  test('bad flags are usage errors (exit 2) before any request', async () => {
    for (const args of [
      ['--subscription', 'not-a-guid', '-o', 'x.json'],
      ['--resource-group', "rg') | union (resources", '-o', 'x.json'],
      ['--engine', 'fast', '-o', 'x.json'],
      ['--cloud', 'Mars', '-o', 'x.json'],
    ]) {
      const run = await h.collect(args);
      expect(run.code).toBe(2);
    }
    const plain = await h.collect(['--arm-endpoint', 'http://127.0.0.1:1', '-o', 'x.json']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('must be an https:// URL');
    expect(h.fake.requests).toEqual([]);
  });
});
