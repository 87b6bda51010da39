/**
 * Endpoint sets: what `--from` / `--to` and intent-file `from` / `to` name, resolved against a
 * snapshot in the order of docs/semantics.md §9: a resource ID; a container group name; a subnet as `vnet/subnet`;
 * an IPv4 address or CIDR; a tag (`Internet`, `VirtualNetwork`, `AzureLoadBalancer`, `*`).
 * The result is a list of located address ranges, because where an address sits decides its policy.
 */
import type { ContainerGroup, Subnet } from '../model/snapshot';
import type { SnapshotIndex } from '../model/snapshot-index';
import { parseIpv4, parsePrefix } from '../policy/address';
import { AZURE_HOST_IP, PUBLIC_IPV4, ipv4SetOf } from '../policy/address-words';
import { IntervalSet, ipv4Domain, type Ipv4Set } from '../policy/interval-set';

/** A part of an endpoint set whose addresses share one location. */
export type LocatedPart =
  /** Addresses inside a subnet of the snapshot (governed by its NSG and its VNet's admin rules). */
  | { kind: 'subnet'; subnet: Subnet; ranges: Ipv4Set }
  /** Addresses with no policy on their side. */
  | { kind: 'external'; ranges: Ipv4Set }
  /** A public container group, named as such: inbound it admits exactly its ports. */
  | { kind: 'publicContainerGroup'; group: ContainerGroup; ranges: Ipv4Set }
  /** A container group whose subnet is not in the snapshot: its side's policy is unknown. */
  | { kind: 'unknownLocation'; group: ContainerGroup; ranges: Ipv4Set };

export interface EndpointSet {
  /** What the user wrote. */
  text: string;
  /** A short description of what it resolved to, e.g. `container group web (10.1.1.4 in vnet-app/snet-web)`. */
  description: string;
  parts: LocatedPart[];
  /**
   * True when the endpoint is ONE address among `parts` but we do not know which (a container group
   * without an IP in the snapshot): a verdict that differs between those addresses is unknown.
   */
  oneOf: boolean;
}

/** Raised when an endpoint names nothing, or several things; the CLI turns it into exit code 2. */
export class EndpointError extends Error {
  override readonly name = 'EndpointError';
}

const TAGS = new Map([
  ['internet', 'Internet'],
  ['virtualnetwork', 'VirtualNetwork'],
  ['azureloadbalancer', 'AzureLoadBalancer'],
  ['*', '*'],
]);

/** Resolves one endpoint text against the snapshot. */
export function resolveEndpoint(index: SnapshotIndex, text: string): EndpointSet {
  const trimmed = text.trim();
  if (trimmed === '') throw new EndpointError('empty endpoint');
  const lower = trimmed.toLowerCase();

  // 1. A resource ID.
  if (lower.startsWith('/subscriptions/')) {
    const id = lower.replace(/\/+$/, '');
    const group = index.containerGroups.get(id);
    if (group) return containerGroupEndpoint(index, trimmed, group);
    const subnet = index.subnets.get(id);
    if (subnet) return subnetEndpoint(trimmed, subnet, index);
    const vnet = index.virtualNetworks.get(id);
    if (vnet) {
      const space = ipv4SetOf(vnet.addressPrefixes);
      return {
        text: trimmed,
        description: `virtual network ${vnet.name} (${vnet.addressPrefixes.join(', ')})`,
        parts: locate(space, index.subnetsByVnet.get(vnet.id) ?? []),
        oneOf: false,
      };
    }
    throw new EndpointError(
      `no container group, subnet or virtual network in the snapshot has the ID ${trimmed}`,
    );
  }

  // 2. A container group name.
  const groups = index.snapshot.containerGroups.filter((g) => g.name.toLowerCase() === lower);
  if (groups.length > 1)
    throw ambiguous(
      trimmed,
      groups.map((g) => g.id),
    );
  if (groups.length === 1) return containerGroupEndpoint(index, trimmed, groups[0]!);

  // 3. A subnet as vnet/subnet.
  if (trimmed.includes('/') && !parsePrefix(trimmed)) {
    const [vnetName, subnetName, ...rest] = lower.split('/');
    if (rest.length === 0 && vnetName && subnetName) {
      const matches = index.snapshot.subnets.filter(
        (s) =>
          s.name.toLowerCase() === subnetName &&
          (index.virtualNetworks.get(s.virtualNetworkId)?.name.toLowerCase() ?? vnetNameOf(s)) === vnetName,
      );
      if (matches.length > 1)
        throw ambiguous(
          trimmed,
          matches.map((s) => s.id),
        );
      if (matches.length === 1) return subnetEndpoint(trimmed, matches[0]!, index);
    }
  }

  // 4. An IPv4 address or CIDR.
  const prefix = parsePrefix(trimmed);
  if (prefix) {
    if (prefix.family === 6)
      throw new EndpointError(`${trimmed}: IPv6 endpoints are not analysed (container groups have no IPv6)`);
    if (prefix.hostBitsSet)
      throw new EndpointError(`${trimmed} has host bits set; did you mean ${prefix.canonical}?`);
    const space = IntervalSet.range(ipv4Domain, prefix.start, prefix.end);
    return {
      text: trimmed,
      description: prefix.canonical.replace(/\/32$/, ''),
      parts: locate(space, index.snapshot.subnets),
      oneOf: false,
    };
  }

  // 5. A tag.
  const tag = TAGS.get(lower);
  if (tag) {
    let vnetSpace = IntervalSet.empty(ipv4Domain);
    for (const v of index.snapshot.virtualNetworks) vnetSpace = vnetSpace.union(ipv4SetOf(v.addressPrefixes));
    // The Azure host address 168.63.129.16 is public but belongs to VirtualNetwork and
    // AzureLoadBalancer, as in NSG rules: it is not "the Internet".
    const space =
      tag === 'Internet'
        ? PUBLIC_IPV4.subtract(vnetSpace).subtract(
            IntervalSet.range(ipv4Domain, AZURE_HOST_IP, AZURE_HOST_IP),
          )
        : tag === 'VirtualNetwork'
          ? vnetSpace
          : tag === 'AzureLoadBalancer'
            ? IntervalSet.range(ipv4Domain, AZURE_HOST_IP, AZURE_HOST_IP)
            : IntervalSet.full(ipv4Domain);
    const descriptions: Record<string, string> = {
      Internet: 'Internet (public IPv4 outside every VNet in the snapshot, except 168.63.129.16)',
      VirtualNetwork: 'VirtualNetwork (every VNet address space in the snapshot)',
      AzureLoadBalancer: 'AzureLoadBalancer (168.63.129.16)',
      '*': '* (all IPv4)',
    };
    return {
      text: trimmed,
      description: descriptions[tag]!,
      parts: locate(space, index.snapshot.subnets),
      oneOf: false,
    };
  }

  const near = index.snapshot.containerGroups
    .map((g) => g.name)
    .concat(
      index.snapshot.subnets.map(
        (s) => `${index.virtualNetworks.get(s.virtualNetworkId)?.name ?? vnetNameOf(s)}/${s.name}`,
      ),
    )
    .filter((n) => n.toLowerCase().includes(lower) || lower.includes(n.toLowerCase()))
    .slice(0, 5);
  throw new EndpointError(
    `${JSON.stringify(trimmed)} matches no container group, subnet (vnet/subnet), address, CIDR or tag (Internet, VirtualNetwork, AzureLoadBalancer, *)${near.length ? `; did you mean ${near.join(', ')}?` : ''}`,
  );
}

function ambiguous(text: string, ids: string[]): EndpointError {
  return new EndpointError(
    `${JSON.stringify(text)} is ambiguous; use one of these resource IDs:\n  ${[...ids].sort().join('\n  ')}`,
  );
}

function vnetNameOf(subnet: Subnet): string {
  const m = /\/virtualnetworks\/([^/]+)\/subnets\//.exec(subnet.id);
  return m?.[1] ?? '';
}

function subnetEndpoint(text: string, subnet: Subnet, index: SnapshotIndex): EndpointSet {
  const vnetName = index.virtualNetworks.get(subnet.virtualNetworkId)?.name ?? vnetNameOf(subnet);
  return {
    text,
    description: `subnet ${vnetName}/${subnet.name} (${subnet.addressPrefixes.join(', ')})`,
    parts: [{ kind: 'subnet', subnet, ranges: ipv4SetOf(subnet.addressPrefixes) }],
    oneOf: false,
  };
}

/** A container group as an endpoint: its IP in its subnet; a public group by its ports. */
export function containerGroupEndpoint(
  index: SnapshotIndex,
  text: string,
  group: ContainerGroup,
): EndpointSet {
  const ipText = group.ipAddress?.ip ?? null;
  const ip = ipText === null ? null : parseIpv4(ipText);
  if (ipText !== null && ip === null)
    throw new EndpointError(
      `container group ${group.name} has IPv6 or invalid address ${ipText}; not analysed`,
    );
  const single = ip === null ? null : IntervalSet.range(ipv4Domain, ip, ip);
  const isPublic =
    group.ipAddress?.type === 'Public' ||
    (group.subnetIds.length === 0 && group.ipAddress !== null && group.networkProfileId === null);
  if (isPublic) {
    if (!single)
      throw new EndpointError(`public container group ${group.name} has no IP address in the snapshot`);
    return {
      text,
      description: `public container group ${group.name} (${ipText})`,
      parts: [{ kind: 'publicContainerGroup', group, ranges: single }],
      oneOf: false,
    };
  }
  const subnets = group.subnetIds
    .map((id) => index.subnets.get(id))
    .filter((s): s is Subnet => s !== undefined);
  const home = single ? subnets.find((s) => ipv4SetOf(s.addressPrefixes).has(ip!)) : subnets[0];
  if (!home) {
    return {
      text,
      description: `container group ${group.name} (${ipText ?? 'no IP'}, subnet not in the snapshot)`,
      parts: [{ kind: 'unknownLocation', group, ranges: single ?? IntervalSet.full(ipv4Domain) }],
      oneOf: single === null,
    };
  }
  const vnetName = index.virtualNetworks.get(home.virtualNetworkId)?.name ?? vnetNameOf(home);
  return {
    text,
    description: `container group ${group.name} (${ipText ?? 'no IP in the snapshot: any address'} in ${vnetName}/${home.name})`,
    parts: [{ kind: 'subnet', subnet: home, ranges: single ?? ipv4SetOf(home.addressPrefixes) }],
    oneOf: single === null,
  };
}

/**
 * Splits an address set by location: the part inside each candidate subnet (an address inside two
 * overlapping subnets of unpeered VNets is in both), and the rest as external (no policy).
 */
export function locate(space: Ipv4Set, candidates: readonly Subnet[]): LocatedPart[] {
  const parts: LocatedPart[] = [];
  let rest = space;
  for (const subnet of [...candidates].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const inside = space.intersect(ipv4SetOf(subnet.addressPrefixes));
    if (inside.isEmpty) continue;
    parts.push({ kind: 'subnet', subnet, ranges: inside });
    rest = rest.subtract(inside);
  }
  if (!rest.isEmpty) parts.push({ kind: 'external', ranges: rest });
  return parts;
}
