import { armId, codes, fatal, importJson, snapshotOf } from './helpers';

const vnetId = armId('Microsoft.Network/virtualNetworks', 'Vnet-A');

function vnet(props: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: vnetId,
    name: 'Vnet-A',
    type: 'Microsoft.Network/virtualNetworks',
    location: 'westeurope',
    properties: props,
    ...extra,
  };
}

describe('virtual networks, subnets and peerings', () => {
  it('flattens inline subnets and peerings into their own arrays with parent references', () => {
    const s = snapshotOf(
      importJson(
        vnet({
          addressSpace: { addressPrefixes: ['10.1.0.0/16', 'fd00:db8::/48'] },
          subnets: [
            {
              name: 'aci',
              id: `${vnetId}/subnets/aci`,
              properties: {
                addressPrefix: '10.1.2.0/24',
                networkSecurityGroup: { id: armId('Microsoft.Network/networkSecurityGroups', 'NSG-1') },
                routeTable: { id: '' },
                delegations: [
                  { name: 'd', properties: { serviceName: 'Microsoft.ContainerInstance/containerGroups' } },
                ],
              },
            },
            { name: 'multi', properties: { addressPrefixes: ['10.1.3.0/24', '10.1.4.0/24'] } },
          ],
          virtualNetworkPeerings: [
            {
              name: 'to-hub',
              properties: {
                remoteVirtualNetwork: { id: armId('Microsoft.Network/virtualNetworks', 'Hub') },
                remoteAddressSpace: { addressPrefixes: [] },
                remoteVirtualNetworkAddressSpace: { addressPrefixes: ['10.0.0.0/16'] },
                peeringState: 'connected',
              },
            },
          ],
        }),
      ),
    );
    expect(s.virtualNetworks).toEqual([
      {
        id: vnetId.toLowerCase(),
        name: 'Vnet-A',
        resourceGroup: 'rg-Test',
        subscriptionId: '00000000-0000-0000-0000-0000000000aa',
        location: 'westeurope',
        addressPrefixes: ['10.1.0.0/16', 'fd00:db8::/48'],
        gatewayIds: [],
      },
    ]);
    expect(
      s.subnets.map((x) => [
        x.name,
        x.id,
        x.virtualNetworkId,
        x.addressPrefixes,
        x.networkSecurityGroupId,
        x.routeTableId,
        x.delegations,
      ]),
    ).toEqual([
      [
        'aci',
        `${vnetId}/subnets/aci`.toLowerCase(),
        vnetId.toLowerCase(),
        ['10.1.2.0/24'],
        armId('Microsoft.Network/networkSecurityGroups', 'nsg-1').toLowerCase(),
        null,
        ['Microsoft.ContainerInstance/containerGroups'],
      ],
      [
        'multi',
        `${vnetId}/subnets/multi`.toLowerCase(),
        vnetId.toLowerCase(),
        ['10.1.3.0/24', '10.1.4.0/24'],
        null,
        null,
        [],
      ],
    ]);
    expect(s.virtualNetworkPeerings[0]).toMatchObject({
      id: `${vnetId}/virtualNetworkPeerings/to-hub`.toLowerCase(),
      virtualNetworkId: vnetId.toLowerCase(),
      remoteVirtualNetworkId: armId('Microsoft.Network/virtualNetworks', 'hub').toLowerCase(),
      remoteAddressPrefixes: ['10.0.0.0/16'],
      peeringState: 'Connected',
      peeringSyncLevel: null,
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: false,
      allowGatewayTransit: false,
      useRemoteGateways: false,
    });
  });

  it('prefers remoteAddressSpace (what is peered) and leaves the prefixes null when neither is given', () => {
    const peering = (props: Record<string, unknown>) =>
      snapshotOf(importJson({ id: `${vnetId}/virtualNetworkPeerings/p`, name: 'p', properties: props }))
        .virtualNetworkPeerings[0];
    expect(
      peering({
        remoteAddressSpace: { addressPrefixes: ['10.9.0.0/16'] },
        remoteVirtualNetworkAddressSpace: { addressPrefixes: ['10.9.0.0/15'] },
      })?.remoteAddressPrefixes,
    ).toEqual(['10.9.0.0/16']);
    expect(peering({})?.remoteAddressPrefixes).toBeNull();
    expect(peering({ allowVirtualNetworkAccess: false, useRemoteGateways: true })).toMatchObject({
      allowVirtualNetworkAccess: false,
      useRemoteGateways: true,
    });
    expect(
      codes(
        fatal(
          importJson({
            id: `${vnetId}/virtualNetworkPeerings/p`,
            properties: { allowForwardedTraffic: 'yes' },
          }),
        ),
      ),
    ).toEqual(['INVALID_VALUE']);
  });

  it('rejects tags and malformed prefixes in address spaces', () => {
    const r = importJson(
      vnet({
        addressSpace: { addressPrefixes: ['VirtualNetwork'] },
        subnets: [{ name: 's', properties: { addressPrefix: '10.0.0.256/24' } }],
      }),
    );
    expect(fatal(r).map((d) => [d.code, d.path])).toEqual([
      ['INVALID_PREFIX', '$.properties.addressSpace.addressPrefixes[0]'],
      ['INVALID_PREFIX', '$.properties.subnets[0].properties.addressPrefix'],
    ]);
  });

  it('attaches gateways to their VNet, from gateway resources and from subnet IP configurations', () => {
    const gw = armId('Microsoft.Network/virtualNetworkGateways', 'GW1');
    const gw2 = armId('Microsoft.Network/virtualNetworkGateways', 'gw2');
    const s = snapshotOf(
      importJson(
        vnet({
          addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
          subnets: [
            {
              name: 'GatewaySubnet',
              properties: {
                addressPrefix: '10.1.255.0/27',
                ipConfigurations: [{ id: `${gw2}/ipConfigurations/default` }],
              },
            },
          ],
        }),
        {
          id: gw,
          name: 'GW1',
          type: 'Microsoft.Network/virtualNetworkGateways',
          properties: {
            ipConfigurations: [
              { name: 'c', properties: { subnet: { id: `${vnetId}/subnets/GatewaySubnet` } } },
            ],
          },
        },
      ),
    );
    expect(s.virtualNetworks[0]?.gatewayIds).toEqual([gw.toLowerCase(), gw2.toLowerCase()]);
    expect(s.skippedResourceTypes).toEqual([]);
  });

  it('keeps references to NSGs and route tables that are not in the input (the graph reports them)', () => {
    const r = importJson({
      id: `${vnetId}/subnets/s`,
      properties: {
        addressPrefix: '10.1.0.0/24',
        networkSecurityGroup: { id: armId('Microsoft.Network/networkSecurityGroups', 'elsewhere') },
      },
    });
    expect(snapshotOf(r).subnets[0]?.networkSecurityGroupId).toContain('/networksecuritygroups/elsewhere');
    expect(r.diagnostics).toEqual([]);
  });

  it('warns when the az CLI resourceGroup field disagrees with the id', () => {
    const r = importJson({
      ...vnet({ addressSpace: { addressPrefixes: ['10.0.0.0/16'] } }),
      resourceGroup: 'other-rg',
    });
    expect(snapshotOf(r).virtualNetworks[0]?.resourceGroup).toBe('rg-Test');
    expect(r.diagnostics.map((d) => [d.code, d.path])).toEqual([['CONFLICTING_FIELDS', '$.resourceGroup']]);
    expect(importJson({ ...vnet({}), resourceGroup: 'RG-TEST' }).diagnostics).toEqual([]);
  });
});

describe('route tables', () => {
  const rtId = armId('Microsoft.Network/routeTables', 'rt');
  it('normalizes routes: prefixes or tags, known next-hop types in canonical case, next-hop addresses', () => {
    const s = snapshotOf(
      importJson({
        id: rtId,
        name: 'rt',
        type: 'Microsoft.Network/routeTables',
        properties: {
          disableBgpRoutePropagation: true,
          routes: [
            {
              name: 'z-default',
              properties: {
                addressPrefix: '0.0.0.0/0',
                nextHopType: 'virtualappliance',
                nextHopIpAddress: '10.0.0.4',
              },
            },
            { name: 'a-storage', properties: { addressPrefix: 'Storage', nextHopType: 'Internet' } },
            {
              name: 'v6',
              properties: {
                addressPrefix: 'cab:cab::/96',
                nextHopType: 'VirtualAppliance',
                nextHopIpAddress: 'ACE:CAB:DECA:F00D::1',
              },
            },
          ],
        },
      }),
    );
    expect(s.routeTables[0]).toMatchObject({ disableBgpRoutePropagation: true, location: null });
    expect(s.routeTables[0]?.routes).toEqual([
      { name: 'a-storage', addressPrefix: 'Storage', nextHopType: 'Internet', nextHopIpAddress: null },
      {
        name: 'v6',
        addressPrefix: 'cab:cab::/96',
        nextHopType: 'VirtualAppliance',
        nextHopIpAddress: 'ace:cab:deca:f00d::1',
      },
      {
        name: 'z-default',
        addressPrefix: '0.0.0.0/0',
        nextHopType: 'VirtualAppliance',
        nextHopIpAddress: '10.0.0.4',
      },
    ]);
  });

  it('keeps an unknown next-hop type with a warning, rejects a bad next-hop address', () => {
    const r = importJson({
      id: rtId,
      properties: {
        routes: [{ name: 'x', properties: { addressPrefix: '10.0.0.0/8', nextHopType: 'Teleport' } }],
      },
    });
    expect(snapshotOf(r).routeTables[0]?.routes[0]?.nextHopType).toBe('Teleport');
    expect(codes(r.diagnostics)).toEqual(['UNKNOWN_VALUE']);
    const bad = importJson({
      id: rtId,
      properties: {
        routes: [
          {
            name: 'x',
            properties: {
              addressPrefix: '10.0.0.0/8',
              nextHopType: 'VirtualAppliance',
              nextHopIpAddress: '10.0.0.4/32',
            },
          },
        ],
      },
    });
    expect(fatal(bad).map((d) => [d.code, d.path])).toEqual([
      ['INVALID_PREFIX', '$.properties.routes[0].properties.nextHopIpAddress'],
    ]);
  });

  it('merges standalone routes, creating a missing table with a DANGLING_REFERENCE warning', () => {
    const route = (table: string, name: string) => ({
      id: `${armId('Microsoft.Network/routeTables', table)}/routes/${name}`,
      name,
      properties: { addressPrefix: '10.0.0.0/8', nextHopType: 'None' },
    });
    const r = importJson({ id: rtId, properties: { routes: [] } }, route('rt', 'b'), route('other', 'c'));
    const s = snapshotOf(r);
    expect(s.routeTables.map((t) => [t.name, t.routes.map((x) => x.name)])).toEqual([
      ['other', ['c']],
      ['rt', ['b']],
    ]);
    expect(codes(r.diagnostics)).toEqual(['DANGLING_REFERENCE']);
  });
});

describe('application security groups', () => {
  it('keeps identity and location', () => {
    const id = armId('Microsoft.Network/applicationSecurityGroups', 'Asg1');
    expect(
      snapshotOf(
        importJson({
          id,
          type: 'Microsoft.Network/applicationSecurityGroups',
          location: 'westus',
          properties: {},
        }),
      ).applicationSecurityGroups,
    ).toEqual([
      {
        id: id.toLowerCase(),
        name: 'Asg1',
        resourceGroup: 'rg-Test',
        subscriptionId: '00000000-0000-0000-0000-0000000000aa',
        location: 'westus',
      },
    ]);
  });
});
