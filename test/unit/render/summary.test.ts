import { buildTopology } from '../../../src/graph/build';
import type { Snapshot } from '../../../src/model/snapshot';
import {
  formatPorts,
  printable,
  renderSummary,
  renderSummaryJson,
  summarize,
} from '../../../src/render/summary';
import {
  ACI_DELEGATION,
  armId,
  makeAsg,
  makeContainer,
  makeContainerGroup,
  makeNsg,
  makePeering,
  makeRoute,
  makeRouteTable,
  makeRule,
  makeSnapshot,
  makeSubnet,
  makeVnet,
} from '../../support/builders';
import { expectGolden } from '../../support/golden';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';

const text = (s: Snapshot) => renderSummary(s, buildTopology(s));

/** A snapshot with everything the summary has a special case for. */
function messySnapshot(): Snapshot {
  const vnet = makeVnet({ name: 'vnet-core', addressPrefixes: ['10.50.0.0/16', '10.51.0.0/16'] });
  const missingNsg = armId('Microsoft.Network/networkSecurityGroups', 'nsg-deleted');
  const missingRemote = armId('Microsoft.Network/virtualNetworks', 'vnet-partner', {
    subscriptionId: '00000000-0000-0000-0000-0000000000ff',
    resourceGroup: 'rg-partner',
  });
  const missingVnet = armId('Microsoft.Network/virtualNetworks', 'vnet-legacy');
  const busyRoutes = makeRouteTable({
    name: 'rt-busy',
    routes: [
      makeRoute('to-onprem', '192.168.0.0/16', 'VirtualNetworkGateway'),
      makeRoute('local', '10.50.0.0/16', 'VnetLocal'),
      makeRoute('blackhole', '10.99.0.0/16', 'None'),
      makeRoute('default', '0.0.0.0/0', 'VirtualAppliance', '10.50.0.4'),
      makeRoute('inspect-partner', '172.20.0.0/16', 'VirtualAppliance', '10.50.0.4'),
    ],
  });
  const emptyRoutes = makeRouteTable({ name: 'rt-empty' });
  const unusedRoutes = makeRouteTable({ name: 'rt-unused', routes: [makeRoute('x', '10.0.0.0/8', 'None')] });
  const nsg = makeNsg({ name: 'nsg-one', rules: [makeRule({ priority: 100, destinationPorts: '443' })] });
  const unusedNsg = makeNsg({ name: 'nsg-orphan' });
  const a = makeSubnet(vnet, {
    name: 'snet-a',
    addressPrefixes: ['10.50.1.0/24', '10.51.1.0/24'],
    nsg,
    routeTable: busyRoutes,
    natGatewayId: armId('Microsoft.Network/natGateways', 'ng-core'),
    delegations: [ACI_DELEGATION],
  });
  const b = makeSubnet(vnet, {
    name: 'snet-b',
    addressPrefixes: ['10.50.2.0/24'],
    nsg: missingNsg,
    routeTable: emptyRoutes,
  });
  const legacy = makeSubnet(missingVnet, { name: 'snet-legacy', addressPrefixes: ['10.60.1.0/24'] });
  const ghostSubnet = `${vnet.id}/subnets/snet-ghost`;
  const groups = [
    makeContainerGroup({
      name: 'job-runner',
      subnet: a,
      ip: null,
      containers: [makeContainer({ name: 'job', ports: [] })],
      initContainers: [makeContainer({ name: 'migrate' }), makeContainer({ name: 'seed' })],
    }),
    makeContainerGroup({
      name: 'dns-cache',
      subnet: a,
      ip: '10.50.1.10',
      ports: [{ port: 53, protocol: 'UDP' }, 53],
      containers: [makeContainer({ name: 'dns', ports: [{ port: 53, protocol: 'UDP' }, 53, 9153] })],
    }),
    makeContainerGroup({ name: 'lost', subnet: ghostSubnet, ip: '10.50.3.4', ports: [8080] }),
    makeContainerGroup({
      name: 'profile-only',
      type: 'Private',
      ip: '10.50.9.4',
      networkProfileId: armId('Microsoft.Network/networkProfiles', 'aci-profile'),
    }),
    makeContainerGroup({ name: 'stopped', noIpAddress: true }),
    makeContainerGroup({ name: 'public-api', ip: '20.1.2.3', ports: [443, 80], fqdn: null }),
  ];
  return makeSnapshot({
    source: { kind: 'collect', collectedAt: '2026-03-01T10:00:00Z' },
    virtualNetworks: [vnet],
    subnets: [a, b, legacy],
    virtualNetworkPeerings: [
      makePeering(vnet, missingRemote, {
        name: 'to-partner',
        remoteAddressPrefixes: ['172.30.0.0/16'],
        peeringState: 'Disconnected',
        peeringSyncLevel: null,
        allowVirtualNetworkAccess: false,
        allowGatewayTransit: true,
        useRemoteGateways: false,
      }),
      makePeering(vnet, null, { name: 'half-made', peeringState: null, peeringSyncLevel: null }),
    ],
    networkSecurityGroups: [nsg, unusedNsg],
    routeTables: [busyRoutes, emptyRoutes, unusedRoutes],
    applicationSecurityGroups: [makeAsg({ name: 'asg-web' })],
    containerGroups: groups,
    skippedResourceTypes: [
      { type: 'Microsoft.Network/publicIPAddresses', count: 3 },
      { type: 'Microsoft.Network/azureFirewalls', count: 1 },
    ],
    diagnostics: [
      { severity: 'warning', code: 'HOST_BITS_SET', message: 'x', file: 'a.json', path: '$.value[0]' },
      { severity: 'warning', code: 'SKIPPED_RESOURCE_TYPE', message: 'y', file: 'b.json', path: null },
      { severity: 'warning', code: 'HOST_BITS_SET', message: 'z', file: 'a.json', path: '$.value[1]' },
    ],
  });
}

describe('renderSummary', () => {
  it('prints the hub-and-spoke estate (golden)', () => {
    expectGolden('summary/hub-spoke.txt', text(hubSpokeSnapshot()));
  });

  it('prints missing resources, orphans, unattached NSGs and route tables, skipped types and warnings (golden)', () => {
    expectGolden('summary/messy.txt', text(messySnapshot()));
  });

  it('prints an empty snapshot', () => {
    expectGolden('summary/empty.txt', text(makeSnapshot()));
  });

  it('gives the same text whatever the order of the snapshot arrays', () => {
    const s = messySnapshot();
    const reversed: Snapshot = {
      ...s,
      virtualNetworks: [...s.virtualNetworks].reverse(),
      subnets: [...s.subnets].reverse(),
      virtualNetworkPeerings: [...s.virtualNetworkPeerings].reverse(),
      networkSecurityGroups: [...s.networkSecurityGroups].reverse(),
      routeTables: [...s.routeTables].reverse(),
      containerGroups: [...s.containerGroups].reverse(),
      skippedResourceTypes: [...s.skippedResourceTypes].reverse(),
      diagnostics: [...s.diagnostics].reverse(),
    };
    // Missing-reference paths name array positions, so only they may differ.
    const withoutPaths = (d: ReturnType<typeof summarize>) => ({
      ...d,
      missingReferences: d.missingReferences.length,
    });
    expect(withoutPaths(summarize(reversed, buildTopology(reversed)))).toEqual(
      withoutPaths(summarize(s, buildTopology(s))),
    );
    expect(text(reversed)).toBe(text(s));
  });

  it('counts what the snapshot holds', () => {
    const s = messySnapshot();
    expect(summarize(s, buildTopology(s)).counts).toEqual({
      virtualNetworks: 1,
      subnets: 3,
      peerings: 2,
      networkSecurityGroups: 2,
      customRules: 1,
      routeTables: 3,
      routes: 6,
      applicationSecurityGroups: 1,
      containerGroups: 6,
      privateContainerGroups: 4,
      publicContainerGroups: 1,
      otherContainerGroups: 1,
      adminRules: 0,
      adminRuleCollections: 0,
      networkGroups: 0,
      skippedResourceTypes: 2,
      skippedResources: 4,
      warnings: 3,
      missingReferences: 4,
    });
  });

  it('shows where each container group sits, and the missing ones as missing', () => {
    const out = text(messySnapshot());
    expect(out).toContain('NSG nsg-deleted (missing)');
    expect(out).toContain('vnet-legacy (missing)');
    expect(out).toContain(
      'peering to-partner → vnet-partner (missing)  Disconnected  peers 172.30.0.0/16  no VNet access, gateway transit',
    );
    expect(out).toContain(
      'Subnets outside any known virtual network\n└─ subnet snet-ghost (missing)\n   └─ container group lost',
    );
    expect(out).toContain(
      'Container groups outside any known subnet\n├─ container group profile-only  10.50.9.4',
    );
    expect(out).toContain('container group stopped  no IP  no ports  1 container');
    expect(out).toContain(
      'route table rt-busy: 0.0.0.0/0 → VirtualAppliance 10.50.0.4, 10.99.0.0/16 → None, 172.20.0.0/16 → VirtualAppliance 10.50.0.4 (+2 more)',
    );
  });

  it('never prints environment variable names', () => {
    const out =
      text(hubSpokeSnapshot()) + renderSummaryJson(hubSpokeSnapshot(), buildTopology(hubSpokeSnapshot()));
    expect(out).not.toContain('TLS_CERT_PASSWORD');
    expect(out).not.toContain('LOG_LEVEL');
  });

  it('escapes control characters and bidi overrides in names so they cannot forge lines', () => {
    const vnet = makeVnet({ name: 'evil\nvnet-fake  10.0.0.0/8\u202e' });
    const out = text(makeSnapshot({ virtualNetworks: [vnet] }));
    expect(out).toContain('evil\\u{a}vnet-fake  10.0.0.0/8\\u{202e}  10.0.0.0/16');
    expect(out.split('\n').filter((l) => l.startsWith('vnet-fake'))).toEqual([]);
    expect(printable('tab\there\u0000\u009b\u2066')).toBe('tab\\u{9}here\\u{0}\\u{9b}\\u{2066}');
    expect(printable('plain-ascii_and-ünïcode')).toBe('plain-ascii_and-ünïcode');
  });

  it('formats ports grouped by protocol', () => {
    expect(formatPorts([])).toBe('no ports');
    expect(
      formatPorts([
        { port: 80, protocol: 'TCP' },
        { port: 443, protocol: 'TCP' },
        { port: 53, protocol: 'UDP' },
      ]),
    ).toBe('TCP 80, 443 · UDP 53');
  });
});

describe('renderSummaryJson', () => {
  it('gives counts and the tree as data (golden)', () => {
    const s = hubSpokeSnapshot();
    const json = renderSummaryJson(s, buildTopology(s));
    expectGolden('summary/hub-spoke.json', json);
    const data = JSON.parse(json) as ReturnType<typeof summarize>;
    expect(data.virtualNetworks.map((v) => v.name)).toEqual(['vnet-app', 'vnet-hub']);
    expect(data.internetFacing.map((g) => [g.name, g.ip, g.fqdn])).toEqual([
      ['status-page', '20.50.60.70', 'contoso-status.westeurope.azurecontainer.io'],
    ]);
  });

  it('gives the messy estate as data (golden)', () => {
    const s = messySnapshot();
    expectGolden('summary/messy.json', renderSummaryJson(s, buildTopology(s)));
  });
});
