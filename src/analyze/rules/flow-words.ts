/**
 * The words findings are written in, shared by the pack rules: rule references in the key format of
 * the reachability results (README "Result keys"), JSON pointers into the snapshot, endpoint texts
 * that `aciseg explain` resolves back to the same thing, port words as an intent file writes them,
 * and the `explain` command that shows a finding's evidence.
 */
import type {
  ContainerGroup,
  NetworkSecurityGroup,
  SecurityRule,
  Snapshot,
  Subnet,
} from '../../model/snapshot';
import { isAciSubnet, type SnapshotIndex } from '../../model/snapshot-index';
import { RESERVED_TAG_WORDS } from '../../model/reserved-words';
import type { PortSet } from '../../net/interval-set';
import { subnetSpace, type PolicyEngine } from '../../policy';
import type { EndpointClass } from '../reachability';
import {
  FLOWS_PER_FINDING,
  SNAPSHOT_PLACEHOLDER,
  type FindingFlow,
  type FindingResource,
  type FindingRuleRef,
  ruleOwnerId,
} from '../findings';
import { formatPorts } from '../explain';

/** A finding's reference to an NSG rule read from the snapshot. */
export function nsgRuleRef(
  nsg: NetworkSecurityGroup,
  rule: SecurityRule,
  isDefault: boolean,
): FindingRuleRef {
  return {
    id: `${nsg.id}/${isDefault ? 'defaultsecurityrules' : 'securityrules'}/${rule.name}`.toLowerCase(),
    policy: 'nsg',
    containerName: nsg.name,
    name: rule.name,
    direction: rule.direction,
    priority: rule.priority,
    access: rule.access,
    isDefault,
  };
}

/** A finding's reference to a rule the engine compiled (`Decider.ref`). */
export function engineRuleRef(engine: PolicyEngine, ref: number): FindingRuleRef {
  const r = engine.ruleRef(ref);
  const admin = r.layer === 'admin';
  return {
    id: r.id,
    policy: admin ? 'avnm' : 'nsg',
    containerName: r.ownerName,
    name: r.name,
    direction: r.direction,
    priority: r.priority,
    access: r.access === 'Deny' ? 'Deny' : 'Allow',
    isDefault: r.isDefault,
  };
}

/** Rule references without repeats, by priority then ID (a stable order for people). */
export function sortedRuleRefs(refs: Iterable<FindingRuleRef>): FindingRuleRef[] {
  const byId = new Map<string, FindingRuleRef>();
  for (const r of refs) byId.set(r.id, r);
  return [...byId.values()].sort(
    (a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** The subnets that hold container groups: delegated to ACI, or named by a group's `subnetIds`. */
export function aciSubnetIds(snapshot: Snapshot): Set<string> {
  const ids = new Set<string>();
  for (const s of snapshot.subnets) if (isAciSubnet(s)) ids.add(s.id);
  for (const g of snapshot.containerGroups) for (const id of g.subnetIds) ids.add(id);
  return ids;
}

/**
 * RFC 6901 pointers to snapshot entries by ID, so a finding can say where in the file its resource
 * sits (SARIF locations). Positions are location only, never identity.
 */
export class SnapshotPointers {
  private static readonly bySnapshot = new WeakMap<Snapshot, SnapshotPointers>();
  private readonly at = new Map<string, number>();

  /** The pointers of a snapshot, made once for all the rules that name its entries. */
  static of(snapshot: Snapshot): SnapshotPointers {
    let pointers = SnapshotPointers.bySnapshot.get(snapshot);
    if (pointers === undefined) {
      pointers = new SnapshotPointers(snapshot);
      SnapshotPointers.bySnapshot.set(snapshot, pointers);
    }
    return pointers;
  }

  private constructor(private readonly snapshot: Snapshot) {
    const arrays = [
      ['subnets', snapshot.subnets],
      ['networkSecurityGroups', snapshot.networkSecurityGroups],
      ['routeTables', snapshot.routeTables],
      ['containerGroups', snapshot.containerGroups],
      ['virtualNetworks', snapshot.virtualNetworks],
      ['securityAdminRules', snapshot.securityAdminRules],
    ] as const;
    for (const [name, items] of arrays) items.forEach((item, i) => this.at.set(`${name}|${item.id}`, i));
  }

  /** `/subnets/3`, `/networkSecurityGroups/0`, …; null when the ID is not in the snapshot. */
  resource(
    array:
      | 'subnets'
      | 'networkSecurityGroups'
      | 'routeTables'
      | 'containerGroups'
      | 'virtualNetworks'
      | 'securityAdminRules',
    id: string,
  ): string | null {
    const i = this.at.get(`${array}|${id}`);
    return i === undefined ? null : `/${array}/${i}`;
  }

  /** The pointer of a rule reference: `/networkSecurityGroups/2/securityRules/0` (or `defaultSecurityRules`). */
  rule(ref: FindingRuleRef): string | null {
    if (ref.policy === 'avnm') {
      const rule = this.snapshot.securityAdminRules.findIndex((r) => r.id.toLowerCase() === ref.id);
      return rule < 0 ? null : `/securityAdminRules/${rule}`;
    }
    const nsgAt = this.at.get(`networkSecurityGroups|${ruleOwnerId(ref)}`);
    if (nsgAt === undefined) return null;
    const nsg = this.snapshot.networkSecurityGroups[nsgAt]!;
    const match = (r: SecurityRule) => r.direction === ref.direction && r.name === ref.name;
    const custom = nsg.securityRules.findIndex(match);
    if (custom >= 0) return `/networkSecurityGroups/${nsgAt}/securityRules/${custom}`;
    const builtIn = nsg.defaultSecurityRules.findIndex(match);
    return builtIn < 0 ? null : `/networkSecurityGroups/${nsgAt}/defaultSecurityRules/${builtIn}`;
  }
}

/**
 * Names for endpoints in findings and `explain` commands. A subnet is `vnet/subnet` and a container
 * group `cg:<name>` when that text resolves to it alone (src/analyze/endpoints.ts); otherwise its
 * resource ID, which always does. Made once per snapshot index.
 */
export class EndpointNames {
  private readonly subnetNameCount = new Map<string, number>();
  private readonly groupNameCount = new Map<string, number>();

  constructor(private readonly index: SnapshotIndex) {
    for (const s of index.snapshot.subnets) {
      const name = this.subnetName(s).toLowerCase();
      this.subnetNameCount.set(name, (this.subnetNameCount.get(name) ?? 0) + 1);
    }
    for (const g of index.snapshot.containerGroups) {
      const name = g.name.toLowerCase();
      this.groupNameCount.set(name, (this.groupNameCount.get(name) ?? 0) + 1);
    }
  }

  /** `vnet-app/snet-aci-web`, for people (the VNet name from the snapshot, else from the ID). */
  subnetName(subnet: Subnet): string {
    const vnet =
      this.index.virtualNetworks.get(subnet.virtualNetworkId)?.name ??
      /\/virtualnetworks\/([^/]+)$/.exec(subnet.virtualNetworkId)?.[1] ??
      '?';
    return `${vnet}/${subnet.name}`;
  }

  /** The endpoint text that resolves to exactly this subnet. */
  subnetEndpoint(subnet: Subnet): string {
    const name = this.subnetName(subnet);
    const lower = name.toLowerCase();
    // Resolution tries tags and container group names before vnet/subnet.
    const clear =
      this.subnetNameCount.get(lower) === 1 &&
      !RESERVED_TAG_WORDS.has(lower) &&
      !this.groupNameCount.has(lower) &&
      !lower.startsWith('cg:') &&
      !lower.startsWith('/');
    return clear ? name : subnet.id;
  }

  /** The endpoint text that resolves to exactly this container group. */
  groupEndpoint(group: ContainerGroup): string {
    return this.groupNameCount.get(group.name.toLowerCase()) === 1 ? `cg:${group.name}` : group.id;
  }
}

const endpointNamesMemo = new WeakMap<SnapshotIndex, EndpointNames>();

/** The EndpointNames of an index, made once. */
export function endpointNames(index: SnapshotIndex): EndpointNames {
  let names = endpointNamesMemo.get(index);
  if (!names) endpointNamesMemo.set(index, (names = new EndpointNames(index)));
  return names;
}

/** A word as a POSIX shell reads it: plain when safe, else single-quoted. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `aciseg explain <snapshot> --from A --to B --port 22` (`--protocol` unless TCP; no port for ICMP). */
export function explainCommand(
  from: string,
  to: string,
  protocol: 'tcp' | 'udp' | 'icmp' | '*',
  port: number | null,
): string {
  const words = ['aciseg', 'explain', SNAPSHOT_PLACEHOLDER, '--from', shellWord(from), '--to', shellWord(to)];
  if (protocol !== 'tcp') words.push('--protocol', shellWord(protocol));
  if (protocol !== 'icmp' && port !== null) words.push('--port', String(port));
  return words.join(' ');
}

/** Destination ports as an intent file writes them: `*`, `22`, `22,3389`, `8000-9000`. */
export function portWords(ports: PortSet): string {
  return ports.isFull ? '*' : formatPorts(ports).join(',');
}

/** The first FLOWS_PER_FINDING flows and how many were left out. */
export function capFlows(flows: FindingFlow[]): { flows: FindingFlow[]; flowsOmitted: number } {
  return {
    flows: flows.slice(0, FLOWS_PER_FINDING),
    flowsOmitted: Math.max(0, flows.length - FLOWS_PER_FINDING),
  };
}

/** The resource entry of a subnet (its display name is `vnet/subnet`). */
export function subnetResource(names: EndpointNames, subnet: Subnet): FindingResource {
  return { kind: 'subnet', id: subnet.id, name: names.subnetName(subnet) };
}

export function nsgResource(nsg: NetworkSecurityGroup): FindingResource {
  return { kind: 'networkSecurityGroup', id: nsg.id, name: nsg.name };
}

/** The resource a rule reference names: the security rule (or admin rule) as a FindingResource. */
export function ruleResource(ref: FindingRuleRef): FindingResource {
  return {
    kind: ref.policy === 'avnm' ? 'adminRule' : 'securityRule',
    id: ref.id,
    name: `${ref.containerName}/${ref.name}`,
  };
}

/** `a, b and 3 more`: at most `shown` names, the rest counted (labels stay short at any scale). */
export function namesText(names: readonly string[], shown = 3): string {
  if (names.length <= shown) return names.join(', ');
  return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}

/** Per subnet: `subnet:<id>` when one endpoint group is the whole subnet (README "Result keys"), else null. */
export function wholeSubnetKeys(classes: readonly EndpointClass[]): Map<string, string | null> {
  const keys = new Map<string, string | null>();
  for (const c of classes) {
    if (c.kind !== 'subnet') continue;
    const id = c.subnet!.id;
    const whole = !keys.has(id) && c.ranges.equals(subnetSpace(c.subnet!));
    keys.set(id, whole ? `subnet:${id}` : null);
  }
  return keys;
}

/** The container groups injected into each subnet, in snapshot order. */
export function groupsBySubnet(snapshot: Snapshot): Map<string, ContainerGroup[]> {
  const out = new Map<string, ContainerGroup[]>();
  for (const g of snapshot.containerGroups) {
    for (const id of g.subnetIds) {
      const list = out.get(id);
      if (list) list.push(g);
      else out.set(id, [g]);
    }
  }
  return out;
}

/** A subnet and the container groups in it, as a finding's resources. */
export function subnetWithGroups(
  names: EndpointNames,
  subnet: Subnet,
  groups: readonly ContainerGroup[],
): FindingResource[] {
  return [
    subnetResource(names, subnet),
    ...groups.map((g) => ({ kind: 'containerGroup' as const, id: g.id, name: g.name })),
  ];
}

/** `, allowed by nsg-a/Rule1, nsg-a/Rule2 and 3 more`; `, the subnet has no NSG` when it has none; else nothing. */
export function allowedByText(rules: readonly FindingRuleRef[], subnet?: Subnet): string {
  if (rules.length > 0) return `, allowed by ${namesText(rules.map((r) => `${r.containerName}/${r.name}`))}`;
  return subnet?.networkSecurityGroupId === null ? ', the subnet has no NSG' : '';
}

/** ` (3 container groups)`, or nothing for none. */
export function groupsText(count: number): string {
  return count === 0 ? '' : ` (${count} container group${count === 1 ? '' : 's'})`;
}
