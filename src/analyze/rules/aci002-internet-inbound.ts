/**
 * ACI002: the Internet (or any source, `*`) allowed into a subnet that holds container groups,
 * computed from the reachability: the open paths from groups holding Internet addresses into the
 * subnet's classes. One finding per destination subnet, ranked by what is exposed; its rules are
 * those that let the most exposed traffic in (deciding-rules.ts). Public container groups are
 * ACI001's (no NSG applies to them).
 */
import type { TrafficSet } from '../../policy';
import { IntPairMap } from '../../util/int-pair-map';
import type { FindingFlow } from '../findings';
import { CIS_INTERNET_ACCESS } from './controls';
import { decidingRules } from './deciding-rules';
import {
  examplePort,
  exposedPorts,
  exposureRisk,
  exposureSeverity,
  exposureText,
  touches,
  worstCategory,
} from './exposure';
import {
  aciSubnetIds,
  capFlows,
  endpointNames,
  groupsBySubnet,
  wholeSubnetKeys,
  explainCommand,
  portWords,
  SnapshotPointers,
  subnetWithGroups,
  allowedByText,
  groupsText,
} from './flow-words';
import { ListMemo, targetListsEnd } from './path-lists';
import { keyDraft, type FindingDraft, type PackRule, type RuleContext } from './rule';

export const aci002: PackRule = {
  meta: {
    id: 'ACI002',
    name: 'internet-inbound',
    title: 'Internet allowed into a container subnet',
    severity: 'high',
    description:
      'Policy lets traffic from the Internet (any public address) reach a subnet that holds container groups. Container groups in a VNet are reachable on every port their NSG allows, whatever ipAddress.ports says. Critical when remote administration ports (SSH, RDP, WinRM) or every port are open, high for data store and broker ports, medium for other ports.',
    remediation:
      'Restrict the source of the allowing inbound rule to the front end that needs it (the Application Gateway or Azure Firewall subnet, Azure Bastion for administration) or remove the rule; if VirtualNetwork is the source, see ACI010.',
    controls: { mcsb: ['NS-1', 'NS-2'], cis: CIS_INTERNET_ACCESS },
  },
  // It reads only paths from addresses without a policy (the Internet among them).
  pairPaths: () => 'none',
  run(context: RuleContext): FindingDraft[] {
    const { snapshot, engine } = context;
    const { reach, view } = context.reachability();
    const { paths, classes } = reach;
    const aci = aciSubnetIds(snapshot);
    const decisions = engine.decisions();
    const fromInternet = new ListMemo(paths, (members) => members.some((c) => view.isInternet(c)));
    const firstInternet = new ListMemo(paths, (members) => members.find((c) => view.isInternet(c))!);
    // The ACI subnets among a list's classes, each with one of its classes there (once per list).
    const aciSubnetsOf = new ListMemo(paths, (members) => {
      const found = new Map<string, number>();
      for (const c of members) {
        const cls = classes[c]!;
        if (cls.kind === 'subnet' && aci.has(cls.subnet!.id) && !found.has(cls.subnet!.id))
          found.set(cls.subnet!.id, c);
      }
      return [...found];
    });
    // Per subnet: the inbound decisions that let Internet sources in, with what each lets through
    // and one (source class, target class) pair that has it.
    const bySubnet = new Map<string, Map<number, { allow: TrafficSet; from: number; to: number }>>();
    const seen = new IntPairMap(1 << 12);
    const noPolicy = engine.noPolicy.id;
    for (let i = 0; i < paths.count; i++) {
      // Addresses outside every subnet (the Internet among them) have no policy: their paths'
      // outbound decision is noPolicy, which rules out most paths before any list is read.
      const out = paths.out.get(i);
      if (out !== noPolicy) continue;
      const sourceList = paths.sources.get(i);
      if (!fromInternet.get(sourceList)) continue;
      const inb = paths.in.get(i);
      const traffic = engine.trafficBetween(decisions[out]!, decisions[inb]!);
      if (traffic.allow.isEmpty) continue;
      // The inbound side decides alone, so a (target list, inbound decision) pair is read once.
      const end = targetListsEnd(paths, i);
      for (let k = paths.targetStart.get(i); k < end; k++) {
        const list = paths.targetLists.get(k);
        if (seen.get(list, inb) >= 0) continue;
        seen.set(list, inb, 1);
        for (const [id, to] of aciSubnetsOf.get(list)) {
          let pairs = bySubnet.get(id);
          if (!pairs) bySubnet.set(id, (pairs = new Map()));
          const known = pairs.get(inb);
          if (!known) pairs.set(inb, { allow: traffic.allow, from: firstInternet.get(sourceList), to });
          else if (known.allow !== traffic.allow) known.allow = known.allow.union(traffic.allow);
        }
      }
    }
    const names = endpointNames(engine.index);
    const pointers = SnapshotPointers.of(snapshot);
    const groupKeys = wholeSubnetKeys(classes);
    const groupsIn = groupsBySubnet(snapshot);
    const drafts: FindingDraft[] = [];
    const keysOnly = context.detail === 'keys';
    for (const [id, pairs] of [...bySubnet].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const subnet = engine.index.subnets.get(id)!;
      let allow: TrafficSet | null = null;
      for (const p of pairs.values()) allow = allow === null ? p.allow : allow.union(p.allow);
      const exposures = exposedPorts(allow!);
      const worst = worstCategory(exposures);
      if (worst === null) continue;
      const groups = groupsIn.get(id) ?? [];
      const risk = exposureRisk(exposures, groups.length, true);
      if (keysOnly) {
        drafts.push(keyDraft([id], exposureSeverity(worst), risk));
        continue;
      }
      // The rules at one pair that carries the most exposed traffic.
      const example = [...pairs]
        .sort((a, b) => a[0] - b[0])
        .find(([, p]) => touches(p.allow, exposures[0]!))![1];
      const sorted = decidingRules(
        engine,
        id,
        'Inbound',
        classes[example.to]!.ranges.first()!,
        classes[example.from]!.ranges.first()!,
        (t) => touches(t, exposures[0]!),
      );
      const subnetName = names.subnetName(subnet);
      const toKey = groupKeys.get(id) ?? null;
      const flows: FindingFlow[] = exposures.map((e) => ({
        from: 'Internet',
        to: subnetName,
        fromKey: null,
        toKey,
        protocol: e.protocol,
        ports: e.ports === null ? '-' : portWords(e.ports),
        verdict: 'allow',
      }));
      const first = exposures[0]!;
      const resources = subnetWithGroups(names, subnet, groups);
      const firstCustom = sorted.find((r) => !r.isDefault) ?? sorted[0];
      const texts = exposures.map(exposureText);
      drafts.push({
        severity: exposureSeverity(worst),
        message: `Internet can reach ${subnetName}${groupsText(groups.length)} on ${texts.slice(0, 3).join(', ')}${texts.length > 3 ? ` and ${texts.length - 3} more` : ''}${allowedByText(sorted, subnet)}`,
        resources,
        ...capFlows(flows),
        rules: sorted,
        explain: explainCommand('Internet', names.subnetEndpoint(subnet), first.protocol, examplePort(first)),
        location: {
          snapshotPointer:
            (firstCustom ? pointers.rule(firstCustom) : null) ?? pointers.resource('subnets', id)!,
        },
        risk,
        identity: [id],
      });
    }
    return drafts;
  },
};
