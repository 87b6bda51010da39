import * as path from 'node:path';
import { importPaths } from '../../../src/collect/files';
import { snapshotToString } from '../../../src/model/snapshot-codec';
import { snapshotOf } from './helpers';

/**
 * One small estate (a VNet with two subnets and a peering, an NSG with plural fields and default
 * rules, a route table, a private and a public container group with environment variables) written
 * four ways: ARM REST GET bodies and a list page, az CLI output (flattened, `resourceGroup`
 * everywhere, nulls for unused values), `az graph query` output (nested, lower-cased types, extra
 * columns, no default rules), and SDK objects (flattened, no `resourceGroup`).
 */
const dir = path.join(__dirname, '../../fixtures/import/shapes');
const shapes = ['rest', 'cli', 'arg', 'sdk'] as const;

describe('the same estate in every input shape', () => {
  const texts = Object.fromEntries(
    shapes.map((shape) => {
      const outcome = importPaths([shape], dir);
      // Where each resource was read differs by shape (file, JSON path); everything else must not.
      return [shape, { outcome, text: snapshotToString({ ...snapshotOf(outcome), origins: [] }) }];
    }),
  ) as Record<(typeof shapes)[number], { outcome: ReturnType<typeof importPaths>; text: string }>;

  it.each(shapes.filter((s) => s !== 'rest'))('%s shape imports byte-identical to REST', (shape) => {
    expect(texts[shape].text).toBe(texts.rest.text);
  });

  it.each(shapes)('%s shape imports without any diagnostic', (shape) => {
    expect(texts[shape].outcome.diagnostics).toEqual([]);
  });

  it('holds the whole estate', () => {
    const s = snapshotOf(texts.rest.outcome);
    expect(s.virtualNetworks.map((v) => v.name)).toEqual(['vnet-app']);
    expect(s.subnets.map((x) => [x.name, x.addressPrefixes])).toEqual([
      ['snet-aci', ['10.20.1.0/24']],
      ['snet-pe', ['10.20.2.0/24']],
    ]);
    expect(
      s.virtualNetworkPeerings.map((p) => [p.name, p.remoteAddressPrefixes, p.allowForwardedTraffic]),
    ).toEqual([['to-hub', ['10.0.0.0/16'], true]]);
    const nsg = s.networkSecurityGroups[0];
    expect(
      nsg?.securityRules.map((r) => [
        r.name,
        r.direction,
        r.priority,
        r.destinationAddressPrefixes,
        r.destinationPortRanges,
      ]),
    ).toEqual([
      ['allow-web', 'Inbound', 200, ['10.20.1.4/32', '10.20.1.5/32'], ['80', '8000-8010']],
      ['allow-lb', 'Inbound', 300, ['*'], ['*']],
      ['deny-vnet', 'Inbound', 4000, ['*'], ['*']],
      ['allow-sql', 'Outbound', 210, ['10.30.1.4/32', '10.30.1.5/32'], ['1433', '11000-11999']],
    ]);
    expect(nsg?.defaultSecurityRules).toHaveLength(6);
    expect(s.routeTables[0]?.routes.map((r) => r.name)).toEqual(['default-to-fw', 'storage-direct']);
    expect(
      s.containerGroups.map((g) => [
        g.name,
        g.ipAddress?.type,
        g.subnetIds.length,
        g.containers.flatMap((c) => c.environmentVariableNames),
      ]),
    ).toEqual([
      ['cg-private', 'Private', 1, ['DB_PASSWORD', 'MODE']],
      ['cg-public', 'Public', 0, ['API_KEY', 'API_MODE']],
    ]);
    expect(texts.rest.text).not.toContain('FAKE-');
  });
});

describe('origins', () => {
  it('records where each resource was read: the file as named and its JSON path (inline children too)', () => {
    const snapshot = snapshotOf(importPaths(['rest'], dir));
    const all = [
      ...snapshot.virtualNetworks,
      ...snapshot.subnets,
      ...snapshot.networkSecurityGroups,
      ...snapshot.containerGroups,
    ];
    expect(new Set(snapshot.origins.map((o) => o.id))).toEqual(
      new Set(
        [
          ...all,
          ...snapshot.virtualNetworkPeerings,
          ...snapshot.routeTables,
          ...snapshot.applicationSecurityGroups,
        ].map((r) => r.id),
      ),
    );
    expect(snapshot.origins.map((o) => o.id)).toEqual(snapshot.origins.map((o) => o.id).sort());
    for (const o of snapshot.origins) {
      expect(o.file.startsWith('rest/')).toBe(true);
      expect(o.path).toMatch(/^\$(\.value)?\[\d+\]|^\$/);
    }
    const subnet = snapshot.origins.find((o) => o.id === snapshot.subnets[0]!.id)!;
    expect(subnet.path).toMatch(/\.properties\.subnets\[\d+\]$/);
  });
});
