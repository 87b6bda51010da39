import { Snapshot } from '../../../src/model/snapshot';
import {
  ACI_DELEGATION,
  armId,
  makeContainerGroup,
  makeDefaultRules,
  makeNsg,
  makePeering,
  makeRule,
  makeSnapshot,
  makeSubnet,
  makeVnet,
} from '../../support/builders';

describe('test builders', () => {
  it('make schema-valid snapshots with lower-cased ids and names kept as given', () => {
    const vnet = makeVnet({ name: 'Vnet-A', resourceGroup: 'RG-Net', addressPrefixes: ['10.0.0.0/16'] });
    const nsg = makeNsg({
      name: 'NSG-A',
      rules: [
        makeRule({ priority: 200 }),
        makeRule({ priority: 100, direction: 'Outbound' }),
        makeRule({ priority: 150 }),
      ],
    });
    const subnet = makeSubnet(vnet, {
      name: 'Snet',
      addressPrefixes: ['10.0.1.0/24'],
      nsg,
      delegations: [ACI_DELEGATION],
    });
    const group = makeContainerGroup({ name: 'Cg', subnet, ip: '10.0.1.4', ports: [80] });
    const snapshot = makeSnapshot({
      virtualNetworks: [vnet],
      subnets: [subnet],
      networkSecurityGroups: [nsg],
      containerGroups: [group],
      virtualNetworkPeerings: [
        makePeering(vnet, armId('Microsoft.Network/virtualNetworks', 'other'), { name: 'p' }),
      ],
    });
    expect(Snapshot.safeParse(snapshot).success).toBe(true);
    expect(vnet.id).toBe(
      '/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-net/providers/microsoft.network/virtualnetworks/vnet-a',
    );
    expect([vnet.name, vnet.resourceGroup]).toEqual(['Vnet-A', 'RG-Net']);
    expect(subnet).toMatchObject({
      id: `${vnet.id}/subnets/snet`,
      resourceGroup: 'RG-Net',
      virtualNetworkId: vnet.id,
    });
    expect(subnet.networkSecurityGroupId).toBe(nsg.id);
    expect(nsg.securityRules.map((r) => `${r.direction}/${r.priority}`)).toEqual([
      'Inbound/150',
      'Inbound/200',
      'Outbound/100',
    ]);
    expect(group).toMatchObject({ subnetIds: [subnet.id], ipAddress: { type: 'Private', ip: '10.0.1.4' } });
    expect(group.containers[0]?.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    expect(snapshot.virtualNetworkPeerings[0]).toMatchObject({
      peeringState: 'Connected',
      remoteAddressPrefixes: null,
    });
  });

  it('give the six default rules in API order', () => {
    expect(makeDefaultRules().map((r) => [r.name, r.direction, r.priority, r.access])).toEqual([
      ['AllowVnetInBound', 'Inbound', 65000, 'Allow'],
      ['AllowAzureLoadBalancerInBound', 'Inbound', 65001, 'Allow'],
      ['DenyAllInBound', 'Inbound', 65500, 'Deny'],
      ['AllowVnetOutBound', 'Outbound', 65000, 'Allow'],
      ['AllowInternetOutBound', 'Outbound', 65001, 'Allow'],
      ['DenyAllOutBound', 'Outbound', 65500, 'Deny'],
    ]);
  });

  it('throw on a snapshot the schema rejects', () => {
    expect(() =>
      makeSnapshot({
        networkSecurityGroups: [makeNsg({ name: 'n', rules: [makeRule({ priority: 99999 })] })],
      }),
    ).toThrow(/makeSnapshot: invalid snapshot/);
  });
});
