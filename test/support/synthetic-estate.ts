/**
 * A seeded generator of synthetic Azure estates in the raw ARM REST shape (list pages of
 * `{"value": [...]}` with nested `properties`), for tests and the benchmark.
 *
 * - Deterministic: the same options give byte-identical pages. Every resource draws from its own
 *   random stream (seeded from the seed and the resource's position), so the output does not
 *   depend on the page size and pages can be produced lazily, one at a time.
 * - Realistic in size and shape: ids, names, `type`, `etag`, `location`, `properties` with
 *   `provisioningState`, full rule properties with the empty plural arrays ARM returns, the six
 *   `defaultSecurityRules` (about 650 bytes of compact JSON per custom rule).
 * - Layout: VNet v is 10.v.0.0/16; its subnet s is 10.v.s.0/24, delegated to ACI, with its own
 *   NSG; container group k of that subnet is 10.v.s.(4+k). With `hubSpoke`, VNet 0 is the hub,
 *   peered both ways with every other VNet, and the appliance at 10.0.255.4 is the next hop of
 *   the `0.0.0.0/0` route tables.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

// ---------------------------------------------------------------------------------------------
// Options

/** How rules are made; fractions are probabilities per rule (or per address field). */
export interface RuleMix {
  /** Remote side names single container-group IPs (`/32`, written as bare IPs the way people do). */
  singleIp: number;
  /** Remote side names other subnets' prefixes. */
  otherSubnet: number;
  /** Remote side is `*`, `VirtualNetwork`, `Internet`, `AzureLoadBalancer` or another service tag. */
  tag: number;
  /** (The rest of the remote sides are public prefixes, /16 to /28.) Share of prefix sides written as a plural list. */
  pluralPrefixes: number;
  /** Share of rules that allow (the rest deny). */
  allow: number;
  /** Destination port shapes: `*`, one port, a range, a plural list; weights. */
  ports: { any: number; single: number; range: number; list: number };
  /** Protocol weights. */
  protocols: { Tcp: number; Udp: number; Any: number; Icmp: number };
}

export interface EstateOptions {
  seed: number;
  vnets: number;
  subnetsPerVnet: number;
  /** Container-group slots per subnet; a `publicFraction` of them become public groups outside any subnet. */
  containerGroupsPerSubnet: number;
  /** Custom rules per NSG, split between directions (inbound gets the odd one). */
  rulesPerNsg: number;
  mix?: Partial<RuleMix>;
  /** Peer VNet 0 with every other VNet, both ways (default true). */
  hubSpoke?: boolean;
  /** Share of subnets associated with their VNet's `0.0.0.0/0` route table (default 0.2). */
  routeTableFraction?: number;
  /** Share of container-group slots that are public groups (default 0.02). */
  publicFraction?: number;
  /** Most resources per page (default 100). */
  pageSize?: number;
  /** Default `00000000-0000-0000-0000-00000000e57a` (fake). */
  subscriptionId?: string;
  /** Default `westeurope`. */
  location?: string;
}

export const DEFAULT_MIX: RuleMix = {
  singleIp: 0.02,
  otherSubnet: 0.35,
  tag: 0.3,
  pluralPrefixes: 0.15,
  allow: 0.7,
  ports: { any: 0.15, single: 0.5, range: 0.2, list: 0.15 },
  protocols: { Tcp: 0.6, Udp: 0.15, Any: 0.15, Icmp: 0.1 },
};

/** Named sizes: `small` for unit tests, `typical` and `heavy` for the benchmark. */
export const PRESETS = {
  small: { seed: 1, vnets: 2, subnetsPerVnet: 5, containerGroupsPerSubnet: 5, rulesPerNsg: 20 },
  typical: {
    seed: 1,
    vnets: 20,
    subnetsPerVnet: 100,
    containerGroupsPerSubnet: 10,
    rulesPerNsg: 100,
    mix: { singleIp: 0.02 },
  },
  heavy: {
    seed: 1,
    vnets: 20,
    subnetsPerVnet: 100,
    containerGroupsPerSubnet: 10,
    rulesPerNsg: 1000,
    mix: { singleIp: 0.25 },
  },
} as const satisfies Record<string, EstateOptions>;

export type PresetName = keyof typeof PRESETS;

/** One output file: its name (e.g. `network-security-groups-0003.json`) and its JSON. */
export interface EstatePage {
  name: string;
  json: { value: unknown[] };
}

/** What an estate holds, computed without generating it. */
export interface EstateCounts {
  virtualNetworks: number;
  subnets: number;
  networkSecurityGroups: number;
  customRules: number;
  routeTables: number;
  peerings: number;
  containerGroups: number;
  publicContainerGroups: number;
}

interface Resolved {
  seed: number;
  vnets: number;
  subnetsPerVnet: number;
  groupsPerSubnet: number;
  rulesPerNsg: number;
  mix: RuleMix;
  hubSpoke: boolean;
  routeTableFraction: number;
  publicFraction: number;
  pageSize: number;
  sub: string;
  location: string;
}

function resolve(o: EstateOptions): Resolved {
  const intIn = (name: string, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new RangeError(`${name} must be an integer in ${lo}..${hi}, got ${v}`);
  };
  intIn('seed', o.seed, 0, 0xffffffff);
  intIn('vnets', o.vnets, 1, 256);
  intIn('subnetsPerVnet', o.subnetsPerVnet, 1, 250); // 10.v.255.0/24 stays free for the appliance
  intIn('containerGroupsPerSubnet', o.containerGroupsPerSubnet, 0, 250); // .4 to .253
  // Priorities 100–4096 give 3,997 per direction; Azure allows 1,000 rules per NSG.
  intIn('rulesPerNsg', o.rulesPerNsg, 0, 2000);
  intIn('pageSize', o.pageSize ?? 100, 1, 1_000_000);
  const mix: RuleMix = {
    ...DEFAULT_MIX,
    ...o.mix,
    ports: { ...DEFAULT_MIX.ports, ...o.mix?.ports },
    protocols: { ...DEFAULT_MIX.protocols, ...o.mix?.protocols },
  };
  if (mix.singleIp + mix.otherSubnet + mix.tag > 1)
    throw new RangeError('singleIp + otherSubnet + tag must be ≤ 1');
  return {
    seed: o.seed >>> 0,
    vnets: o.vnets,
    subnetsPerVnet: o.subnetsPerVnet,
    groupsPerSubnet: o.containerGroupsPerSubnet,
    rulesPerNsg: o.rulesPerNsg,
    mix,
    hubSpoke: o.hubSpoke ?? true,
    routeTableFraction: o.routeTableFraction ?? 0.2,
    publicFraction: o.publicFraction ?? 0.02,
    pageSize: o.pageSize ?? 100,
    sub: o.subscriptionId ?? '00000000-0000-0000-0000-00000000e57a',
    location: o.location ?? 'westeurope',
  };
}

// ---------------------------------------------------------------------------------------------
// Randomness: mulberry32 streams keyed by (seed, purpose, position)

/** Returns a mulberry32 generator: uniform floats in [0, 1) from a 32-bit state. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes integers into one well-spread 32-bit seed (murmur3 finalizer per step). */
function streamSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x9e3779b1);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

const PURPOSE = { nsg: 1, group: 2, routeTable: 3, isPublic: 4, vnet: 5 } as const;

class Rng {
  private readonly next: () => number;
  constructor(...parts: number[]) {
    this.next = mulberry32(streamSeed(...parts));
  }
  float(): number {
    return this.next();
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A key of `weights`, drawn in proportion to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const keys = Object.keys(weights) as K[];
    const total = keys.reduce((s, k) => s + weights[k], 0);
    let x = this.next() * total;
    for (const k of keys) {
      x -= weights[k];
      if (x < 0) return k;
    }
    return keys[keys.length - 1] as K;
  }
  /** A fake GUID (only for etags and resource GUIDs). */
  guid(): string {
    const hex = () =>
      Math.floor(this.next() * 0x10000)
        .toString(16)
        .padStart(4, '0');
    return `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-a${hex().slice(1)}-${hex()}${hex()}${hex()}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Names and ids

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const vnetName = (v: number) => `vnet-${v === 0 ? 'hub' : 'spoke'}-${pad(v, 3)}`;
const subnetName = (s: number) => `snet-aci-${pad(s, 3)}`;
const nsgName = (v: number, s: number) => `nsg-${pad(v, 3)}-${subnetName(s)}`;
const rtName = (v: number) => `rt-${pad(v, 3)}-egress`;
const groupName = (v: number, s: number, k: number) => `cg-${pad(v, 3)}-${pad(s, 3)}-${pad(k, 3)}`;
const netRg = (v: number) => `rg-net-${pad(v, 3)}`;
const appRg = (v: number) => `rg-aci-${pad(v, 3)}`;

function ids(r: Resolved) {
  const base = (rg: string) => `/subscriptions/${r.sub}/resourceGroups/${rg}/providers`;
  return {
    vnet: (v: number) => `${base(netRg(v))}/Microsoft.Network/virtualNetworks/${vnetName(v)}`,
    subnet: (v: number, s: number) =>
      `${base(netRg(v))}/Microsoft.Network/virtualNetworks/${vnetName(v)}/subnets/${subnetName(s)}`,
    nsg: (v: number, s: number) =>
      `${base(netRg(v))}/Microsoft.Network/networkSecurityGroups/${nsgName(v, s)}`,
    routeTable: (v: number) => `${base(netRg(v))}/Microsoft.Network/routeTables/${rtName(v)}`,
    group: (v: number, s: number, k: number) =>
      `${base(appRg(v))}/Microsoft.ContainerInstance/containerGroups/${groupName(v, s, k)}`,
  };
}

const isPublicGroup = (r: Resolved, v: number, s: number, k: number) =>
  new Rng(r.seed, PURPOSE.isPublic, v, s, k).chance(r.publicFraction);
const hasRouteTable = (r: Resolved, v: number, s: number) =>
  r.routeTableFraction > 0 && new Rng(r.seed, PURPOSE.routeTable, v, s).chance(r.routeTableFraction);
const applianceIp = (r: Resolved, v: number) => (r.hubSpoke ? '10.0.255.4' : `10.${v}.255.4`);
const privateIp = (v: number, s: number, k: number) => `10.${v}.${s}.${4 + k}`;
const subnetPrefix = (v: number, s: number) => `10.${v}.${s}.0/24`;

// ---------------------------------------------------------------------------------------------
// Resources

function virtualNetwork(r: Resolved, v: number): unknown {
  const id = ids(r);
  const rng = new Rng(r.seed, PURPOSE.vnet, v);
  // ARM gives a resource's children the resource's own etag.
  const etag = `W/"${rng.guid()}"`;
  const subnets = [];
  for (let s = 0; s < r.subnetsPerVnet; s++) {
    const sid = id.subnet(v, s);
    subnets.push({
      name: subnetName(s),
      id: sid,
      etag,
      properties: {
        provisioningState: 'Succeeded',
        addressPrefix: subnetPrefix(v, s),
        networkSecurityGroup: { id: id.nsg(v, s) },
        ...(hasRouteTable(r, v, s) ? { routeTable: { id: id.routeTable(v) } } : {}),
        delegations: [
          {
            name: 'aci-delegation',
            id: `${sid}/delegations/aci-delegation`,
            etag,
            properties: {
              provisioningState: 'Succeeded',
              serviceName: 'Microsoft.ContainerInstance/containerGroups',
              actions: ['Microsoft.Network/virtualNetworks/subnets/action'],
            },
            type: 'Microsoft.Network/virtualNetworks/subnets/delegations',
          },
        ],
        privateEndpointNetworkPolicies: 'Disabled',
        privateLinkServiceNetworkPolicies: 'Enabled',
      },
      type: 'Microsoft.Network/virtualNetworks/subnets',
    });
  }
  const peer = (remote: number) => {
    const pid = `${id.vnet(v)}/virtualNetworkPeerings/peer-${vnetName(v)}-to-${vnetName(remote)}`;
    return {
      name: `peer-${vnetName(v)}-to-${vnetName(remote)}`,
      id: pid,
      etag,
      properties: {
        provisioningState: 'Succeeded',
        resourceGuid: rng.guid(),
        peeringState: 'Connected',
        peeringSyncLevel: 'FullyInSync',
        remoteVirtualNetwork: { id: id.vnet(remote) },
        allowVirtualNetworkAccess: true,
        allowForwardedTraffic: true,
        allowGatewayTransit: false,
        useRemoteGateways: false,
        doNotVerifyRemoteGateways: false,
        peerCompleteVnets: true,
        remoteAddressSpace: { addressPrefixes: [`10.${remote}.0.0/16`] },
        remoteVirtualNetworkAddressSpace: { addressPrefixes: [`10.${remote}.0.0/16`] },
      },
      type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
    };
  };
  const peerings = !r.hubSpoke ? [] : v === 0 ? range(1, r.vnets).map(peer) : [peer(0)];
  return {
    name: vnetName(v),
    id: id.vnet(v),
    etag,
    type: 'Microsoft.Network/virtualNetworks',
    location: r.location,
    tags: { environment: 'synthetic' },
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: rng.guid(),
      addressSpace: { addressPrefixes: [`10.${v}.0.0/16`] },
      dhcpOptions: { dnsServers: [] },
      subnets,
      virtualNetworkPeerings: peerings,
      enableDdosProtection: false,
    },
  };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

/** The service tags (besides the three contextual ones) that generated rules may name. */
export const SERVICE_TAGS = [
  'Storage',
  'Sql',
  'AzureMonitor',
  'AzureCloud',
  'AzureActiveDirectory',
  'AzureKeyVault',
  'Storage.WestEurope',
  'Sql.WestEurope',
  'EventHub',
  'AzureContainerRegistry',
];
const BASE_TAGS = ['*', 'VirtualNetwork', 'Internet', 'AzureLoadBalancer'];
/** First octets of public unicast space (none private, shared, loopback, link-local or multicast). */
const PUBLIC_OCTETS = [4, 13, 20, 23, 31, 40, 51, 52, 65, 81, 91, 104, 137, 151, 185, 193, 212];
const COMMON_PORTS = [22, 53, 80, 443, 1433, 3306, 5432, 5671, 6379, 8080, 8443, 9090, 9200, 27017];

/** The prefix text(s) of one remote address side, per the mix. */
function remoteSide(r: Resolved, rng: Rng, v: number, s: number): string | string[] {
  const x = rng.float();
  const plural = rng.chance(r.mix.pluralPrefixes);
  const many = <T>(one: () => T): T | T[] => (plural ? range(0, rng.int(2, 4)).map(one) : one());
  if (x < r.mix.singleIp && r.groupsPerSubnet > 0) {
    return many(() => {
      // A private slot's IP; public slots still sit inside their subnet's range, so any slot is valid.
      const v2 = rng.int(0, r.vnets - 1);
      return privateIp(v2, rng.int(0, r.subnetsPerVnet - 1), rng.int(0, r.groupsPerSubnet - 1));
    });
  }
  if (x < r.mix.singleIp + r.mix.otherSubnet) {
    return many(() => {
      let v2 = rng.int(0, r.vnets - 1);
      let s2 = rng.int(0, r.subnetsPerVnet - 1);
      if (v2 === v && s2 === s) {
        // Another subnet when there is one; a one-subnet estate names its own.
        s2 = (s2 + 1) % r.subnetsPerVnet;
        if (s2 === s && r.vnets > 1) v2 = (v2 + 1) % r.vnets;
      }
      return subnetPrefix(v2, s2);
    });
  }
  if (x < r.mix.singleIp + r.mix.otherSubnet + r.mix.tag) {
    return rng.chance(0.6) ? rng.pick(BASE_TAGS) : rng.pick(SERVICE_TAGS);
  }
  return many(() => {
    const length = rng.int(16, 28);
    const addr =
      ((rng.pick(PUBLIC_OCTETS) << 24) | (rng.int(0, 255) << 16) | (rng.int(0, 65535) & 0xffff)) >>> 0;
    const network = (addr & (~0 << (32 - length))) >>> 0;
    return `${network >>> 24}.${(network >>> 16) & 255}.${(network >>> 8) & 255}.${network & 255}/${length}`;
  });
}

/** The local side: the subnet itself, `*` or `VirtualNetwork`. */
function localSide(rng: Rng, v: number, s: number): string {
  const x = rng.float();
  return x < 0.6 ? subnetPrefix(v, s) : x < 0.85 ? '*' : 'VirtualNetwork';
}

function portValue(rng: Rng): string {
  if (rng.chance(0.5)) return String(rng.pick(COMMON_PORTS));
  const lo = rng.int(1024, 64000);
  return rng.chance(0.5) ? String(lo) : `${lo}-${Math.min(65535, lo + rng.int(1, 1000))}`;
}

function destinationPorts(r: Resolved, rng: Rng): string | string[] {
  switch (rng.weighted(r.mix.ports)) {
    case 'any':
      return '*';
    case 'single':
      return String(rng.chance(0.7) ? rng.pick(COMMON_PORTS) : rng.int(1, 65535));
    case 'range': {
      const lo = rng.int(1, 60000);
      return `${lo}-${Math.min(65535, lo + rng.int(1, 5000))}`;
    }
    case 'list':
      return [...new Set(range(0, rng.int(2, 5)).map(() => portValue(rng)))];
  }
}

/** Rule properties in ARM's key order; a plural value leaves its singular field out, as ARM does. */
function ruleProperties(fields: {
  description: string | null;
  protocol: string;
  sourcePorts: string | string[];
  destinationPorts: string | string[];
  source: string | string[];
  destination: string | string[];
  access: string;
  priority: number;
  direction: string;
}): Record<string, unknown> {
  const p: Record<string, unknown> = { provisioningState: 'Succeeded' };
  if (fields.description !== null) p.description = fields.description;
  p.protocol = fields.protocol;
  if (typeof fields.sourcePorts === 'string') p.sourcePortRange = fields.sourcePorts;
  if (typeof fields.destinationPorts === 'string') p.destinationPortRange = fields.destinationPorts;
  if (typeof fields.source === 'string') p.sourceAddressPrefix = fields.source;
  if (typeof fields.destination === 'string') p.destinationAddressPrefix = fields.destination;
  p.access = fields.access;
  p.priority = fields.priority;
  p.direction = fields.direction;
  p.sourcePortRanges = typeof fields.sourcePorts === 'string' ? [] : fields.sourcePorts;
  p.destinationPortRanges = typeof fields.destinationPorts === 'string' ? [] : fields.destinationPorts;
  p.sourceAddressPrefixes = typeof fields.source === 'string' ? [] : fields.source;
  p.destinationAddressPrefixes = typeof fields.destination === 'string' ? [] : fields.destination;
  return p;
}

const DEFAULT_RULES = [
  [
    'AllowVnetInBound',
    'Allow inbound traffic from all VMs in VNET',
    'VirtualNetwork',
    'VirtualNetwork',
    'Allow',
    65000,
    'Inbound',
  ],
  [
    'AllowAzureLoadBalancerInBound',
    'Allow inbound traffic from azure load balancer',
    'AzureLoadBalancer',
    '*',
    'Allow',
    65001,
    'Inbound',
  ],
  ['DenyAllInBound', 'Deny all inbound traffic', '*', '*', 'Deny', 65500, 'Inbound'],
  [
    'AllowVnetOutBound',
    'Allow outbound traffic from all VMs to all VMs in VNET',
    'VirtualNetwork',
    'VirtualNetwork',
    'Allow',
    65000,
    'Outbound',
  ],
  [
    'AllowInternetOutBound',
    'Allow outbound traffic from all VMs to Internet',
    '*',
    'Internet',
    'Allow',
    65001,
    'Outbound',
  ],
  ['DenyAllOutBound', 'Deny all outbound traffic', '*', '*', 'Deny', 65500, 'Outbound'],
] as const;

function networkSecurityGroup(r: Resolved, v: number, s: number): unknown {
  const nid = ids(r).nsg(v, s);
  const rng = new Rng(r.seed, PURPOSE.nsg, v, s);
  // ARM gives a resource's children the resource's own etag.
  const etag = `W/"${rng.guid()}"`;
  const rules: unknown[] = [];
  const perDirection = [Math.ceil(r.rulesPerNsg / 2), Math.floor(r.rulesPerNsg / 2)] as const;
  (['Inbound', 'Outbound'] as const).forEach((direction, d) => {
    const n = perDirection[d] ?? 0;
    if (n === 0) return;
    // Distinct, increasing priorities spread over 100–4096: slot k owns [100 + k·stride, 100 + (k+1)·stride).
    const stride = Math.floor(3997 / n);
    for (let k = 0; k < n; k++) {
      const priority = 100 + k * stride + rng.int(0, stride - 1);
      const access = rng.chance(r.mix.allow) ? 'Allow' : 'Deny';
      const protocolKey = rng.weighted(r.mix.protocols);
      const protocol = protocolKey === 'Any' ? '*' : protocolKey;
      const remote = remoteSide(r, rng, v, s);
      const local = localSide(rng, v, s);
      const icmp = protocol === 'Icmp';
      const dstPorts = icmp ? '*' : destinationPorts(r, rng);
      const srcPorts = icmp || !rng.chance(0.05) ? '*' : '1024-65535';
      const name = `${access === 'Allow' ? 'allow' : 'deny'}-${direction === 'Inbound' ? 'in' : 'out'}-${priority}`;
      rules.push({
        name,
        id: `${nid}/securityRules/${name}`,
        etag,
        type: 'Microsoft.Network/networkSecurityGroups/securityRules',
        properties: ruleProperties({
          description: rng.chance(0.3)
            ? `Synthetic rule ${k + 1} of ${n} (${direction.toLowerCase()})`
            : null,
          protocol,
          sourcePorts: srcPorts,
          destinationPorts: dstPorts,
          source: direction === 'Inbound' ? remote : local,
          destination: direction === 'Inbound' ? local : remote,
          access,
          priority,
          direction,
        }),
      });
    }
  });
  const defaults = DEFAULT_RULES.map(
    ([name, description, source, destination, access, priority, direction]) => ({
      name,
      id: `${nid}/defaultSecurityRules/${name}`,
      etag,
      type: 'Microsoft.Network/networkSecurityGroups/defaultSecurityRules',
      properties: ruleProperties({
        description,
        protocol: '*',
        sourcePorts: '*',
        destinationPorts: '*',
        source,
        destination,
        access,
        priority,
        direction,
      }),
    }),
  );
  return {
    name: nsgName(v, s),
    id: nid,
    etag,
    type: 'Microsoft.Network/networkSecurityGroups',
    location: r.location,
    tags: { environment: 'synthetic' },
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: rng.guid(),
      securityRules: rules,
      defaultSecurityRules: defaults,
      subnets: [{ id: ids(r).subnet(v, s) }],
    },
  };
}

function routeTable(r: Resolved, v: number): unknown {
  const rid = ids(r).routeTable(v);
  const rng = new Rng(r.seed, PURPOSE.routeTable, v);
  const etag = `W/"${rng.guid()}"`;
  const subnets = range(0, r.subnetsPerVnet)
    .filter((s) => hasRouteTable(r, v, s))
    .map((s) => ({ id: ids(r).subnet(v, s) }));
  return {
    name: rtName(v),
    id: rid,
    etag,
    type: 'Microsoft.Network/routeTables',
    location: r.location,
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: rng.guid(),
      disableBgpRoutePropagation: true,
      routes: [
        {
          name: 'default-to-appliance',
          id: `${rid}/routes/default-to-appliance`,
          etag,
          properties: {
            provisioningState: 'Succeeded',
            addressPrefix: '0.0.0.0/0',
            nextHopType: 'VirtualAppliance',
            nextHopIpAddress: applianceIp(r, v),
            hasBgpOverride: false,
          },
          type: 'Microsoft.Network/routeTables/routes',
        },
      ],
      subnets,
    },
  };
}

const IMAGES = [
  'nginx:1.27-alpine',
  'contoso.azurecr.io/shop/api:1.4.2',
  'contoso.azurecr.io/shop/worker:1.4.2',
];

function containerGroup(r: Resolved, v: number, s: number, k: number): unknown {
  const rng = new Rng(r.seed, PURPOSE.group, v, s, k);
  const isPublic = isPublicGroup(r, v, s, k);
  const ports = [
    ...new Set(range(0, rng.int(1, 3)).map(() => rng.pick(COMMON_PORTS.filter((p) => p !== 22)))),
  ]
    .sort((a, b) => a - b)
    .map((port) => ({ protocol: rng.chance(0.9) ? 'TCP' : 'UDP', port }));
  const name = groupName(v, s, k);
  const ipAddress = isPublic
    ? {
        ports,
        type: 'Public',
        ip: `20.${100 + (v % 100)}.${s}.${4 + k}`,
        dnsNameLabel: name,
        fqdn: `${name}.${r.location}.azurecontainer.io`,
      }
    : { ports, type: 'Private', ip: privateIp(v, s, k) };
  return {
    id: ids(r).group(v, s, k),
    name,
    type: 'Microsoft.ContainerInstance/containerGroups',
    location: r.location,
    tags: { environment: 'synthetic' },
    properties: {
      sku: 'Standard',
      provisioningState: 'Succeeded',
      containers: [
        {
          name: 'app',
          properties: {
            image: rng.pick(IMAGES),
            ports,
            environmentVariables: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'DB_PASSWORD' }],
            resources: { requests: { memoryInGB: 1.5, cpu: 1 } },
          },
        },
      ],
      initContainers: [],
      restartPolicy: 'Always',
      ipAddress,
      osType: 'Linux',
      ...(isPublic ? {} : { subnetIds: [{ id: ids(r).subnet(v, s) }] }),
      instanceView: { events: [], state: 'Running' },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Pages

function* resources(r: Resolved): Generator<[kind: string, resource: unknown]> {
  for (let v = 0; v < r.vnets; v++) yield ['virtual-networks', virtualNetwork(r, v)];
  for (let v = 0; v < r.vnets; v++)
    for (let s = 0; s < r.subnetsPerVnet; s++)
      yield ['network-security-groups', networkSecurityGroup(r, v, s)];
  if (r.routeTableFraction > 0) for (let v = 0; v < r.vnets; v++) yield ['route-tables', routeTable(r, v)];
  for (let v = 0; v < r.vnets; v++)
    for (let s = 0; s < r.subnetsPerVnet; s++)
      for (let k = 0; k < r.groupsPerSubnet; k++) yield ['container-groups', containerGroup(r, v, s, k)];
}

/**
 * Yields the estate as list pages of at most `pageSize` resources, one resource kind per page,
 * named `<kind>-<nnnn>.json`; lazily, so a huge estate never sits in memory at once.
 */
export function* generateEstatePages(options: EstateOptions): Generator<EstatePage> {
  const r = resolve(options);
  let kind: string | null = null;
  let page: unknown[] = [];
  let pageNo = 0;
  const flush = (): EstatePage => {
    pageNo++;
    const out = { name: `${kind}-${pad(pageNo, 4)}.json`, json: { value: page } };
    page = [];
    return out;
  };
  for (const [k, resource] of resources(r)) {
    if (k !== kind) {
      if (page.length > 0) yield flush();
      kind = k;
      pageNo = 0;
    }
    page.push(resource);
    if (page.length === r.pageSize) yield flush();
  }
  if (page.length > 0) yield flush();
}

/** Returns every page of the estate (for small estates; use `generateEstatePages` for big ones). */
export function generateEstate(options: EstateOptions): EstatePage[] {
  return [...generateEstatePages(options)];
}

/** Returns what the estate holds, without generating it. */
export function estateCounts(options: EstateOptions): EstateCounts {
  const r = resolve(options);
  let publicGroups = 0;
  for (let v = 0; v < r.vnets; v++)
    for (let s = 0; s < r.subnetsPerVnet; s++)
      for (let k = 0; k < r.groupsPerSubnet; k++) if (isPublicGroup(r, v, s, k)) publicGroups++;
  const subnets = r.vnets * r.subnetsPerVnet;
  return {
    virtualNetworks: r.vnets,
    subnets,
    networkSecurityGroups: subnets,
    customRules: subnets * r.rulesPerNsg,
    routeTables: r.routeTableFraction > 0 ? r.vnets : 0,
    peerings: r.hubSpoke ? 2 * (r.vnets - 1) : 0,
    containerGroups: subnets * r.groupsPerSubnet,
    publicContainerGroups: publicGroups,
  };
}

/**
 * Writes the estate's pages as compact JSON files into `dir` (created if needed; existing files
 * of the same names are replaced); returns the file names and the total bytes written.
 */
export function writeEstate(dir: string, options: EstateOptions): { files: string[]; bytes: number } {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  let bytes = 0;
  for (const page of generateEstatePages(options)) {
    const text = JSON.stringify(page.json);
    fs.writeFileSync(path.join(dir, page.name), text);
    files.push(page.name);
    bytes += Buffer.byteLength(text);
  }
  return { files, bytes };
}
