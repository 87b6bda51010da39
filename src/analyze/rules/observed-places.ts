/**
 * Where an observed address sits, for the flow-log rules (ACI013, ACI014): a subnet, a public
 * container group, the Internet, a VNet's space outside its subnets, or other private space. These
 * are the places findings aggregate over, so counts stay readable on thousands of subnets.
 */
import type { ContainerGroup, Subnet } from '../../model/snapshot';
import { isAciSubnet, type SnapshotIndex } from '../../model/snapshot-index';
import { parseIpv4 } from '../../net/address';
import { ipv4SetOf, subnetSpace, PUBLIC_IPV4, publicGroupsOf } from '../../policy';
import type { FlowEnd } from '../../policy';
import { lastAtOrBelow } from '../../util/sorted-search';
import { endpointNames } from './flow-words';

export type PlaceKind = 'subnet' | 'publicContainerGroup' | 'internet' | 'vnetSpace' | 'private' | 'unknown';

export interface Place {
  kind: PlaceKind;
  /** Stable: `subnet:<id>`, `publicContainerGroup:<id>`, `internet`, `vnetSpace:<vnet id>`, `private`, `unknown`. */
  key: string;
  /** For people: `vnet-app/snet-web`, `cg-public (public container group)`, `Internet`, … */
  label: string;
  /** The endpoint `aciseg explain` takes for it (null when there is none). */
  endpoint: string | null;
  subnet: Subnet | null;
  group: ContainerGroup | null;
  /** A subnet delegated to container instances, or a public container group. */
  aci: boolean;
}

export interface Located {
  place: Place;
  /** The flow end the engine evaluates (null for an address it cannot: IPv6, unparsed). */
  end: FlowEnd | null;
  ip: number | null;
}

/** Address → place, for one snapshot (subnets and VNet spaces as sorted interval tables). */
export class PlaceFinder {
  private readonly subnetStarts: number[] = [];
  private readonly subnetEnds: number[] = [];
  private readonly subnetAt: Subnet[] = [];
  private readonly vnetStarts: number[] = [];
  private readonly vnetEnds: number[] = [];
  private readonly vnetAt: string[] = [];
  private readonly places = new Map<string, Place>();
  private readonly subnetPlaces: (Place | undefined)[] = [];
  private readonly vnetPlaces: (Place | undefined)[] = [];
  private readonly groupPlaces = new Map<ContainerGroup, Place>();

  constructor(private readonly index: SnapshotIndex) {
    // Overlapping subnets (unpeered VNets may reuse space): the first by ID wins, as documented.
    const subnets = [...index.snapshot.subnets].sort((a, b) => (a.id < b.id ? -1 : 1));
    const rows: [number, number, Subnet][] = [];
    for (const s of subnets) for (const [lo, hi] of subnetSpace(s).intervals()) rows.push([lo, hi, s]);
    rows.sort((a, b) => a[0] - b[0]);
    for (const [lo, hi, s] of rows) {
      this.subnetStarts.push(lo);
      this.subnetEnds.push(hi);
      this.subnetAt.push(s);
    }
    const vnets: [number, number, string][] = [];
    for (const v of index.snapshot.virtualNetworks)
      for (const [lo, hi] of ipv4SetOf(v.addressPrefixes).intervals()) vnets.push([lo, hi, v.id]);
    vnets.sort((a, b) => a[0] - b[0]);
    for (const [lo, hi, id] of vnets) {
      this.vnetStarts.push(lo);
      this.vnetEnds.push(hi);
      this.vnetAt.push(id);
    }
  }

  locate(address: string): Located {
    const ip = parseIpv4(address);
    if (ip === null) return { place: this.place('unknown'), end: null, ip: null };
    const group = publicGroupsOf(this.index).byAddress.get(ip);
    if (group) {
      let place = this.groupPlaces.get(group);
      if (place === undefined)
        this.groupPlaces.set(group, (place = this.place(`publicContainerGroup:${group.id}`, group)));
      return { place, end: { kind: 'publicContainerGroup', containerGroupId: group.id }, ip };
    }
    // Places by table row, made once: flow logs locate the same few thousand places millions of times.
    const row = this.find(this.subnetStarts, this.subnetEnds, ip);
    if (row >= 0) {
      const subnet = this.subnetAt[row]!;
      const place = (this.subnetPlaces[row] ??= this.place(`subnet:${subnet.id}`, null, subnet));
      return { place, end: { kind: 'subnet', subnetId: subnet.id, ip: address }, ip };
    }
    const vnetRow = this.find(this.vnetStarts, this.vnetEnds, ip);
    const place =
      vnetRow >= 0
        ? (this.vnetPlaces[vnetRow] ??= this.place(`vnetSpace:${this.vnetAt[vnetRow]!}`))
        : this.place(PUBLIC_IPV4.has(ip) ? 'internet' : 'private');
    return { place, end: { kind: 'external', ip: address }, ip };
  }

  /** The row of the interval holding ip (the first in row order among overlapping ones), or -1. */
  private find(starts: number[], ends: number[], ip: number): number {
    if (starts.length === 0 || ip < starts[0]!) return -1;
    // Intervals may overlap: look back from the last start at or below ip.
    for (let i = lastAtOrBelow(starts, ip); i >= 0; i--) if (ends[i]! >= ip) return i;
    return -1;
  }

  private place(key: string, group: ContainerGroup | null = null, subnet: Subnet | null = null): Place {
    let p = this.places.get(key);
    if (p) return p;
    const { index } = this;
    if (subnet) {
      const names = endpointNames(index);
      const label = names.subnetName(subnet);
      const endpoint = names.subnetEndpoint(subnet);
      p = { kind: 'subnet', key, label, endpoint, subnet, group: null, aci: isAciSubnet(subnet) };
    } else if (group) {
      p = {
        kind: 'publicContainerGroup',
        key,
        label: `${group.name} (public container group)`,
        endpoint: endpointNames(index).groupEndpoint(group),
        subnet: null,
        group,
        aci: true,
      };
    } else if (key.startsWith('vnetSpace:')) {
      const id = key.slice('vnetSpace:'.length);
      const name = index.virtualNetworks.get(id)?.name ?? id;
      p = {
        kind: 'vnetSpace',
        key,
        label: `${name} space outside its subnets`,
        endpoint: null,
        subnet,
        group,
        aci: false,
      };
    } else {
      const label =
        key === 'internet'
          ? 'Internet'
          : key === 'private'
            ? 'private space outside every VNet'
            : 'IPv6 or unparsed addresses';
      p = {
        kind: key as PlaceKind,
        key,
        label,
        endpoint: key === 'internet' ? 'Internet' : null,
        subnet,
        group,
        aci: false,
      };
    }
    this.places.set(key, p);
    return p;
  }
}

/** `tcp` / `udp` / `icmp` for the protocols the engine evaluates; null for others. */
export function flowProtocolOf(protocol: string): 'Tcp' | 'Udp' | 'Icmp' | null {
  const lower = protocol.toLowerCase();
  return lower === 'tcp' ? 'Tcp' : lower === 'udp' ? 'Udp' : lower === 'icmp' ? 'Icmp' : null;
}

/** The window of the observed flows in words: `2026-11-30T00:00:00Z … 2026-11-30T23:59:59Z (12,345 tuples)`. */
export function windowWords(window: {
  first: string | null;
  last: string | null;
  since: string | null;
  until: string | null;
  tuples: number;
}): string {
  const from = window.since ?? window.first;
  const to = window.until ?? window.last;
  if (from === null || to === null) return 'an empty window (no flow-log tuples)';
  return `${from} … ${to} (${window.tuples} tuples)`;
}
