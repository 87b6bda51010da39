/**
 * ACI005: unrestricted outbound to the Internet from a subnet that holds container groups: some of
 * its addresses reach most of the Internet (at least half of its addresses) on every TCP port, or on
 * more than `settings.widePortRange` of them. That is the exfiltration and command-and-control path;
 * usually the default AllowInternetOutBound. One finding per source subnet.
 */
import { ClassLabeler } from '../endpoint-labels';
import type { FindingFlow } from '../findings';
import { decidingRules } from './deciding-rules';
import { categorize, exposureRisk } from './exposure';
import {
  aciSubnetIds,
  capFlows,
  endpointNames,
  explainCommand,
  groupsBySubnet,
  portWords,
  SnapshotPointers,
  subnetWithGroups,
  allowedByText,
  wholeSubnetKeys,
} from './flow-words';
import { forEachTargetList, targetListsEnd, ListMemo, listMembers } from './path-lists';
import { keyDraft, type FindingDraft, type PackRule, type RuleContext } from './rule';
import type { PortSet } from '../../net/interval-set';

/** The share of the Internet's addresses a class must reach with wide ports for the rule to fire. */
export const INTERNET_SHARE = 0.5;

export const aci005: PackRule = {
  meta: {
    id: 'ACI005',
    name: 'internet-outbound',
    title: 'Unrestricted outbound to the Internet from a container subnet',
    severity: 'high',
    description:
      'Containers in the subnet can open connections to most of the Internet on every TCP port (or a wide range of ports). That is the path for data exfiltration and command-and-control traffic, and it is what the default AllowInternetOutBound rule allows when nothing overrides it. High for every port, medium for a wide range.',
    remediation:
      'Allow outbound only to the destinations the containers need (service tags such as AzureMonitor or Storage on 443, the registry, named partner addresses), then add a custom Deny to Internet (or *) at a priority such as 4000 that overrides AllowInternetOutBound; or send egress through Azure Firewall.',
    controls: { mcsb: ['NS-1', 'NS-3'], cis: [] },
  },
  // It reads only paths to addresses without a policy (the Internet among them).
  pairPaths: () => 'none',
  run(context: RuleContext): FindingDraft[] {
    const { snapshot, engine, settings } = context;
    const { reach, view } = context.reachability();
    const { paths, classes } = reach;
    const aci = aciSubnetIds(snapshot);
    const decisions = engine.decisions();
    // A source class's outside targets are disjoint (its outbound runs cut the outside), so the
    // Internet addresses it reaches add up exactly.
    const internet = new ClassLabeler(engine.index).internetSpace;
    const internetTotal = internet.size();
    if (internetTotal === 0) return [];
    // Per class, computed once: a class is a member of many lists.
    const sizes = new Float64Array(classes.length).fill(-1);
    const internetSize = (c: number) => {
      let size = sizes[c]!;
      if (size < 0) sizes[c] = size = view.isInternet(c) ? classes[c]!.ranges.intersect(internet).size() : 0;
      return size;
    };
    const internetIn = new ListMemo(paths, (members) => {
      let n = 0;
      for (const c of members) n += internetSize(c);
      return n;
    });
    const aciSources = new ListMemo(paths, (members) => {
      // A loop, not Array.from: that walks a typed array through its iterator, an object per member.
      const found: number[] = [];
      for (let k = 0; k < members.length; k++) {
        const c = members[k]!;
        if (classes[c]!.kind === 'subnet' && aci.has(classes[c]!.subnet!.id)) found.push(c);
      }
      return found;
    });
    const wideMemo = new Map<number, PortSet | null>();
    /** A class holding Internet addresses among path i's targets. */
    const firstInternet = (i: number) => {
      let found = -1;
      forEachTargetList(paths, i, (list) => {
        if (found < 0) found = listMembers(paths, list).find((c) => view.isInternet(c)) ?? -1;
      });
      return found;
    };
    // Per source class: Internet addresses reached with wide TCP ports, the ports, and the outbound decisions.
    const reached = new Map<number, { size: number; ports: PortSet; allPorts: boolean; target: number }>();
    const noPolicy = engine.noPolicy.id;
    for (let i = 0; i < paths.count; i++) {
      // Targets outside every subnet (the Internet among them) have no policy: their paths' inbound
      // decision is noPolicy, which rules out most paths before any list is read.
      if (paths.in.get(i) !== noPolicy) continue;
      const sources = aciSources.get(paths.sources.get(i));
      if (sources.length === 0) continue;
      let size = 0;
      const end = targetListsEnd(paths, i);
      for (let k = paths.targetStart.get(i); k < end; k++) size += internetIn.get(paths.targetLists.get(k));
      if (size === 0) continue;
      const out = paths.out.get(i);
      const inb = paths.in.get(i);
      const pair = engine.trafficBetween(decisions[out]!, decisions[inb]!);
      let ports = inb === noPolicy ? wideMemo.get(out) : undefined;
      if (ports === undefined) {
        const open = pair.allow.tcp.destinationPortsForAllSources();
        ports = open.isFull || open.size() > settings.widePortRange ? open : null;
        if (inb === noPolicy) wideMemo.set(out, ports);
      }
      if (ports === null) continue;
      for (const c of sources) {
        const acc = reached.get(c);
        if (acc) {
          acc.size += size;
          acc.ports = acc.ports.union(ports);
          acc.allPorts &&= ports.isFull;
        } else reached.set(c, { size, ports, allPorts: ports.isFull, target: firstInternet(i) });
      }
    }
    // Per subnet: the class that reaches the most.
    const best = new Map<
      string,
      { c: number; size: number; ports: PortSet; allPorts: boolean; target: number }
    >();
    for (const [c, acc] of reached) {
      if (acc.size < INTERNET_SHARE * internetTotal) continue;
      const id = classes[c]!.subnet!.id;
      const known = best.get(id);
      if (!known || acc.size > known.size || (acc.size === known.size && c < known.c))
        best.set(id, { c, ...acc });
    }
    const names = endpointNames(engine.index);
    const pointers = SnapshotPointers.of(snapshot);
    const groupKeys = wholeSubnetKeys(classes);
    const groupsIn = groupsBySubnet(snapshot);
    const drafts: FindingDraft[] = [];
    for (const [id, b] of [...best].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
      const groups = groupsIn.get(id) ?? [];
      const all = b.allPorts;
      const risk = exposureRisk(categorize('tcp', b.ports), groups.length, false);
      if (context.detail === 'keys') {
        drafts.push(keyDraft([id], all ? 'high' : 'medium', risk));
        continue;
      }
      const subnet = engine.index.subnets.get(id)!;
      const name = names.subnetName(subnet);
      const sorted = decidingRules(
        engine,
        id,
        'Outbound',
        classes[b.c]!.ranges.first()!,
        classes[b.target]!.ranges.first()!,
        (t) => !t.tcp.isEmpty,
      );
      const share = Math.round((100 * b.size) / internetTotal);
      const flows: FindingFlow[] = [
        {
          from: name,
          to: 'Internet',
          fromKey: groupKeys.get(id) ?? null,
          toKey: null,
          protocol: 'tcp',
          ports: portWords(b.ports),
          verdict: 'allow',
        },
      ];
      const deciding = sorted.find((r) => r.isDefault) ?? sorted[0];
      drafts.push({
        severity: all ? 'high' : 'medium',
        message: `${name} can reach ${b.size === internetTotal ? 'the whole' : `${Math.min(share, 99)}% of the`} Internet on ${all ? 'every TCP port' : `up to ${b.ports.size()} TCP ports`}${allowedByText(sorted, subnet)}`,
        resources: subnetWithGroups(names, subnet, groups),
        ...capFlows(flows),
        rules: sorted,
        explain: explainCommand(
          names.subnetEndpoint(subnet),
          'Internet',
          'tcp',
          b.ports.has(8080) ? 8080 : b.ports.first()!,
        ),
        location: {
          snapshotPointer: (deciding ? pointers.rule(deciding) : null) ?? pointers.resource('subnets', id)!,
        },
        risk,
        identity: [id],
      });
    }
    return drafts;
  },
};
