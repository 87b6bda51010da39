/**
 * ACI011: verdicts that are `unknown` because the snapshot does not resolve something: a service tag
 * without a service tags file, an application security group's members, on-premises prefixes behind
 * a gateway, a peering, VNet or route table that is not in the snapshot, a missing NSG or subnet
 * (docs/semantics.md §5). One finding per cause, with how to resolve it; never one per path.
 */
import { formatIpv4 } from '../../net/address';
import type { Paths } from '../reachability';
import type { Decision, PolicyEngine } from '../../policy';
import { FLOWS_PER_FINDING, type FindingFlow, type FindingRuleRef } from '../findings';
import { engineRuleRef, explainCommand, SnapshotPointers, sortedRuleRefs } from './flow-words';
import { listMembers, targetListsOf } from './path-lists';
import type { FindingDraft, PackRule, RuleContext } from './rule';

/** At most this many rules are named per cause. */
const RULES_LISTED = 20;

interface Cause {
  id: string;
  kind: string;
  label: string;
}

const HOW_TO_RESOLVE: Record<string, string> = {
  tag: 'Pass the service tags file: download ServiceTags_Public.json (Microsoft "Azure IP Ranges and Service Tags – Public Cloud") and run with --service-tags ServiceTags_Public.json.',
  asg: 'The members of an application security group are network interfaces, which the snapshot does not model (container groups have none): write the rule with the members\' address prefixes instead of the ASG.',
  onprem:
    'On-premises prefixes behind a VPN or ExpressRoute gateway are not in the snapshot: replace VirtualNetwork in the rules with the prefixes the containers need, or accept the finding.',
  peer: 'Import the peered virtual network (or a peering that states its remoteAddressSpace) with the rest of the estate.',
  vnet: 'Import the referenced virtual network with the rest of the estate.',
  routes: 'Import the referenced route table with the rest of the estate (a route whose prefix is not a CIDR or a resolved service tag is unknown too).',
  nsg: 'Import the referenced network security group with the rest of the estate.',
  location: 'Import the subnet the container group is injected into with the rest of the estate.',
};

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
  run(context: RuleContext): FindingDraft[] {
    const { snapshot, engine } = context;
    const { reach, view } = context.reachability();
    const { paths, classes } = reach;
    const decisions = engine.decisions();
    const causeMemo = new Map<number, Cause[]>();
    const causesOf = (d: Decision) => {
      let list = causeMemo.get(d.id);
      if (list === undefined) causeMemo.set(d.id, (list = decisionCauses(engine, d)));
      return list;
    };
    const byCause = new Map<
      string,
      { cause: Cause; pairs: number; flows: FindingFlow[]; rules: Map<string, FindingRuleRef>; explain: string | null }
    >();
    for (let i = 0; i < paths.count; i++) {
      const out = decisions[paths.out.get(i)]!;
      const inb = decisions[paths.in.get(i)]!;
      const causes = [...causesOf(out), ...causesOf(inb)];
      if (causes.length === 0) continue;
      const traffic = engine.trafficBetween(out, inb);
      if (traffic.unknown.isEmpty) continue;
      const sourceCount = pathListSize(paths, paths.sources.get(i));
      let targetCount = 0;
      const targetLists = targetListsOf(paths, i);
      for (const list of targetLists) targetCount += pathListSize(paths, list);
      const from = listMembers(paths, paths.sources.get(i))[0]!;
      const to = listMembers(paths, targetLists[0]!)[0]!;
      const seenHere = new Set<string>();
      for (const cause of causes) {
        if (seenHere.has(cause.id)) continue;
        seenHere.add(cause.id);
        let acc = byCause.get(cause.id);
        if (!acc) byCause.set(cause.id, (acc = { cause, pairs: 0, flows: [], rules: new Map(), explain: null }));
        acc.pairs += sourceCount * targetCount;
        if (acc.flows.length < FLOWS_PER_FINDING) {
          const tcp = traffic.unknown.tcp.destinationPorts();
          const udp = traffic.unknown.udp.destinationPorts();
          const [protocol, ports] = !tcp.isEmpty ? (['tcp', tcp] as const) : !udp.isEmpty ? (['udp', udp] as const) : (['icmp', null] as const);
          acc.flows.push({
            from: view.labels[from]!.label,
            to: view.labels[to]!.label,
            fromKey: null,
            toKey: null,
            protocol,
            ports: ports === null ? '-' : ports.isFull ? '*' : String(ports.first()),
            verdict: 'unknown',
          });
          acc.explain ??= explainCommand(
            formatIpv4(classes[from]!.ranges.first()!),
            formatIpv4(classes[to]!.ranges.first()!),
            protocol,
            ports === null ? null : ports.first()!,
          );
        }
        if (acc.rules.size < RULES_LISTED) {
          for (const d of [out, inb]) {
            for (const x of d.deciders) {
              if (x.kind !== 'rule' || !x.maybe) continue;
              if (!engine.ruleRef(x.ref).unknowns.some((u) => engine.unknownSet(u).id === cause.id)) continue;
              const ref = engineRuleRef(engine, x.ref);
              acc.rules.set(ref.key, ref);
            }
          }
        }
      }
    }
    const pointers = new SnapshotPointers(snapshot);
    return [...byCause.values()]
      .sort((a, b) => (a.cause.id < b.cause.id ? -1 : 1))
      .map((acc) => {
        const rules = sortedRuleRefs(acc.rules.values());
        return {
          message: `${acc.pairs} endpoint group pair${acc.pairs === 1 ? ' has' : 's have'} an unknown verdict for some traffic because of ${acc.cause.label}`,
          resources: [],
          flows: acc.flows,
          flowsOmitted: 0,
          rules,
          remediation: HOW_TO_RESOLVE[acc.cause.kind] ?? aci011.meta.remediation,
          explain: acc.explain,
          location: rules[0] ? (pointers.rule(rules[0]) === null ? null : { snapshotPointer: pointers.rule(rules[0])! }) : null,
          identity: [acc.cause.id],
        };
      });
  },
};

/** How many classes stored list `list` holds. */
function pathListSize(paths: Paths, list: number): number {
  return paths.listStart.get(list + 1) - paths.listStart.get(list);
}

/** The unknowns a side decision depends on: its variables, the rules that may match, missing NSGs or subnets. */
function decisionCauses(engine: PolicyEngine, d: Decision): Cause[] {
  const open = d.vars.length > 0 || d.leaves.some((l) => !l.unknown.isEmpty);
  if (!open) return [];
  const found = new Map<string, Cause>();
  const add = (u: number) => {
    const set = engine.unknownSet(u);
    found.set(set.id, set);
  };
  for (const v of d.vars) add(v >> 1);
  for (const x of d.deciders) {
    if (x.kind === 'rule' && x.maybe) for (const u of engine.ruleRef(x.ref).unknowns) add(u);
    if (x.kind === 'dangling-nsg')
      found.set(`nsg:${x.detail}`, { id: `nsg:${x.detail}`, kind: 'nsg', label: `NSG ${x.detail} (not in the snapshot)` });
    if (x.kind === 'unknown-location')
      found.set('location', { id: 'location', kind: 'location', label: 'a subnet that is not in the snapshot' });
  }
  return [...found.values()];
}
