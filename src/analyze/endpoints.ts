/**
 * Endpoint sets: what `--from` / `--to` and intent-file `from` / `to` name, resolved against a
 * snapshot in the order of docs/semantics.md §9: a tag (`Internet`, `VirtualNetwork`, `AzureLoadBalancer`, `*`:
 * reserved words); a resource ID; a container group as `cg:<name>` or by name; a subnet as
 * `vnet/subnet`; an IPv4 address or CIDR.
 * The result is a list of located address ranges, because where an address sits decides its policy.
 */
import type { ContainerGroup, Subnet } from '../model/snapshot';
import type { SnapshotIndex } from '../model/snapshot-index';
import { diagnostic, type Diagnostic } from '../diagnostics';
import { RESERVED_TAG_WORDS } from '../model/reserved-words';
import { parseIpv4, parsePrefix } from '../net/address';
import { AZURE_HOST_IP, ipv4SetOf, subnetSpace, isPublicGroup, PUBLIC_IPV4, publicGroupsOf } from '../policy';
import { IntervalSet, ipv4Domain, type Ipv4Set } from '../net/interval-set';

/** A part of an endpoint set whose addresses share one location. */
export type LocatedPart =
  /** Addresses inside a subnet of the snapshot (governed by its NSG and its VNet's admin rules). */
  | { kind: 'subnet'; subnet: Subnet; ranges: Ipv4Set }
  /** Addresses with no policy on their side. */
  | { kind: 'external'; ranges: Ipv4Set }
  /** A public container group's address (named, or inside a set): inbound it admits exactly its ports. */
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

/** Raised when a query holds no flow, or by `resolveEndpointOrThrow`; the CLI turns it into exit code 2. */
export class EndpointError extends Error {
  override readonly name = 'EndpointError';
  constructor(
    message: string,
    /** The coded diagnostic, when the error comes from endpoint resolution. */
    readonly diagnostic: Diagnostic | null = null,
  ) {
    super(message);
  }
}

/** What resolution gives: the endpoint, or a coded diagnostic (never thrown). */
export type EndpointResolution = { ok: true; endpoint: EndpointSet } | { ok: false; diagnostic: Diagnostic };

/** The qualified form of a container group name: `cg:<name>` (reaches a group named like a tag). */
export const CONTAINER_GROUP_PREFIX = 'cg:';

/** A coded endpoint failure, carried up to the single place that returns it. */
class Failure {
  constructor(readonly diagnostic: Diagnostic) {}
}

function fail(
  code: 'ENDPOINT_NOT_FOUND' | 'ENDPOINT_AMBIGUOUS' | 'ENDPOINT_INVALID',
  message: string,
): never {
  throw new Failure(diagnostic(code, message));
}

/**
 * Resolves one endpoint text against the snapshot, in the order of docs/semantics.md §9: a tag (reserved); a resource
 * ID; `cg:<name>`; a container group name; a subnet as `vnet/subnet`; an IPv4 address or CIDR.
 */
export function resolveEndpoint(index: SnapshotIndex, text: string): EndpointResolution {
  try {
    return { ok: true, endpoint: resolveOrFail(index, text) };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, diagnostic: e.diagnostic };
    throw e;
  }
}

/** `resolveEndpoint` for callers that stop at the first bad endpoint: throws an EndpointError with the diagnostic. */
export function resolveEndpointOrThrow(index: SnapshotIndex, text: string): EndpointSet {
  const r = resolveEndpoint(index, text);
  if (!r.ok) throw new EndpointError(r.diagnostic.message, r.diagnostic);
  return r.endpoint;
}

function resolveOrFail(index: SnapshotIndex, text: string): EndpointSet {
  const trimmed = text.trim();
  if (trimmed === '') fail('ENDPOINT_NOT_FOUND', 'empty endpoint');
  const lower = trimmed.toLowerCase();

  // 1. A tag: reserved, even when a resource has that name.
  const tag = RESERVED_TAG_WORDS.get(lower);
  if (tag) return tagEndpoint(index, trimmed, tag);

  // 2. A resource ID.
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
        parts: locate(space, index.subnetsByVnet.get(vnet.id) ?? [], index),
        oneOf: false,
      };
    }
    fail(
      'ENDPOINT_NOT_FOUND',
      `no container group, subnet or virtual network in the snapshot has the ID ${trimmed}`,
    );
  }

  // 3. A container group, by its qualified name (`cg:<name>`) or its plain name.
  const qualified = lower.startsWith(CONTAINER_GROUP_PREFIX);
  const groupName = qualified ? lower.slice(CONTAINER_GROUP_PREFIX.length).trim() : lower;
  const groups = index.snapshot.containerGroups.filter((g) => g.name.toLowerCase() === groupName);
  if (groups.length > 1)
    fail(
      'ENDPOINT_AMBIGUOUS',
      ambiguousMessage(
        trimmed,
        groups.map((g) => g.id),
      ),
    );
  if (groups.length === 1) return containerGroupEndpoint(index, trimmed, groups[0]!);
  if (qualified)
    fail('ENDPOINT_NOT_FOUND', `no container group in the snapshot is named ${JSON.stringify(groupName)}`);

  // 4. A subnet as vnet/subnet.
  if (trimmed.includes('/') && !parsePrefix(trimmed)) {
    const [vnetName, subnetName, ...rest] = lower.split('/');
    if (rest.length === 0 && vnetName && subnetName) {
      const matches = index.snapshot.subnets.filter(
        (s) =>
          s.name.toLowerCase() === subnetName &&
          (index.virtualNetworks.get(s.virtualNetworkId)?.name.toLowerCase() ?? vnetNameOf(s)) === vnetName,
      );
      if (matches.length > 1)
        fail(
          'ENDPOINT_AMBIGUOUS',
          ambiguousMessage(
            trimmed,
            matches.map((s) => s.id),
          ),
        );
      if (matches.length === 1) return subnetEndpoint(trimmed, matches[0]!, index);
    }
  }

  // 5. An IPv4 address or CIDR.
  const prefix = parsePrefix(trimmed);
  if (prefix) {
    if (prefix.family === 6)
      fail('ENDPOINT_INVALID', `${trimmed}: IPv6 endpoints are not analysed (container groups have no IPv6)`);
    if (prefix.hostBitsSet)
      fail('ENDPOINT_INVALID', `${trimmed} has host bits set; did you mean ${prefix.canonical}?`);
    const space = IntervalSet.range(ipv4Domain, prefix.start, prefix.end);
    const holder =
      prefix.start === prefix.end ? publicGroupsOf(index).byAddress.get(prefix.start) : undefined;
    return {
      text: trimmed,
      description: `${prefix.canonical.replace(/\/32$/, '')}${holder ? ` (public container group ${holder.name})` : ''}`,
      parts: locate(space, index.snapshot.subnets, index),
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
  fail(
    'ENDPOINT_NOT_FOUND',
    `${JSON.stringify(trimmed)} matches no container group, subnet (vnet/subnet), address, CIDR or tag (Internet, VirtualNetwork, AzureLoadBalancer, *)${near.length ? `; did you mean ${near.join(', ')}?` : ''}`,
  );
}

const TAG_DESCRIPTIONS: Record<string, string> = {
  Internet: 'Internet (public IPv4 outside every VNet in the snapshot, except 168.63.129.16)',
  VirtualNetwork: 'VirtualNetwork (every VNet address space in the snapshot)',
  AzureLoadBalancer: 'AzureLoadBalancer (168.63.129.16)',
  '*': '* (all IPv4)',
};

function tagEndpoint(index: SnapshotIndex, text: string, tag: string): EndpointSet {
  let vnetSpace = IntervalSet.empty(ipv4Domain);
  for (const v of index.snapshot.virtualNetworks) vnetSpace = vnetSpace.union(ipv4SetOf(v.addressPrefixes));
  // The Azure host address 168.63.129.16 is public but belongs to VirtualNetwork and
  // AzureLoadBalancer, as in NSG rules: it is not "the Internet".
  const host = IntervalSet.range(ipv4Domain, AZURE_HOST_IP, AZURE_HOST_IP);
  const space =
    tag === 'Internet'
      ? PUBLIC_IPV4.subtract(vnetSpace).subtract(host)
      : tag === 'VirtualNetwork'
        ? vnetSpace
        : tag === 'AzureLoadBalancer'
          ? host
          : IntervalSet.full(ipv4Domain);
  return {
    text,
    description: TAG_DESCRIPTIONS[tag]!,
    parts: locate(space, index.snapshot.subnets, index),
    oneOf: false,
  };
}

function ambiguousMessage(text: string, ids: string[]): string {
  return `${JSON.stringify(text)} is ambiguous; use one of these resource IDs:\n  ${[...ids].sort().join('\n  ')}`;
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
    parts: locate(subnetSpace(subnet), [subnet], index),
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
    fail(
      'ENDPOINT_INVALID',
      `container group ${group.name} has IPv6 or invalid address ${ipText}; not analysed`,
    );
  const single = ip === null ? null : IntervalSet.range(ipv4Domain, ip, ip);
  if (group.ipAddress?.type === 'Public' && !single)
    fail('ENDPOINT_INVALID', `public container group ${group.name} has no IP address in the snapshot`);
  if (isPublicGroup(group)) {
    return {
      text,
      description: `public container group ${group.name} (${ipText})`,
      parts: [{ kind: 'publicContainerGroup', group, ranges: single! }],
      oneOf: false,
    };
  }
  const subnets = group.subnetIds
    .map((id) => index.subnets.get(id))
    .filter((s): s is Subnet => s !== undefined);
  const home = single ? subnets.find((s) => subnetSpace(s).has(ip!)) : subnets[0];
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
 * Splits an address set by location: a public container group's address is that group (decision 4);
 * the rest is the part inside each candidate subnet (an address inside two overlapping subnets of
 * unpeered VNets is in both), and what is left as external (no policy).
 */
export function locate(space: Ipv4Set, candidates: readonly Subnet[], index: SnapshotIndex): LocatedPart[] {
  const parts: LocatedPart[] = [];
  const publics = publicGroupsOf(index);
  let rest = space;
  if (space.overlaps(publics.addresses)) {
    for (const [ip, group] of [...publics.byAddress].sort((a, b) => a[0] - b[0])) {
      if (!space.has(ip)) continue;
      const ranges = IntervalSet.range(ipv4Domain, ip, ip);
      parts.push({ kind: 'publicContainerGroup', group, ranges });
    }
    rest = rest.subtract(publics.addresses);
  }
  const located = rest;
  for (const subnet of [...candidates].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const inside = located.intersect(subnetSpace(subnet));
    if (inside.isEmpty) continue;
    parts.push({ kind: 'subnet', subnet, ranges: inside });
    rest = rest.subtract(inside);
  }
  if (!rest.isEmpty) parts.push({ kind: 'external', ranges: rest });
  return parts;
}
