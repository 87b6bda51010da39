/**
 * What the address words of NSG and admin rules mean for one subnet (docs/semantics.md decisions 2, 3, 7):
 * CIDRs, `*`, `AzureLoadBalancer`, the per-subnet `VirtualNetwork` tag (VNet space, peers, UDR
 * prefixes, the host address, on-premises space behind gateways), `Internet`, other service tags
 * (from a service tags file, else unknown), and application security groups (always unknown: their
 * members are NICs, never container groups).
 */
import type { Subnet } from '../../model/snapshot';
import { isAciSubnet, type SnapshotIndex } from '../../model/snapshot-index';
import { parsePrefix } from '../../net/address';
import { SymbolicAddressSet, type MaybePart } from '../sets/address-sets';
import { IntervalSet, ipv4Domain, type Ipv4Set } from '../../net/interval-set';
import type { ServiceTags } from './service-tags';
import { UnknownRegistry, type UnknownKind } from '../sets/unknowns';

/** 168.63.129.16: the Azure host address (health probes, DNS); part of VirtualNetwork and AzureLoadBalancer. */
export const AZURE_HOST_IP = 0xa83f8110;

const SPECIAL_RANGES = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '224.0.0.0/4',
  '240.0.0.0/4',
];

/** IPv4 addresses outside the special and private ranges of decision 3: what `Internet` may contain. */
export const PUBLIC_IPV4: Ipv4Set = ipv4SetOf(SPECIAL_RANGES).complement();

const ALL_IPV4 = IntervalSet.full(ipv4Domain);
const HOST_ONLY = IntervalSet.range(ipv4Domain, AZURE_HOST_IP, AZURE_HOST_IP);

/** The IPv4 addresses of a list of canonical prefixes (IPv6 entries and words are ignored). */
export function ipv4SetOf(prefixes: readonly string[]): Ipv4Set {
  const intervals: [number, number][] = [];
  for (const text of prefixes) {
    const p = parsePrefix(text);
    if (p !== null && p.family === 4) intervals.push([p.start, p.end]);
  }
  return IntervalSet.of(ipv4Domain, intervals);
}

const subnetSpaces = new WeakMap<readonly string[], Ipv4Set>();

/**
 * A subnet's own IPv4 addresses (`ipv4SetOf` of its prefixes), made once per prefix list: analyses
 * ask for them per class, part and label, millions of times on a large estate. Keyed by the list
 * object, which a snapshot never changes in place (a changed subnet is a new object: see applyProposal).
 */
export function subnetSpace(subnet: { readonly addressPrefixes: readonly string[] }): Ipv4Set {
  let space = subnetSpaces.get(subnet.addressPrefixes);
  if (space === undefined)
    subnetSpaces.set(subnet.addressPrefixes, (space = ipv4SetOf(subnet.addressPrefixes)));
  return space;
}

/** The address words of one subnet's context. */
export interface SubnetAddressContext {
  /** The `VirtualNetwork` tag as seen from this subnet. */
  virtualNetwork: SymbolicAddressSet;
  /** The `Internet` tag as seen from this subnet. */
  internet: SymbolicAddressSet;
}

export class AddressWords {
  readonly registry = new UnknownRegistry();
  private readonly contexts = new Map<string, SubnetAddressContext>();
  private readonly tagSets = new Map<string, SymbolicAddressSet>();
  /** CIDRs and addresses, which mean the same in every context. */
  private readonly literals = new Map<string, SymbolicAddressSet>();
  private readonly asgDomain: Ipv4Set;

  constructor(
    private readonly index: SnapshotIndex,
    private readonly serviceTags: ServiceTags | undefined,
  ) {
    let aci = IntervalSet.empty(ipv4Domain);
    for (const s of index.snapshot.subnets) if (isAciSubnet(s)) aci = aci.union(subnetSpace(s));
    this.asgDomain = aci.complement();
  }

  /** The address context of a subnet (shared by subnets with the same VNet and route table). */
  contextFor(subnet: Subnet): SubnetAddressContext {
    const key = `${subnet.virtualNetworkId}|${subnet.routeTableId ?? ''}`;
    let ctx = this.contexts.get(key);
    if (!ctx) {
      ctx = this.buildContext(subnet);
      this.contexts.set(key, ctx);
    }
    return ctx;
  }

  /** Resolves one address-prefix word of a rule in a subnet's context. */
  resolve(word: string, ctx: SubnetAddressContext): SymbolicAddressSet {
    if (word === '*') return SymbolicAddressSet.all;
    // CIDRs and addresses are most words, seen again and again: the cache first (it holds no contextual word).
    const cached = this.literals.get(word);
    if (cached) return cached;
    const lower = word.toLowerCase();
    if (lower === 'virtualnetwork') return ctx.virtualNetwork;
    if (lower === 'internet') return ctx.internet;
    if (lower === 'azureloadbalancer') return SymbolicAddressSet.of(HOST_ONLY);
    // A tag seen before (tags are most of the other words): no prefix parse again.
    const tag = this.tagSets.get(lower);
    if (tag) return tag;
    const prefix = parsePrefix(word);
    if (prefix === null) return this.serviceTag(word);
    const set =
      prefix.family === 4
        ? SymbolicAddressSet.of(IntervalSet.range(ipv4Domain, prefix.start, prefix.end))
        : SymbolicAddressSet.empty;
    this.literals.set(word, set);
    return set;
  }

  /** A rule's address field (its prefix words and application security groups) in a subnet's context. */
  field(
    prefixes: readonly string[],
    asgIds: readonly string[],
    ctx: SubnetAddressContext,
  ): SymbolicAddressSet {
    if (prefixes.length === 1 && asgIds.length === 0) {
      // Most fields hold one word: no union to make (the same set as the union of it with nothing).
      const set = this.resolve(prefixes[0]!, ctx);
      return set.isEmpty ? SymbolicAddressSet.empty : set;
    }
    let set = SymbolicAddressSet.empty;
    for (const p of prefixes) set = set.union(this.resolve(p, ctx));
    for (const id of asgIds) set = set.union(this.applicationSecurityGroup(id));
    return set;
  }

  /** An application security group: members unknown, never inside a container-instance subnet. */
  applicationSecurityGroup(id: string): SymbolicAddressSet {
    const asg = this.index.applicationSecurityGroups.get(id);
    const label = `application security group ${asg?.name ?? id} (members are NICs, not in the snapshot)`;
    return this.unknownSet(`asg:${id}`, 'asg', label, this.asgDomain);
  }

  /** A service tag other than the three contextual ones: from the service tags file, else unknown. */
  serviceTag(name: string): SymbolicAddressSet {
    const lower = name.toLowerCase();
    let set = this.tagSets.get(lower);
    if (!set) {
      const prefixes = this.serviceTags?.tags.get(lower);
      if (prefixes) set = SymbolicAddressSet.of(ipv4SetOf(prefixes));
      else {
        const why = this.serviceTags ? 'not in the service tags file' : 'no --service-tags file given';
        set = this.unknownSet(`tag:${lower}`, 'tag', `service tag ${name} (${why})`, PUBLIC_IPV4);
      }
      this.tagSets.set(lower, set);
    }
    return set;
  }

  private unknownSet(id: string, kind: UnknownKind, label: string, domain: Ipv4Set): SymbolicAddressSet {
    const u = this.registry.intern(id, kind, label, domain);
    return new SymbolicAddressSet(IntervalSet.empty(ipv4Domain), [
      { where: domain, kind: 'in', unknown: u.index },
    ]);
  }

  private buildContext(subnet: Subnet): SubnetAddressContext {
    const { index } = this;
    const vnet = index.virtualNetworks.get(subnet.virtualNetworkId);
    let known = HOST_ONLY;
    const unknownParts: MaybePart[] = [];
    const addUnknown = (id: string, kind: UnknownKind, label: string, where: Ipv4Set) => {
      const u = this.registry.intern(id, kind, label, ALL_IPV4);
      unknownParts.push({ where, kind: 'in', unknown: u.index });
    };
    if (vnet) known = known.union(ipv4SetOf(vnet.addressPrefixes));
    else {
      known = known.union(subnetSpace(subnet));
      addUnknown(
        `vnet:${subnet.virtualNetworkId}`,
        'vnet',
        `address space of virtual network ${subnet.virtualNetworkId} (not in the snapshot)`,
        ALL_IPV4,
      );
    }
    let usesGateway = vnet !== undefined && vnet.gatewayIds.length > 0;
    for (const peering of index.peeringsByVnet.get(subnet.virtualNetworkId) ?? []) {
      if ((peering.peeringState ?? '').toLowerCase() !== 'connected') continue;
      if (peering.useRemoteGateways) usesGateway = true;
      if (!peering.allowVirtualNetworkAccess) continue;
      if (peering.remoteAddressPrefixes !== null)
        known = known.union(ipv4SetOf(peering.remoteAddressPrefixes));
      else {
        const remote = peering.remoteVirtualNetworkId
          ? index.virtualNetworks.get(peering.remoteVirtualNetworkId)
          : undefined;
        if (remote) known = known.union(ipv4SetOf(remote.addressPrefixes));
        else
          addUnknown(
            `peer:${peering.id}`,
            'peer',
            `remote address space of peering ${peering.name} (not in the snapshot)`,
            ALL_IPV4,
          );
      }
    }
    if (subnet.routeTableId !== null) {
      const table = index.routeTables.get(subnet.routeTableId);
      if (!table)
        addUnknown(
          `routes:${subnet.routeTableId}`,
          'routes',
          `routes of route table ${subnet.routeTableId} (not in the snapshot)`,
          ALL_IPV4,
        );
      else {
        for (const route of table.routes) {
          const prefix = parsePrefix(route.addressPrefix);
          if (prefix !== null) {
            if (prefix.family === 4)
              known = known.union(IntervalSet.range(ipv4Domain, prefix.start, prefix.end));
            continue;
          }
          const lower = route.addressPrefix.toLowerCase();
          const tag = ['virtualnetwork', 'internet', 'azureloadbalancer', '*'].includes(lower)
            ? null
            : this.serviceTag(route.addressPrefix);
          if (tag === null) {
            addUnknown(
              `routes:${table.id}`,
              'routes',
              `route ${route.name} of ${table.name} (prefix ${route.addressPrefix})`,
              ALL_IPV4,
            );
            continue;
          }
          known = known.union(tag.sure);
          unknownParts.push(...tag.parts);
        }
      }
    }
    if (usesGateway) {
      addUnknown(
        `onprem:${subnet.virtualNetworkId}`,
        'onprem',
        `on-premises prefixes reachable through the gateway of ${vnet?.name ?? subnet.virtualNetworkId}`,
        ALL_IPV4,
      );
    }
    const parts = unknownParts
      .map((p) => ({ ...p, where: p.where.subtract(known) }))
      .filter((p) => !p.where.isEmpty);
    const virtualNetwork = new SymbolicAddressSet(known, parts);
    return { virtualNetwork, internet: internetOf(virtualNetwork) };
  }
}

/** `Internet` in a context: public addresses outside that context's VirtualNetwork tag. */
function internetOf(virtualNetwork: SymbolicAddressSet): SymbolicAddressSet {
  const candidates = PUBLIC_IPV4.subtract(virtualNetwork.sure);
  if (virtualNetwork.isResolved) return SymbolicAddressSet.of(candidates);
  let maybe = IntervalSet.empty(ipv4Domain);
  for (const p of virtualNetwork.parts) maybe = maybe.union(p.where);
  maybe = maybe.intersect(candidates);
  const parts: MaybePart[] = [];
  // Where the VirtualNetwork tag is unknown, the address is in Internet iff it is in none of those unknown sets.
  for (const seg of new SymbolicAddressSet(IntervalSet.empty(ipv4Domain), virtualNetwork.parts).segments()) {
    if (typeof seg.membership !== 'object') continue;
    const where = IntervalSet.range(ipv4Domain, seg.lo, seg.hi).intersect(maybe);
    if (where.isEmpty) continue;
    parts.push({ where, kind: 'notIn', unknowns: seg.membership.any });
  }
  return new SymbolicAddressSet(candidates.subtract(maybe), parts);
}
