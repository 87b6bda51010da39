/**
 * ACI011: verdicts that are `unknown` because the snapshot does not resolve something: a service tag
 * without a service tags file, an application security group's members, on-premises prefixes behind
 * a gateway, a peering, VNet or route table that is not in the snapshot, a missing NSG or subnet
 * (docs/semantics.md §5). One finding per cause, with how to resolve it; never one per path.
 *
 * A path's unknown traffic is attributed to the unknowns its side decisions keep as variables, and to
 * those of the rules on its sides (the subnets' NSGs and admin rules) that depend on an unknown and
 * match some of that traffic's protocol and ports: read from the rules, not from each decision's
 * deciders (replaying those takes seconds on a large estate). The flows are examples (up to
 * FLOWS_PER_FINDING pairs with unknown traffic), not a count, for the same reason.
 */
import { formatIpv4 } from '../../net/address';
import type { PortSet } from '../../net/interval-set';
import { portSetOf } from '../../net/ports';
import type { Decision, PolicyEngine, TrafficSet } from '../../policy';
import { FLOWS_PER_FINDING, type FindingFlow } from '../findings';
import {
  engineRuleRef,
  explainCommand,
  namesText,
  portWords,
  SnapshotPointers,
  sortedRuleRefs,
} from './flow-words';
import { decisionTest, mayBeUnknown } from './decision-tests';
import { ListMemo, listMembers, targetListsEnd } from './path-lists';
import type { FindingDraft, PackRule, RuleContext } from './rule';

/** At most this many rules are named per cause. */
const RULES_LISTED = 20;

const HOW_TO_RESOLVE: Record<string, string> = {
  tag: 'Pass the service tags file: download ServiceTags_Public.json (Microsoft "Azure IP Ranges and Service Tags – Public Cloud") and run with --service-tags ServiceTags_Public.json.',
  asg: "The members of an application security group are network interfaces, which the snapshot does not model (container groups have none): write the rule with the members' address prefixes instead of the ASG.",
  onprem:
    'On-premises prefixes behind a VPN or ExpressRoute gateway are not in the snapshot: replace VirtualNetwork in the rules with the prefixes the containers need, or accept the finding.',
  peer: 'Import the peered virtual network (or a peering that states its remoteAddressSpace) with the rest of the estate.',
  vnet: 'Import the referenced virtual network with the rest of the estate.',
  routes:
    'Import the referenced route table with the rest of the estate (a route whose prefix is not a CIDR or a resolved service tag is unknown too).',
  nsg: 'Import the referenced network security group with the rest of the estate.',
  location: 'Import the subnet the container group is injected into with the rest of the estate.',
};

interface Cause {
  id: string;
  kind: string;
  label: string;
}

export const aci011: PackRule = {
  meta: {
    id: 'ACI011',
    name: 'unknown-verdict',
    title: 'Verdicts unknown because the snapshot does not resolve something',
    severity: 'info',
    description:
      'Some flows have an unknown verdict: they depend on something the snapshot does not resolve, such as a service tag without a service tags file, on-premises prefixes behind a gateway, or a peered network, route table or NSG that was not imported. aciseg never guesses, so these flows are neither reported as open nor as closed.',
    remediation:
      'Resolve the cause named in the finding: pass --service-tags ServiceTags_Public.json for service tags, or import the missing resource with the rest of the estate.',
    controls: { mcsb: ['NS-1'], cis: [] },
  },
  pairPaths(context) {
    // The paths it reads between two sides with a policy: one side's verdict may depend on an unknown.
    const unknownAt = decisionTest(context.engine, mayBeUnknown);
    return (outId, inId) => unknownAt(outId) || unknownAt(inId);
  },
  run(context: RuleContext): FindingDraft[] {
    const { snapshot, engine } = context;
    const { reach, view } = context.reachability();
    const { paths, classes } = reach;
    const decisions = engine.decisions();
    const sides = new SideUnknowns(engine);
    // The subnets among a list's classes (once per list); their sides' rules come from `sides`.
    const subnetIds = [...new Set(snapshot.subnets.map((s) => s.id))];
    const subnetAt = new Map(subnetIds.map((id, k) => [id, k]));
    // By class: its subnet's index, or -1 (lists hold tens of millions of members: no lookup by id per member).
    const subnetOfClass = new Int32Array(classes.length).fill(-1);
    classes.forEach((c, i) => {
      if (c.kind === 'subnet') subnetOfClass[i] = subnetAt.get(c.subnet!.id)!;
    });
    const seenIn = new Int32Array(subnetIds.length).fill(-1);
    const subnetsOf = new ListMemo(paths, (members, list) => {
      const found: number[] = [];
      for (const c of members) {
        const k = subnetOfClass[c]!;
        if (k >= 0 && seenIn[k] !== list) {
          seenIn[k] = list;
          found.push(k);
        }
      }
      return new Int32Array(found);
    });
    const unknownAt = decisionTest(engine, mayBeUnknown);
    const byCause = new Map<string, { cause: Cause; flows: FindingFlow[]; explain: string | null }>();
    const full = (id: string) => (byCause.get(id)?.flows.length ?? 0) >= FLOWS_PER_FINDING;
    // Side rules by subnet index and direction (read for millions of paths: no key string per read).
    const sideRules: (SideRule[] | undefined)[] = new Array(subnetIds.length * 2);
    const rulesAt = (k: number, inbound: boolean) => {
      const at = k * 2 + (inbound ? 1 : 0);
      return (sideRules[at] ??= sides.of(subnetIds[k]!, inbound ? 'Inbound' : 'Outbound'));
    };
    // A subnet side, class list (by direction) or decision once done stays done: causes only gain examples.
    const doneSides = new Uint8Array(subnetIds.length * 2);
    const doneLists = new Uint8Array(paths.listStart.length * 2);
    const listDone = (list: number, inbound: boolean) => {
      const at = list * 2 + (inbound ? 1 : 0);
      if (doneLists[at] === 1) return true;
      for (const k of subnetsOf.get(list)) {
        const side = k * 2 + (inbound ? 1 : 0);
        if (doneSides[side] === 1) continue;
        for (const r of rulesAt(k, inbound)) if (!full(r.cause.id)) return false;
        doneSides[side] = 1;
      }
      doneLists[at] = 1;
      return true;
    };
    const doneVars = new Uint8Array(decisions.length);
    const varsDone = (d: Decision) => {
      if (doneVars[d.id] === 1) return true;
      for (const v of d.vars) if (!full(engine.unknownSet(v >> 1).id)) return false;
      doneVars[d.id] = 1;
      return true;
    };
    for (let i = 0; i < paths.count; i++) {
      const outId = paths.out.get(i);
      const inId = paths.in.get(i);
      if (!unknownAt(outId) && !unknownAt(inId)) continue;
      const out = decisions[outId]!;
      const inb = decisions[inId]!;
      // Examples only: once every cause this path may have has its examples, no meet is needed.
      const sourceList = paths.sources.get(i);
      // Plain loops over the target lists here: a callback would be a closure made per path.
      const targetsEnd = targetListsEnd(paths, i);
      let done = varsDone(out) && varsDone(inb) && listDone(sourceList, false);
      for (let t = paths.targetStart.get(i); done && t < targetsEnd; t++)
        done = listDone(paths.targetLists.get(t), true);
      if (done) continue;
      const candidates: SideRule[] = [];
      for (const k of subnetsOf.get(sourceList)) candidates.push(...rulesAt(k, false));
      for (let t = paths.targetStart.get(i); t < targetsEnd; t++)
        for (const k of subnetsOf.get(paths.targetLists.get(t))) candidates.push(...rulesAt(k, true));
      const vars = [...out.vars, ...inb.vars].map((v) => engine.unknownSet(v >> 1));
      const traffic = engine.trafficBetween(out, inb);
      if (traffic.unknown.isEmpty) continue;
      const found = new Map<string, Cause>();
      for (const u of vars) found.set(u.id, u);
      for (const r of candidates) if (r.traffic(traffic.unknown)) found.set(r.cause.id, r.cause);
      if (found.size === 0) continue;
      const from = listMembers(paths, paths.sources.get(i))[0]!;
      const to = listMembers(paths, paths.targetLists.get(paths.targetStart.get(i)))[0]!;
      const [protocol, ports] = firstUnknown(traffic.unknown);
      for (const cause of found.values()) {
        let acc = byCause.get(cause.id);
        if (!acc) byCause.set(cause.id, (acc = { cause, flows: [], explain: null }));
        if (acc.flows.length >= FLOWS_PER_FINDING) continue;
        const flow: FindingFlow = {
          from: view.label(from).label,
          to: view.label(to).label,
          fromKey: null,
          toKey: null,
          protocol,
          ports: ports === null ? '-' : portWords(ports),
          verdict: 'unknown',
        };
        if (acc.flows.some((f) => f.from === flow.from && f.to === flow.to)) continue;
        acc.flows.push(flow);
        acc.explain ??= explainCommand(
          formatIpv4(classes[from]!.ranges.first()!),
          formatIpv4(classes[to]!.ranges.first()!),
          protocol,
          ports === null ? null : ports.first()!,
        );
      }
    }
    const pointers = SnapshotPointers.of(snapshot);
    return [...byCause.values()]
      .sort((a, b) => (a.cause.id < b.cause.id ? -1 : 1))
      .map((acc) => {
        // Every rule whose match depends on the cause, wherever it is.
        const all = sortedRuleRefs(sides.rulesOf(acc.cause.id).map((r) => engineRuleRef(engine, r)));
        const rules = all.slice(0, RULES_LISTED);
        const first = rules.map((r) => pointers.rule(r)).find((p) => p !== null);
        return {
          message: `Verdicts depend on ${acc.cause.label}${all.length > 0 ? `, used by ${namesText(all.map((r) => `${r.containerName}/${r.name}`))}` : ''}; e.g. ${acc.flows[0]!.from} → ${acc.flows[0]!.to}`,
          resources: [],
          flows: acc.flows,
          flowsOmitted: 0,
          rules,
          remediation: HOW_TO_RESOLVE[acc.cause.kind] ?? aci011.meta.remediation,
          explain: acc.explain,
          location: first === undefined ? null : { snapshotPointer: first },
          identity: [acc.cause.id],
        };
      });
  },
};

/** The protocol and destination ports to show for unknown traffic (TCP first; null ports for ICMP). */
function firstUnknown(t: TrafficSet): ['tcp' | 'udp', PortSet] | ['icmp', null] {
  const tcp = t.tcp.destinationPorts();
  if (!tcp.isEmpty) return ['tcp', tcp];
  const udp = t.udp.destinationPorts();
  if (!udp.isEmpty) return ['udp', udp];
  return ['icmp', null];
}

/** A rule on a subnet's side that depends on an unknown, with a test of whether it matches some traffic. */
interface SideRule {
  cause: Cause;
  ref: number;
  traffic: (t: TrafficSet) => boolean;
}

/**
 * Per subnet side: the rules there whose match depends on an unknown (NSG rules and the admin rules
 * of collections that apply to the subnet's VNet), and the missing NSG when the subnet names one
 * that is not in the snapshot. Built from the engine's rule refs once.
 */
class SideUnknowns {
  private readonly byOwner = new Map<string, SideRule[]>();
  private readonly collectionsByVnet = new Map<string, string[]>();

  constructor(private readonly engine: PolicyEngine) {
    const { index } = engine;
    // The snapshot rule of a ref (its protocol and ports), looked up only for refs with unknowns.
    const ruleOf = (ownerId: string, direction: string, name: string) => {
      const nsg = index.networkSecurityGroups.get(ownerId);
      if (nsg) {
        const r = [...nsg.securityRules, ...nsg.defaultSecurityRules].find(
          (x) => x.direction === direction && x.name === name,
        );
        return r ? { protocol: r.protocol, ports: r.destinationPortRanges } : null;
      }
      const a = (index.adminRulesByCollection.get(ownerId) ?? []).find(
        (x) => x.direction === direction && x.name === name,
      );
      return a
        ? {
            protocol: a.protocol,
            ports: a.destinationPortRanges.length > 0 ? a.destinationPortRanges : ['*'],
          }
        : null;
    };
    for (let ref = 0; ref < engine.ruleRefCount; ref++) {
      const r = engine.ruleRef(ref);
      if (r.unknowns.length === 0) continue;
      const rule = ruleOf(r.ownerId, r.direction, r.name);
      const match = matcher(rule?.protocol ?? '*', rule?.ports ?? ['*']);
      const key = `${r.ownerId}|${r.direction}`;
      const list = this.byOwner.get(key) ?? [];
      for (const u of r.unknowns) list.push({ cause: engine.unknownSet(u), ref, traffic: match });
      this.byOwner.set(key, list);
    }
    for (const c of index.snapshot.securityAdminRuleCollections)
      for (const g of c.appliesToGroupIds)
        for (const vnet of index.networkGroups.get(g)?.staticMemberIds ?? [])
          this.collectionsByVnet.set(vnet, [...(this.collectionsByVnet.get(vnet) ?? []), c.id]);
  }

  /** The refs of every rule that depends on an unknown set (by its id). */
  rulesOf(causeId: string): number[] {
    const refs = new Set<number>();
    for (const list of this.byOwner.values())
      for (const r of list) if (r.cause.id === causeId) refs.add(r.ref);
    return [...refs];
  }

  /** The side's rules (made on each call: the rule keeps them per subnet index and direction). */
  of(subnetId: string, direction: 'Inbound' | 'Outbound'): SideRule[] {
    const list: SideRule[] = [];
    const subnet = this.engine.index.subnets.get(subnetId)!;
    for (const c of this.collectionsByVnet.get(subnet.virtualNetworkId) ?? [])
      list.push(...(this.byOwner.get(`${c}|${direction}`) ?? []));
    const nsgId = subnet.networkSecurityGroupId;
    if (nsgId !== null) {
      if (this.engine.index.networkSecurityGroups.has(nsgId))
        list.push(...(this.byOwner.get(`${nsgId}|${direction}`) ?? []));
      else
        list.push({
          cause: { id: `nsg:${nsgId}`, kind: 'nsg', label: `NSG ${nsgId} (not in the snapshot)` },
          ref: -1,
          traffic: () => true,
        });
    }
    return list;
  }
}

/** Whether traffic overlaps a rule's protocol and destination ports. */
function matcher(protocol: string, ports: readonly string[]): (t: TrafficSet) => boolean {
  const p = protocol.toLowerCase();
  const set = portSetOf(ports);
  return (t) =>
    ((p === 'tcp' || p === '*') && t.tcp.destinationPorts().overlaps(set)) ||
    ((p === 'udp' || p === '*') && t.udp.destinationPorts().overlaps(set)) ||
    ((p === 'icmp' || p === '*') && t.icmp);
}
