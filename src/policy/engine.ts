/**
 * The policy engine: compiles a snapshot's admin rules and NSGs into per-side decision tables (built
 * on first use) and answers, exactly, what Azure's policy does with traffic between two endpoints.
 */
import type { ContainerGroup, Direction, SecurityAdminRule, Snapshot, Subnet } from '../model/snapshot';
import { indexSnapshot, type SnapshotIndex } from '../model/snapshot-index';
import { parseIpv4, parsePrefix } from '../net/address';
import { AddressWords, ipv4SetOf, subnetSpace } from './words/address-words';
import {
  DecisionStore,
  type Decider,
  type Decision,
  type PairResult,
  type PairTraffic,
} from './compile/decision';
import type { Flow, FlowEnd, FlowVerdict } from './flow';
import { IntervalSet, ipv4Domain, portDomain } from '../net/interval-set';
import { PortRegion } from './sets/port-region';
import type { ServiceTags } from './words/service-tags';
import { publicGroupsOf } from './words/public-groups';
import { PolicyCompiler, nsgRuleRef, nsgRulesInOrder, type RuleRef } from './compile/side-policy';
import { SideTableBuilder, runIndex, type SideTable } from './compile/side-table';
import { TrafficSet } from './sets/traffic';
import { ruleCoverage, type CoverageContext } from './compile/rule-coverage';
import { DST, SRC, variable, type Role } from './sets/unknowns';

export interface EngineOptions {
  /** Resolves service tags other than VirtualNetwork / Internet / AzureLoadBalancer; without it they are unknown. */
  serviceTags?: ServiceTags;
}

/**
 * The engine's surface is what analyses need: side tables and decisions by id, the meet of two
 * decisions, and the rule and unknown-set labels explanations print. Its decision store and rule
 * compiler stay inside (src/policy), so their representation can change without touching callers.
 */
export class PolicyEngine {
  readonly index: SnapshotIndex;
  private readonly store = new DecisionStore();
  private readonly compiler: PolicyCompiler;
  private readonly builder: SideTableBuilder;
  private readonly tables = new Map<string, SideTable>();
  private readonly publicPorts = new Map<string, Decision>();
  readonly noPolicy: Decision;
  readonly unknownLocation: Decision;

  constructor(snapshot: Snapshot, options: EngineOptions = {}) {
    this.index = indexSnapshot(snapshot);
    this.compiler = new PolicyCompiler(this.index, new AddressWords(this.index, options.serviceTags));
    this.builder = new SideTableBuilder(
      this.store,
      sharedVariables(this.index, this.compiler.words),
      (subnetId, direction, localIp, remoteIp) => this.decidersAt(subnetId, direction, localIp, remoteIp),
    );
    this.noPolicy = this.store.plain(TrafficSet.all, TrafficSet.none, [
      { kind: 'no-policy', ref: -1, outcome: 'allow', traffic: TrafficSet.all },
    ]);
    this.unknownLocation = this.store.plain(TrafficSet.none, TrafficSet.all, [
      { kind: 'unknown-location', ref: -1, outcome: 'unknown', traffic: TrafficSet.all },
    ]);
  }

  /** Every decision made so far, by id (side tables and paths hold these ids). Read-only; grows as tables compile. */
  decisions(): readonly Decision[] {
    return this.store.decisions;
  }

  /** The decision with this id. */
  decision(id: number): Decision {
    return this.store.decisions[id]!;
  }

  /** How many distinct pairs of decisions have been met so far (a benchmark figure). */
  get pairCount(): number {
    return this.store.pairCount;
  }

  /** What passes an outbound decision and an inbound one together, with the deciders (memoized per pair). */
  meet(out: Decision, inbound: Decision): PairResult {
    return this.store.meet(out, inbound);
  }

  /** Whether the meet of two decisions (by id) may let anything through: cheap, for pruning closed pairs. */
  mayPass(outId: number, inboundId: number): boolean {
    return this.store.mayPass(outId, inboundId);
  }

  /** The traffic allowed and unknown through both decisions, without deciders. */
  trafficBetween(out: Decision, inbound: Decision): PairTraffic {
    return this.store.trafficBetween(out, inbound);
  }

  /** A stable id for a traffic set: equal sets get equal ids within this engine. */
  trafficId(set: TrafficSet): number {
    return this.store.traffic.id(set);
  }

  /** The rule a decider's `ref` points at (refs ≥ 0; -1 means no rule, e.g. no policy at all). */
  ruleRef(ref: number): RuleRef {
    return this.compiler.refs[ref]!;
  }

  /** The label of an unknown set (an index in a rule ref's `unknowns`), e.g. the service tag's name. */
  unknownLabel(unknown: number): string {
    return this.compiler.words.registry.all[unknown]!.label;
  }

  /** How many rule refs the compiler has given out so far (refs are 0 … count - 1). */
  get ruleRefCount(): number {
    return this.compiler.refs.length;
  }

  /** The identity of an unknown set: its stable id (`tag:storage`, `peer:<id>`, …), kind and label. */
  unknownSet(unknown: number): { id: string; kind: string; label: string } {
    const u = this.compiler.words.registry.all[unknown]!;
    return { id: u.id, kind: u.kind, label: u.label };
  }

  /**
   * Drops the compiled rules kept for sharing between subnets (call after building every side
   * table: they are large; later requests compile again).
   */
  releaseCaches(): void {
    this.compiler.releaseCaches();
  }

  /**
   * Keeps each side's compiled rules after its table is built, for callers that will explain many
   * points (the analyze rule pack names the deciding rules of thousands of findings): `decidersAt`
   * then replays them instead of compiling the side again. On the typical synthetic estate this
   * holds about 15 MB more.
   */
  keepCompiledRules(): void {
    this.compiler.keepCompiled();
  }

  /** Ends keepCompiledRules once the explaining is done: the kept rules are dropped. */
  releaseCompiledRules(): void {
    this.compiler.stopKeeping();
  }

  /** Side tables (`subnet id|direction`) whose correlated unknowns exceeded the exact-enumeration budget. */
  get approximatedTables(): ReadonlySet<string> {
    return this.builder.approximated;
  }

  /**
   * Shadowed and removable custom rules of an NSG, per direction, over every subnet it applies to
   * (compile/rule-coverage.ts); empty when it applies to no subnet of the snapshot.
   */
  nsgRuleCoverage(nsgId: string): NsgRuleCoverage[] {
    const group = this.index.networkSecurityGroups.get(nsgId);
    if (!group) return [];
    // Subnets sharing a VNet and route table read the rules' words alike: one context for all of them.
    const contexts = new Map<string, Subnet[]>();
    for (const s of this.subnetsOfNsg().get(group.id) ?? []) {
      const key = `${s.virtualNetworkId}|${s.routeTableId ?? ''}`;
      const list = contexts.get(key);
      if (list) list.push(s);
      else contexts.set(key, [s]);
    }
    if (contexts.size === 0) return [];
    const out: NsgRuleCoverage[] = [];
    const words = this.compiler.words;
    for (const direction of ['Inbound', 'Outbound'] as const) {
      // The compiler's order (custom and default rules by priority), read without its bookkeeping:
      // coverage needs only each rule's traffic and addresses, and the engine's rule refs stay as they are.
      const ordered = nsgRulesInOrder(group, direction);
      const traffic = ordered.map(({ r }) =>
        this.compiler.ruleTraffic.of(r.protocol, r.sourcePortRanges, r.destinationPortRanges),
      );
      const compiled: CoverageContext[] = [...contexts.values()].map((subnets) => {
        const ctx = words.contextFor(subnets[0]!);
        const rules = ordered.map(({ r }, i) => ({
          action: r.access === 'Allow' ? ('allow' as const) : ('deny' as const),
          traffic: traffic[i]!,
          src: words.field(r.sourceAddressPrefixes, r.sourceApplicationSecurityGroupIds, ctx),
          dst: words.field(r.destinationAddressPrefixes, r.destinationApplicationSecurityGroupIds, ctx),
        }));
        return { rules, local: ipv4SetOf(subnets.flatMap((s) => s.addressPrefixes)) };
      });
      const rules: RuleRef[] = ordered.map(({ r, isDefault }) => nsgRuleRef(group, r, isDefault));
      // Rules the model does not fully evaluate may decide traffic it does not see: never candidates.
      const candidate = ordered.map(({ r, isDefault }) => {
        if (isDefault || r.protocol === 'Esp' || r.protocol === 'Ah') return false;
        // Canonical prefixes: only IPv6 ones hold a colon (no tag or IPv4 prefix does).
        const v6 = (list: readonly string[]) => list.some((p) => p.includes(':'));
        return !v6(r.sourceAddressPrefixes) && !v6(r.destinationAddressPrefixes);
      });
      const answer = ruleCoverage(compiled, direction, candidate);
      out.push({ direction, rules, candidate, contexts: compiled.length, ...answer });
    }
    return out;
  }

  private nsgSubnets: Map<string, Subnet[]> | null = null;

  private subnetsOfNsg(): Map<string, Subnet[]> {
    if (this.nsgSubnets) return this.nsgSubnets;
    this.nsgSubnets = new Map();
    for (const s of this.index.snapshot.subnets) {
      if (s.networkSecurityGroupId === null) continue;
      const list = this.nsgSubnets.get(s.networkSecurityGroupId);
      if (list) list.push(s);
      else this.nsgSubnets.set(s.networkSecurityGroupId, [s]);
    }
    return this.nsgSubnets;
  }

  /** The decision table of a subnet side, compiled on first use. */
  sideTable(subnet: Subnet, direction: Direction): SideTable {
    const key = `${subnet.id}|${direction}`;
    let table = this.tables.get(key);
    if (!table) {
      table = this.builder.build(this.compiler.sidePolicy(subnet, direction), subnetSpace(subnet));
      this.tables.set(key, table);
      this.compiler.sideTableBuilt(subnet, direction);
    }
    return table;
  }

  /**
   * The deciders of a subnet side for one pair of addresses — its own (`localIp`) and the other end's
   * (`remoteIp`) — with the traffic each decided. Explanations use it; it never changes a verdict.
   */
  decidersAt(subnetId: string, direction: Direction, localIp: number, remoteIp: number): readonly Decider[] {
    const subnet = this.index.subnets.get(subnetId);
    if (!subnet) return this.unknownLocation.deciders;
    return this.builder.explainPoint(this.compiler.sidePolicy(subnet, direction), localIp, remoteIp);
  }

  /**
   * What a public container group admits inbound: exactly its `ipAddress.ports`, from any source port.
   * Groups with the same port list share one decision (its detail is the port list, e.g. `80/TCP, 443/TCP`).
   */
  publicPortsDecision(group: ContainerGroup): Decision {
    const list = publicPortList(group);
    const key = list.map((p) => `${p.port}/${p.protocol}`).join(', ') || 'none';
    let d = this.publicPorts.get(key);
    if (!d) {
      const ports = (protocol: 'TCP' | 'UDP') =>
        IntervalSet.of(
          portDomain,
          list.filter((p) => p.protocol === protocol).map((p) => [p.port, p.port] as [number, number]),
        );
      const full = IntervalSet.full(portDomain);
      const allow = new TrafficSet(
        PortRegion.of(full, ports('TCP')),
        PortRegion.of(full, ports('UDP')),
        false,
      );
      const denied = TrafficSet.all.subtract(allow);
      d = this.store.plain(allow, TrafficSet.none, [
        { kind: 'public-ports', ref: -1, outcome: 'allow', traffic: allow, detail: key },
        { kind: 'public-ports', ref: -1, outcome: 'deny', traffic: denied, detail: key },
      ]);
      this.publicPorts.set(key, d);
    }
    return d;
  }

  /** The decision of one side of a flow about the other end's address. */
  sideDecision(end: FlowEnd, direction: Direction, otherIp: number): Decision {
    // A public container group's address is that group wherever it appears (docs/semantics.md decision 4).
    if (end.kind !== 'publicContainerGroup') {
      const owner = publicGroupsOf(this.index).byAddress.get(addressOf(end, this.index));
      if (owner) return direction === 'Outbound' ? this.noPolicy : this.publicPortsDecision(owner);
    }
    if (end.kind === 'external') return this.noPolicy;
    if (end.kind === 'publicContainerGroup') {
      if (direction === 'Outbound') return this.noPolicy;
      const group = this.index.containerGroups.get(end.containerGroupId);
      if (!group) return this.unknownLocation;
      return this.publicPortsDecision(group);
    }
    const subnet = this.index.subnets.get(end.subnetId);
    if (!subnet) return this.unknownLocation;
    const table = this.sideTable(subnet, direction);
    const localIp = addressOf(end, this.index);
    const key = table.local.values[runIndex(table.local, localIp)]!;
    if (key < 0) throw new RangeError(`address ${end.ip} is not inside subnet ${subnet.name}`);
    const remote = table.remote[key]!;
    return this.store.decisions[remote.values[runIndex(remote, otherIp)]!]!;
  }

  /** The combined result for traffic from `src` to `dst` (every protocol and port). */
  pairResult(src: FlowEnd, dst: FlowEnd): PairResult {
    const srcIp = addressOf(src, this.index);
    const dstIp = addressOf(dst, this.index);
    return this.store.meet(
      this.sideDecision(src, 'Outbound', dstIp),
      this.sideDecision(dst, 'Inbound', srcIp),
    );
  }

  /**
   * The verdict for one concrete flow. A flow from an address to itself (same location, same
   * address) is not a network flow (docs/semantics.md decision 6) and is rejected.
   */
  evaluateFlow(flow: Flow): FlowVerdict {
    if (sameEnd(flow.src, flow.dst, this.index))
      throw new RangeError('a flow from an address to itself is not a network flow');
    const result = this.pairResult(flow.src, flow.dst);
    if (result.allow.has(flow.protocol, flow.srcPort, flow.dstPort)) return 'allow';
    if (result.unknown.has(flow.protocol, flow.srcPort, flow.dstPort)) return 'unknown';
    return 'deny';
  }
}

/** The shadowed and removable custom rules of one NSG direction (positions index `rules`). */
export interface NsgRuleCoverage {
  direction: Direction;
  /** The NSG's rules of this direction in evaluation order, custom and default. */
  rules: readonly RuleRef[];
  /** Rules that may be reported: custom, TCP/UDP/ICMP/`*`, no IPv6 prefix. */
  candidate: readonly boolean[];
  /** Distinct subnet contexts (VNet and route table) the NSG was checked in. */
  contexts: number;
  shadowed: readonly boolean[];
  matchesNothing: readonly boolean[];
  removable: readonly boolean[];
  coveredBy: readonly (readonly number[])[];
}

/**
 * Variables that a rule tests on its own subnet's addresses (a service tag or an ASG in the source of an
 * outbound rule or the destination of an inbound one, where the subnet may hold such addresses). The
 * other side of a flow can test the same variable, so decisions must keep them for an exact meet.
 */
function sharedVariables(index: SnapshotIndex, words: AddressWords): Set<number> {
  const shared = new Set<number>();
  const special = new Set(['*', 'virtualnetwork', 'internet', 'azureloadbalancer']);
  // Whether a word names a service tag (not a CIDR or a contextual word), per distinct word.
  const tagWords = new Map<string, boolean>();
  const isTag = (word: string) => {
    let tag = tagWords.get(word);
    if (tag === undefined) {
      tag = !special.has(word.toLowerCase()) && parsePrefix(word) === null;
      tagWords.set(word, tag);
    }
    return tag;
  };
  let addresses = IntervalSet.empty(ipv4Domain);
  const collect = (role: Role, tags: readonly string[], asgIds: readonly string[]) => {
    for (const word of tags) {
      if (!isTag(word)) continue;
      for (const part of words.serviceTag(word).parts) {
        if (part.kind === 'in' && part.where.overlaps(addresses)) shared.add(variable(part.unknown, role));
      }
    }
    for (const id of asgIds) {
      for (const part of words.applicationSecurityGroup(id).parts) {
        if (part.kind === 'in' && part.where.overlaps(addresses)) shared.add(variable(part.unknown, role));
      }
    }
  };
  const adminByVnet = new Map<string, SecurityAdminRule[]>();
  for (const c of index.snapshot.securityAdminRuleCollections) {
    const rules = index.adminRulesByCollection.get(c.id) ?? [];
    for (const g of c.appliesToGroupIds) {
      for (const vnet of index.networkGroups.get(g)?.staticMemberIds ?? [])
        adminByVnet.set(vnet, [...(adminByVnet.get(vnet) ?? []), ...rules]);
    }
  }
  for (const subnet of index.snapshot.subnets) {
    addresses = subnetSpace(subnet);
    const nsg = subnet.networkSecurityGroupId
      ? index.networkSecurityGroups.get(subnet.networkSecurityGroupId)
      : undefined;
    for (const r of [...(nsg?.securityRules ?? []), ...(nsg?.defaultSecurityRules ?? [])]) {
      if (r.direction === 'Outbound')
        collect(SRC, r.sourceAddressPrefixes, r.sourceApplicationSecurityGroupIds);
      else collect(DST, r.destinationAddressPrefixes, r.destinationApplicationSecurityGroupIds);
    }
    for (const r of adminByVnet.get(subnet.virtualNetworkId) ?? []) {
      const tags = (list: typeof r.sources) =>
        list.filter((a) => a.addressPrefixType === 'ServiceTag').map((a) => a.addressPrefix);
      if (r.direction === 'Outbound') collect(SRC, tags(r.sources), []);
      else collect(DST, tags(r.destinations), []);
    }
  }
  return shared;
}

/** The IPv4 address of a flow end (a public container group's `ipAddress.ip`). */
export function addressOf(end: FlowEnd, index: SnapshotIndex): number {
  let text: string;
  if (end.kind === 'publicContainerGroup') {
    const ip = index.containerGroups.get(end.containerGroupId)?.ipAddress?.ip;
    if (!ip)
      throw new RangeError(`container group ${end.containerGroupId} has no IP address in the snapshot`);
    text = ip;
  } else text = end.ip;
  const value = parseIpv4(text);
  if (value === null) throw new RangeError(`not an IPv4 address: ${text}`);
  return value;
}

function sameEnd(a: FlowEnd, b: FlowEnd, index: SnapshotIndex): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'subnet' && b.kind === 'subnet' && a.subnetId !== b.subnetId) return false;
  return addressOf(a, index) === addressOf(b, index);
}

/** Compiles a snapshot for evaluation (tables are built lazily, per side, on first use). */
export function compilePolicy(snapshot: Snapshot, options: EngineOptions = {}): PolicyEngine {
  return new PolicyEngine(snapshot, options);
}

/** A public group's `ipAddress.ports`, deduplicated and sorted by protocol then port. */
function publicPortList(group: ContainerGroup): { port: number; protocol: 'TCP' | 'UDP' }[] {
  const seen = new Map<string, { port: number; protocol: 'TCP' | 'UDP' }>();
  for (const p of group.ipAddress?.ports ?? []) seen.set(`${p.protocol}/${p.port}`, p);
  return [...seen.values()].sort((a, b) =>
    a.protocol !== b.protocol ? (a.protocol < b.protocol ? -1 : 1) : a.port - b.port,
  );
}
