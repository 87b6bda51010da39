/**
 * fast-check generators of random estates (valid `Snapshot`s), service tags files and flows, in a
 * small universe of addresses and ports so that random flows keep hitting the interesting cases:
 * overlapping VNets, prefix boundaries, the platform address, tags, ASGs, admin rule ties, dangling
 * references. Each estate is built deterministically from a plan of small numbers, so fast-check
 * shrinks the plan and the shrunk estate stays valid.
 *
 * Exported for every property and differential test: `arbEstate()`, `arbServiceTags()`,
 * `arbFlowFor(snapshot)`, plus `arbFlowPlan()` / `flowFromPlan()` for tests that want flows that
 * shrink independently of their estate.
 */
import fc from 'fast-check';
import { formatIpv4, parsePrefix } from '../../src/net/address';
import type { Flow, FlowEnd, FlowProtocol } from '../../src/policy/flow';
import { IntervalSet, portDomain, type PortSet } from '../../src/net/interval-set';
import type { ServiceTags } from '../../src/policy/words/service-tags';
import type {
  ContainerPort,
  Protocol,
  SecurityAdminRule,
  SecurityRule,
  Snapshot,
  Subnet,
} from '../../src/model/snapshot';
import {
  ACI_DELEGATION,
  adminCollection,
  containerGroup,
  ids,
  networkGroup,
  nsg,
  peering,
  routeTable,
  snapshotOf,
  subnet,
  vnet,
} from '../oracle/tiny-estate';

// ---------------------------------------------------------------------------------------------
// The universe
// ---------------------------------------------------------------------------------------------

/** VNet address spaces: few, so that two VNets often share one (overlapping, unpeered); 12/22 is public. */
const VNET_SPACES = ['10.0.0.0/22', '10.0.4.0/22', '12.0.0.0/22', '192.168.0.0/22'] as const;
const SECOND_SPACES = ['10.0.8.0/24', '100.64.0.0/24', 'fd00:0:0:1::/64'] as const;

/** Address words outside the VNet spaces, but near them or meaningful to the semantics. */
const EXTRA_PREFIXES = [
  '0.0.0.0/0',
  '10.0.0.0/8',
  '10.0.0.0/21',
  '12.0.1.0/24',
  '20.50.0.0/24',
  '20.50.0.4/32',
  '20.60.0.0/16',
  '52.0.0.0/16',
  '8.8.8.0/24',
  '100.64.0.0/10',
  '168.63.129.16/32',
  '192.168.0.0/16',
  'fd00::/8',
  '2001:db8::/32',
] as const;

const CONTEXT_WORDS = ['*', 'VirtualNetwork', 'Internet', 'AzureLoadBalancer'];
/** Service tags as rules write them (the importer keeps their case: `storage` is the same tag). */
const RULE_TAGS = ['Storage', 'storage', 'AzureCloud', 'Sql'];
/** Service tags that may appear in admin rules and UDRs (not `*`; UDRs take no context tags either). */
const SERVICE_TAGS = ['Storage', 'AzureCloud', 'Sql'] as const;

const PORT_WORDS = [
  '*',
  '0',
  '1',
  '22',
  '80',
  '443',
  '8080',
  '65535',
  '0-1023',
  '1024-65535',
  '1-65535',
  '0-65535',
  '22-80',
  '80-443',
  '443-8080',
  '8080-65535',
] as const;

const PUBLIC_GROUP_IPS = ['20.50.0.4', '20.50.0.5'];
const PUBLIC_GROUP_PORTS: ContainerPort[] = [
  { port: 80, protocol: 'TCP' },
  { port: 443, protocol: 'TCP' },
  { port: 443, protocol: 'UDP' },
  { port: 53, protocol: 'UDP' },
  { port: 8080, protocol: 'TCP' },
];

/** Flow addresses outside every VNet space: public, special-range, platform, and near the VNet spaces. */
const OUTSIDE_ADDRESSES = [
  '8.8.8.8',
  '20.50.0.4',
  '20.50.0.9',
  '20.60.1.1',
  '52.0.0.1',
  '12.0.4.0',
  '11.255.255.255',
  '168.63.129.16',
  '168.63.129.17',
  '169.254.169.254',
  '10.0.8.1',
  '10.0.3.255',
  '10.255.255.255',
  '100.64.0.1',
  '100.63.255.255',
  '172.16.0.1',
  '172.32.0.1',
  '192.168.4.0',
  '127.0.0.1',
  '224.0.0.1',
  '255.255.255.255',
  '0.0.0.0',
];

const FLOW_PORTS = [0, 1, 22, 53, 79, 80, 81, 443, 444, 1023, 1024, 8080, 50000, 65534, 65535];

// ---------------------------------------------------------------------------------------------
// Plans: plain data fast-check generates and shrinks
// ---------------------------------------------------------------------------------------------

/** A CIDR from the universe: a piece of a VNet space (/22, a /24 quarter, /25, /28, /32s) or an extra. */
const arbCidr: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({
        space: fc.nat(VNET_SPACES.length - 1),
        quarter: fc.nat(3),
        kind: fc.constantFrom('/22', '/24', '/25', '/28', '.4', '.5', '.255'),
      })
      .map(({ space, quarter, kind }) => {
        const start = prefixStart(VNET_SPACES[space] as string) + quarter * 256;
        if (kind === '/22') return VNET_SPACES[space] as string;
        if (kind.startsWith('/')) return `${formatIpv4(kind === '/28' ? start + 16 : start)}${kind}`;
        return `${formatIpv4(start + Number(kind.slice(1)))}/32`;
      }),
  },
  { weight: 1, arbitrary: fc.constantFrom(...EXTRA_PREFIXES) },
);

/** A tag word: mostly `*`/VirtualNetwork/Internet/AzureLoadBalancer, sometimes a service tag. */
const arbTagWord: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...CONTEXT_WORDS) },
  { weight: 1, arbitrary: fc.constantFrom(...RULE_TAGS) },
);
const arbAddressWord: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: arbTagWord },
  { weight: 3, arbitrary: arbCidr },
);

interface AddressPlan {
  prefixes: string[];
  asgs: number[];
}

const arbAddressField: fc.Arbitrary<AddressPlan> = fc.oneof(
  { weight: 3, arbitrary: arbTagWord.map((w) => ({ prefixes: [w], asgs: [] })) },
  {
    weight: 4,
    arbitrary: fc
      .uniqueArray(arbCidr, { minLength: 1, maxLength: 3 })
      .map((p) => ({ prefixes: p, asgs: [] })),
  },
  { weight: 2, arbitrary: fc.nat(1).map((a) => ({ prefixes: [], asgs: [a] })) },
  {
    weight: 1,
    arbitrary: fc.record({
      prefixes: fc.uniqueArray(arbAddressWord, { minLength: 1, maxLength: 2 }),
      asgs: fc.uniqueArray(fc.nat(1), { minLength: 0, maxLength: 2 }),
    }),
  },
);

const arbPorts: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<string[]>(['*']) },
  { weight: 4, arbitrary: fc.uniqueArray(fc.constantFrom(...PORT_WORDS), { minLength: 1, maxLength: 3 }) },
);
const arbSourcePorts: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 5, arbitrary: fc.constant<string[]>(['*']) },
  { weight: 1, arbitrary: arbPorts },
);

const arbProtocol: fc.Arbitrary<Protocol> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Protocol>('*') },
  { weight: 3, arbitrary: fc.constant<Protocol>('Tcp') },
  { weight: 2, arbitrary: fc.constant<Protocol>('Udp') },
  { weight: 1, arbitrary: fc.constantFrom<Protocol>('Icmp', 'Esp', 'Ah') },
);

interface RulePlan {
  slot: number;
  access: 'Allow' | 'Deny';
  protocol: Protocol;
  src: AddressPlan;
  dst: AddressPlan;
  srcPorts: string[];
  dstPorts: string[];
}

const arbRule: fc.Arbitrary<RulePlan> = fc.record({
  slot: fc.nat(39),
  access: fc.constantFrom('Allow', 'Deny'),
  protocol: arbProtocol,
  src: arbAddressField,
  dst: arbAddressField,
  srcPorts: arbSourcePorts,
  dstPorts: arbPorts,
});
// size 'max': without it fast-check's small-size bias never reaches 12 rules.
const arbRules = fc.uniqueArray(arbRule, { maxLength: 12, selector: (r) => r.slot, size: 'max' });

/** Which NSG (or route table) a subnet points at: one of the estate's, none, or a dangling id. */
type RefPlan = number | 'none' | 'dangling';
const arbRef = (noneWeight: number): fc.Arbitrary<RefPlan> =>
  fc.oneof(
    { weight: 24, arbitrary: fc.nat(2) },
    { weight: noneWeight, arbitrary: fc.constant<RefPlan>('none') },
    { weight: 1, arbitrary: fc.constant<RefPlan>('dangling') },
  );

interface SubnetPlan {
  quarter: number;
  half: boolean;
  aci: boolean;
  nsg: RefPlan;
  routeTable: RefPlan;
  groups: number;
}

const arbSubnet: fc.Arbitrary<SubnetPlan> = fc.record({
  quarter: fc.nat(3),
  half: fc.boolean(),
  aci: fc.boolean(),
  nsg: arbRef(5),
  routeTable: arbRef(40),
  groups: fc.nat(2),
});

interface VnetPlan {
  space: number;
  second: number | null;
  gateway: boolean;
  subnets: SubnetPlan[];
}

const arbVnet: fc.Arbitrary<VnetPlan> = fc.record({
  space: fc.nat(VNET_SPACES.length - 1),
  second: fc.option(fc.nat(SECOND_SPACES.length - 1), { freq: 3 }),
  // A gateway (unknown on-premises prefixes) on about one VNet in eight.
  gateway: fc.oneof(
    { weight: 7, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
  subnets: fc.uniqueArray(arbSubnet, { minLength: 1, maxLength: 4, selector: (s) => s.quarter }),
});

interface PeeringPlan {
  from: number;
  to: number;
  state: string;
  access: boolean;
  useRemoteGateways: boolean;
  remote: 'null' | 'remote' | 'partial';
}

const arbPeering: fc.Arbitrary<PeeringPlan> = fc.record({
  from: fc.nat(2),
  to: fc.nat(3), // 3: a VNet that is not in the snapshot
  state: fc.constantFrom('Connected', 'Connected', 'Connected', 'connected', 'Initiated', 'Disconnected'),
  access: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  useRemoteGateways: fc.oneof(
    { weight: 5, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
  remote: fc.constantFrom('null', 'remote', 'remote', 'partial'),
});

const arbRoute = fc.record({
  prefix: fc.oneof(
    { weight: 5, arbitrary: arbCidr },
    { weight: 1, arbitrary: fc.constant('0.0.0.0/0') },
    { weight: 1, arbitrary: fc.constantFrom(...SERVICE_TAGS) },
  ),
  nextHop: fc.constantFrom('VirtualAppliance', 'VnetLocal', 'Internet', 'None', 'VirtualNetworkGateway'),
});

interface AdminAddressPlan {
  type: 'IPPrefix' | 'ServiceTag';
  word: string;
}

const arbAdminAddress: fc.Arbitrary<AdminAddressPlan> = fc.oneof(
  { weight: 5, arbitrary: fc.constant<AdminAddressPlan>({ type: 'IPPrefix', word: '*' }) },
  { weight: 3, arbitrary: arbCidr.map((word): AdminAddressPlan => ({ type: 'IPPrefix', word })) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('VirtualNetwork', 'Internet', 'AzureLoadBalancer', ...SERVICE_TAGS)
      .map((word): AdminAddressPlan => ({ type: 'ServiceTag', word })),
  },
);

interface AdminRulePlan {
  priority: number;
  direction: 'Inbound' | 'Outbound';
  access: SecurityAdminRule['access'];
  protocol: Protocol;
  sources: AdminAddressPlan[];
  destinations: AdminAddressPlan[];
  srcPorts: string[];
  dstPorts: string[];
}

const arbAdminRule: fc.Arbitrary<AdminRulePlan> = fc.record({
  priority: fc.constantFrom(1, 2, 3, 10),
  direction: fc.constantFrom('Inbound', 'Outbound') as fc.Arbitrary<'Inbound' | 'Outbound'>,
  access: fc.constantFrom('Allow', 'AlwaysAllow', 'Deny') as fc.Arbitrary<SecurityAdminRule['access']>,
  protocol: fc.oneof(
    { weight: 3, arbitrary: fc.constant<Protocol>('*') },
    { weight: 2, arbitrary: arbProtocol },
  ),
  sources: fc.array(arbAdminAddress, { minLength: 1, maxLength: 2 }),
  destinations: fc.array(arbAdminAddress, { minLength: 1, maxLength: 2 }),
  srcPorts: arbSourcePorts,
  dstPorts: fc.oneof(
    { weight: 2, arbitrary: fc.constant<string[]>(['*']) },
    { weight: 1, arbitrary: arbPorts },
  ),
});

const arbCollection = fc.record({
  groups: fc.uniqueArray(fc.nat(1), { minLength: 1, maxLength: 2 }),
  rules: fc.uniqueArray(arbAdminRule, { maxLength: 4, selector: (r) => r.priority }),
});

interface EstatePlan {
  vnets: VnetPlan[];
  nsgs: { inbound: RulePlan[]; outbound: RulePlan[] }[];
  routeTables: { prefix: string; nextHop: string }[][];
  peerings: PeeringPlan[];
  publicGroups: ContainerPort[][];
  networkGroups: number[][];
  collections: { groups: number[]; rules: AdminRulePlan[] }[];
}

const arbEstatePlan: fc.Arbitrary<EstatePlan> = fc.record({
  vnets: fc.array(arbVnet, { minLength: 1, maxLength: 3 }),
  nsgs: fc.array(fc.record({ inbound: arbRules, outbound: arbRules }), { minLength: 1, maxLength: 3 }),
  routeTables: fc.array(fc.array(arbRoute, { maxLength: 3 }), { maxLength: 2 }),
  peerings: fc.array(arbPeering, { maxLength: 4 }),
  publicGroups: fc.array(fc.uniqueArray(fc.constantFrom(...PUBLIC_GROUP_PORTS), { maxLength: 3 }), {
    maxLength: PUBLIC_GROUP_IPS.length,
  }),
  networkGroups: fc.array(fc.uniqueArray(fc.nat(2), { minLength: 1, maxLength: 3 }), {
    minLength: 1,
    maxLength: 2,
  }),
  // No admin rules in a quarter of the estates; else two or three collections, so that priorities tie.
  collections: fc.oneof(
    { weight: 1, arbitrary: fc.constant<EstatePlan['collections']>([]) },
    { weight: 3, arbitrary: fc.array(arbCollection, { minLength: 2, maxLength: 3 }) },
  ),
});

// ---------------------------------------------------------------------------------------------
// Plan → snapshot
// ---------------------------------------------------------------------------------------------

function prefixStart(cidr: string): number {
  const p = parsePrefix(cidr);
  if (p === null || p.family !== 4) throw new Error(`not an IPv4 prefix: ${cidr}`);
  return p.start;
}

const byId = <T extends { id: string }>(items: T[]): T[] =>
  [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

function ruleFrom(plan: RulePlan, direction: 'Inbound' | 'Outbound'): SecurityRule {
  return {
    name: `r${plan.slot}-${direction.toLowerCase()}`,
    description: null,
    priority: 100 + plan.slot * 100,
    direction,
    access: plan.access,
    protocol: plan.protocol,
    sourceAddressPrefixes: plan.src.prefixes,
    sourcePortRanges: plan.srcPorts,
    destinationAddressPrefixes: plan.dst.prefixes,
    destinationPortRanges: plan.dstPorts,
    sourceApplicationSecurityGroupIds: plan.src.asgs.map((a) => ids.asg(`asg${a}`)),
    destinationApplicationSecurityGroupIds: plan.dst.asgs.map((a) => ids.asg(`asg${a}`)),
  };
}

/** Builds the snapshot a plan describes (deterministic; validated by the zod schema). */
function estateFromPlan(plan: EstatePlan): Snapshot {
  const vnetName = (i: number): string => `v${i}`;
  const nsgCount = plan.nsgs.length;
  const tableCount = plan.routeTables.length;
  const ref = (r: RefPlan, count: number, id: (name: string) => string, prefix: string): string | null => {
    if (r === 'none') return null;
    if (r === 'dangling' || count === 0) return id('dangling');
    return id(`${prefix}${r % count}`);
  };

  const virtualNetworks = plan.vnets.map((v, i) => {
    const space = VNET_SPACES[v.space] as string;
    const second = v.second === null ? [] : [SECOND_SPACES[v.second] as string];
    return vnet(vnetName(i), [space, ...second], { gatewayIds: v.gateway ? [ids.gateway(`gw${i}`)] : [] });
  });

  const subnets: Subnet[] = [];
  const containerGroups = [];
  for (const [i, v] of plan.vnets.entries()) {
    for (const s of v.subnets) {
      const start = prefixStart(VNET_SPACES[v.space] as string) + s.quarter * 256;
      const cidr = `${formatIpv4(start)}/${s.half ? 25 : 24}`;
      const sn = subnet(vnetName(i), `s${s.quarter}`, [cidr], {
        networkSecurityGroupId: ref(s.nsg, nsgCount, ids.nsg, 'n'),
        routeTableId: ref(s.routeTable, tableCount, ids.routeTable, 'rt'),
        delegations: s.aci ? [ACI_DELEGATION] : [],
      });
      subnets.push(sn);
      if (s.aci)
        for (let g = 0; g < s.groups; g++)
          containerGroups.push(
            containerGroup(
              `cg-v${i}-s${s.quarter}-${g}`,
              formatIpv4(start + 4 + g),
              [{ port: 8080, protocol: 'TCP' }],
              sn.id,
            ),
          );
    }
  }
  plan.publicGroups.forEach((ports, g) =>
    containerGroups.push(containerGroup(`public${g}`, PUBLIC_GROUP_IPS[g] as string, ports)),
  );

  const networkSecurityGroups = plan.nsgs.map((n, i) =>
    nsg(`n${i}`, [
      ...n.inbound.map((r) => ruleFrom(r, 'Inbound')),
      ...n.outbound.map((r) => ruleFrom(r, 'Outbound')),
    ]),
  );
  const routeTables = plan.routeTables.map((routes, i) =>
    routeTable(
      `rt${i}`,
      routes.map((r) => [r.prefix, r.nextHop]),
    ),
  );

  const virtualNetworkPeerings = plan.peerings.flatMap((p, k) => {
    if (p.from >= virtualNetworks.length || p.from === p.to) return [];
    const local = vnetName(p.from);
    const remoteVnet = virtualNetworks[p.to];
    const remoteName = remoteVnet === undefined ? 'gone' : vnetName(p.to);
    const remoteAddressPrefixes =
      p.remote === 'null'
        ? null
        : p.remote === 'partial'
          ? ['10.0.4.0/24']
          : (remoteVnet?.addressPrefixes ?? ['10.9.0.0/16']);
    const made = peering(local, remoteName, {
      remoteAddressPrefixes,
      peeringState: p.state,
      allowVirtualNetworkAccess: p.access,
      useRemoteGateways: p.useRemoteGateways,
    });
    return [{ ...made, id: ids.peering(local, `p${k}`), name: `p${k}` }];
  });

  const networkGroups = plan.networkGroups.map((members, g) =>
    networkGroup(`ng${g}`, members.filter((m) => m < virtualNetworks.length).map(vnetName)),
  );
  const securityAdminRuleCollections = plan.collections.map((c, k) =>
    adminCollection(
      `c${k}`,
      c.groups.map((g) => `ng${g}`),
    ),
  );
  const securityAdminRules: SecurityAdminRule[] = plan.collections.flatMap((c, k) =>
    c.rules.map((r, j) => ({
      id: ids.adminRule(`c${k}`, `rule${j}`),
      name: `rule${j}`,
      resourceGroup: 'rg',
      subscriptionId: '00000000-0000-0000-0000-000000000001',
      ruleCollectionId: ids.collection(`c${k}`),
      priority: r.priority,
      direction: r.direction,
      access: r.access,
      protocol: r.protocol,
      sources: r.sources.map((a) => ({ addressPrefix: a.word, addressPrefixType: a.type })),
      destinations: r.destinations.map((a) => ({ addressPrefix: a.word, addressPrefixType: a.type })),
      sourcePortRanges: r.srcPorts,
      destinationPortRanges: r.dstPorts,
    })),
  );

  return snapshotOf({
    virtualNetworks: byId(virtualNetworks),
    subnets: byId(subnets),
    virtualNetworkPeerings: byId(virtualNetworkPeerings),
    networkSecurityGroups: byId(networkSecurityGroups),
    routeTables: byId(routeTables),
    applicationSecurityGroups: [0, 1].map((a) => ({
      id: ids.asg(`asg${a}`),
      name: `asg${a}`,
      resourceGroup: 'rg',
      subscriptionId: '00000000-0000-0000-0000-000000000001',
      location: 'westeurope',
    })),
    containerGroups: byId(containerGroups),
    networkGroups: byId(networkGroups),
    securityAdminRuleCollections: byId(securityAdminRuleCollections),
    securityAdminRules: byId(securityAdminRules),
  });
}

/** A random valid estate (see the file comment for its universe). */
export function arbEstate(): fc.Arbitrary<Snapshot> {
  return arbEstatePlan.map(estateFromPlan);
}

// ---------------------------------------------------------------------------------------------
// Service tags files
// ---------------------------------------------------------------------------------------------

const TAG_FILE_CHOICES: Record<string, string[][]> = {
  storage: [['20.60.0.0/16'], ['20.60.0.0/16', '2603:1000::/24'], ['12.0.1.0/24', '20.50.0.0/25'], []],
  azurecloud: [
    ['20.0.0.0/8', '52.0.0.0/8'],
    ['8.8.8.0/24', '168.63.129.16/32'],
  ],
  // A file says what it says: a resolved tag may hold private addresses too.
  sql: [['10.0.1.0/24'], ['20.50.0.4/32']],
};

/** No file (undefined), or a file that resolves some of the universe's tags (others stay unknown). */
export function arbServiceTags(): fc.Arbitrary<ServiceTags | undefined> {
  const entry = (name: string): fc.Arbitrary<[string, string[]] | null> =>
    fc.option(
      fc.constantFrom(...(TAG_FILE_CHOICES[name] ?? [])).map((p): [string, string[]] => [name, p]),
      {
        nil: null,
      },
    );
  return fc.option(
    fc.tuple(entry('storage'), entry('azurecloud'), entry('sql')).map((entries): ServiceTags => ({
      changeNumber: '42',
      cloud: 'Public',
      tags: new Map(entries.filter((e): e is [string, string[]] => e !== null)),
    })),
    { nil: undefined, freq: 2 },
  );
}

// ---------------------------------------------------------------------------------------------
// Flows
// ---------------------------------------------------------------------------------------------

export interface EndPlan {
  kind: 'subnet' | 'external' | 'publicContainerGroup' | 'unknownSubnet';
  pick: number;
  address: number;
}

export interface FlowPlan {
  src: EndPlan;
  dst: EndPlan;
  protocol: FlowProtocol;
  srcPort: number;
  dstPort: number;
}

const arbEndPlan: fc.Arbitrary<EndPlan> = fc.record({
  kind: fc.oneof(
    { weight: 30, arbitrary: fc.constant<EndPlan['kind']>('subnet') },
    { weight: 18, arbitrary: fc.constant<EndPlan['kind']>('external') },
    { weight: 6, arbitrary: fc.constant<EndPlan['kind']>('publicContainerGroup') },
    { weight: 1, arbitrary: fc.constant<EndPlan['kind']>('unknownSubnet') },
  ),
  pick: fc.nat(11),
  address: fc.nat(1000),
});

const arbFlowPort: fc.Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FLOW_PORTS) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 65535 }) },
);

/** A flow plan, resolved against an estate by `flowFromPlan`. */
export function arbFlowPlan(): fc.Arbitrary<FlowPlan> {
  return fc.record({
    src: arbEndPlan,
    dst: arbEndPlan,
    protocol: fc.oneof(
      { weight: 3, arbitrary: fc.constant<FlowProtocol>('Tcp') },
      { weight: 2, arbitrary: fc.constant<FlowProtocol>('Udp') },
      { weight: 1, arbitrary: fc.constant<FlowProtocol>('Icmp') },
    ),
    srcPort: arbFlowPort,
    dstPort: arbFlowPort,
  });
}

function ipv4Range(cidr: string): { start: number; end: number } | null {
  const p = parsePrefix(cidr);
  return p === null || p.family !== 4 ? null : { start: p.start, end: p.end };
}

const outsideCache = new WeakMap<Snapshot, string[]>();

/** Addresses that lie in no subnet of the estate: the outside list, subnet neighbours, VNet gaps. */
function outsideAddresses(snapshot: Snapshot): string[] {
  const cached = outsideCache.get(snapshot);
  if (cached !== undefined) return cached;
  const computed = computeOutsideAddresses(snapshot);
  outsideCache.set(snapshot, computed);
  return computed;
}

function computeOutsideAddresses(snapshot: Snapshot): string[] {
  const ranges = snapshot.subnets.flatMap((s) => s.addressPrefixes.map(ipv4Range)).filter((r) => r !== null);
  const near = ranges.flatMap((r) => [r.start - 1, r.end + 1]);
  const gaps = snapshot.virtualNetworks
    .flatMap((v) => v.addressPrefixes.map(ipv4Range))
    .filter((r) => r !== null)
    .flatMap((r) => [r.start, r.start + 200, r.start + 3 * 256 + 200, r.end]);
  const candidates = [
    ...OUTSIDE_ADDRESSES,
    ...[...near, ...gaps].filter((n) => n >= 0 && n <= 0xffffffff).map(formatIpv4),
  ];
  const inSubnet = (ip: string): boolean => {
    const p = ipv4Range(ip);
    return p !== null && ranges.some((r) => r.start <= p.start && p.start <= r.end);
  };
  return [...new Set(candidates)].filter((ip) => !inSubnet(ip));
}

/** An address inside a subnet: its edges, the container-group hosts .4/.5, or another one. */
function addressInSubnet(s: Subnet, choice: number): string {
  const r = s.addressPrefixes.map(ipv4Range).find((x) => x !== null);
  if (r === undefined) throw new Error(`subnet ${s.id} has no IPv4 prefix`);
  const size = r.end - r.start + 1;
  const offsets = [0, 1, 4, 5, 6, size - 2, size - 1];
  const offset = offsets[choice % (offsets.length + 1)] ?? (choice * 37) % size;
  return formatIpv4(r.start + offset);
}

function endFromPlan(snapshot: Snapshot, plan: EndPlan): FlowEnd {
  const outside = outsideAddresses(snapshot);
  const external = (): FlowEnd => ({
    kind: 'external',
    ip: outside[plan.address % outside.length] as string,
  });
  switch (plan.kind) {
    case 'external':
      return external();
    case 'unknownSubnet':
      return {
        kind: 'subnet',
        subnetId: ids.subnet('v9', 'ghost'),
        ip: outside[plan.address % outside.length] as string,
      };
    case 'publicContainerGroup': {
      const groups = snapshot.containerGroups.filter(
        (g) => g.ipAddress?.type === 'Public' && g.ipAddress.ip !== null,
      );
      const group = groups[plan.pick % Math.max(groups.length, 1)];
      return group === undefined ? external() : { kind: 'publicContainerGroup', containerGroupId: group.id };
    }
    case 'subnet': {
      const s = snapshot.subnets[plan.pick % snapshot.subnets.length];
      return s === undefined
        ? external()
        : { kind: 'subnet', subnetId: s.id, ip: addressInSubnet(s, plan.address) };
    }
  }
}

/** Resolves a flow plan against an estate: a `subnet` end's address always lies in that subnet. */
export function flowFromPlan(snapshot: Snapshot, plan: FlowPlan): Flow {
  // Two external ends meet no policy at all; make the destination a subnet to keep the flow useful.
  const dst: EndPlan =
    plan.src.kind === 'external' && plan.dst.kind === 'external' ? { ...plan.dst, kind: 'subnet' } : plan.dst;
  // A flow from an address to itself is not a network flow (docs/semantics.md decision 6): move the destination.
  const src = endFromPlan(snapshot, plan.src);
  let dstEnd = endFromPlan(snapshot, dst);
  for (let bump = 1; bump <= 8 && endIp(snapshot, dstEnd) === endIp(snapshot, src); bump++) {
    dstEnd = endFromPlan(snapshot, {
      ...dst,
      address: dst.address + bump,
      kind: bump > 4 ? 'external' : dst.kind,
    });
  }
  return {
    src,
    dst: dstEnd,
    protocol: plan.protocol,
    srcPort: plan.srcPort,
    dstPort: plan.dstPort,
  };
}

function endIp(snapshot: Snapshot, end: FlowEnd): string | null {
  if (end.kind !== 'publicContainerGroup') return end.ip;
  return snapshot.containerGroups.find((g) => g.id === end.containerGroupId)?.ipAddress?.ip ?? null;
}

/** A random flow whose ends and addresses come from the estate (its subnets, groups, neighbours). */
export function arbFlowFor(snapshot: Snapshot): fc.Arbitrary<Flow> {
  return arbFlowPlan().map((plan) => flowFromPlan(snapshot, plan));
}

/** A port, often an edge case (0, 65535, well-known ports). */
export const arbPort: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 1, 22, 80, 443, 1024, 65535),
  fc.integer({ min: 0, max: 65535 }),
);

/** A port set of one to `maxIntervals` random intervals (overlapping or not). */
export function arbPortSet(maxIntervals = 3): fc.Arbitrary<PortSet> {
  return fc
    .array(
      fc
        .tuple(arbPort, arbPort)
        .map(([a, b]) => (a <= b ? ([a, b] as [number, number]) : ([b, a] as [number, number]))),
      { minLength: 1, maxLength: maxIntervals },
    )
    .map((l) => IntervalSet.of(portDomain, l));
}
