import { armId, codes, importJson, snapshotOf } from './helpers';

/** A VNet (named `vnetName`) with one subnet (named `subnetName`), REST-shaped. */
function vnet(vnetName: string, subnetName: string): Record<string, unknown> {
  const id = armId('Microsoft.Network/virtualNetworks', vnetName);
  return {
    id,
    name: vnetName,
    type: 'Microsoft.Network/virtualNetworks',
    location: 'westeurope',
    properties: {
      addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
      subnets: [
        { id: `${id}/subnets/${subnetName}`, name: subnetName, properties: { addressPrefix: '10.1.1.0/24' } },
      ],
    },
  };
}

describe('resources named like a tag (RESERVED_NAME)', () => {
  it('warns for a VNet, a subnet and a container group whose name is a tag word, any case, with its JSON path', () => {
    const group = {
      id: armId('Microsoft.ContainerInstance/containerGroups', 'AzureLoadBalancer'),
      name: 'AzureLoadBalancer',
      type: 'Microsoft.ContainerInstance/containerGroups',
      location: 'westeurope',
      properties: { ipAddress: { type: 'Public', ip: '20.1.2.3', ports: [{ port: 80 }] }, containers: [] },
    };
    const outcome = importJson(vnet('VirtualNetwork', 'internet'), group);
    snapshotOf(outcome);
    const reserved = outcome.diagnostics.filter((d) => d.code === 'RESERVED_NAME');
    expect(reserved.map((d) => [d.severity, d.file, d.path])).toEqual([
      ['warning', 'f1.json', '$.name'],
      ['warning', 'f0.json', '$.properties.subnets[0].name'],
      ['warning', 'f0.json', '$.name'],
    ]);
    expect(reserved[0]!.message).toContain('by its resource ID or cg:AzureLoadBalancer');
    expect(reserved[1]!.message).toContain('named like the tag Internet');
    expect(reserved[2]!.message).toContain('named like the tag VirtualNetwork');
  });

  it('does not warn for names that only contain a tag word', () => {
    expect(codes(importJson(vnet('internet-edge', 'snet-internet')).diagnostics)).not.toContain(
      'RESERVED_NAME',
    );
  });
});
