import { armId, codes, fatal, importJson, snapshotOf } from './helpers';

const cgId = armId('Microsoft.ContainerInstance/containerGroups', 'cg1');
const cg = (props: Record<string, unknown>) => ({
  id: cgId,
  name: 'cg1',
  type: 'Microsoft.ContainerInstance/containerGroups',
  location: 'westeurope',
  properties: props,
});

describe('container groups', () => {
  it('keeps the network picture: IP address, ports (TCP by default, sorted), subnets, containers by name', () => {
    const subnet = `${armId('Microsoft.Network/virtualNetworks', 'V')}/subnets/ACI`;
    const group = snapshotOf(
      importJson(
        cg({
          osType: 'Linux',
          provisioningState: 'Succeeded',
          ipAddress: {
            type: 'private',
            ip: '10.0.2.4',
            ports: [{ port: 9090 }, { port: 53, protocol: 'udp' }, { port: 8080, protocol: 'TCP' }],
          },
          subnetIds: [{ id: subnet, name: 'aci' }],
          containers: [
            {
              name: 'web',
              properties: {
                image: 'acr.io/web:1',
                ports: [{ port: 8080 }],
                environmentVariables: [{ name: 'Z' }, { name: 'A', value: 'v' }],
              },
            },
            { name: 'api', properties: { image: 'acr.io/api:1' } },
          ],
          initContainers: [
            {
              name: 'init',
              properties: { image: 'busybox', environmentVariables: [{ name: 'X', secureValue: 's' }] },
            },
          ],
        }),
      ),
    ).containerGroups[0];
    expect(group).toEqual({
      id: cgId.toLowerCase(),
      name: 'cg1',
      resourceGroup: 'rg-Test',
      subscriptionId: '00000000-0000-0000-0000-0000000000aa',
      location: 'westeurope',
      osType: 'Linux',
      provisioningState: 'Succeeded',
      ipAddress: {
        type: 'Private',
        ip: '10.0.2.4',
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 8080, protocol: 'TCP' },
          { port: 9090, protocol: 'TCP' },
        ],
        dnsNameLabel: null,
        fqdn: null,
      },
      subnetIds: [subnet.toLowerCase()],
      networkProfileId: null,
      containers: [
        { name: 'api', image: 'acr.io/api:1', ports: [], environmentVariableNames: [] },
        {
          name: 'web',
          image: 'acr.io/web:1',
          ports: [{ port: 8080, protocol: 'TCP' }],
          environmentVariableNames: ['A', 'Z'],
        },
      ],
      initContainers: [{ name: 'init', image: 'busybox', ports: [], environmentVariableNames: ['X'] }],
    });
  });

  it('has no ipAddress when the group has none (a VNet group still being created)', () => {
    expect(snapshotOf(importJson(cg({ containers: [] }))).containerGroups[0]?.ipAddress).toBeNull();
  });

  it('reads the flattened CLI/SDK container shape the same way', () => {
    const nested = cg({
      ipAddress: {
        type: 'Public',
        ip: '20.1.2.3',
        ports: [{ port: 80 }],
        dnsNameLabel: 'app',
        fqdn: 'app.westeurope.azurecontainer.io',
      },
      containers: [{ name: 'c', properties: { image: 'i', ports: [{ port: 80 }] } }],
    });
    const flat = {
      id: cgId,
      name: 'cg1',
      type: 'Microsoft.ContainerInstance/containerGroups',
      location: 'westeurope',
      resourceGroup: 'rg-Test',
      ipAddress: (nested.properties as { ipAddress: unknown }).ipAddress,
      containers: [{ name: 'c', image: 'i', ports: [{ port: 80 }], environmentVariables: [], command: null }],
    };
    expect(snapshotOf(importJson(flat)).containerGroups).toEqual(
      snapshotOf(importJson(nested)).containerGroups,
    );
  });

  it.each([
    [{ ipAddress: { type: 'Internal' } }, 'INVALID_VALUE', '$.properties.ipAddress.type'],
    [{ ipAddress: { ip: '10.0.0.300' } }, 'INVALID_PREFIX', '$.properties.ipAddress.ip'],
    [{ ipAddress: { ports: [{ port: 70000 }] } }, 'INVALID_PORT', '$.properties.ipAddress.ports[0].port'],
    [{ ipAddress: { ports: [{ port: '80' }] } }, 'INVALID_PORT', '$.properties.ipAddress.ports[0].port'],
    [
      { ipAddress: { ports: [{ port: 80, protocol: 'SCTP' }] } },
      'INVALID_VALUE',
      '$.properties.ipAddress.ports[0].protocol',
    ],
    [{ containers: [{ properties: {} }] }, 'MISSING_FIELD', '$.properties.containers[0].name'],
    [{ subnetIds: [{ name: 'x' }] }, 'MISSING_FIELD', '$.properties.subnetIds[0].id'],
  ])('rejects %j with %s at %s', (props, code, path) => {
    expect(fatal(importJson(cg(props))).map((d) => [d.code, d.path])).toEqual([[code, path]]);
  });

  it('resolves a legacy network profile to its subnets', () => {
    const profileId = armId('Microsoft.Network/networkProfiles', 'Profile');
    const subnet = `${armId('Microsoft.Network/virtualNetworks', 'v')}/subnets/aci`;
    const profile = {
      id: profileId,
      type: 'Microsoft.Network/networkProfiles',
      properties: {
        containerNetworkInterfaceConfigurations: [
          {
            name: 'eth0',
            properties: { ipConfigurations: [{ name: 'ip', properties: { subnet: { id: subnet } } }] },
          },
        ],
      },
    };
    const r = importJson(cg({ networkProfile: { id: profileId } }), profile);
    const group = snapshotOf(r).containerGroups[0];
    expect(group?.networkProfileId).toBe(profileId.toLowerCase());
    expect(group?.subnetIds).toEqual([subnet.toLowerCase()]);
    expect(r.diagnostics).toEqual([]);
    expect(snapshotOf(r).skippedResourceTypes).toEqual([]);
  });

  it('keeps an unresolvable network profile with UNRESOLVED_SUBNET', () => {
    const r = importJson(cg({ networkProfile: { id: armId('Microsoft.Network/networkProfiles', 'gone') } }));
    const group = snapshotOf(r).containerGroups[0];
    expect(group?.subnetIds).toEqual([]);
    expect(group?.networkProfileId).toContain('/networkprofiles/gone');
    expect(codes(r.diagnostics)).toEqual(['UNRESOLVED_SUBNET']);
  });
});
