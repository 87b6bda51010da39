/**
 * Collection of real REST API examples (../shared/external/Azure-azure-rest-api-specs, read in place):
 * the fake serves their response bodies, one item a page, and both engines' snapshots equal
 * `aciseg import` of the same JSON. Skipped with a note when ../shared is absent.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Json } from '../../support/fake-arm';
import { body, importAsFile, sharedExternal, startHarness, type Harness } from './helpers';

const external = sharedExternal();
const specs = external === null ? null : path.join(external, 'Azure-azure-rest-api-specs/specification');
if (specs === null) {
  console.warn(
    'collect REST-example tests skipped: ../shared/external is absent (shared reference data, not in the repository)',
  );
}
const describeShared = specs === null ? describe.skip : describe;

const SUB_NET = '00000000-0000-0000-0000-0000000000e1';
const SUB_ACI = '00000000-0000-0000-0000-0000000000e2';

const EXAMPLES: Record<string, string> = {
  'network/resource-manager/Microsoft.Network/Network/stable/2026-01-01/examples/VirtualNetworkList.json':
    SUB_NET,
  'network/resource-manager/Microsoft.Network/Network/stable/2026-01-01/examples/VirtualNetworkGetWithSubnetDelegation.json':
    SUB_NET,
  'network/resource-manager/Microsoft.Network/Network/stable/2026-01-01/examples/NetworkSecurityGroupGet.json':
    SUB_NET,
  'network/resource-manager/Microsoft.Network/Network/stable/2026-01-01/examples/RouteTableGet.json': SUB_NET,
  'network/resource-manager/Microsoft.Network/Network/stable/2025-05-01/examples/ApplicationSecurityGroupGet.json':
    SUB_NET,
  'containerinstance/resource-manager/Microsoft.ContainerInstance/ContainerInstance/examples/2025-09-01/ContainerGroupsList.json':
    SUB_ACI,
  'containerinstance/resource-manager/Microsoft.ContainerInstance/ContainerInstance/examples/2025-09-01/ContainerGroupExtensions.json':
    SUB_ACI,
};

/** The example's 200 body as resources, moved into one test subscription (IDs and references alike). */
function exampleResources(file: string, subscription: string): Json[] {
  const example = JSON.parse(fs.readFileSync(path.join(specs as string, file), 'utf8')) as Json;
  const responses = example['responses'] as Record<string, { body?: Json }>;
  const b = (responses['200'] ?? responses['201'])?.body as Json;
  const items = Array.isArray(b['value']) ? (b['value'] as Json[]) : [b];
  return JSON.parse(
    JSON.stringify(items).replace(/\/subscriptions\/[^/"]+\//gi, `/subscriptions/${subscription}/`),
  );
}

describeShared('collect of REST API examples', () => {
  let h: Harness;
  let resources: Json[];
  beforeAll(async () => {
    resources = Object.entries(EXAMPLES).flatMap(([file, sub]) => exampleResources(file, sub));
    h = await startHarness(resources, { pageSize: 1, graphPageSize: 2 });
  });
  afterAll(async () => h?.close());

  test.each(['arm', 'resource-graph'])('the %s engine equals import of the same JSON', async (engine) => {
    const out = `${engine}.json`;
    const run = await h.collect([
      '--subscription',
      SUB_NET,
      '--subscription',
      SUB_ACI,
      '--engine',
      engine,
      '-o',
      out,
    ]);
    expect(run.code).toBe(0);
    const collected = fs.readFileSync(path.join(h.dir, out), 'utf8');
    const snapshot = JSON.parse(collected);
    expect(snapshot.virtualNetworks.map((v: { name: string }) => v.name)).toEqual([
      'test-vnet',
      'vnet1',
      'vnet2',
    ]);
    expect(snapshot.networkSecurityGroups[0].securityRules).toHaveLength(1);
    expect(snapshot.containerGroups.map((c: { name: string }) => c.name)).toEqual(['demo1', 'demo1']);
    const imported = await importAsFile(h.dir, resources, `examples-${engine}.json`);
    expect(snapshot.diagnostics).toEqual([]);
    expect(body(collected)).toBe(body(imported));
  });
});
