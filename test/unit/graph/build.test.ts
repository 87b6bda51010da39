import fc from 'fast-check';
import { INTERNET_NODE } from '../../../src/graph/attributes';
import { buildTopology } from '../../../src/graph/build';
import { neighbours, nodesOfKind } from '../../../src/graph/query';
import type { Snapshot } from '../../../src/model/snapshot';
import {
  armId,
  makeContainerGroup,
  makePeering,
  makeRouteTable,
  makeSnapshot,
  makeSubnet,
  makeVnet,
} from '../../support/builders';
import { expectGolden } from '../../support/golden';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';

const edgesOfKind = (s: Snapshot, kind: string): string[] => {
  const { graph } = buildTopology(s);
  return graph.filterEdges((_e, a) => a.kind === kind).map((e) => `${graph.source(e)} -> ${graph.target(e)}`);
};

describe('buildTopology on a hub-and-spoke estate', () => {
  const snapshot = hubSpokeSnapshot();
  const { graph, diagnostics } = buildTopology(snapshot);
  const id = (name: string) => {
    const found = graph.findNode((_n, a) => a.name === name);
    if (found === undefined) throw new Error(`no node named ${name}`);
    return found;
  };

  it('has one node per resource plus the Internet, none of them placeholders', () => {
    expect(diagnostics).toEqual([]);
    expect(graph.order).toBe(2 + 6 + 3 + 1 + 6 + 1);
    expect(nodesOfKind(graph, 'virtualNetwork')).toHaveLength(2);
    expect(nodesOfKind(graph, 'subnet')).toHaveLength(6);
    expect(nodesOfKind(graph, 'networkSecurityGroup')).toHaveLength(3);
    expect(nodesOfKind(graph, 'routeTable')).toHaveLength(1);
    expect(nodesOfKind(graph, 'containerGroup')).toHaveLength(6);
    expect(graph.getNodeAttributes(INTERNET_NODE)).toEqual({
      kind: 'external',
      name: 'Internet',
      label: 'Internet',
      placeholder: false,
    });
    expect(graph.filterNodes((_n, a) => a.placeholder)).toEqual([]);
  });

  it('keys nodes by lower-cased resource id and labels subnets vnet/subnet', () => {
    const web = id('snet-aci-web');
    expect(web).toBe(
      '/subscriptions/00000000-0000-0000-0000-0000000000a1/resourcegroups/rg-app/providers/microsoft.network/virtualnetworks/vnet-app/subnets/snet-aci-web',
    );
    expect(graph.getNodeAttributes(web)).toEqual({
      kind: 'subnet',
      name: 'snet-aci-web',
      label: 'vnet-app/snet-aci-web',
      placeholder: false,
    });
    expect(graph.getNodeAttributes(id('AzureFirewallSubnet')).label).toBe('vnet-hub/AzureFirewallSubnet');
  });

  it('links VNet → subnet → container group with contains edges', () => {
    expect(neighbours(graph, id('vnet-app'), 'out', 'contains').map((n) => n.nodeAttributes.name)).toEqual([
      'snet-aci-api',
      'snet-aci-web',
      'snet-data',
    ]);
    expect(
      neighbours(graph, id('snet-aci-api'), 'out', 'contains').map((n) => n.nodeAttributes.name),
    ).toEqual(['api-orders', 'api-payments', 'internet']);
    expect(edgesOfKind(snapshot, 'contains')).toHaveLength(6 + 5);
  });

  it('links NSGs and route tables to the subnets they are associated with', () => {
    expect(neighbours(graph, id('snet-aci-web'), 'in', 'secures').map((n) => n.nodeAttributes.name)).toEqual([
      'nsg-aci-web',
    ]);
    expect(
      neighbours(graph, id('rt-spoke-egress'), 'out', 'routes').map((n) => n.nodeAttributes.name),
    ).toEqual(['snet-aci-api', 'snet-aci-web']);
    expect(neighbours(graph, id('snet-data'), 'in', 'secures')).toEqual([]);
    expect(edgesOfKind(snapshot, 'secures')).toHaveLength(3);
  });

  it('has one peers edge per peering, carrying its state and flags', () => {
    const peers = neighbours(graph, id('vnet-app'), 'out', 'peers');
    expect(peers).toHaveLength(1);
    const [peer] = peers;
    expect(peer?.node).toBe(id('vnet-hub'));
    expect(peer?.edge).toBe(`peers:${id('vnet-app')}/virtualnetworkpeerings/peer-app-to-hub`);
    expect(peer?.attributes).toEqual({
      kind: 'peers',
      peeringId: `${id('vnet-app')}/virtualnetworkpeerings/peer-app-to-hub`,
      name: 'peer-app-to-hub',
      peeringState: 'Connected',
      peeringSyncLevel: 'FullyInSync',
      remoteAddressPrefixes: ['10.100.0.0/16'],
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: true,
      allowGatewayTransit: false,
      useRemoteGateways: false,
    });
    expect(edgesOfKind(snapshot, 'peers')).toHaveLength(2);
  });

  it('exposes only the public container group to the Internet, with its ports', () => {
    const exposed = neighbours(graph, INTERNET_NODE, 'out', 'exposes');
    expect(exposed.map((n) => n.nodeAttributes.name)).toEqual(['status-page']);
    expect(exposed[0]?.attributes).toEqual({ kind: 'exposes', ports: [{ port: 80, protocol: 'TCP' }] });
    expect(exposed[0]?.edge).toBe(`exposes:${INTERNET_NODE}->${id('status-page')}`);
  });

  it('keys every non-peering edge kind:source->target', () => {
    graph.forEachEdge((edge, attributes, source, target) => {
      if (attributes.kind !== 'peers') expect(edge).toBe(`${attributes.kind}:${source}->${target}`);
    });
  });
});

describe('buildTopology determinism', () => {
  it('exports the hub-and-spoke graph as the golden (graphology export format)', () => {
    expectGolden(
      'graph/hub-spoke.topology.json',
      `${JSON.stringify(buildTopology(hubSpokeSnapshot()).graph.export(), null, 2)}\n`,
    );
  });

  it('inserts nodes and edges in sorted key order', () => {
    const { graph } = buildTopology(hubSpokeSnapshot());
    const nodes = graph.nodes();
    expect(nodes).toEqual([...nodes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const edges = graph.edges();
    expect(edges).toEqual([...edges].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('builds the same graph whatever the order of the snapshot arrays', () => {
    const base = hubSpokeSnapshot();
    const expected = JSON.stringify(buildTopology(base).graph.export());
    const permutation = <T>(items: T[]) =>
      fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length });
    fc.assert(
      fc.property(
        permutation(base.virtualNetworks),
        permutation(base.subnets),
        permutation(base.networkSecurityGroups),
        permutation(base.containerGroups),
        permutation(base.virtualNetworkPeerings),
        (virtualNetworks, subnets, networkSecurityGroups, containerGroups, virtualNetworkPeerings) => {
          const shuffled = {
            ...base,
            virtualNetworks,
            subnets,
            networkSecurityGroups,
            containerGroups,
            virtualNetworkPeerings,
          };
          expect(JSON.stringify(buildTopology(shuffled).graph.export())).toBe(expected);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('buildTopology with references to resources not in the snapshot', () => {
  const vnet = makeVnet({ name: 'vnet-a', addressPrefixes: ['10.0.0.0/16'] });
  const missingNsg = armId('Microsoft.Network/networkSecurityGroups', 'nsg-gone');
  const missingRt = armId('Microsoft.Network/routeTables', 'rt-gone');
  const missingVnet = armId('Microsoft.Network/virtualNetworks', 'vnet-elsewhere', {
    resourceGroup: 'rg-other',
  });

  it('makes a placeholder node and a DANGLING_REFERENCE warning for each kind of reference', () => {
    const s1 = makeSubnet(vnet, {
      name: 's1',
      addressPrefixes: ['10.0.1.0/24'],
      nsg: missingNsg,
      routeTable: missingRt,
    });
    const orphan = makeSubnet(missingVnet, { name: 'far', addressPrefixes: ['10.9.1.0/24'] });
    const missingSubnet = `${vnet.id}/subnets/not-exported`;
    const cg = makeContainerGroup({ name: 'cg1', subnet: missingSubnet, ip: '10.0.2.4' });
    const peering = makePeering(vnet, missingVnet, { name: 'to-elsewhere' });
    const snapshot = makeSnapshot({
      virtualNetworks: [vnet],
      subnets: [s1, orphan],
      containerGroups: [cg],
      virtualNetworkPeerings: [peering],
    });
    const { graph, diagnostics } = buildTopology(snapshot);

    expect(diagnostics.map((d) => [d.code, d.severity, d.file, d.path])).toEqual([
      ['DANGLING_REFERENCE', 'warning', null, '$.subnets[0].networkSecurityGroupId'],
      ['DANGLING_REFERENCE', 'warning', null, '$.subnets[0].routeTableId'],
      ['DANGLING_REFERENCE', 'warning', null, '$.subnets[1].virtualNetworkId'],
      ['DANGLING_REFERENCE', 'warning', null, '$.virtualNetworkPeerings[0].remoteVirtualNetworkId'],
      ['DANGLING_REFERENCE', 'warning', null, '$.containerGroups[0].subnetIds[0]'],
    ]);
    expect(diagnostics[0]?.message).toContain('subnet vnet-a/s1');
    expect(diagnostics[0]?.message).toContain(missingNsg);

    expect(graph.getNodeAttributes(missingNsg)).toEqual({
      kind: 'networkSecurityGroup',
      name: 'nsg-gone',
      label: 'nsg-gone',
      placeholder: true,
    });
    expect(graph.getNodeAttributes(missingRt)).toMatchObject({ kind: 'routeTable', placeholder: true });
    expect(graph.getNodeAttributes(missingVnet)).toMatchObject({
      kind: 'virtualNetwork',
      name: 'vnet-elsewhere',
      placeholder: true,
    });
    expect(graph.getNodeAttributes(missingSubnet)).toEqual({
      kind: 'subnet',
      name: 'not-exported',
      label: 'vnet-a/not-exported',
      placeholder: true,
    });
    // The placeholders are wired like real resources.
    expect(graph.hasEdge(`secures:${missingNsg}->${s1.id}`)).toBe(true);
    expect(graph.hasEdge(`routes:${missingRt}->${s1.id}`)).toBe(true);
    expect(graph.hasEdge(`contains:${missingVnet}->${orphan.id}`)).toBe(true);
    expect(graph.hasEdge(`contains:${missingSubnet}->${cg.id}`)).toBe(true);
    expect(graph.hasEdge(`peers:${peering.id}`)).toBe(true);
    expect(graph.source(`peers:${peering.id}`)).toBe(vnet.id);
    expect(graph.target(`peers:${peering.id}`)).toBe(missingVnet);
  });

  it('makes one placeholder for a resource referenced twice, and warns at each reference', () => {
    const a = makeSubnet(vnet, { name: 'a', addressPrefixes: ['10.0.1.0/24'], nsg: missingNsg });
    const b = makeSubnet(vnet, { name: 'b', addressPrefixes: ['10.0.2.0/24'], nsg: missingNsg });
    const { graph, diagnostics } = buildTopology(makeSnapshot({ virtualNetworks: [vnet], subnets: [a, b] }));
    expect(diagnostics.map((d) => d.path)).toEqual([
      '$.subnets[0].networkSecurityGroupId',
      '$.subnets[1].networkSecurityGroupId',
    ]);
    expect(graph.filterNodes((_n, attr) => attr.placeholder)).toEqual([missingNsg]);
    expect(graph.outDegree(missingNsg)).toBe(2);
  });

  it('reports a reference to a resource of another kind and leaves that edge out', () => {
    const rt = makeRouteTable({ name: 'rt-1' });
    const subnet = makeSubnet(vnet, {
      name: 's',
      addressPrefixes: ['10.0.1.0/24'],
      nsg: rt.id,
      routeTable: rt,
    });
    const { graph, diagnostics } = buildTopology(
      makeSnapshot({ virtualNetworks: [vnet], subnets: [subnet], routeTables: [rt] }),
    );
    expect(diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['DANGLING_REFERENCE', '$.subnets[0].networkSecurityGroupId'],
    ]);
    expect(diagnostics[0]?.message).toContain('route table rt-1');
    expect(graph.getNodeAttributes(rt.id).kind).toBe('routeTable');
    expect(
      graph
        .inEdges(subnet.id)
        .map((e) => graph.getEdgeAttribute(e, 'kind'))
        .sort(),
    ).toEqual(['contains', 'routes']);
  });

  it('ignores a peering without a remote network (nothing to draw) and allows a peering to itself', () => {
    const self = makePeering(vnet, vnet, { name: 'loop' });
    const none = makePeering(vnet, null, { name: 'nowhere' });
    const { graph, diagnostics } = buildTopology(
      makeSnapshot({ virtualNetworks: [vnet], virtualNetworkPeerings: [none, self] }),
    );
    expect(diagnostics).toEqual([]);
    expect(graph.filterEdges((_e, a) => a.kind === 'peers')).toEqual([`peers:${self.id}`]);
  });
});

describe('buildTopology with odd ids', () => {
  it('keeps the first of two resources with the same id and warns about the second', () => {
    const vnet = makeVnet({ name: 'v' });
    const s = makeSubnet(vnet, { name: 's', addressPrefixes: ['10.0.1.0/24'] });
    const twin = { ...s, addressPrefixes: ['10.0.2.0/24'] };
    const { graph, diagnostics } = buildTopology(
      makeSnapshot({ virtualNetworks: [vnet], subnets: [s, twin] }),
    );
    expect(diagnostics.map((d) => [d.code, d.severity, d.path])).toEqual([
      ['DUPLICATE_RESOURCE', 'warning', '$.subnets[1].id'],
    ]);
    expect(nodesOfKind(graph, 'subnet')).toEqual([s.id]);
  });

  it('reports a duplicated peering once and draws one edge', () => {
    const a = makeVnet({ name: 'a' });
    const b = makeVnet({ name: 'b', addressPrefixes: ['10.1.0.0/16'] });
    const p = makePeering(a, b, { name: 'a-to-b' });
    const { graph, diagnostics } = buildTopology(
      makeSnapshot({ virtualNetworks: [a, b], virtualNetworkPeerings: [p, p] }),
    );
    expect(diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['DUPLICATE_RESOURCE', '$.virtualNetworkPeerings[1].id'],
    ]);
    expect(graph.size).toBe(1);
  });

  it('treats ids such as __proto__ and the Internet node key as plain keys', () => {
    const hostile = makeVnet({ name: 'proto' });
    const protoVnet = { ...hostile, id: '__proto__' };
    const subnet = {
      ...makeSubnet(protoVnet, { name: 'constructor', addressPrefixes: ['10.0.0.0/24'] }),
      id: 'constructor',
    };
    const impostor = { ...makeVnet({ name: 'impostor' }), id: INTERNET_NODE };
    const { graph, diagnostics } = buildTopology(
      makeSnapshot({ virtualNetworks: [protoVnet, impostor], subnets: [subnet] }),
    );
    expect(graph.getNodeAttributes('__proto__').kind).toBe('virtualNetwork');
    expect(graph.hasEdge(`contains:__proto__->constructor`)).toBe(true);
    expect(graph.getNodeAttributes(INTERNET_NODE).kind).toBe('external');
    expect(diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['DUPLICATE_RESOURCE', '$.virtualNetworks[1].id'],
    ]);
    expect(({} as Record<string, unknown>).kind).toBeUndefined();
  });

  it('sorts and de-duplicates the ports of a public group and links a group to each of its subnets once', () => {
    const vnet = makeVnet({ name: 'v' });
    const s = makeSubnet(vnet, { name: 's', addressPrefixes: ['10.0.1.0/24'] });
    const pub = makeContainerGroup({
      name: 'pub',
      ip: '20.1.2.3',
      ports: [443, { port: 53, protocol: 'UDP' }, 80, 443],
    });
    const twice = {
      ...makeContainerGroup({ name: 'twice', subnet: s, ip: '10.0.1.4' }),
      subnetIds: [s.id, s.id],
    };
    const { graph } = buildTopology(
      makeSnapshot({ virtualNetworks: [vnet], subnets: [s], containerGroups: [pub, twice] }),
    );
    expect(graph.getEdgeAttributes(`exposes:${INTERNET_NODE}->${pub.id}`)).toEqual({
      kind: 'exposes',
      ports: [
        { port: 80, protocol: 'TCP' },
        { port: 443, protocol: 'TCP' },
        { port: 53, protocol: 'UDP' },
      ],
    });
    expect(graph.outDegree(s.id)).toBe(1);
  });

  it('builds an empty snapshot to just the Internet node', () => {
    const { graph, diagnostics } = buildTopology(makeSnapshot());
    expect(graph.nodes()).toEqual([INTERNET_NODE]);
    expect(graph.size).toBe(0);
    expect(diagnostics).toEqual([]);
  });
});
