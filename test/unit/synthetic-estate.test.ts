import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseIpv4, parsePrefix } from '../../src/net/address';
import { parsePortRange } from '../../src/net/ports';
import {
  estateCounts,
  generateEstate,
  generateEstatePages,
  mulberry32,
  PRESETS,
  writeEstate,
  type EstateOptions,
  type EstatePage,
} from '../support/synthetic-estate';

/** The parts of the ARM shapes these tests read. */
interface RawRule {
  name: string;
  id: string;
  type: string;
  etag: string;
  properties: {
    provisioningState: string;
    protocol: string;
    access: string;
    priority: number;
    direction: string;
    sourcePortRange?: string;
    destinationPortRange?: string;
    sourceAddressPrefix?: string;
    destinationAddressPrefix?: string;
    sourcePortRanges: string[];
    destinationPortRanges: string[];
    sourceAddressPrefixes: string[];
    destinationAddressPrefixes: string[];
  };
}
interface RawNsg {
  id: string;
  name: string;
  type: string;
  location: string;
  properties: { securityRules: RawRule[]; defaultSecurityRules: RawRule[]; subnets: { id: string }[] };
}
interface RawSubnet {
  id: string;
  properties: {
    addressPrefix: string;
    networkSecurityGroup: { id: string };
    routeTable?: { id: string };
    delegations: { properties: { serviceName: string } }[];
  };
}
interface RawVnet {
  id: string;
  properties: {
    addressSpace: { addressPrefixes: string[] };
    subnets: RawSubnet[];
    virtualNetworkPeerings: { properties: { remoteVirtualNetwork: { id: string }; peeringState: string } }[];
  };
}
interface RawGroup {
  id: string;
  name: string;
  properties: {
    ipAddress: { type: string; ip: string; ports: { port: number; protocol: string }[] };
    subnetIds?: { id: string }[];
    containers: { properties: { ports: { port: number }[] } }[];
  };
}

const resourcesOf = <T>(pages: EstatePage[], kind: string): T[] =>
  pages.filter((p) => p.name.startsWith(`${kind}-`)).flatMap((p) => p.json.value as T[]);

/** Tags the estate may name (every other address must parse as a prefix). */
const TAGS = new Set([
  '*',
  'VirtualNetwork',
  'Internet',
  'AzureLoadBalancer',
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
]);

const addresses = (rule: RawRule, side: 'source' | 'destination'): string[] => {
  const p = rule.properties;
  const single = side === 'source' ? p.sourceAddressPrefix : p.destinationAddressPrefix;
  const plural = side === 'source' ? p.sourceAddressPrefixes : p.destinationAddressPrefixes;
  return single !== undefined ? [single] : plural;
};
const ports = (rule: RawRule, side: 'source' | 'destination'): string[] => {
  const p = rule.properties;
  const single = side === 'source' ? p.sourcePortRange : p.destinationPortRange;
  const plural = side === 'source' ? p.sourcePortRanges : p.destinationPortRanges;
  return single !== undefined ? [single] : plural;
};

const medium: EstateOptions = {
  seed: 7,
  vnets: 4,
  subnetsPerVnet: 8,
  containerGroupsPerSubnet: 6,
  rulesPerNsg: 60,
  mix: { singleIp: 0.25 },
  publicFraction: 0.1,
  pageSize: 7,
};

describe('mulberry32', () => {
  it('is deterministic and spreads values over [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});

describe('synthetic estate generator', () => {
  const pages = generateEstate(medium);
  const nsgs = resourcesOf<RawNsg>(pages, 'network-security-groups');
  const vnets = resourcesOf<RawVnet>(pages, 'virtual-networks');
  const groups = resourcesOf<RawGroup>(pages, 'container-groups');
  const rules = nsgs.flatMap((n) => n.properties.securityRules);

  it('gives byte-identical output for the same seed', () => {
    expect(JSON.stringify(generateEstate(medium))).toBe(JSON.stringify(pages));
    expect(JSON.stringify(generateEstate(PRESETS.small))).toBe(JSON.stringify(generateEstate(PRESETS.small)));
  });

  it('gives different output for a different seed, with the same shape', () => {
    const other = generateEstate({ ...medium, seed: 8 });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(pages));
    expect(other.map((p) => p.name)).toEqual(pages.map((p) => p.name));
  });

  it('does not depend on the page size', () => {
    const onePage = generateEstate({ ...medium, pageSize: 1_000_000 });
    for (const kind of ['virtual-networks', 'network-security-groups', 'route-tables', 'container-groups']) {
      expect(JSON.stringify(resourcesOf(onePage, kind))).toBe(JSON.stringify(resourcesOf(pages, kind)));
    }
  });

  it('pages by kind, at most pageSize resources each, named <kind>-<nnnn>.json', () => {
    for (const page of pages) {
      expect(page.name).toMatch(
        /^(virtual-networks|network-security-groups|route-tables|container-groups)-\d{4}\.json$/,
      );
      expect(page.json.value.length).toBeGreaterThan(0);
      expect(page.json.value.length).toBeLessThanOrEqual(7);
      const kinds = new Set(page.json.value.map((r) => (r as { type: string }).type));
      expect(kinds.size).toBe(1);
    }
    expect(pages.filter((p) => p.name.startsWith('network-security-groups-')).map((p) => p.name)[0]).toBe(
      'network-security-groups-0001.json',
    );
  });

  it('holds what estateCounts says', () => {
    const counts = estateCounts(medium);
    expect(vnets).toHaveLength(counts.virtualNetworks);
    expect(vnets.flatMap((v) => v.properties.subnets)).toHaveLength(counts.subnets);
    expect(nsgs).toHaveLength(counts.networkSecurityGroups);
    expect(rules).toHaveLength(counts.customRules);
    expect(resourcesOf(pages, 'route-tables')).toHaveLength(counts.routeTables);
    expect(vnets.flatMap((v) => v.properties.virtualNetworkPeerings)).toHaveLength(counts.peerings);
    expect(groups).toHaveLength(counts.containerGroups);
    expect(groups.filter((g) => g.properties.ipAddress.type === 'Public')).toHaveLength(
      counts.publicContainerGroups,
    );
    expect(counts.publicContainerGroups).toBeGreaterThan(0);
  });

  it('writes only valid prefixes, tags and port ranges', () => {
    for (const rule of [...rules, ...nsgs.flatMap((n) => n.properties.defaultSecurityRules)]) {
      for (const side of ['source', 'destination'] as const) {
        const values = addresses(rule, side);
        expect(values.length).toBeGreaterThan(0);
        for (const a of values) {
          if (!TAGS.has(a)) {
            const parsed = parsePrefix(a);
            expect({ a, ok: parsed !== null && !parsed.hostBitsSet }).toEqual({ a, ok: true });
          }
        }
        const portValues = ports(rule, side);
        expect(portValues.length).toBeGreaterThan(0);
        for (const p of portValues) expect({ p, ok: parsePortRange(p) !== null }).toEqual({ p, ok: true });
      }
      expect(['Tcp', 'Udp', 'Icmp', '*']).toContain(rule.properties.protocol);
      expect(['Allow', 'Deny']).toContain(rule.properties.access);
    }
  });

  it('gives ICMP rules no ports and plural values no singular field', () => {
    for (const rule of rules) {
      if (rule.properties.protocol === 'Icmp') {
        expect(ports(rule, 'destination')).toEqual(['*']);
        expect(ports(rule, 'source')).toEqual(['*']);
      }
      if (rule.properties.destinationPortRanges.length > 0) {
        expect(rule.properties.destinationPortRange).toBeUndefined();
      }
      if (rule.properties.sourceAddressPrefixes.length > 0)
        expect(rule.properties.sourceAddressPrefix).toBeUndefined();
    }
  });

  it('keeps priorities in 100–4096 and unique per NSG and direction, and rule names unique per NSG', () => {
    for (const nsg of nsgs) {
      const seen = new Set<string>();
      const names = new Set<string>();
      for (const rule of nsg.properties.securityRules) {
        const { priority, direction } = rule.properties;
        expect(priority).toBeGreaterThanOrEqual(100);
        expect(priority).toBeLessThanOrEqual(4096);
        const key = `${direction}/${priority}`;
        expect(seen.has(key)).toBe(false);
        seen.add(key);
        expect(names.has(rule.name)).toBe(false);
        names.add(rule.name);
        expect(rule.id).toBe(`${nsg.id}/securityRules/${rule.name}`);
      }
      expect(nsg.properties.securityRules.filter((r) => r.properties.direction === 'Inbound')).toHaveLength(
        30,
      );
      expect(nsg.properties.defaultSecurityRules.map((r) => r.name)).toEqual([
        'AllowVnetInBound',
        'AllowAzureLoadBalancerInBound',
        'DenyAllInBound',
        'AllowVnetOutBound',
        'AllowInternetOutBound',
        'DenyAllOutBound',
      ]);
    }
  });

  it('puts every private container group in its delegated subnet, with an IP inside it and declared ports', () => {
    const subnets = new Map<string, RawSubnet>();
    for (const v of vnets) for (const s of v.properties.subnets) subnets.set(s.id, s);
    for (const g of groups) {
      expect(g.properties.ipAddress.ports.length).toBeGreaterThan(0);
      expect(g.properties.containers[0]?.properties.ports).toEqual(g.properties.ipAddress.ports);
      if (g.properties.ipAddress.type === 'Public') {
        expect(g.properties.subnetIds).toBeUndefined();
        expect(parseIpv4(g.properties.ipAddress.ip)).not.toBeNull();
        continue;
      }
      const [ref] = g.properties.subnetIds ?? [];
      const subnet = subnets.get(ref?.id ?? '');
      expect(subnet).toBeDefined();
      expect(subnet?.properties.delegations[0]?.properties.serviceName).toBe(
        'Microsoft.ContainerInstance/containerGroups',
      );
      const prefix = parsePrefix(subnet?.properties.addressPrefix ?? '');
      const ip = parseIpv4(g.properties.ipAddress.ip);
      expect(prefix).not.toBeNull();
      expect(ip).not.toBeNull();
      // Azure reserves the first four addresses and the last one of each subnet.
      expect(ip as number).toBeGreaterThanOrEqual((prefix?.start as number) + 4);
      expect(ip as number).toBeLessThan(prefix?.end as number);
    }
  });

  it('nests subnets inside their VNet, gives each its own NSG and routes some through the hub appliance', () => {
    const nsgIds = new Set(nsgs.map((n) => n.id));
    const routed: RawSubnet[] = [];
    for (const v of vnets) {
      const space = parsePrefix(v.properties.addressSpace.addressPrefixes[0] ?? '');
      for (const s of v.properties.subnets) {
        const p = parsePrefix(s.properties.addressPrefix);
        expect(p && space && p.start >= space.start && p.end <= space.end).toBe(true);
        expect(nsgIds.has(s.properties.networkSecurityGroup.id)).toBe(true);
        if (s.properties.routeTable) routed.push(s);
      }
    }
    expect(
      new Set(vnets.flatMap((v) => v.properties.subnets.map((s) => s.properties.networkSecurityGroup.id)))
        .size,
    ).toBe(nsgs.length);
    expect(routed.length).toBeGreaterThan(0);
    const [hub, ...spokes] = vnets;
    expect(hub?.properties.virtualNetworkPeerings.map((p) => p.properties.remoteVirtualNetwork.id)).toEqual(
      spokes.map((s) => s.id),
    );
    for (const spoke of spokes) {
      expect(
        spoke.properties.virtualNetworkPeerings.map((p) => p.properties.remoteVirtualNetwork.id),
      ).toEqual([hub?.id]);
    }
  });

  it('follows the rule mix: about 70 % allow, about the asked share of single-IP remote sides', () => {
    const allow = rules.filter((r) => r.properties.access === 'Allow').length / rules.length;
    expect(allow).toBeGreaterThan(0.65);
    expect(allow).toBeLessThan(0.75);
    const singleIp = rules.filter((r) => {
      const remote = addresses(r, r.properties.direction === 'Inbound' ? 'source' : 'destination');
      return remote.every((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
    }).length;
    expect(singleIp / rules.length).toBeGreaterThan(0.2);
    expect(singleIp / rules.length).toBeLessThan(0.3);
    const protocols = new Set(rules.map((r) => r.properties.protocol));
    expect([...protocols].sort()).toEqual(['*', 'Icmp', 'Tcp', 'Udp']);
    expect(rules.some((r) => r.properties.destinationPortRanges.length > 1)).toBe(true);
    expect(
      rules.some(
        (r) => r.properties.sourceAddressPrefixes.length + r.properties.destinationAddressPrefixes.length > 1,
      ),
    ).toBe(true);
  });

  it('looks like what ARM returns (ids, types, etags, nested properties)', () => {
    const nsg = nsgs[0] as RawNsg;
    expect(nsg.type).toBe('Microsoft.Network/networkSecurityGroups');
    expect(nsg.location).toBe('westeurope');
    expect(nsg.id).toMatch(
      /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/networkSecurityGroups\/[^/]+$/,
    );
    const rule = nsg.properties.securityRules[0] as RawRule;
    expect(rule.type).toBe('Microsoft.Network/networkSecurityGroups/securityRules');
    expect(rule.etag).toMatch(/^W\/"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}"$/);
    expect(rule.properties.provisioningState).toBe('Succeeded');
    expect(nsg.properties.subnets).toHaveLength(1);
  });

  it('weighs about 650–900 bytes of compact JSON per custom rule', () => {
    const nsgBytes = (o: EstateOptions) =>
      generateEstate(o)
        .filter((p) => p.name.startsWith('network-security-groups-'))
        .reduce((n, p) => n + Buffer.byteLength(JSON.stringify(p.json)), 0);
    const options = { ...PRESETS.small, rulesPerNsg: 100 };
    const perRule =
      (nsgBytes(options) - nsgBytes({ ...options, rulesPerNsg: 0 })) / estateCounts(options).customRules;
    expect(perRule).toBeGreaterThan(650);
    expect(perRule).toBeLessThan(900);
  });

  it('produces pages lazily', () => {
    const iterator = generateEstatePages(PRESETS.heavy);
    const first = iterator.next();
    expect(first.done).toBe(false);
    expect(first.value?.name).toBe('virtual-networks-0001.json');
    iterator.return(undefined);
  });

  it('rejects options it cannot lay out', () => {
    expect(() => generateEstate({ ...PRESETS.small, vnets: 257 })).toThrow(RangeError);
    expect(() => generateEstate({ ...PRESETS.small, subnetsPerVnet: 251 })).toThrow(RangeError);
    expect(() => generateEstate({ ...PRESETS.small, containerGroupsPerSubnet: 251 })).toThrow(RangeError);
    expect(() => generateEstate({ ...PRESETS.small, rulesPerNsg: 1.5 })).toThrow(RangeError);
    expect(() =>
      generateEstate({ ...PRESETS.small, mix: { singleIp: 0.5, otherSubnet: 0.5, tag: 0.5 } }),
    ).toThrow(RangeError);
  });

  it('knows the preset sizes', () => {
    expect(estateCounts(PRESETS.small)).toMatchObject({ subnets: 10, containerGroups: 50, customRules: 200 });
    expect(estateCounts(PRESETS.typical)).toMatchObject({
      networkSecurityGroups: 2000,
      customRules: 200_000,
      containerGroups: 20_000,
    });
    expect(estateCounts(PRESETS.heavy)).toMatchObject({
      networkSecurityGroups: 2000,
      customRules: 2_000_000,
      containerGroups: 20_000,
    });
  });
});

describe('writeEstate', () => {
  it('writes one compact JSON file per page and reports the bytes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-estate-'));
    try {
      const { files, bytes } = writeEstate(dir, PRESETS.small);
      expect(files).toEqual(generateEstate(PRESETS.small).map((p) => p.name));
      expect(fs.readdirSync(dir).sort()).toEqual([...files].sort());
      let total = 0;
      for (const f of files) {
        const text = fs.readFileSync(path.join(dir, f), 'utf8');
        total += Buffer.byteLength(text);
        expect(Array.isArray((JSON.parse(text) as { value: unknown }).value)).toBe(true);
      }
      expect(total).toBe(bytes);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
