/**
 * The semantics table: tiny estates, one flow each, and the verdict the flow semantics specification
 * (docs/semantics.md) prescribes. Shared by the oracle's own tests and the differential test
 * (so the engine is held to the same table).
 *
 * The base estate: VNet `a` 10.1.0.0/16 with subnets `web` 10.1.1.0/24 (NSG nsg-web), `app`
 * 10.1.2.0/24 (delegated to ACI, NSG nsg-app) and `open` 10.1.3.0/24 (no NSG); VNet `b` 10.2.0.0/16
 * with subnet `db` 10.2.1.0/24 (no NSG), not peered unless a case says so.
 */
import type { SecurityRule, Snapshot } from '../../src/model/snapshot';
import type { Flow, FlowVerdict } from '../../src/policy/flow';
import type { ServiceTags } from '../../src/policy/words/service-tags';
import {
  ACI_DELEGATION,
  adminCollection,
  adminRule,
  containerGroup,
  end,
  flow,
  ids,
  networkGroup,
  nsg,
  peering,
  routeTable,
  rule,
  snapshotOf,
  subnet,
  vnet,
  type AdminRuleSpec,
} from './tiny-estate';

export interface SemanticsCase {
  name: string;
  snapshot: Snapshot;
  serviceTags?: ServiceTags;
  flow: Flow;
  expected: FlowVerdict;
}

interface BaseOptions {
  web?: SecurityRule[];
  app?: SecurityRule[];
  extra?: Partial<Parameters<typeof snapshotOf>[0]>;
  /** Overrides for subnet `app` (route table, NSG id, …). */
  appSubnet?: Partial<Parameters<typeof subnet>[3]>;
  vnetA?: Partial<Parameters<typeof vnet>[2]>;
  admin?: AdminRuleSpec[];
}

/** The base estate with the given custom rules and extra resources. */
function base(o: BaseOptions = {}): Snapshot {
  const extra = o.extra ?? {};
  const admin =
    o.admin === undefined
      ? {}
      : {
          networkGroups: [networkGroup('ng-a', ['a']), networkGroup('ng-b', ['b'])],
          securityAdminRuleCollections: [
            adminCollection('c1', ['ng-a']),
            adminCollection('c2', ['ng-a']),
            adminCollection('cb', ['ng-b']),
          ],
          securityAdminRules: o.admin.map(adminRule),
        };
  return snapshotOf({
    ...admin,
    ...extra,
    virtualNetworks: [
      vnet('a', ['10.1.0.0/16'], o.vnetA),
      vnet('b', ['10.2.0.0/16']),
      ...(extra.virtualNetworks ?? []),
    ],
    subnets: [
      subnet('a', 'web', ['10.1.1.0/24'], { networkSecurityGroupId: ids.nsg('nsg-web') }),
      subnet('a', 'app', ['10.1.2.0/24'], {
        networkSecurityGroupId: ids.nsg('nsg-app'),
        delegations: [ACI_DELEGATION],
        ...o.appSubnet,
      }),
      subnet('a', 'open', ['10.1.3.0/24']),
      subnet('b', 'db', ['10.2.1.0/24']),
      ...(extra.subnets ?? []),
    ],
    networkSecurityGroups: [
      nsg('nsg-web', o.web),
      nsg('nsg-app', o.app),
      ...(extra.networkSecurityGroups ?? []),
    ],
  });
}

const web = (host = 4) => end.subnet('a', 'web', `10.1.1.${host}`);
const app = (host = 4) => end.subnet('a', 'app', `10.1.2.${host}`);
const open = end.subnet('a', 'open', '10.1.3.4');
const db = (ip = '10.2.1.4') => end.subnet('b', 'db', ip);
const ext = end.external;
const tcp = (src: Flow['src'], dst: Flow['dst'], port = 443, srcPort = 50000) =>
  flow(src, dst, 'Tcp', port, srcPort);
const udp = (src: Flow['src'], dst: Flow['dst'], port = 443) => flow(src, dst, 'Udp', port);
const icmp = (src: Flow['src'], dst: Flow['dst']) => flow(src, dst, 'Icmp', 0, 0);

const tags = (entries: Record<string, string[]>): ServiceTags => ({
  changeNumber: '1',
  cloud: 'Public',
  tags: new Map(Object.entries(entries).map(([k, v]) => [k.toLowerCase(), v])),
});

const inbound = (
  priority: number,
  access: 'Allow' | 'Deny',
  more: Partial<Parameters<typeof rule>[0]> = {},
) => rule({ priority, direction: 'Inbound', access, ...more });
const outbound = (
  priority: number,
  access: 'Allow' | 'Deny',
  more: Partial<Parameters<typeof rule>[0]> = {},
) => rule({ priority, direction: 'Outbound', access, ...more });

const allow443FromWebThenDeny = [
  inbound(100, 'Allow', { protocol: 'Tcp', src: ['10.1.1.0/24'], dstPorts: ['443'] }),
  inbound(200, 'Deny', { src: ['10.1.1.0/24'] }),
];

const publicRangeVnet = {
  virtualNetworks: [vnet('p', ['12.0.0.0/16'])],
  subnets: [subnet('p', 'pub', ['12.0.1.0/24'], { networkSecurityGroupId: ids.nsg('nsg-pub') })],
};

const unsortedNsg: Snapshot['networkSecurityGroups'][number] = {
  ...nsg('nsg-app'),
  securityRules: [
    inbound(200, 'Deny', { src: ['10.1.1.0/24'] }),
    inbound(100, 'Allow', { src: ['10.1.1.0/24'] }),
  ],
};

export const SEMANTICS_CASES: SemanticsCase[] = [
  // --- first match by priority, default rules ---
  {
    name: 'first match: allow at 100 beats deny at 200',
    snapshot: base({ app: allow443FromWebThenDeny }),
    flow: tcp(web(), app()),
    expected: 'allow',
  },
  {
    name: 'first match: a port the allow rule does not cover falls to the deny',
    snapshot: base({ app: allow443FromWebThenDeny }),
    flow: tcp(web(), app(), 80),
    expected: 'deny',
  },
  {
    name: 'first match: deny at 100 beats allow at 200',
    snapshot: base({
      app: [inbound(100, 'Deny', { src: ['10.1.1.0/24'] }), inbound(200, 'Allow', { src: ['10.1.1.0/24'] })],
    }),
    flow: tcp(web(), app()),
    expected: 'deny',
  },
  {
    name: 'first match: priority decides, not the order of the array',
    snapshot: snapshotOf({ ...base(), networkSecurityGroups: [nsg('nsg-web'), unsortedNsg] }),
    flow: tcp(web(), app()),
    expected: 'allow',
  },
  {
    name: 'defaults: AllowVnetOutBound and AllowVnetInBound let a VNet talk to itself',
    snapshot: base(),
    flow: tcp(web(), app()),
    expected: 'allow',
  },
  {
    name: 'defaults: DenyAllInBound stops the Internet',
    snapshot: base(),
    flow: tcp(ext('8.8.8.8'), app()),
    expected: 'deny',
  },
  {
    name: 'defaults: AllowInternetOutBound lets a subnet reach the Internet',
    snapshot: base(),
    flow: tcp(app(), ext('8.8.8.8')),
    expected: 'allow',
  },
  {
    name: 'defaults: a private address outside the VNet tag is neither VirtualNetwork nor Internet',
    snapshot: base(),
    flow: tcp(app(), ext('10.9.0.1')),
    expected: 'deny',
  },
  {
    name: 'defaults: AllowAzureLoadBalancerInBound admits 168.63.129.16',
    snapshot: base(),
    flow: tcp(ext('168.63.129.16'), app(), 80),
    expected: 'allow',
  },
  {
    name: 'defaults: a custom rule at 4096 still comes before the defaults',
    snapshot: base({ app: [inbound(4096, 'Deny', { src: ['VirtualNetwork'] })] }),
    flow: tcp(web(), app()),
    expected: 'deny',
  },

  // --- *, Internet, VirtualNetwork, AzureLoadBalancer ---
  {
    name: 'Internet rule: a VNet source is not Internet',
    snapshot: base({ app: [inbound(100, 'Deny', { src: ['Internet'] })] }),
    flow: tcp(web(), app()),
    expected: 'allow',
  },
  {
    name: 'Internet rule: a public source is Internet',
    snapshot: base({ app: [inbound(100, 'Allow', { src: ['Internet'] })] }),
    flow: tcp(ext('20.1.2.3'), app()),
    expected: 'allow',
  },
  {
    name: '* rule: matches a VNet source too',
    snapshot: base({ app: [inbound(100, 'Deny', { src: ['*'] })] }),
    flow: tcp(web(), app()),
    expected: 'deny',
  },
  {
    name: 'VirtualNetwork rule: 168.63.129.16 is in VirtualNetwork',
    snapshot: base({ app: [outbound(100, 'Deny', { dst: ['VirtualNetwork'] })] }),
    flow: tcp(app(), ext('168.63.129.16')),
    expected: 'deny',
  },
  {
    name: 'Internet rule: 168.63.129.16 is not Internet (it is VirtualNetwork)',
    snapshot: base({ app: [outbound(100, 'Deny', { dst: ['Internet'] })] }),
    flow: tcp(app(), ext('168.63.129.16')),
    expected: 'allow',
  },
  {
    name: 'AzureLoadBalancer rule: matches exactly 168.63.129.16',
    snapshot: base({ app: [inbound(100, 'Allow', { src: ['AzureLoadBalancer'] }), inbound(200, 'Deny')] }),
    flow: tcp(ext('168.63.129.16'), app(), 80),
    expected: 'allow',
  },
  {
    name: 'AzureLoadBalancer rule: 168.63.129.17 is not the load balancer',
    snapshot: base({ app: [inbound(100, 'Allow', { src: ['AzureLoadBalancer'] }), inbound(200, 'Deny')] }),
    flow: tcp(ext('168.63.129.17'), app(), 80),
    expected: 'deny',
  },
  {
    name: 'Deny VirtualNetwork inbound also blocks 168.63.129.16',
    snapshot: base({ app: [inbound(100, 'Deny', { src: ['VirtualNetwork'] })] }),
    flow: tcp(ext('168.63.129.16'), app(), 80),
    expected: 'deny',
  },
  ...[
    ['10.200.0.1', 'deny'],
    ['100.64.0.1', 'deny'],
    ['100.127.255.255', 'deny'],
    ['100.63.255.255', 'allow'],
    ['100.128.0.0', 'allow'],
    ['172.16.5.5', 'deny'],
    ['172.31.255.255', 'deny'],
    ['172.32.0.1', 'allow'],
    ['192.168.1.1', 'deny'],
    ['127.0.0.1', 'deny'],
    ['169.254.169.254', 'deny'],
    ['224.0.0.1', 'deny'],
    ['240.0.0.1', 'deny'],
    ['255.255.255.255', 'deny'],
    ['0.1.2.3', 'deny'],
    ['1.0.0.0', 'allow'],
    ['8.8.8.8', 'allow'],
  ].map(([ip, expected]): SemanticsCase => ({
    name: `Internet excludes the special ranges: ${ip} → ${expected}`,
    snapshot: base({ app: [outbound(100, 'Allow', { dst: ['Internet'] }), outbound(200, 'Deny')] }),
    flow: tcp(app(), ext(ip as string)),
    expected: expected as FlowVerdict,
  })),
  {
    name: 'Internet excludes the VNet tag: a public-range VNet gap is not Internet',
    snapshot: base({
      extra: {
        ...publicRangeVnet,
        networkSecurityGroups: [nsg('nsg-pub', [outbound(100, 'Deny', { dst: ['Internet'] })])],
      },
    }),
    flow: tcp(end.subnet('p', 'pub', '12.0.1.4'), ext('12.0.2.4')),
    expected: 'allow',
  },
  {
    name: 'Internet excludes the VNet tag: outside the public-range VNet is Internet',
    snapshot: base({
      extra: {
        ...publicRangeVnet,
        networkSecurityGroups: [nsg('nsg-pub', [outbound(100, 'Deny', { dst: ['Internet'] })])],
      },
    }),
    flow: tcp(end.subnet('p', 'pub', '12.0.1.4'), ext('13.0.0.1')),
    expected: 'deny',
  },
  {
    name: 'IPv6 prefixes never match an IPv4 address',
    snapshot: base({
      app: [inbound(100, 'Deny', { src: ['::/0'] }), inbound(110, 'Deny', { src: ['fd00::/8'] })],
    }),
    flow: tcp(web(), app()),
    expected: 'allow',
  },

  // --- VirtualNetwork widened by peerings, UDRs ---
  {
    name: 'VirtualNetwork: an unpeered VNet is not in it',
    snapshot: base(),
    flow: tcp(db(), app()),
    expected: 'deny',
  },
  {
    name: 'VirtualNetwork: widened by a Connected peering with access',
    snapshot: base({ extra: { virtualNetworkPeerings: [peering('a', 'b')] } }),
    flow: tcp(db(), app()),
    expected: 'allow',
  },
  {
    name: 'VirtualNetwork: peering state compares case-insensitively',
    snapshot: base({ extra: { virtualNetworkPeerings: [peering('a', 'b', { peeringState: 'connected' })] } }),
    flow: tcp(db(), app()),
    expected: 'allow',
  },
  {
    name: 'VirtualNetwork: not widened by an Initiated peering',
    snapshot: base({ extra: { virtualNetworkPeerings: [peering('a', 'b', { peeringState: 'Initiated' })] } }),
    flow: tcp(db(), app()),
    expected: 'deny',
  },
  {
    name: 'VirtualNetwork: not widened by a peering with allowVirtualNetworkAccess false',
    snapshot: base({
      extra: { virtualNetworkPeerings: [peering('a', 'b', { allowVirtualNetworkAccess: false })] },
    }),
    flow: tcp(db(), app()),
    expected: 'deny',
  },
  {
    name: 'VirtualNetwork: the peering’s remoteAddressPrefixes win over the remote VNet’s space (inside)',
    snapshot: base({
      extra: { virtualNetworkPeerings: [peering('a', 'b', { remoteAddressPrefixes: ['10.2.1.0/24'] })] },
    }),
    flow: tcp(ext('10.2.1.9'), app()),
    expected: 'allow',
  },
  {
    name: 'VirtualNetwork: the peering’s remoteAddressPrefixes win over the remote VNet’s space (outside)',
    snapshot: base({
      extra: { virtualNetworkPeerings: [peering('a', 'b', { remoteAddressPrefixes: ['10.2.1.0/24'] })] },
    }),
    flow: tcp(ext('10.2.2.9'), app()),
    expected: 'deny',
  },
  {
    name: 'VirtualNetwork: a peering to a VNet not in the snapshot, without prefixes, is unknown',
    snapshot: base({
      extra: { virtualNetworkPeerings: [peering('a', 'gone', { remoteVirtualNetworkId: ids.vnet('gone') })] },
    }),
    flow: tcp(ext('10.77.0.1'), app()),
    expected: 'unknown',
  },
  {
    name: 'VirtualNetwork: widened by a UDR prefix whatever its next hop',
    snapshot: base({
      appSubnet: { routeTableId: ids.routeTable('rt') },
      extra: { routeTables: [routeTable('rt', [['10.50.0.0/16', 'None']])] },
    }),
    flow: tcp(ext('10.50.1.1'), app()),
    expected: 'allow',
  },
  {
    name: 'VirtualNetwork: a UDR on another subnet does not widen this one',
    snapshot: base({
      extra: {
        routeTables: [routeTable('rt', [['10.50.0.0/16', 'VirtualAppliance']])],
        subnets: [subnet('a', 'routed', ['10.1.4.0/24'], { routeTableId: ids.routeTable('rt') })],
      },
    }),
    flow: tcp(ext('10.50.1.1'), app()),
    expected: 'deny',
  },
  {
    name: 'VirtualNetwork: a 0.0.0.0/0 UDR makes it every address (Internet inbound allowed by AllowVnetInBound)',
    snapshot: base({
      appSubnet: { routeTableId: ids.routeTable('rt') },
      extra: { routeTables: [routeTable('rt', [['0.0.0.0/0', 'VirtualAppliance']])] },
    }),
    flow: tcp(ext('8.8.8.8'), app()),
    expected: 'allow',
  },
  {
    name: 'Internet: empty when a 0.0.0.0/0 UDR swallowed it into VirtualNetwork',
    snapshot: base({
      app: [outbound(100, 'Deny', { dst: ['Internet'] })],
      appSubnet: { routeTableId: ids.routeTable('rt') },
      extra: { routeTables: [routeTable('rt', [['0.0.0.0/0', 'VirtualAppliance']])] },
    }),
    flow: tcp(app(), ext('8.8.8.8')),
    expected: 'allow',
  },
  {
    name: 'VirtualNetwork: a dangling route table id makes it unknown',
    snapshot: base({ appSubnet: { routeTableId: ids.routeTable('missing') } }),
    flow: tcp(ext('10.60.0.1'), app()),
    expected: 'unknown',
  },
  {
    name: 'VirtualNetwork: a UDR service tag without a tags file is unknown for public addresses',
    snapshot: base({
      appSubnet: { routeTableId: ids.routeTable('rt') },
      extra: { routeTables: [routeTable('rt', [['Storage', 'Internet']])] },
    }),
    flow: tcp(ext('20.60.0.1'), app()),
    expected: 'unknown',
  },
  {
    name: 'VirtualNetwork: an unresolved UDR service tag never holds private addresses',
    snapshot: base({
      appSubnet: { routeTableId: ids.routeTable('rt') },
      extra: { routeTables: [routeTable('rt', [['Storage', 'Internet']])] },
    }),
    flow: tcp(ext('10.60.0.1'), app()),
    expected: 'deny',
  },
  {
    name: 'VirtualNetwork: a UDR service tag resolved by the tags file',
    snapshot: base({
      appSubnet: { routeTableId: ids.routeTable('rt') },
      extra: { routeTables: [routeTable('rt', [['Storage', 'Internet']])] },
    }),
    serviceTags: tags({ Storage: ['20.60.0.0/16', '2603:1000::/24'] }),
    flow: tcp(ext('20.60.0.1'), app()),
    expected: 'allow',
  },

  // --- protocols and ports ---
  ...(['Tcp', 'Udp', 'Icmp'] as const).map((protocol): SemanticsCase => ({
    name: `protocol * with a port: ${protocol} → ${protocol === 'Icmp' ? 'deny (ICMP has no ports)' : 'allow'}`,
    snapshot: base({ app: [inbound(100, 'Allow', { dstPorts: ['443'] }), inbound(200, 'Deny')] }),
    flow: flow(ext('8.8.8.8'), app(), protocol, 443),
    expected: protocol === 'Icmp' ? 'deny' : 'allow',
  })),
  {
    name: 'ICMP: port ranges that union to 0-65535 count as all ports',
    snapshot: base({
      app: [inbound(100, 'Allow', { dstPorts: ['1024-65535', '0-1023'] }), inbound(200, 'Deny')],
    }),
    flow: icmp(ext('8.8.8.8'), app()),
    expected: 'allow',
  },
  {
    name: 'ICMP: port ranges with a gap are not all ports',
    snapshot: base({
      app: [inbound(100, 'Allow', { dstPorts: ['0-1023', '1025-65535'] }), inbound(200, 'Deny')],
    }),
    flow: icmp(ext('8.8.8.8'), app()),
    expected: 'deny',
  },
  {
    name: 'ICMP: a restricted source port set is not all ports',
    snapshot: base({ app: [inbound(100, 'Allow', { srcPorts: ['1-65535'] }), inbound(200, 'Deny')] }),
    flow: icmp(ext('8.8.8.8'), app()),
    expected: 'deny',
  },
  {
    name: 'protocol Icmp matches ICMP',
    snapshot: base({ app: [inbound(100, 'Allow', { protocol: 'Icmp' }), inbound(200, 'Deny')] }),
    flow: icmp(ext('8.8.8.8'), app()),
    expected: 'allow',
  },
  {
    name: 'protocol Icmp does not match TCP',
    snapshot: base({ app: [inbound(100, 'Allow', { protocol: 'Icmp' }), inbound(200, 'Deny')] }),
    flow: tcp(ext('8.8.8.8'), app()),
    expected: 'deny',
  },
  {
    name: 'protocol Tcp does not match UDP',
    snapshot: base({ app: [inbound(100, 'Allow', { protocol: 'Tcp' }), inbound(200, 'Deny')] }),
    flow: udp(ext('8.8.8.8'), app()),
    expected: 'deny',
  },
  ...(['Tcp', 'Udp', 'Icmp'] as const).map((protocol): SemanticsCase => ({
    name: `ESP and AH rules match no ${protocol} flow`,
    snapshot: base({
      app: [inbound(100, 'Deny', { protocol: 'Esp' }), inbound(110, 'Deny', { protocol: 'Ah' })],
    }),
    flow: flow(web(), app(), protocol, 443),
    expected: 'allow',
  })),
  {
    name: 'source ports: an ephemeral source port matches 1024-65535',
    snapshot: base({
      app: [inbound(100, 'Allow', { srcPorts: ['1024-65535'], dstPorts: ['443'] }), inbound(200, 'Deny')],
    }),
    flow: tcp(ext('8.8.8.8'), app(), 443, 50000),
    expected: 'allow',
  },
  {
    name: 'source ports: source port 80 does not match 1024-65535',
    snapshot: base({
      app: [inbound(100, 'Allow', { srcPorts: ['1024-65535'], dstPorts: ['443'] }), inbound(200, 'Deny')],
    }),
    flow: tcp(ext('8.8.8.8'), app(), 443, 80),
    expected: 'deny',
  },
  {
    name: 'ports: plural destination ranges are a union',
    snapshot: base({ app: [inbound(100, 'Allow', { dstPorts: ['80', '8000-8010'] }), inbound(200, 'Deny')] }),
    flow: tcp(ext('8.8.8.8'), app(), 8005),
    expected: 'allow',
  },
  {
    name: 'ports: range ends are inclusive',
    snapshot: base({ app: [inbound(100, 'Allow', { dstPorts: ['8000-8010'] }), inbound(200, 'Deny')] }),
    flow: tcp(ext('8.8.8.8'), app(), 8011),
    expected: 'deny',
  },

  // --- both directions, no NSG, dangling NSG, unknown subnet ---
  {
    name: 'intra-subnet flows are filtered outbound',
    snapshot: base({ web: [outbound(100, 'Deny', { dst: ['10.1.1.0/24'] })] }),
    flow: tcp(web(4), web(5)),
    expected: 'deny',
  },
  {
    name: 'intra-subnet flows are filtered inbound',
    snapshot: base({ web: [inbound(100, 'Deny', { src: ['10.1.1.0/24'] })] }),
    flow: tcp(web(4), web(5)),
    expected: 'deny',
  },
  {
    name: 'intra-subnet flows pass the defaults',
    snapshot: base(),
    flow: tcp(web(4), web(5)),
    expected: 'allow',
  },
  {
    name: 'no NSG: the subnet admits the Internet',
    snapshot: base(),
    flow: tcp(ext('8.8.8.8'), open),
    expected: 'allow',
  },
  {
    name: 'no NSG at the destination: the source NSG still decides',
    snapshot: base({ web: [outbound(100, 'Deny', { dst: ['10.1.3.0/24'] })] }),
    flow: tcp(web(), open),
    expected: 'deny',
  },
  {
    name: 'dangling NSG: unknown',
    snapshot: base({ appSubnet: { networkSecurityGroupId: ids.nsg('missing') } }),
    flow: tcp(web(), app()),
    expected: 'unknown',
  },
  {
    name: 'dangling NSG: a definite deny on the other side still decides',
    snapshot: base({
      appSubnet: { networkSecurityGroupId: ids.nsg('missing') },
      web: [outbound(100, 'Deny')],
    }),
    flow: tcp(web(), app()),
    expected: 'deny',
  },
  {
    name: 'unknown subnet id: unknown',
    snapshot: base(),
    flow: tcp({ kind: 'subnet', subnetId: ids.subnet('a', 'nope'), ip: '10.1.9.4' }, app()),
    expected: 'unknown',
  },
  {
    name: 'unknown subnet id: a definite deny on the other side still decides',
    snapshot: base({ app: [inbound(100, 'Deny')] }),
    flow: tcp({ kind: 'subnet', subnetId: ids.subnet('a', 'nope'), ip: '10.1.9.4' }, app()),
    expected: 'deny',
  },

  // --- public container groups ---
  ...(
    [
      ['Tcp', 80, 'allow'],
      ['Tcp', 443, 'deny'],
      ['Udp', 53, 'allow'],
      ['Udp', 80, 'deny'],
      ['Tcp', 53, 'deny'],
      ['Icmp', 0, 'deny'],
    ] as const
  ).map(([protocol, port, expected]): SemanticsCase => ({
    name: `public container group admits exactly its ports: ${protocol} ${port} → ${expected}`,
    snapshot: base({
      extra: {
        containerGroups: [
          containerGroup('pub', '20.50.0.4', [
            { port: 80, protocol: 'TCP' },
            { port: 53, protocol: 'UDP' },
          ]),
        ],
      },
    }),
    flow: flow(ext('8.8.8.8'), end.publicGroup('pub'), protocol, port),
    expected,
  })),
  {
    name: 'public container group as the source has no policy',
    snapshot: base({ extra: { containerGroups: [containerGroup('pub', '20.50.0.4', [])] } }),
    flow: tcp(end.publicGroup('pub'), ext('8.8.8.8'), 25),
    expected: 'allow',
  },
  {
    name: 'public container group as the source meets the destination NSG with its own address',
    snapshot: base({
      app: [inbound(100, 'Allow', { src: ['20.50.0.4/32'] })],
      extra: { containerGroups: [containerGroup('pub', '20.50.0.4', [])] },
    }),
    flow: tcp(end.publicGroup('pub'), app()),
    expected: 'allow',
  },

  // --- AVNM security admin rules ---
  {
    name: 'admin Deny overrides an NSG allow',
    snapshot: base({
      app: [inbound(100, 'Allow', { src: ['Internet'] })],
      admin: [
        {
          collection: 'c1',
          name: 'deny-443',
          priority: 10,
          direction: 'Inbound',
          access: 'Deny',
          protocol: 'Tcp',
          dstPorts: ['443'],
        },
      ],
    }),
    flow: tcp(ext('8.8.8.8'), app()),
    expected: 'deny',
  },
  {
    name: 'admin AlwaysAllow skips an NSG deny',
    snapshot: base({
      app: [inbound(100, 'Deny')],
      admin: [
        {
          collection: 'c1',
          name: 'always',
          priority: 10,
          direction: 'Inbound',
          access: 'AlwaysAllow',
          src: ['Internet'],
        },
      ],
    }),
    flow: tcp(ext('8.8.8.8'), app()),
    expected: 'allow',
  },
  {
    name: 'admin Allow hands over to the NSG (which denies)',
    snapshot: base({
      app: [inbound(100, 'Deny')],
      admin: [{ collection: 'c1', name: 'allow', priority: 10, direction: 'Inbound', access: 'Allow' }],
    }),
    flow: tcp(web(), app()),
    expected: 'deny',
  },
  {
    name: 'admin Allow hands over to the NSG (which allows)',
    snapshot: base({
      admin: [{ collection: 'c1', name: 'allow', priority: 10, direction: 'Inbound', access: 'Allow' }],
    }),
    flow: tcp(web(), app()),
    expected: 'allow',
  },
  {
    name: 'admin rules: first match by priority (AlwaysAllow at 5 before Deny at 10)',
    snapshot: base({
      app: [inbound(100, 'Deny')],
      admin: [
        { collection: 'c1', name: 'deny', priority: 10, direction: 'Inbound', access: 'Deny' },
        { collection: 'c1', name: 'always', priority: 5, direction: 'Inbound', access: 'AlwaysAllow' },
      ],
    }),
    flow: tcp(web(), app()),
    expected: 'allow',
  },
  {
    name: 'admin rules only apply to VNets of the targeted network groups',
    snapshot: base({
      admin: [{ collection: 'cb', name: 'deny', priority: 10, direction: 'Inbound', access: 'Deny' }],
    }),
    flow: tcp(web(), app()),
    expected: 'allow',
  },
  {
    name: 'admin rules of another direction do not apply (inbound rule, source side)',
    snapshot: base({
      admin: [{ collection: 'cb', name: 'deny', priority: 10, direction: 'Inbound', access: 'Deny' }],
    }),
    flow: tcp(db(), ext('8.8.8.8')),
    expected: 'allow',
  },
  {
    name: 'admin Outbound Deny applies at the source side',
    snapshot: base({
      admin: [{ collection: 'cb', name: 'deny', priority: 10, direction: 'Outbound', access: 'Deny' }],
    }),
    flow: tcp(db(), ext('8.8.8.8')),
    expected: 'deny',
  },
  {
    name: 'admin AlwaysAllow at the source does not open the destination',
    snapshot: base({
      admin: [
        { collection: 'cb', name: 'always', priority: 10, direction: 'Outbound', access: 'AlwaysAllow' },
      ],
    }),
    flow: tcp(db(), app()),
    expected: 'deny',
  },
  {
    name: 'admin ServiceTag VirtualNetwork is read in the evaluated subnet’s context (peered: matches)',
    snapshot: base({
      app: [inbound(100, 'Allow')],
      extra: { virtualNetworkPeerings: [peering('a', 'b')] },
      admin: [
        {
          collection: 'c1',
          name: 'deny-vnet',
          priority: 10,
          direction: 'Inbound',
          access: 'Deny',
          src: ['VirtualNetwork'],
        },
      ],
    }),
    flow: tcp(db(), app()),
    expected: 'deny',
  },
  {
    name: 'admin ServiceTag VirtualNetwork is read in the evaluated subnet’s context (not peered: no match)',
    snapshot: base({
      app: [inbound(100, 'Allow')],
      admin: [
        {
          collection: 'c1',
          name: 'deny-vnet',
          priority: 10,
          direction: 'Inbound',
          access: 'Deny',
          src: ['VirtualNetwork'],
        },
      ],
    }),
    flow: tcp(db(), app()),
    expected: 'allow',
  },
  {
    name: 'admin priority tie with different outcomes (Deny vs AlwaysAllow) → unknown',
    snapshot: base({
      admin: [
        { collection: 'c1', name: 'deny', priority: 10, direction: 'Inbound', access: 'Deny' },
        { collection: 'c2', name: 'always', priority: 10, direction: 'Inbound', access: 'AlwaysAllow' },
      ],
    }),
    flow: tcp(web(), app()),
    expected: 'unknown',
  },
  {
    name: 'admin priority tie whose orders all give the same outcome (Deny vs Allow to a denying NSG) → deny',
    snapshot: base({
      app: [inbound(100, 'Deny')],
      admin: [
        { collection: 'c1', name: 'deny', priority: 10, direction: 'Inbound', access: 'Deny' },
        { collection: 'c2', name: 'allow', priority: 10, direction: 'Inbound', access: 'Allow' },
      ],
    }),
    flow: tcp(web(), app()),
    expected: 'deny',
  },
  {
    name: 'admin priority tie where only one rule matches is decided by it',
    snapshot: base({
      admin: [
        {
          collection: 'c1',
          name: 'deny-udp',
          priority: 10,
          direction: 'Inbound',
          access: 'Deny',
          protocol: 'Udp',
        },
        { collection: 'c2', name: 'always', priority: 10, direction: 'Inbound', access: 'AlwaysAllow' },
      ],
    }),
    flow: tcp(ext('8.8.8.8'), app()),
    expected: 'allow',
  },

  // --- unresolved service tags, correlation ---
  {
    name: 'unresolved service tag: unknown where it decides',
    snapshot: base({ app: [inbound(100, 'Allow', { src: ['Storage'] }), inbound(200, 'Deny')] }),
    flow: tcp(ext('20.60.0.1'), app()),
    expected: 'unknown',
  },
  {
    name: 'unresolved service tag: never holds a private address',
    snapshot: base({ app: [inbound(100, 'Allow', { src: ['Storage'] }), inbound(200, 'Deny')] }),
    flow: tcp(ext('10.9.9.9'), app()),
    expected: 'deny',
  },
  {
    name: 'unresolved service tag: an earlier definite deny decides',
    snapshot: base({
      app: [inbound(100, 'Deny', { src: ['20.0.0.0/8'] }), inbound(200, 'Allow', { src: ['Storage'] })],
    }),
    flow: tcp(ext('20.60.0.1'), app()),
    expected: 'deny',
  },
  {
    name: 'unresolved service tag: both branches lead to the same outcome',
    snapshot: base({ app: [inbound(100, 'Allow', { src: ['Storage'] }), inbound(200, 'Allow')] }),
    flow: tcp(ext('20.60.0.1'), app()),
    expected: 'allow',
  },
  {
    name: 'service tag resolved by the tags file (inside)',
    snapshot: base({ app: [inbound(100, 'Allow', { src: ['Storage'] }), inbound(200, 'Deny')] }),
    serviceTags: tags({ Storage: ['20.60.0.0/16'] }),
    flow: tcp(ext('20.60.0.1'), app()),
    expected: 'allow',
  },
  {
    name: 'service tag resolved by the tags file (outside)',
    snapshot: base({ app: [inbound(100, 'Allow', { src: ['Storage'] }), inbound(200, 'Deny')] }),
    serviceTags: tags({ Storage: ['20.60.0.0/16'] }),
    flow: tcp(ext('20.61.0.1'), app()),
    expected: 'deny',
  },
  {
    name: 'service tag names compare case-insensitively',
    snapshot: base({ app: [inbound(100, 'Allow', { src: ['STORAGE'] }), inbound(200, 'Deny')] }),
    serviceTags: tags({ Storage: ['20.60.0.0/16'] }),
    flow: tcp(ext('20.60.0.1'), app()),
    expected: 'allow',
  },
  {
    name: 'service tag absent from the tags file stays unknown',
    snapshot: base({ app: [inbound(100, 'Allow', { src: ['AzureCloud'] }), inbound(200, 'Deny')] }),
    serviceTags: tags({ Storage: ['20.60.0.0/16'] }),
    flow: tcp(ext('20.60.0.1'), app()),
    expected: 'unknown',
  },
  {
    name: 'a resolved service tag is exactly its prefixes, private ones included',
    snapshot: base({ app: [inbound(100, 'Deny', { src: ['Sql'] })] }),
    serviceTags: tags({ Sql: ['10.1.1.0/28'] }),
    flow: tcp(web(4), app()),
    expected: 'deny',
  },
  {
    name: 'the same tag on both sides is one unknown: the joint answer is deny',
    snapshot: base({
      web: [outbound(100, 'Allow', { dst: ['Storage'] }), outbound(200, 'Deny')],
      extra: {
        ...publicRangeVnet,
        networkSecurityGroups: [
          nsg('nsg-pub', [inbound(100, 'Deny', { dst: ['Storage'] }), inbound(200, 'Allow')]),
        ],
      },
    }),
    flow: tcp(web(), end.subnet('p', 'pub', '12.0.1.4')),
    expected: 'deny',
  },
  {
    name: 'the same tag in the admin layer and the NSG is one unknown: the joint answer is deny',
    snapshot: base({
      app: [inbound(100, 'Allow', { src: ['Storage'] }), inbound(200, 'Deny')],
      admin: [
        {
          collection: 'c1',
          name: 'deny-storage',
          priority: 1,
          direction: 'Inbound',
          access: 'Deny',
          src: ['Storage'],
        },
      ],
    }),
    flow: tcp(ext('20.60.0.1'), app()),
    expected: 'deny',
  },
  {
    name: 'on-prem unknown in VirtualNetwork and Internet are complementary: the joint answer is allow',
    snapshot: base({
      vnetA: { gatewayIds: [ids.gateway('gw')] },
      app: [
        inbound(100, 'Allow', { src: ['VirtualNetwork'] }),
        inbound(200, 'Allow', { src: ['Internet'] }),
        inbound(300, 'Deny'),
      ],
    }),
    flow: tcp(ext('8.8.8.8'), app()),
    expected: 'allow',
  },

  // --- ASGs ---
  {
    name: 'ASG never contains a container group address (ACI-delegated subnet)',
    snapshot: base({ app: [inbound(100, 'Allow', { dstAsgs: [ids.asg('asg-web')] }), inbound(200, 'Deny')] }),
    flow: tcp(web(), app()),
    expected: 'deny',
  },
  {
    name: 'ASG may contain a VM address: unknown',
    snapshot: base({ web: [inbound(100, 'Allow', { dstAsgs: [ids.asg('asg-web')] }), inbound(200, 'Deny')] }),
    flow: tcp(app(), web()),
    expected: 'unknown',
  },
  {
    name: 'ASG as a source, matching a non-ACI address: unknown',
    snapshot: base({ app: [inbound(100, 'Allow', { srcAsgs: [ids.asg('asg-web')] }), inbound(200, 'Deny')] }),
    flow: tcp(web(), app()),
    expected: 'unknown',
  },
  {
    name: 'ASG as a source, the source being a container group: deny',
    snapshot: base({
      app: [inbound(100, 'Allow', { srcAsgs: [ids.asg('asg-web')] }), inbound(200, 'Deny')],
      web: [inbound(100, 'Allow', { srcAsgs: [ids.asg('asg-web')] }), inbound(200, 'Deny')],
    }),
    flow: tcp(app(), web()),
    expected: 'deny',
  },

  // --- a subnet whose VNet is not in the snapshot ---
  {
    name: 'VNet missing from the snapshot: its own subnet is surely VirtualNetwork → allow',
    snapshot: snapshotOf({
      subnets: [subnet('m', 'lonely', ['10.9.1.0/24'], { networkSecurityGroupId: ids.nsg('nsg-m') })],
      networkSecurityGroups: [nsg('nsg-m')],
    }),
    flow: tcp(end.subnet('m', 'lonely', '10.9.1.4'), end.subnet('m', 'lonely', '10.9.1.5')),
    expected: 'allow',
  },
  {
    name: 'VNet missing from the snapshot: the rest of its space is unknown → AllowVnetInBound may apply',
    snapshot: snapshotOf({
      subnets: [subnet('m', 'lonely', ['10.9.1.0/24'], { networkSecurityGroupId: ids.nsg('nsg-m') })],
      networkSecurityGroups: [nsg('nsg-m')],
    }),
    flow: tcp(ext('10.9.2.4'), end.subnet('m', 'lonely', '10.9.1.4')),
    expected: 'unknown',
  },

  // --- gateways: unknown on-premises prefixes ---
  {
    name: 'gateway: an address outside the VNet may be on-premises → unknown',
    snapshot: base({ vnetA: { gatewayIds: [ids.gateway('gw')] } }),
    flow: tcp(ext('10.200.0.1'), app()),
    expected: 'unknown',
  },
  {
    name: 'gateway: the known VNet space is not unknown',
    snapshot: base({ vnetA: { gatewayIds: [ids.gateway('gw')] } }),
    flow: tcp(web(), app()),
    expected: 'allow',
  },
  {
    name: 'gateway: an earlier explicit deny decides',
    snapshot: base({
      vnetA: { gatewayIds: [ids.gateway('gw')] },
      app: [inbound(100, 'Deny', { src: ['10.200.0.0/16'] })],
    }),
    flow: tcp(ext('10.200.0.1'), app()),
    expected: 'deny',
  },
  {
    name: 'useRemoteGateways on a Connected peering brings on-prem unknowns',
    snapshot: base({ extra: { virtualNetworkPeerings: [peering('a', 'b', { useRemoteGateways: true })] } }),
    flow: tcp(ext('10.200.0.1'), app()),
    expected: 'unknown',
  },
  {
    name: 'useRemoteGateways on a Disconnected peering does not',
    snapshot: base({
      extra: {
        virtualNetworkPeerings: [
          peering('a', 'b', { useRemoteGateways: true, peeringState: 'Disconnected' }),
        ],
      },
    }),
    flow: tcp(ext('10.200.0.1'), app()),
    expected: 'deny',
  },
  {
    name: 'gateway of another VNet does not affect this subnet',
    snapshot: base({
      extra: { virtualNetworks: [vnet('c', ['10.3.0.0/16'], { gatewayIds: [ids.gateway('gw')] })] },
    }),
    flow: tcp(ext('10.200.0.1'), app()),
    expected: 'deny',
  },
];
