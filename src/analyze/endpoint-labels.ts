/**
 * Names for endpoint classes that people recognise: the subnet and the container groups in it, or
 * for addresses outside every subnet, what they are made of: the Internet, the Azure platform address,
 * a public container group's address, a VNet's unassigned space, a peered network that is not in the
 * snapshot, on-premises or other private space. Labels stay short at any scale (names are counted
 * past two); the full composition is data (`composition`) for the JSON report.
 */
import type { ContainerGroup } from '../model/snapshot';
import type { SnapshotIndex } from '../model/snapshot-index';
import { parseIpv4 } from '../net/address';
import { AZURE_HOST_IP, ipv4SetOf, subnetSpace, PUBLIC_IPV4, publicGroupsOf } from '../policy';
import { IntervalSet, ipv4Domain, type Ipv4Set } from '../net/interval-set';
import { formatRange } from './explain';
import type { EndpointClass } from './reachability';

/** What a part of an external group is. */
export type ExternalPartKind =
  | 'internet'
  | 'platformAddress'
  | 'publicContainerGroupAddress'
  | 'unassignedVnetSpace'
  | 'peeredNetwork'
  | 'privateSpace';

/** One named space an external group holds (all of it when `whole`, else a part). */
export interface ExternalPart {
  kind: ExternalPartKind;
  /** The VNet, peering or container group name; the address for the platform; null otherwise. */
  name: string | null;
  /** The VNet, peering or container group resource ID; null otherwise. */
  id: string | null;
  whole: boolean;
  /** Public container group addresses past `PUBLIC_LISTED`: one part counts them (`whole`: every such address). */
  count?: number;
}

export interface ClassLabel {
  label: string;
  /** Names of the container groups whose address is in the class. */
  containerGroups: string[];
  /** True when the class holds Internet addresses: public space that is no VNet's, peer's, platform's or public container group's. */
  internet: boolean;
  /** External groups: the named spaces they are made of, in a fixed order; null for other classes. */
  composition: ExternalPart[] | null;
  /** External groups: true when the group is every address outside the snapshot's subnets. */
  outside?: boolean;
}

/** Address ranges as text, at most `limit` of them, with a count of the rest (only those shown are formatted). */
export function rangesText(ranges: Ipv4Set, limit = 3): string {
  const count = ranges.intervalCount;
  const shown: string[] = [];
  for (const [lo, hi] of ranges.intervals()) {
    if (shown.length === limit) break;
    shown.push(formatRange(lo, hi));
  }
  return count <= limit ? shown.join(', ') : `${shown.join(', ')} … (+${count - limit} more ranges)`;
}

/** A named space outside every subnet (a VNet's unassigned space or a peered network). */
interface NamedSpace {
  kind: 'unassignedVnetSpace' | 'peeredNetwork';
  name: string;
  id: string;
  space: Ipv4Set;
  size: number;
}

const HOST = IntervalSet.range(ipv4Domain, AZURE_HOST_IP, AZURE_HOST_IP);

/** How many names a label lists before it counts them. */
const NAMES_SHOWN = 2;

/** How many public container group addresses a composition lists one by one (a group may hold hundreds). */
export const PUBLIC_LISTED = 10;

export class ClassLabeler {
  private readonly groupsBySubnet = new Map<string, { group: ContainerGroup; ip: number }[]>();
  /** Named spaces, disjoint, in the order their names are listed. */
  private readonly named: NamedSpace[] = [];
  /** Disjoint pieces of the named spaces, by address: [start, end, index into `named`]. */
  private readonly pieces: [number, number, number][] = [];
  /** Public container group addresses outside every subnet, ascending, with the groups' names. */
  private readonly publicIps: { ip: number; name: string; id: string }[] = [];
  /** Every address outside the snapshot's subnets and public container groups, and its Internet and private parts. */
  private readonly outside: Ipv4Set;
  /** The Internet as labels mean it: public space that is no VNet's, peer's, platform's or public container group's. */
  readonly internetSpace: Ipv4Set;
  private readonly privateSpace: Ipv4Set;

  constructor(private readonly index: SnapshotIndex) {
    let subnets = IntervalSet.empty(ipv4Domain);
    for (const s of index.snapshot.subnets) subnets = subnets.union(subnetSpace(s));
    // Public container groups' addresses are their own classes, never outside ones (decision 4).
    this.outside = subnets.union(publicGroupsOf(index).addresses).complement();
    for (const g of index.snapshot.containerGroups) {
      const ip = g.ipAddress?.ip ? parseIpv4(g.ipAddress.ip) : null;
      if (ip === null) continue;
      if (g.ipAddress?.type === 'Public' && this.outside.has(ip))
        this.publicIps.push({ ip, name: g.name, id: g.id });
      for (const sid of g.subnetIds) {
        const list = this.groupsBySubnet.get(sid) ?? [];
        list.push({ group: g, ip });
        this.groupsBySubnet.set(sid, list);
      }
    }
    this.publicIps.sort((a, b) => a.ip - b.ip || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let claimed = subnets.union(HOST);
    const addNamed = (kind: NamedSpace['kind'], name: string, id: string, space: Ipv4Set) => {
      const own = space.subtract(claimed);
      if (own.isEmpty) return;
      claimed = claimed.union(own);
      const at = this.named.length;
      this.named.push({ kind, name, id, space: own, size: own.size() });
      for (const [lo, hi] of own.intervals()) this.pieces.push([lo, hi, at]);
    };
    const vnets = [...index.snapshot.virtualNetworks].sort((a, b) => compareText(a.name, b.name));
    for (const v of vnets) addNamed('unassignedVnetSpace', v.name, v.id, ipv4SetOf(v.addressPrefixes));
    const peerings = [...index.snapshot.virtualNetworkPeerings].sort((a, b) => compareText(a.name, b.name));
    for (const p of peerings) {
      if (p.remoteVirtualNetworkId && index.virtualNetworks.has(p.remoteVirtualNetworkId)) continue;
      addNamed('peeredNetwork', p.name, p.id, ipv4SetOf(p.remoteAddressPrefixes ?? []));
    }
    this.pieces.sort((a, b) => a[0] - b[0]);
    const publicCgs = IntervalSet.of(
      ipv4Domain,
      this.publicIps.map(({ ip }) => [ip, ip]),
    );
    const unnamed = this.outside.subtract(claimed);
    this.internetSpace = unnamed.intersect(PUBLIC_IPV4).subtract(publicCgs);
    this.privateSpace = unnamed.subtract(PUBLIC_IPV4);
  }

  label(c: EndpointClass): ClassLabel {
    if (c.kind === 'publicContainerGroup') {
      return {
        label: `public container group ${c.group!.name} (${c.group!.ipAddress?.ip})`,
        containerGroups: [c.group!.name],
        internet: false,
        composition: null,
      };
    }
    if (c.kind === 'subnet') {
      const subnet = c.subnet!;
      const vnet = this.index.virtualNetworks.get(subnet.virtualNetworkId)?.name ?? '?';
      const members = (this.groupsBySubnet.get(subnet.id) ?? [])
        .filter((m) => c.ranges.has(m.ip))
        .map((m) => m.group.name);
      const whole = c.ranges.equals(subnetSpace(subnet));
      return {
        label: `${vnet}/${subnet.name}${whole ? '' : ` [${rangesText(c.ranges)}]`}`,
        containerGroups: [...new Set(members)].sort(),
        internet: false,
        composition: null,
      };
    }
    return this.externalLabel(c.ranges);
  }

  private externalLabel(ranges: Ipv4Set): ClassLabel {
    const composition: ExternalPart[] = [];
    const texts: string[] = [];
    const internetPart = ranges.intersect(this.internetSpace);
    if (!internetPart.isEmpty) {
      const whole = internetPart.equals(this.internetSpace);
      composition.push({ kind: 'internet', name: null, id: null, whole });
      texts.push(whole ? 'Internet' : `part of the Internet (${rangesText(internetPart, 2)})`);
    }
    if (ranges.has(AZURE_HOST_IP)) {
      composition.push({ kind: 'platformAddress', name: '168.63.129.16', id: null, whole: true });
      texts.push('Azure platform address 168.63.129.16');
    }
    const publicGroups = this.publicAddressesIn(ranges);
    if (publicGroups.length > PUBLIC_LISTED) {
      // Many public groups' addresses: one part that counts them (the label counts them too).
      const whole = publicGroups.length === this.publicIps.length;
      composition.push({
        kind: 'publicContainerGroupAddress',
        name: null,
        id: null,
        whole,
        count: publicGroups.length,
      });
      texts.push(`addresses of ${publicGroups.length} public container groups`);
    } else if (publicGroups.length > 0) {
      const named = publicGroups
        .map((k) => this.publicIps[k]!)
        .sort((x, y) => compareText(x.name, y.name) || compareText(x.id, y.id));
      for (const { name, id } of named)
        composition.push({ kind: 'publicContainerGroupAddress', name, id, whole: true });
      texts.push(
        named.length <= NAMES_SHOWN
          ? `address of public container group ${named.map((g) => g.name).join(', ')}`
          : `addresses of ${named.length} public container groups`,
      );
    }
    const covered = this.namedCoverage(ranges);
    for (const kind of ['unassignedVnetSpace', 'peeredNetwork'] as const) {
      const parts = covered.filter((p) => p.kind === kind);
      composition.push(...parts);
      if (parts.length > 0) texts.push(namedText(kind, parts));
    }
    const privatePart = ranges.intersect(this.privateSpace);
    if (!privatePart.isEmpty) {
      const whole = privatePart.equals(this.privateSpace);
      composition.push({ kind: 'privateSpace', name: null, id: null, whole });
      texts.push(
        whole
          ? 'on-premises or other private space'
          : `part of the on-premises or other private space (${rangesText(privatePart, 2)})`,
      );
    }
    const label = ranges.equals(this.outside)
      ? "anywhere outside the snapshot's subnets (Internet included)"
      : texts.join(' + ');
    return {
      label,
      containerGroups: [],
      internet: !internetPart.isEmpty,
      composition,
      outside: ranges.equals(this.outside),
    };
  }

  /** Indices (into `publicIps`) of the public container groups whose address is in `ranges` (binary search per interval). */
  private publicAddressesIn(ranges: Ipv4Set): number[] {
    const found: number[] = [];
    if (this.publicIps.length === 0) return found;
    for (const [lo, hi] of ranges.intervals()) {
      for (let k = firstAtOrAbove(this.publicIps, lo, (p) => p.ip); k < this.publicIps.length; k++) {
        if (this.publicIps[k]!.ip > hi) break;
        found.push(k);
      }
    }
    return found;
  }

  /** The named spaces `ranges` overlaps, in `named` order, whole when it holds all of one. */
  private namedCoverage(ranges: Ipv4Set): ExternalPart[] {
    const sizes = new Map<number, number>();
    for (const [lo, hi] of ranges.intervals()) {
      // Pieces are disjoint and sorted; start at the last one that begins at or below lo.
      let k = Math.max(0, firstAtOrAbove(this.pieces, lo + 1, (p) => p[0]) - 1);
      for (; k < this.pieces.length && this.pieces[k]![0] <= hi; k++) {
        const [start, end, at] = this.pieces[k]!;
        const overlap = Math.min(end, hi) - Math.max(start, lo) + 1;
        if (overlap > 0) sizes.set(at, (sizes.get(at) ?? 0) + overlap);
      }
    }
    return [...sizes]
      .sort((a, b) => a[0] - b[0])
      .map(([at, size]) => {
        const n = this.named[at]!;
        return { kind: n.kind, name: n.name, id: n.id, whole: size === n.size };
      });
  }
}

/** `unassigned space of vnet-a, vnet-b`, `part of the unassigned space of 100 VNets`, … */
function namedText(kind: NamedSpace['kind'], parts: ExternalPart[]): string {
  const names = parts.map((p) => p.name!);
  const whole = parts.every((p) => p.whole) ? '' : 'part of the ';
  if (kind === 'unassignedVnetSpace')
    return names.length <= NAMES_SHOWN
      ? `${whole}unassigned space of ${names.join(', ')}`
      : `${whole}unassigned space of ${names.length} VNets`;
  return names.length <= NAMES_SHOWN
    ? `${whole}peered network behind ${names.join(', ')}`
    : `${whole}${names.length} peered networks outside the snapshot`;
}

/** The first index whose value is ≥ `value` in an array sorted by `of`. */
function firstAtOrAbove<T>(items: readonly T[], value: number, of: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (of(items[mid]!) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
