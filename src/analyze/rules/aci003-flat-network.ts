/**
 * ACI003: a flat network. A subnet holding container groups is open on every TCP port (any source
 * port) from other subnets or peered networks, usually by the default AllowVnetInBound or a custom
 * allow from VirtualNetwork or `*`: one compromised container reaches everything next to it. Found
 * from the reachability (pairs open on all TCP ports); one finding per destination subnet.
 */
import { IntPairMap } from '../../util/int-pair-map';
import { withLength } from '../../util/typed-arrays';
import type { FindingFlow } from '../findings';
import { decidingRules } from './deciding-rules';
import { allowsEveryTcpPort, decisionTest } from './decision-tests';
import { exposureRisk } from './exposure';
import {
  aciSubnetIds,
  capFlows,
  endpointNames,
  explainCommand,
  groupsBySubnet,
  namesText,
  SnapshotPointers,
  subnetWithGroups,
  allowedByText,
  wholeSubnetKeys,
} from './flow-words';
import { targetListsEnd, ListMemo } from './path-lists';
import { keyDraft, type FindingDraft, type PackRule, type RuleContext } from './rule';

/** A source that reaches a subnet on every TCP port: another subnet, or a peered network outside the snapshot. */
interface FlatSource {
  key: string;
  label: string;
  endpoint: string | null;
  /** One class of the source (for the rules at a concrete pair). */
  cls: number;
}

export const aci003: PackRule = {
  meta: {
    id: 'ACI003',
    name: 'flat-network',
    title: 'Container subnet open on every port to the rest of the network',
    severity: 'high',
    description:
      'Other subnets or peered networks reach a subnet that holds container groups on every TCP port. This is what the default AllowVnetInBound rule (or a custom allow from VirtualNetwork or * on all ports) does when nothing overrides it: the network is flat, and one compromised workload can reach every container next to it.',
    remediation:
      'Add inbound rules that allow only the flows the containers need (named source subnets and ports), then a custom Deny from VirtualNetwork (or *) at a priority such as 4000 that overrides AllowVnetInBound.',
    controls: { mcsb: ['NS-1'], cis: [] },
  },
  pairPaths(context) {
    // The paths it reads between two sides with a policy: open on every TCP port on both.
    const allTcp = decisionTest(context.engine, allowsEveryTcpPort);
    return (outId, inId) => allTcp(outId) && allTcp(inId);
  },
  run(context: RuleContext): FindingDraft[] {
    const { snapshot, engine } = context;
    const { reach, view } = context.reachability();
    const { paths, classes } = reach;
    const aci = aciSubnetIds(snapshot);
    const names = endpointNames(engine.index);
    // Both sides must allow every TCP port whatever the unknowns, or the pair cannot be open on all of them.
    const allTcp = decisionTest(engine, allowsEveryTcpPort);
    // Sources and target subnets are numbered, so the hot loop marks a typed array per target.
    const sourceNumbers = new Map<string, number>();
    const sourceNumber = (key: string) => {
      let n = sourceNumbers.get(key);
      if (n === undefined) sourceNumbers.set(key, (n = sourceNumbers.size));
      return n;
    };
    const sourcesOf = new ListMemo(paths, (members) => {
      const found = new Map<string, FlatSource>();
      for (const c of members) {
        const cls = classes[c]!;
        if (cls.kind === 'subnet') {
          const s = cls.subnet!;
          if (!found.has(s.id))
            found.set(s.id, {
              key: s.id,
              label: names.subnetName(s),
              endpoint: names.subnetEndpoint(s),
              cls: c,
            });
        } else if (cls.kind === 'external') {
          for (const part of view.label(c).composition ?? []) {
            if (part.kind === 'peeredNetwork')
              found.set(part.id!, {
                key: part.id!,
                label: `peered network behind ${part.name}`,
                endpoint: null,
                cls: c,
              });
          }
        }
      }
      const items = [...found.values()];
      return { items, numbers: Int32Array.from(items, (item) => sourceNumber(item.key)) };
    });
    const targetsOf = new ListMemo(paths, (members) => {
      const found = new Map<string, number>();
      for (const c of members) {
        const cls = classes[c]!;
        if (cls.kind === 'subnet' && aci.has(cls.subnet!.id) && !found.has(cls.subnet!.id))
          found.set(cls.subnet!.id, c);
      }
      return [...found];
    });
    // Per target subnet: the sources open on every TCP port, and one (source, target class) pair.
    const byTarget = new Map<
      string,
      { sources: FlatSource[]; example: [number, number] | null; has: Uint8Array }
    >();
    const seen = new IntPairMap(1 << 12);
    for (let i = 0; i < paths.count; i++) {
      if (!allTcp(paths.out.get(i)) || !allTcp(paths.in.get(i))) continue;
      const sourceList = paths.sources.get(i);
      const end = targetListsEnd(paths, i);
      for (let k = paths.targetStart.get(i); k < end; k++) {
        const list = paths.targetLists.get(k);
        if (seen.get(sourceList, list) >= 0) continue;
        seen.set(sourceList, list, 1);
        const targets = targetsOf.get(list);
        if (targets.length === 0) continue;
        const { items, numbers } = sourcesOf.get(sourceList);
        for (const [id, target] of targets) {
          let acc = byTarget.get(id);
          // Each source once per target (numbered by key: its label and endpoint are the same in every list).
          for (let x = 0; x < items.length; x++) {
            const n = numbers[x]!;
            if (acc && n < acc.has.length && acc.has[n] === 1) continue;
            const s = items[x]!;
            if (s.key === id) continue;
            if (!acc) byTarget.set(id, (acc = { sources: [], example: null, has: new Uint8Array(0) }));
            acc.has = withLength(acc.has, Math.max(n + 1, 256));
            acc.has[n] = 1;
            acc.sources.push(s);
            acc.example ??= [s.cls, target];
          }
        }
      }
    }
    const pointers = SnapshotPointers.of(snapshot);
    const groupKeys = wholeSubnetKeys(classes);
    const groupsIn = groupsBySubnet(snapshot);
    const drafts: FindingDraft[] = [];
    for (const [id, acc] of [...byTarget].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (acc.sources.length === 0) continue;
      const groups = groupsIn.get(id) ?? [];
      const risk = exposureRisk(
        [{ protocol: 'tcp', category: 'allPorts', ports: null }],
        groups.length,
        false,
      );
      if (context.detail === 'keys') {
        drafts.push(keyDraft([id], undefined, risk));
        continue;
      }
      const subnet = engine.index.subnets.get(id)!;
      const name = names.subnetName(subnet);
      const [from, to] = acc.example!;
      const sorted = decidingRules(
        engine,
        id,
        'Inbound',
        classes[to]!.ranges.first()!,
        classes[from]!.ranges.first()!,
        (t) => !t.tcp.isEmpty,
      );
      const sources = acc.sources.sort((a, b) =>
        a.label < b.label ? -1 : a.label > b.label ? 1 : a.key < b.key ? -1 : 1,
      );
      const flows: FindingFlow[] = sources.map((s) => ({
        from: s.label,
        to: name,
        fromKey: groupKeys.get(s.key) ?? null,
        toKey: groupKeys.get(id) ?? null,
        protocol: 'tcp',
        ports: '*',
        verdict: 'allow',
      }));
      const example = sources.find((s) => s.endpoint !== null);
      const deciding = sorted.find((r) => r.isDefault) ?? sorted[0];
      drafts.push({
        message: `${name} is open on every TCP port from ${sources.length} other subnet${sources.length === 1 ? '' : 's'} or peered network${sources.length === 1 ? '' : 's'} (${namesText(sources.map((s) => s.label))})${allowedByText(sorted, subnet)}`,
        resources: subnetWithGroups(names, subnet, groups),
        ...capFlows(flows),
        rules: sorted,
        explain: example ? explainCommand(example.endpoint!, names.subnetEndpoint(subnet), 'tcp', 22) : null,
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
