/**
 * snapshotValueProblems accepts everything `import` writes and refuses, with a path, what it would
 * not write (the CLI side is test/unit/cli/hand-edited-snapshot.test.ts).
 */
import { snapshotValueProblems } from '../../../src/model/snapshot-values';
import type { Snapshot } from '../../../src/model/snapshot';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';
import { armId, importJson, snapshotOf } from '../import/helpers';

const collection = `${armId('Microsoft.Network/networkManagers', 'nm')}/securityAdminConfigurations/cfg/ruleCollections/coll`;
const adminRule = (name: string, priority: number, sources: unknown[]) => ({
  id: `${collection}/rules/${name}`,
  name,
  type: 'Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules',
  kind: 'Custom',
  properties: {
    protocol: 'Tcp',
    access: 'Deny',
    priority,
    direction: 'Inbound',
    sources,
    destinations: [],
    sourcePortRanges: [],
    destinationPortRanges: ['22'],
  },
});

function adminSnapshot(): Snapshot {
  return snapshotOf(
    importJson(
      { id: collection, name: 'coll', properties: { appliesToGroups: [] } },
      adminRule('a', 1, [{ addressPrefix: '*', addressPrefixType: 'IPPrefix' }]),
      adminRule('b', 2, [{ addressPrefix: 'Storage.WestEurope', addressPrefixType: 'ServiceTag' }]),
    ),
  );
}

describe('snapshot value checks', () => {
  it('accept what import writes (admin rules with * as an IPPrefix and a regional tag included)', () => {
    expect(snapshotValueProblems(hubSpokeSnapshot())).toEqual([]);
    expect(snapshotValueProblems(adminSnapshot())).toEqual([]);
  });

  it('refuse two admin rules of one collection with one priority in one direction, and a mistyped address', () => {
    const s = adminSnapshot();
    s.securityAdminRules[1]!.priority = 1;
    s.securityAdminRules[0]!.sources = [{ addressPrefix: 'Storage', addressPrefixType: 'IPPrefix' }];
    expect(snapshotValueProblems(s)).toEqual([
      {
        code: 'INVALID_PREFIX',
        message: '"Storage" is not an IP address or CIDR prefix',
        path: ['securityAdminRules', 0, 'sources', 0, 'addressPrefix'],
      },
      {
        code: 'DUPLICATE_PRIORITY',
        message: 'rules "a" and "b" both have Inbound priority 1',
        path: ['securityAdminRules', 1, 'priority'],
      },
    ]);
  });

  it('refuse a route prefix and a container group address import would not write', () => {
    const s = hubSpokeSnapshot();
    s.routeTables[0]!.routes[0]!.addressPrefix = '10.0.0.0/99';
    const group = s.containerGroups.find((g) => g.ipAddress?.ip)!;
    group.ipAddress!.ip = '010.0.0.1';
    expect(snapshotValueProblems(s).map((p) => [p.code, p.path.join('/')])).toEqual([
      ['INVALID_PREFIX', 'routeTables/0/routes/0/addressPrefix'],
      ['INVALID_PREFIX', `containerGroups/${s.containerGroups.indexOf(group)}/ipAddress/ip`],
    ]);
  });
});
