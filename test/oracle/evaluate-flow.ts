/**
 * The brute-force oracle: evaluates ONE concrete flow by walking the snapshot's rules exactly as the
 * flow semantics specification (docs/semantics.md, quoted as "§n" below) says. It is written
 * independently of the optimized engine in src/policy so that the two can be compared: no interval
 * sets, no precompilation, no caching across calls. Obviously correct beats fast.
 *
 * Unknowns (§5) are handled by a depth-first search over membership variables `(set, address)`: the
 * flow is evaluated under a partial assignment; when the evaluation needs a variable the assignment
 * does not fix, it stops (throws `NeedVariable`) and the search evaluates the flow again with that
 * variable set to true and to false. Every leaf is therefore one complete evaluation under one
 * consistent assignment, and the leaves cover all assignments of the variables that matter: the set
 * of outcomes over the leaves is the exact set of outcomes over all assignments.
 */
import type { Flow, FlowEnd, FlowProtocol, FlowVerdict } from '../../src/policy/flow';
import type { ServiceTags } from '../../src/policy/words/service-tags';
import type {
  Direction,
  Protocol,
  SecurityAdminRule,
  SecurityRule,
  Snapshot,
  Subnet,
} from '../../src/model/snapshot';
import { oracleIpv4, oraclePortRange, oraclePrefix } from './parse';

export interface OracleOptions {
  serviceTags?: ServiceTags;
}

/** The oracle refuses flows whose answer depends on more membership variables than this (2^k leaves). */
export const MAX_UNKNOWN_VARIABLES = 16;

const ACI_DELEGATION = 'microsoft.containerinstance/containergroups';
const AZURE_HOST_VIP = ipv4('168.63.129.16');

/** §3 Internet: public = outside these nine ranges. */
const NON_PUBLIC_RANGES = [
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

type Outcome = 'allow' | 'deny';
type AdminDecision = SecurityAdminRule['access'] | 'noMatch';

/** Signal: the evaluation needs the value of this membership variable. */
class NeedVariable {
  constructor(readonly key: string) {}
}

/** Everything one evaluation (one leaf of the search) reads. */
interface Leaf {
  snapshot: Snapshot;
  serviceTags: ServiceTags | undefined;
  flow: Flow;
  srcIp: number;
  dstIp: number;
  /** Membership variable `set@address` → its value in this leaf. */
  assignment: ReadonlyMap<string, boolean>;
}

/**
 * The verdict of one concrete flow (§0): `allow` if every assignment of the unknown memberships
 * allows it, `deny` if every one denies it, else `unknown`.
 */
export function oracleVerdict(snapshot: Snapshot, flow: Flow, options: OracleOptions = {}): FlowVerdict {
  const srcIp = endAddress(snapshot, flow.src);
  const dstIp = endAddress(snapshot, flow.dst);
  const seen = new Set<Outcome>();
  const explore = (assignment: Map<string, boolean>): void => {
    if (seen.size === 2) return; // already unknown; more leaves cannot change that
    let outcomes: Set<Outcome>;
    try {
      outcomes = evaluateLeaf({ snapshot, serviceTags: options.serviceTags, flow, srcIp, dstIp, assignment });
    } catch (signal) {
      if (!(signal instanceof NeedVariable)) throw signal;
      if (assignment.size >= MAX_UNKNOWN_VARIABLES)
        throw new Error(`oracle: the flow depends on more than ${MAX_UNKNOWN_VARIABLES} unknown memberships`);
      for (const value of [true, false]) explore(new Map([...assignment, [signal.key, value]]));
      return;
    }
    for (const o of outcomes) seen.add(o);
  };
  explore(new Map());
  if (seen.size === 2) return 'unknown';
  if (seen.has('allow')) return 'allow';
  if (seen.has('deny')) return 'deny';
  throw new Error('oracle: no outcome'); // cannot happen: every leaf yields at least one outcome
}

/** §0: the flow is allowed iff the source side (Outbound) and the destination side (Inbound) both allow. */
function evaluateLeaf(leaf: Leaf): Set<Outcome> {
  const src = sideOutcomes(leaf, leaf.flow.src, 'Outbound');
  // A side that can only deny decides the flow; the other side's unknowns do not matter then.
  if (!src.has('allow')) return new Set(['deny']);
  const dst = sideOutcomes(leaf, leaf.flow.dst, 'Inbound');
  const out = new Set<Outcome>();
  for (const s of src) for (const d of dst) out.add(s === 'allow' && d === 'allow' ? 'allow' : 'deny');
  return out;
}

/** §1: the possible outcomes of one side under the leaf's assignment. */
function sideOutcomes(leaf: Leaf, end: FlowEnd, direction: Direction): Set<Outcome> {
  // docs/semantics.md decision 4: "a public container group's ipAddress.ip is that group wherever it appears"
  // — an end given by an address that a public group holds is that group.
  const holder = end.kind === 'publicContainerGroup' ? null : publicGroupHolding(leaf.snapshot, end.ip);
  if (holder !== null)
    return sideOutcomes(leaf, { kind: 'publicContainerGroup', containerGroupId: holder }, direction);
  // "external: no policy on this side: allow."
  if (end.kind === 'external') return new Set(['allow']);
  if (end.kind === 'publicContainerGroup') {
    // "As the source side: no policy (allow)."
    if (direction === 'Outbound') return new Set(['allow']);
    // "As the destination side: allow iff protocol is Tcp/Udp and (dstPort, PROTOCOL) is in ipAddress.ports; ICMP → deny."
    const group = publicGroup(leaf.snapshot, end.containerGroupId);
    const { protocol, dstPort } = leaf.flow;
    const open =
      protocol !== 'Icmp' &&
      (group.ipAddress?.ports ?? []).some((p) => p.port === dstPort && p.protocol === protocol.toUpperCase());
    return new Set([open ? 'allow' : 'deny']);
  }
  // "if subnetId is not a snapshot subnet the side is fully unknown: both outcomes possible."
  const subnet = leaf.snapshot.subnets.find((s) => s.id === end.subnetId);
  if (subnet === undefined) return new Set(['allow', 'deny']);
  // §4: "Deny → the side denies; AlwaysAllow → the side allows; Allow → the NSG layer's result. No match → the NSG layer's result."
  const out = new Set<Outcome>();
  for (const decision of adminDecisions(leaf, subnet, direction)) {
    if (decision === 'Deny') out.add('deny');
    else if (decision === 'AlwaysAllow') out.add('allow');
    else for (const o of nsgOutcomes(leaf, subnet, direction)) out.add(o);
  }
  return out;
}

/**
 * §4: the admin layer's possible decisions. Rules of every collection that applies to a network group
 * with the subnet's VNet as a static member, of this direction, first match by ascending priority;
 * "Two applicable admin rules with the SAME priority: evaluate every order of each such tie group".
 */
function adminDecisions(leaf: Leaf, subnet: Subnet, direction: Direction): Set<AdminDecision> {
  const { snapshot } = leaf;
  const groupIds = new Set(
    snapshot.networkGroups
      .filter((g) => g.staticMemberIds.includes(subnet.virtualNetworkId))
      .map((g) => g.id),
  );
  const collectionIds = new Set(
    snapshot.securityAdminRuleCollections
      .filter((c) => c.appliesToGroupIds.some((id) => groupIds.has(id)))
      .map((c) => c.id),
  );
  const rules = snapshot.securityAdminRules.filter(
    (r) => collectionIds.has(r.ruleCollectionId) && r.direction === direction,
  );
  const priorities = [...new Set(rules.map((r) => r.priority))].sort((a, b) => a - b);
  const tieGroups = priorities.map((p) => rules.filter((r) => r.priority === p));

  const walk = (i: number): Set<AdminDecision> => {
    const group = tieGroups[i];
    if (group === undefined) return new Set(['noMatch']);
    const out = new Set<AdminDecision>();
    let rest: Set<AdminDecision> | undefined;
    for (const order of permutations(group)) {
      const first = order.find((r) => adminRuleMatches(leaf, subnet, r));
      if (first !== undefined) out.add(first.access);
      else for (const d of (rest ??= walk(i + 1))) out.add(d);
    }
    return out;
  };
  return walk(0);
}

/** §2: the NSG layer of a subnet for one direction: no NSG → allow; dangling NSG → both; else first match. */
function nsgOutcomes(leaf: Leaf, subnet: Subnet, direction: Direction): Set<Outcome> {
  const nsgId = subnet.networkSecurityGroupId;
  if (nsgId === null) return new Set(['allow']);
  const nsg = leaf.snapshot.networkSecurityGroups.find((n) => n.id === nsgId);
  if (nsg === undefined) return new Set(['allow', 'deny']);
  // "Rules of that direction = securityRules ∪ defaultSecurityRules of that direction, ascending priority."
  const rules = [...nsg.securityRules, ...nsg.defaultSecurityRules]
    .filter((r) => r.direction === direction)
    .sort((a, b) => a.priority - b.priority);
  rules.forEach((r, i) => {
    const next = rules[i + 1];
    if (next !== undefined && next.priority === r.priority)
      throw new Error(`oracle: NSG ${nsg.id} has two ${direction} rules at priority ${r.priority}`);
  });
  const first = rules.find((r) => nsgRuleMatches(leaf, subnet, r));
  if (first === undefined)
    throw new Error(`oracle: no ${direction} rule of NSG ${nsg.id} matched (no defaults?)`);
  return new Set([first.access === 'Allow' ? 'allow' : 'deny']);
}

/** §2: an NSG rule matches iff protocol, ports and both addresses match (source field vs src address, destination field vs dst address). */
function nsgRuleMatches(leaf: Leaf, context: Subnet, rule: SecurityRule): boolean {
  return (
    protocolMatches(rule.protocol, leaf.flow.protocol) &&
    portsMatch(rule.sourcePortRanges, rule.destinationPortRanges, leaf.flow) &&
    addressFieldContains(
      leaf,
      context,
      rule.sourceAddressPrefixes,
      rule.sourceApplicationSecurityGroupIds,
      leaf.srcIp,
    ) &&
    addressFieldContains(
      leaf,
      context,
      rule.destinationAddressPrefixes,
      rule.destinationApplicationSecurityGroupIds,
      leaf.dstIp,
    )
  );
}

/** §4: "Admin rules use the same match definition as NSG rules"; IPPrefix entries are CIDRs or `*`, ServiceTag entries are words. */
function adminRuleMatches(leaf: Leaf, context: Subnet, rule: SecurityAdminRule): boolean {
  const fieldContains = (entries: SecurityAdminRule['sources'], ip: number): boolean =>
    entries.some((e) => {
      if (
        e.addressPrefixType === 'IPPrefix' &&
        e.addressPrefix !== '*' &&
        oraclePrefix(e.addressPrefix) === null
      )
        throw new Error(
          `oracle: admin rule ${rule.id} has an invalid IPPrefix ${JSON.stringify(e.addressPrefix)}`,
        );
      return wordContains(leaf, context, e.addressPrefix, ip);
    });
  return (
    protocolMatches(rule.protocol, leaf.flow.protocol) &&
    portsMatch(rule.sourcePortRanges, rule.destinationPortRanges, leaf.flow) &&
    fieldContains(rule.sources, leaf.srcIp) &&
    fieldContains(rule.destinations, leaf.dstIp)
  );
}

/** §2 protocol: `*` matches Tcp, Udp, Icmp; a named protocol only itself; Esp/Ah match no flow. */
function protocolMatches(ruleProtocol: Protocol, flowProtocol: FlowProtocol): boolean {
  return ruleProtocol === '*' || ruleProtocol === flowProtocol;
}

/**
 * §2 ports: for Tcp/Udp both ports must lie in the union of the rule's ranges; "ICMP has no ports: the
 * rule matches an ICMP flow only if BOTH its source and destination port sets are the full range 0–65535".
 */
function portsMatch(srcRanges: readonly string[], dstRanges: readonly string[], flow: Flow): boolean {
  if (flow.protocol === 'Icmp') return coversAllPorts(srcRanges) && coversAllPorts(dstRanges);
  return inPortRanges(flow.srcPort, srcRanges) && inPortRanges(flow.dstPort, dstRanges);
}

function inPortRanges(port: number, ranges: readonly string[]): boolean {
  return ranges.some((text) => {
    const r = portRange(text);
    return r.lo <= port && port <= r.hi;
  });
}

function coversAllPorts(ranges: readonly string[]): boolean {
  const sorted = ranges.map(portRange).sort((a, b) => a.lo - b.lo);
  let next = 0; // the lowest port not yet covered
  for (const r of sorted) {
    if (r.lo > next) return false;
    next = Math.max(next, r.hi + 1);
  }
  return next > 65535;
}

/** §2: "a rule side's set = union of its *AddressPrefixes entries ∪ its ASGs". Empty lists match nothing. */
function addressFieldContains(
  leaf: Leaf,
  context: Subnet,
  prefixes: readonly string[],
  asgIds: readonly string[],
  ip: number,
): boolean {
  return (
    prefixes.some((p) => wordContains(leaf, context, p, ip)) || asgIds.some((id) => asgContains(leaf, id, ip))
  );
}

/** §3: whether one address word of a rule, read in the context of subnet C, contains the address. */
function wordContains(leaf: Leaf, context: Subnet, word: string, ip: number): boolean {
  // "*: every address."
  if (word === '*') return true;
  // "CIDR / IP: its addresses." IPv6 prefixes never match an IPv4 address.
  // Anything that looks like an address is parsed as one (and an invalid one is an error, not a tag).
  if (/^[\d.:/]+$/.test(word) || word.includes('/') || oraclePrefix(word) !== null)
    return cidrContains(word, ip);
  switch (word.toLowerCase()) {
    case 'azureloadbalancer': // "exactly 168.63.129.16"
      return ip === AZURE_HOST_VIP;
    case 'virtualnetwork':
      return inVirtualNetwork(leaf, context, ip);
    case 'internet': // "public — NOT in the nine ranges — AND not in C's VirtualNetwork expansion"
      return isPublic(ip) && !inVirtualNetwork(leaf, context, ip);
    default:
      return serviceTagContains(leaf, word, ip);
  }
}

/**
 * §3 VirtualNetwork for subnet C: (a) C's VNet space, (b) Connected peerings with access, (c) C's route
 * table's route prefixes, (d) 168.63.129.16, (e) an unknown on-premises part when the VNet has a
 * gateway or uses a remote one. Known parts are tested first, so the unknown parts are only consulted
 * for an address outside the known part (the domain of `onprem:` in §5).
 */
function inVirtualNetwork(leaf: Leaf, context: Subnet, ip: number): boolean {
  const { snapshot } = leaf;
  const vnetId = context.virtualNetworkId;
  const vnet = snapshot.virtualNetworks.find((v) => v.id === vnetId);
  const connected = snapshot.virtualNetworkPeerings.filter(
    (p) => p.virtualNetworkId === vnetId && (p.peeringState ?? '').toLowerCase() === 'connected',
  );
  const unknownParts: (() => boolean)[] = [];
  const knownPrefixes: string[] = [...(vnet?.addressPrefixes ?? []), '168.63.129.16/32']; // (a), (d)
  // (a) when C's VNet is not in the snapshot: C's own prefixes are surely in it; the rest is UNKNOWN (kind vnet).
  if (vnet === undefined) {
    knownPrefixes.push(...context.addressPrefixes);
    unknownParts.push(() => variable(leaf, `vnet:${vnetId}`, ip));
  }

  // (b) "remoteAddressPrefixes if non-null, else the addressPrefixes of the VNet remoteVirtualNetworkId
  // if that VNet is in the snapshot, else an UNKNOWN part (kind peer)".
  for (const peering of connected.filter((p) => p.allowVirtualNetworkAccess)) {
    const remote = snapshot.virtualNetworks.find((v) => v.id === peering.remoteVirtualNetworkId);
    if (peering.remoteAddressPrefixes !== null) knownPrefixes.push(...peering.remoteAddressPrefixes);
    else if (remote !== undefined) knownPrefixes.push(...remote.addressPrefixes);
    else unknownParts.push(() => variable(leaf, `peer:${peering.id}`, ip));
  }

  // (c) every route's addressPrefix, whatever its next hop; a dangling route table id → UNKNOWN (routes).
  const knownTags: string[] = [];
  if (context.routeTableId !== null) {
    const tableId = context.routeTableId;
    const table = snapshot.routeTables.find((t) => t.id === tableId);
    if (table === undefined) unknownParts.push(() => variable(leaf, `routes:${tableId}`, ip));
    else
      for (const route of table.routes) {
        if (oraclePrefix(route.addressPrefix) !== null) knownPrefixes.push(route.addressPrefix);
        else knownTags.push(route.addressPrefix); // a service tag: resolved, or the tag's own unknown
      }
  }

  // (e) "if C's VNet has a gateway or any Connected peering of C's VNet has useRemoteGateways true".
  if ((vnet?.gatewayIds.length ?? 0) > 0 || connected.some((p) => p.useRemoteGateways))
    unknownParts.push(() => variable(leaf, `onprem:${vnetId}`, ip));

  if (knownPrefixes.some((p) => cidrContains(p, ip))) return true;
  const resolved = knownTags.filter((t) => tagPrefixes(leaf, t) !== null);
  if (resolved.some((t) => serviceTagContains(leaf, t, ip))) return true;
  const unresolved = knownTags.filter((t) => tagPrefixes(leaf, t) === null);
  return unresolved.some((t) => serviceTagContains(leaf, t, ip)) || unknownParts.some((part) => part());
}

/**
 * §3 "Any other word is a service tag (compare names case-insensitively)": its IPv4 prefixes from the
 * service tags file, else the unknown `tag:<lower-cased name>`, which only holds public IPv4 (§5).
 */
function serviceTagContains(leaf: Leaf, tag: string, ip: number): boolean {
  const prefixes = tagPrefixes(leaf, tag);
  if (prefixes !== null) return prefixes.some((p) => cidrContains(p, ip));
  return isPublic(ip) && variable(leaf, `tag:${tag.toLowerCase()}`, ip);
}

function tagPrefixes(leaf: Leaf, tag: string): readonly string[] | null {
  return leaf.serviceTags?.tags.get(tag.toLowerCase()) ?? null;
}

/** §5 `asg:<id>`: any IPv4 address NOT inside a subnet delegated to ACI (container groups have no NIC). */
function asgContains(leaf: Leaf, asgId: string, ip: number): boolean {
  const inAciSubnet = leaf.snapshot.subnets.some(
    (s) =>
      s.delegations.some((d) => d.toLowerCase() === ACI_DELEGATION) &&
      s.addressPrefixes.some((p) => cidrContains(p, ip)),
  );
  return !inAciSubnet && variable(leaf, `asg:${asgId}`, ip);
}

/** §5: the value of membership variable (set, address) in this leaf; stops the leaf when it is not fixed. */
function variable(leaf: Leaf, set: string, ip: number): boolean {
  const key = `${set}@${ip}`;
  const value = leaf.assignment.get(key);
  if (value === undefined) throw new NeedVariable(key);
  return value;
}

function isPublic(ip: number): boolean {
  return !NON_PUBLIC_RANGES.some((p) => cidrContains(p, ip));
}

/** Whether a CIDR (IPv4 or IPv6) contains an IPv4 address; IPv6 never does. */
function cidrContains(text: string, ip: number): boolean {
  const p = oraclePrefix(text);
  if (p === null) throw new Error(`oracle: invalid address prefix ${JSON.stringify(text)}`);
  return p.family === 4 && p.start <= ip && ip <= p.end;
}

/** The IPv4 address of a flow end (§1); flows are IPv4 only. */
function endAddress(snapshot: Snapshot, end: FlowEnd): number {
  if (end.kind === 'publicContainerGroup')
    return ipv4(publicGroup(snapshot, end.containerGroupId).ipAddress?.ip ?? '');
  return ipv4(end.ip);
}

/**
 * The public container group whose `ipAddress.ip` is this address, or null. Public: type `Public`, or
 * no type on a group with neither subnet nor network profile. Should two hold it, the smallest ID.
 */
function publicGroupHolding(snapshot: Snapshot, ip: string): string | null {
  return publicHolders(snapshot).get(oracleIpv4(ip)!) ?? null;
}

/** Address → holding public group, made once per snapshot (a scan per flow made large estates slow). */
const holdersBySnapshot = new WeakMap<Snapshot, Map<number, string>>();

function publicHolders(snapshot: Snapshot): Map<number, string> {
  let holders = holdersBySnapshot.get(snapshot);
  if (holders) return holders;
  holders = new Map();
  const ids = snapshot.containerGroups.map((g) => g.id).sort();
  const byId = new Map(snapshot.containerGroups.map((g) => [g.id, g]));
  for (const id of ids) {
    const g = byId.get(id)!;
    const a = g.ipAddress;
    if (a === null || a.ip === null || oracleIpv4(a.ip) === null) continue;
    const isPublicGroup =
      a.type === 'Public' || (a.type === null && g.subnetIds.length === 0 && g.networkProfileId === null);
    const address = oracleIpv4(a.ip)!;
    // Should two hold it, the smallest ID (ids are visited in order).
    if (isPublicGroup && !holders.has(address)) holders.set(address, id);
  }
  holdersBySnapshot.set(snapshot, holders);
  return holders;
}

function publicGroup(snapshot: Snapshot, id: string): Snapshot['containerGroups'][number] {
  const group = snapshot.containerGroups.find((g) => g.id === id);
  if (group === undefined || group.ipAddress === null || group.ipAddress.ip === null)
    throw new Error(`oracle: container group ${id} is not in the snapshot or has no IP address`);
  return group;
}

function portRange(text: string): { lo: number; hi: number } {
  const r = oraclePortRange(text);
  if (r === null) throw new Error(`oracle: invalid port range ${JSON.stringify(text)}`);
  return r;
}

function ipv4(text: string): number {
  const ip = oracleIpv4(text);
  if (ip === null)
    throw new Error(`oracle: ${JSON.stringify(text)} is not an IPv4 address (flows are IPv4 only)`);
  return ip;
}

/** Every order of a tie group (the groups are tiny; refuse absurd ones rather than hang). */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length > 7) throw new Error(`oracle: ${items.length} admin rules share one priority`);
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/**
 * The NSG rules that decide one concrete flow on either side (first match of the NSG layer, on
 * each side whose admin layer hands the flow to the NSG), under any assignment of the unknowns: the
 * oracle's word on which rules "decide" a flow. Keys are `<nsg id>/<direction>/<rule name>`.
 */
export function oracleNsgDeciders(snapshot: Snapshot, flow: Flow, options: OracleOptions = {}): Set<string> {
  const srcIp = endAddress(snapshot, flow.src);
  const dstIp = endAddress(snapshot, flow.dst);
  const deciders = new Set<string>();
  const sides: [FlowEnd, Direction][] = [
    [flow.src, 'Outbound'],
    [flow.dst, 'Inbound'],
  ];
  const explore = (assignment: Map<string, boolean>): void => {
    const leaf: Leaf = { snapshot, serviceTags: options.serviceTags, flow, srcIp, dstIp, assignment };
    try {
      const found: string[] = [];
      for (const [end, direction] of sides) {
        const holder = end.kind === 'publicContainerGroup' ? null : publicGroupHolding(snapshot, end.ip);
        if (holder !== null || end.kind !== 'subnet') continue;
        const subnet = snapshot.subnets.find((s) => s.id === end.subnetId);
        if (subnet === undefined || subnet.networkSecurityGroupId === null) continue;
        const nsg = snapshot.networkSecurityGroups.find((n) => n.id === subnet.networkSecurityGroupId);
        if (nsg === undefined) continue;
        const handedOver = [...adminDecisions(leaf, subnet, direction)].some(
          (d) => d === 'Allow' || d === 'noMatch',
        );
        if (!handedOver) continue;
        const first = [...nsg.securityRules, ...nsg.defaultSecurityRules]
          .filter((r) => r.direction === direction)
          .sort((a, b) => a.priority - b.priority)
          .find((r) => nsgRuleMatches(leaf, subnet, r));
        if (first !== undefined) found.push(`${nsg.id}/${direction}/${first.name}`);
      }
      for (const key of found) deciders.add(key);
    } catch (signal) {
      if (!(signal instanceof NeedVariable)) throw signal;
      if (assignment.size >= MAX_UNKNOWN_VARIABLES)
        throw new Error(`oracle: the flow depends on more than ${MAX_UNKNOWN_VARIABLES} unknown memberships`);
      for (const value of [true, false]) explore(new Map([...assignment, [signal.key, value]]));
    }
  };
  explore(new Map());
  return deciders;
}
