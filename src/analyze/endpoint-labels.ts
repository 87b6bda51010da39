/**
 * Names for endpoint classes that people recognise: the subnet and the container groups in it, or
 * for addresses outside every subnet, what they are (Internet, the Azure host address, a VNet's
 * unassigned space, a peered network that is not in the snapshot, other private space).
 */
import type { ContainerGroup } from '../model/snapshot';
import type { SnapshotIndex } from '../model/snapshot-index';
import { parseIpv4 } from '../net/address';
import { AZURE_HOST_IP, ipv4SetOf, PUBLIC_IPV4, publicGroupsOf } from '../policy';
import { IntervalSet, ipv4Domain, type Ipv4Set } from '../net/interval-set';
import { formatRange } from './explain';
import type { EndpointClass } from './reachability';

export interface ClassLabel {
  label: string;
  /** Names of the container groups whose address is in the class. */
  containerGroups: string[];
  /** True when the class holds public Internet addresses (the riskiest source). */
  internet: boolean;
}

/** Address ranges as text, at most `limit` of them, with a count of the rest. */
export function rangesText(ranges: Ipv4Set, limit = 3): string {
  const list = ranges.intervals().map(([lo, hi]) => formatRange(lo, hi));
  return list.length <= limit
    ? list.join(', ')
    : `${list.slice(0, limit).join(', ')} … (+${list.length - limit} more ranges)`;
}

export class ClassLabeler {
  private readonly groupsBySubnet = new Map<string, { group: ContainerGroup; ip: number }[]>();
  private readonly named: { name: string; space: Ipv4Set }[] = [];
  /** Every address outside the snapshot's subnets and public container groups. */
  private readonly outside: Ipv4Set;

  constructor(private readonly index: SnapshotIndex) {
    let subnets = IntervalSet.empty(ipv4Domain);
    for (const s of index.snapshot.subnets) subnets = subnets.union(ipv4SetOf(s.addressPrefixes));
    // Public container groups' addresses are their own classes, never outside ones (decision 4).
    this.outside = subnets.union(publicGroupsOf(index).addresses).complement();
    for (const g of index.snapshot.containerGroups) {
      const ip = g.ipAddress?.ip ? parseIpv4(g.ipAddress.ip) : null;
      if (ip === null) continue;
      for (const sid of g.subnetIds) {
        const list = this.groupsBySubnet.get(sid) ?? [];
        list.push({ group: g, ip });
        this.groupsBySubnet.set(sid, list);
      }
    }
    for (const p of index.snapshot.virtualNetworkPeerings) {
      if (p.remoteVirtualNetworkId && index.virtualNetworks.has(p.remoteVirtualNetworkId)) continue;
      const space = ipv4SetOf(p.remoteAddressPrefixes ?? []);
      if (!space.isEmpty) this.named.push({ name: `peered network behind ${p.name}`, space });
    }
    for (const v of index.snapshot.virtualNetworks) {
      let space = ipv4SetOf(v.addressPrefixes);
      for (const s of index.subnetsByVnet.get(v.id) ?? [])
        space = space.subtract(ipv4SetOf(s.addressPrefixes));
      if (!space.isEmpty) this.named.push({ name: `${v.name} space outside its subnets`, space });
    }
  }

  label(c: EndpointClass): ClassLabel {
    if (c.kind === 'publicContainerGroup') {
      return {
        label: `public container group ${c.group!.name} (${c.group!.ipAddress?.ip})`,
        containerGroups: [c.group!.name],
        internet: false,
      };
    }
    if (c.kind === 'subnet') {
      const subnet = c.subnet!;
      const vnet = this.index.virtualNetworks.get(subnet.virtualNetworkId)?.name ?? '?';
      const members = (this.groupsBySubnet.get(subnet.id) ?? [])
        .filter((m) => c.ranges.has(m.ip))
        .map((m) => m.group.name);
      const whole = c.ranges.equals(ipv4SetOf(subnet.addressPrefixes));
      return {
        label: `${vnet}/${subnet.name}${whole ? '' : ` [${rangesText(c.ranges)}]`}`,
        containerGroups: [...new Set(members)].sort(),
        internet: false,
      };
    }
    const anywhere = "anywhere outside the snapshot's subnets (Internet included)";
    if (c.ranges.equals(this.outside)) return { label: anywhere, containerGroups: [], internet: true };
    const missing = this.outside.subtract(c.ranges);
    if (
      c.ranges.isSubsetOf(this.outside) &&
      missing.intervalCount <= 3 &&
      !c.ranges.intersect(PUBLIC_IPV4).isEmpty
    ) {
      return { label: `${anywhere} except ${rangesText(missing)}`, containerGroups: [], internet: true };
    }
    if (c.ranges.intervalCount === 1 && c.ranges.size() === 1 && c.ranges.has(AZURE_HOST_IP)) {
      return { label: 'Azure host 168.63.129.16 (AzureLoadBalancer)', containerGroups: [], internet: false };
    }
    const kinds: string[] = [];
    let rest = c.ranges;
    const host = rest.has(AZURE_HOST_IP);
    if (host) kinds.push('Azure host 168.63.129.16 (AzureLoadBalancer)');
    for (const n of this.named) {
      if (rest.overlaps(n.space)) {
        kinds.push(n.name);
        rest = rest.subtract(n.space);
      }
    }
    const publicPart = rest.intersect(PUBLIC_IPV4);
    const internet = !publicPart.isEmpty && !(host && publicPart.size() === 1);
    if (internet) kinds.push('Internet');
    if (!rest.subtract(PUBLIC_IPV4).isEmpty) kinds.push('private or reserved space outside every VNet');
    const whole = PUBLIC_IPV4.isSubsetOf(c.ranges);
    return {
      label: `${kinds.join(' + ')}${whole ? '' : ` [${rangesText(c.ranges)}]`}`,
      containerGroups: [],
      internet,
    };
  }
}
