/**
 * Compiles the policy that governs one side of a flow: for a subnet and a direction, the AVNM
 * security admin rules of its VNet (in priority order, equal priorities kept together) and then the
 * rules of its NSG (custom then default), each as traffic × source set × destination set.
 */
import type { Direction, NetworkSecurityGroup, Protocol, SecurityRule, Subnet } from '../../model/snapshot';
import type { SnapshotIndex } from '../../model/snapshot-index';
import { SymbolicAddressSet } from '../sets/address-sets';
import { AddressWords, type SubnetAddressContext } from '../words/address-words';
import { RuleTrafficMemo } from './rule-traffic';
import { TrafficSet } from '../sets/traffic';

/** What a matching rule does: final allow, final deny, or (admin `Allow`) hand over to the NSG. */
export type RuleAction = 'allow' | 'deny' | 'pass';

/** Where a decision came from, for explanations and reports. */
export interface RuleRef {
  /** Lower-cased rule id (NSG rule ids are derived: `<nsg id>/securityrules/<name>`). */
  id: string;
  layer: 'admin' | 'nsg';
  name: string;
  priority: number;
  access: 'Allow' | 'Deny' | 'AlwaysAllow';
  direction: Direction;
  /** The NSG, or the admin rule collection, holding the rule. */
  ownerId: string;
  ownerName: string;
  isDefault: boolean;
  /** Unknown sets (indices in the address words' registry) the rule's address fields may depend on. */
  unknowns: number[];
}

export interface CompiledRule {
  /** Index into the compiler's `refs`. */
  ref: number;
  action: RuleAction;
  traffic: TrafficSet;
  src: SymbolicAddressSet;
  dst: SymbolicAddressSet;
}

export type NsgLayer =
  | { kind: 'rules'; nsgId: string; rules: CompiledRule[] }
  | { kind: 'none' }
  | { kind: 'dangling'; nsgId: string };

/** The compiled policy of one side: admin rules first (groups of equal priority), then the NSG layer. */
export interface SidePolicy {
  subnetId: string;
  direction: Direction;
  admin: CompiledRule[][];
  nsg: NsgLayer;
}

/** One direction of an NSG's rules, custom and default together, in evaluation (priority) order. */
export function nsgRulesInOrder(
  group: NetworkSecurityGroup,
  direction: Direction,
): { r: SecurityRule; isDefault: boolean }[] {
  const ofDirection = (list: readonly SecurityRule[], isDefault: boolean) =>
    list.filter((r) => r.direction === direction).map((r) => ({ r, isDefault }));
  const all = [...ofDirection(group.securityRules, false), ...ofDirection(group.defaultSecurityRules, true)];
  return all.sort((a, b) => a.r.priority - b.r.priority);
}

/** The reference of an NSG rule, as results name it. */
export function nsgRuleRef(group: NetworkSecurityGroup, r: SecurityRule, isDefault: boolean): RuleRef {
  return {
    id: `${group.id}/${isDefault ? 'defaultsecurityrules' : 'securityrules'}/${r.name.toLowerCase()}`,
    layer: 'nsg',
    name: r.name,
    priority: r.priority,
    access: r.access,
    direction: r.direction,
    ownerId: group.id,
    ownerName: group.name,
    isDefault,
    unknowns: [],
  };
}

export class PolicyCompiler {
  readonly words: AddressWords;
  readonly refs: RuleRef[] = [];
  /** Ref number of each snapshot rule compiled so far (by object: ids are long strings). */
  private readonly refIndex = new Map<object, number>();
  private readonly nsgCache = new Map<string, CompiledRule[]>();
  /** Per NSG cache key: how many side tables that use it are still to be built (see `sideTableBuilt`). */
  private readonly pendingTables = new Map<string, number>();
  private readonly adminCache = new Map<string, CompiledRule[][]>();
  /** Rules' traffic by their protocol and port fields (shared with the engine's rule coverage). */
  readonly ruleTraffic = new RuleTrafficMemo();
  private readonly collectionsByVnet = new Map<string, string[]>();
  /** Set by keepCompiled: compiled rule lists stay for later requests instead of being dropped. */
  private keep = false;

  constructor(
    readonly index: SnapshotIndex,
    words: AddressWords,
  ) {
    this.words = words;
    for (const collection of index.snapshot.securityAdminRuleCollections) {
      const vnets = new Set<string>();
      for (const groupId of collection.appliesToGroupIds) {
        for (const member of index.networkGroups.get(groupId)?.staticMemberIds ?? []) vnets.add(member);
      }
      for (const vnet of vnets) {
        const list = this.collectionsByVnet.get(vnet) ?? [];
        list.push(collection.id);
        this.collectionsByVnet.set(vnet, list);
      }
    }
    for (const subnet of index.snapshot.subnets) {
      for (const direction of ['Inbound', 'Outbound'] as const) {
        const key = this.nsgKey(subnet, direction);
        if (key !== null) this.pendingTables.set(key, (this.pendingTables.get(key) ?? 0) + 1);
      }
    }
  }

  /** The cache key of a subnet side's compiled NSG rules (null without an NSG in the snapshot). */
  private nsgKey(subnet: Subnet, direction: Direction): string | null {
    if (subnet.networkSecurityGroupId === null) return null;
    const group = this.index.networkSecurityGroups.get(subnet.networkSecurityGroupId);
    if (!group) return null;
    return `${group.id}|${subnet.virtualNetworkId}|${subnet.routeTableId ?? ''}|${direction}`;
  }

  /**
   * Tells the compiler that a subnet side's table is built: once every table that shares a compiled
   * NSG rule list is built, the list is dropped (on the largest estates compiled rules would otherwise
   * outweigh the tables). Later requests (explanations) compile again.
   */
  sideTableBuilt(subnet: Subnet, direction: Direction): void {
    if (this.keep) return;
    const key = this.nsgKey(subnet, direction);
    if (key === null) return;
    const left = (this.pendingTables.get(key) ?? 0) - 1;
    if (left > 0) this.pendingTables.set(key, left);
    else {
      this.pendingTables.delete(key);
      this.nsgCache.delete(key);
    }
  }

  /**
   * Drops the compiled rules kept for sharing between subnets (call after building every table;
   * later requests compile again).
   */
  releaseCaches(): void {
    if (this.keep) return;
    this.nsgCache.clear();
    this.adminCache.clear();
  }

  /** Keeps every compiled rule list from now on (explanations at many points will follow). */
  keepCompiled(): void {
    this.keep = true;
  }

  /** Ends keepCompiled: drops every kept rule list (later requests compile again). */
  stopKeeping(): void {
    this.keep = false;
    this.releaseCaches();
  }

  /** The compiled policy for traffic leaving (Outbound) or entering (Inbound) a subnet. */
  sidePolicy(subnet: Subnet, direction: Direction): SidePolicy {
    const ctx = this.words.contextFor(subnet);
    const ctxKey = `${subnet.virtualNetworkId}|${subnet.routeTableId ?? ''}`;
    const admin = this.adminRules(subnet.virtualNetworkId, ctx, ctxKey, direction);
    let nsg: NsgLayer;
    if (subnet.networkSecurityGroupId === null) nsg = { kind: 'none' };
    else {
      const group = this.index.networkSecurityGroups.get(subnet.networkSecurityGroupId);
      if (!group) nsg = { kind: 'dangling', nsgId: subnet.networkSecurityGroupId };
      else {
        const key = this.nsgKey(subnet, direction)!;
        let rules = this.nsgCache.get(key);
        if (!rules) {
          rules = nsgRulesInOrder(group, direction).map(({ r, isDefault }) =>
            this.compile(
              r,
              () => nsgRuleRef(group, r, isDefault),
              r.access === 'Allow' ? 'allow' : 'deny',
              r.protocol,
              r.sourcePortRanges,
              r.destinationPortRanges,
              this.words.field(r.sourceAddressPrefixes, r.sourceApplicationSecurityGroupIds, ctx),
              this.words.field(r.destinationAddressPrefixes, r.destinationApplicationSecurityGroupIds, ctx),
            ),
          );
          this.nsgCache.set(key, rules);
        }
        nsg = { kind: 'rules', nsgId: group.id, rules };
      }
    }
    return { subnetId: subnet.id, direction, admin, nsg };
  }

  private adminRules(
    vnetId: string,
    ctx: SubnetAddressContext,
    ctxKey: string,
    direction: Direction,
  ): CompiledRule[][] {
    const key = `${ctxKey}|${direction}`;
    let groups = this.adminCache.get(key);
    if (groups) return groups;
    const rules: { priority: number; rule: CompiledRule }[] = [];
    for (const collectionId of this.collectionsByVnet.get(vnetId) ?? []) {
      const collection = this.index.adminRuleCollections.get(collectionId)!;
      for (const r of this.index.adminRulesByCollection.get(collectionId) ?? []) {
        if (r.direction !== direction) continue;
        const words = (list: typeof r.sources) => list.map((a) => a.addressPrefix);
        rules.push({
          priority: r.priority,
          rule: this.compile(
            r,
            () => ({
              id: r.id,
              layer: 'admin',
              name: r.name,
              priority: r.priority,
              access: r.access,
              direction,
              ownerId: collection.id,
              ownerName: collection.name,
              isDefault: false,
              unknowns: [],
            }),
            r.access === 'Deny' ? 'deny' : r.access === 'AlwaysAllow' ? 'allow' : 'pass',
            r.protocol,
            r.sourcePortRanges.length > 0 ? r.sourcePortRanges : ['*'],
            r.destinationPortRanges.length > 0 ? r.destinationPortRanges : ['*'],
            r.sources.length > 0 ? this.words.field(words(r.sources), [], ctx) : SymbolicAddressSet.all,
            r.destinations.length > 0
              ? this.words.field(words(r.destinations), [], ctx)
              : SymbolicAddressSet.all,
          ),
        });
      }
    }
    rules.sort(
      (a, b) => a.priority - b.priority || this.refs[a.rule.ref]!.id.localeCompare(this.refs[b.rule.ref]!.id),
    );
    groups = [];
    for (let i = 0; i < rules.length;) {
      let j = i;
      while (j < rules.length && rules[j]!.priority === rules[i]!.priority) j++;
      groups.push(rules.slice(i, j).map((x) => x.rule));
      i = j;
    }
    this.adminCache.set(key, groups);
    return groups;
  }

  private compile(
    /** The snapshot rule (its identity is the ref's); `ref` describes it, made on first sight only. */
    rule: object,
    ref: () => RuleRef,
    action: RuleAction,
    protocol: Protocol,
    srcPorts: readonly string[],
    dstPorts: readonly string[],
    src: SymbolicAddressSet,
    dst: SymbolicAddressSet,
  ): CompiledRule {
    let refNo = this.refIndex.get(rule);
    if (refNo === undefined) {
      refNo = this.refs.length;
      this.refs.push(ref());
      this.refIndex.set(rule, refNo);
    }
    // The same rule compiled in another subnet's context may depend on other unknowns: keep them all.
    const known = this.refs[refNo]!.unknowns;
    const before = known.length;
    for (const parts of [src.parts, dst.parts]) {
      for (const part of parts) {
        if (part.kind === 'in') {
          if (!known.includes(part.unknown)) known.push(part.unknown);
        } else for (const u of part.unknowns) if (!known.includes(u)) known.push(u);
      }
    }
    if (known.length > before) known.sort((a, b) => a - b);
    return { ref: refNo, action, traffic: this.ruleTraffic.of(protocol, srcPorts, dstPorts), src, dst };
  }
}
