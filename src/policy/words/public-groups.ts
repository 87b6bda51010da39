/**
 * Public container groups by address (docs/semantics.md decision 4): a public group's `ipAddress.ip` is that
 * group wherever it appears — named, as an address, or inside a set — so every stage that locates an
 * address asks this table first.
 */
import type { ContainerGroup } from '../../model/snapshot';
import type { SnapshotIndex } from '../../model/snapshot-index';
import { parseIpv4 } from '../../net/address';
import { IntervalSet, ipv4Domain, type Ipv4Set } from '../../net/interval-set';

/**
 * A container group with a public IPv4 address (no VNet): its own endpoint, with no NSG. An address
 * of no stated type on a group with no subnet and no network profile is public too.
 */
export function isPublicGroup(g: ContainerGroup): boolean {
  const ip = g.ipAddress;
  if (ip === null || ip.ip === null || parseIpv4(ip.ip) === null) return false;
  return (
    ip.type === 'Public' || (ip.type === null && g.subnetIds.length === 0 && g.networkProfileId === null)
  );
}

export interface PublicGroups {
  /** Address → the public group that owns it (the lowest resource ID, should two claim one). */
  byAddress: ReadonlyMap<number, ContainerGroup>;
  /** The owners, by resource ID. */
  owners: readonly ContainerGroup[];
  /** Every owned address. */
  addresses: Ipv4Set;
}

const cache = new WeakMap<SnapshotIndex, PublicGroups>();

/** The public container groups of a snapshot, keyed by address (computed once per index). */
export function publicGroupsOf(index: SnapshotIndex): PublicGroups {
  let known = cache.get(index);
  if (!known) {
    const byAddress = new Map<number, ContainerGroup>();
    const sorted = index.snapshot.containerGroups
      .filter(isPublicGroup)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const g of sorted) {
      const ip = parseIpv4(g.ipAddress!.ip!)!;
      if (!byAddress.has(ip)) byAddress.set(ip, g);
    }
    const addresses = IntervalSet.of(
      ipv4Domain,
      [...byAddress.keys()].map((ip) => [ip, ip] as [number, number]),
    );
    known = { byAddress, owners: [...byAddress.values()], addresses };
    cache.set(index, known);
  }
  return known;
}
