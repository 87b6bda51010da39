import { armId, codes, fatal, importJson, snapshotOf } from './helpers';

const manager = armId('Microsoft.Network/networkManagers', 'nm');
const group = `${manager}/networkGroups/Spokes`;
const config = `${manager}/securityAdminConfigurations/cfg`;
const collection = `${config}/ruleCollections/coll`;

const rule = (name: string, props: Record<string, unknown>, kind: string | undefined = 'Custom') => ({
  id: `${collection}/rules/${name}`,
  name,
  type: 'Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules',
  ...(kind === undefined ? {} : { kind }),
  properties: {
    protocol: 'Tcp',
    access: 'Deny',
    priority: 1,
    direction: 'Inbound',
    sources: [],
    destinations: [],
    sourcePortRanges: [],
    destinationPortRanges: ['22'],
    ...props,
  },
});

describe('Azure Virtual Network Manager', () => {
  it('reads network groups with static members, rule collections and custom admin rules', () => {
    const vnet = armId('Microsoft.Network/virtualNetworks', 'Spoke1');
    const s = snapshotOf(
      importJson(
        {
          id: group,
          name: 'Spokes',
          type: 'Microsoft.Network/networkManagers/networkGroups',
          properties: { memberType: 'VirtualNetwork' },
        },
        {
          id: `${group}/staticMembers/m1`,
          name: 'm1',
          type: 'Microsoft.Network/networkManagers/networkGroups/staticMembers',
          properties: { resourceId: vnet },
        },
        { id: collection, name: 'coll', properties: { appliesToGroups: [{ networkGroupId: group }] } },
        rule('deny-ssh', { sources: [{ addressPrefix: 'internet', addressPrefixType: 'ServiceTag' }] }),
        rule('allow-web', {
          protocol: 'Any',
          access: 'alwaysallow',
          priority: 2,
          sources: [{ addressPrefix: '10.0.0.5/24', addressPrefixType: 'IPPrefix' }],
          sourcePortRanges: ['0-65535'],
          destinationPortRanges: ['80', '443', '80'],
        }),
      ),
    );
    expect(s.networkGroups).toEqual([
      {
        id: group.toLowerCase(),
        name: 'Spokes',
        resourceGroup: 'rg-Test',
        subscriptionId: '00000000-0000-0000-0000-0000000000aa',
        staticMemberIds: [vnet.toLowerCase()],
      },
    ]);
    expect(s.securityAdminRuleCollections).toEqual([
      expect.objectContaining({
        id: collection.toLowerCase(),
        configurationId: config.toLowerCase(),
        appliesToGroupIds: [group.toLowerCase()],
      }),
    ]);
    expect(
      s.securityAdminRules.map((r) => [
        r.name,
        r.ruleCollectionId === collection.toLowerCase(),
        r.access,
        r.protocol,
        r.sources,
        r.destinations,
        r.sourcePortRanges,
        r.destinationPortRanges,
      ]),
    ).toEqual([
      [
        'allow-web',
        true,
        'AlwaysAllow',
        '*',
        [{ addressPrefix: '10.0.0.0/24', addressPrefixType: 'IPPrefix' }],
        [{ addressPrefix: '*', addressPrefixType: 'IPPrefix' }],
        ['*'],
        ['80', '443'],
      ],
      [
        'deny-ssh',
        true,
        'Deny',
        'Tcp',
        [{ addressPrefix: 'Internet', addressPrefixType: 'ServiceTag' }],
        [{ addressPrefix: '*', addressPrefixType: 'IPPrefix' }],
        ['*'],
        ['22'],
      ],
    ]);
  });

  it('skips Default (Microsoft-managed) admin rules with UNKNOWN_VALUE and treats a missing kind as Custom', () => {
    const r = importJson(rule('managed', {}, 'Default'), rule('nokind', { priority: 5 }, undefined));
    expect(snapshotOf(r).securityAdminRules.map((x) => x.name)).toEqual(['nokind']);
    expect(r.diagnostics.map((d) => [d.code, d.path])).toEqual([['UNKNOWN_VALUE', '$.kind']]);
  });

  it.each([
    [{ priority: 0 }, 'INVALID_PRIORITY'],
    [{ priority: 4097 }, 'INVALID_PRIORITY'],
    [{ access: 'Permit' }, 'INVALID_VALUE'],
    [{ sources: [{ addressPrefix: 'ng', addressPrefixType: 'NetworkGroup' }] }, 'INVALID_VALUE'],
    [{ sources: [{ addressPrefix: 'Internet', addressPrefixType: 'IPPrefix' }] }, 'INVALID_PREFIX'],
    [{ sources: [{ addressPrefix: '10.0.0.0/8', addressPrefixType: 'ServiceTag' }] }, 'INVALID_PREFIX'],
    [{ destinationPortRanges: ['90-80'] }, 'INVALID_PORT'],
  ])('rejects %j with %s', (props, code) => {
    expect(codes(fatal(importJson(rule('r', props))))).toEqual([code]);
  });

  it('rejects two admin rules of one collection at one priority in one direction', () => {
    const r = importJson(rule('a', {}), rule('b', { direction: 'Outbound' }), rule('c', {}));
    expect(fatal(r).map((d) => [d.code, d.file])).toEqual([['DUPLICATE_PRIORITY', 'f2.json']]);
  });

  it('creates the group of a static member whose group is missing, with a warning', () => {
    const r = importJson({
      id: `${group}/staticMembers/m1`,
      properties: { resourceId: armId('Microsoft.Network/virtualNetworks', 'x') },
    });
    expect(snapshotOf(r).networkGroups.map((g) => g.name)).toEqual(['Spokes']);
    expect(codes(r.diagnostics)).toEqual(['DANGLING_REFERENCE']);
  });
});
