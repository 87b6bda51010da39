/**
 * ACI014 unobserved-open-path: with flow logs, open paths (the policy allows something) between ACI
 * subnets and container groups, and from the Internet into them, that no allowed flow used in the
 * observed window: candidates to close. One finding per destination, listing its unobserved sources.
 */
import { isAciSubnet } from '../../model/snapshot-index';
import { formatIpv4 } from '../../net/address';
import type { PolicyEngine, TrafficSet } from '../../policy';
import type { PortSet } from '../../net/interval-set';
import type { Reachability } from '../reachability';
import { IntPairMap } from '../../util/int-pair-map';
import { ListMemo, targetListsEnd } from './path-lists';
import type { ReachabilityView } from '../results';
import { FLOWS_PER_FINDING, type FindingFlow, type FindingResource } from '../findings';
import { keyDraft, type FindingDraft, type PackRule } from './rule';
import { PlaceFinder, windowWords, type Place } from './observed-places';
import { explainCommand, namesText, portWords } from './flow-words';

export const unobservedOpenPath: PackRule = {
  meta: {
    id: 'ACI014',
    name: 'unobserved-open-path',
    title: 'Open paths never observed in the flow-log window',
    severity: 'low',
    description:
      'With flow logs (--flows): paths the policy allows between ACI subnets and container groups, and ' +
      'from the Internet into them, that no allowed flow in the observed window used (the window is ' +
      'stated in each finding): candidates to close. One finding per destination (a subnet or a public ' +
      'container group) listing the unobserved sources with the traffic the policy allows from each; ' +
      'low from the Internet, info otherwise (flows per source and protocol; flowsOmitted counts the ' +
      'sources not listed). A path counts as used when any allowed flow went from the ' +
      'source to the destination, whatever its port. A short window makes every quiet path a candidate: ' +
      'read the findings against it.',
    remediation:
      'Close the paths nothing uses: narrow or remove the allowing rules (`aciseg plan --flows` proposes ' +
      'least-privilege rules from the same logs), or accept the finding when the path is needed rarely.',
    controls: { mcsb: ['NS-1', 'NS-2'], cis: [] },
  },
  // Every open path is a candidate when there are flow logs to compare; none is read without them.
  pairPaths: (context) => (context.observed ? 'all' : 'none'),
  run(context) {
    if (!context.observed) return [];
    const { reach, view } = context.reachability();
    const { engine } = context;
    const finder = new PlaceFinder(engine.index);
    const places = placesOfClasses(reach, view, finder);
    const P = places.list.length;
    if (P === 0) return [];

    // Place pairs some allowed flow used.
    const used = new Uint8Array(P * P);
    const placeIndex = new Map(places.list.map((p, i) => [p.key, i]));
    for (const f of context.observed.flows) {
      if (f.decision !== 'allow') continue;
      const s = placeIndex.get(finder.locate(f.source).place.key);
      const d = placeIndex.get(finder.locate(f.destination).place.key);
      if (s !== undefined && d !== undefined) used[s * P + d] = 1;
    }

    // Open place pairs: each path's source places × target places, when the policy allows something.
    const open = new Uint8Array(P * P);
    const decisions = engine.decisions();
    const { paths } = reach;
    const lists = placesOfLists(reach, places);
    const overlapMemo = new IntPairMap();
    for (let i = 0; i < paths.count; i++) {
      const srcs = lists.get(paths.sources.get(i));
      if (srcs.length === 0) continue;
      const start = paths.targetStart.get(i);
      const end = targetListsEnd(paths, i);
      let fresh = false;
      for (let k = start; k < end && !fresh; k++)
        for (const d of lists.get(paths.targetLists.get(k)))
          for (const s of srcs)
            if (d !== places.internet && open[s * P + d] === 0 && used[s * P + d] === 0) fresh = true;
      if (!fresh) continue;
      // What both sides allow whatever the unknowns is what the pair allows: no meet needed to test it.
      // Where neither side leaves anything open (sure is possible: canonical sets, so one instance),
      // the path exists only because that overlap is not empty.
      const out = decisions[paths.out.get(i)]!;
      const inbound = decisions[paths.in.get(i)]!;
      const certain = out.sure === out.possible && inbound.sure === inbound.possible;
      if (!certain) {
        // Decision pairs rarely repeat, but pairs of their sure sets do.
        const a = engine.trafficId(out.sure);
        const b = engine.trafficId(inbound.sure);
        let overlap = overlapMemo.get(a, b);
        if (overlap < 0) {
          overlap = out.sure.overlaps(inbound.sure) ? 1 : 0;
          overlapMemo.set(a, b, overlap);
        }
        if (overlap === 0) continue;
      }
      for (let k = start; k < end; k++)
        for (const d of lists.get(paths.targetLists.get(k)))
          for (const s of srcs) if (d !== places.internet && used[s * P + d] === 0) open[s * P + d] = 1;
    }

    // Per destination: its unobserved sources, Internet first, then by label; the first few get traffic.
    const order = places.list
      .map((_, i) => i)
      .sort((a, b) => compareSources(places.list[a]!, places.list[b]!));
    const shown = new Map<number, TrafficSet | null>();
    const perDestination: { dst: number; sources: number[] }[] = [];
    for (let d = 0; d < P; d++) {
      if (places.list[d]!.kind === 'internet') continue;
      const sources = order.filter((s) => open[s * P + d] === 1);
      if (sources.length === 0) continue;
      perDestination.push({ dst: d, sources });
      for (const s of sources.slice(0, FLOWS_PER_FINDING)) shown.set(s * P + d, null);
    }
    if (perDestination.length === 0) return [];
    if (context.detail === 'keys')
      return perDestination.map(({ dst, sources }) =>
        keyDraft([places.list[dst]!.key], fromInternet(places.list, sources) ? 'low' : 'info', undefined),
      );
    collectTraffic(engine, reach, places, lists, shown);

    const window = windowWords(context.observed.window);
    return perDestination
      .sort((a, b) => compareText(places.list[a.dst]!.key, places.list[b.dst]!.key))
      .map(({ dst, sources }) => finding(places.list, dst, sources, shown, P, window));
  },
};

interface ClassPlaces {
  /** Per endpoint class: its place's index in `list`, or -1 when it is not a place this rule reads. */
  ofClass: Int32Array;
  list: Place[];
  /** The Internet's index (a source only), or -1. */
  internet: number;
}

/** ACI subnets and public container groups (sources and targets), and the Internet (sources only). */
function placesOfClasses(reach: Reachability, view: ReachabilityView, finder: PlaceFinder): ClassPlaces {
  const ofClass = new Int32Array(reach.classes.length).fill(-1);
  const list: Place[] = [];
  const index = new Map<string, number>();
  const placeOf = (p: Place) => {
    let i = index.get(p.key);
    if (i === undefined) {
      i = list.length;
      list.push(p);
      index.set(p.key, i);
    }
    return i;
  };
  for (const c of reach.classes) {
    let p: Place | null = null;
    if (c.kind === 'subnet' && c.subnet && isAciSubnet(c.subnet))
      p = finder.locate(firstAddress(c.ranges)).place;
    else if (c.kind === 'publicContainerGroup' && c.group?.ipAddress?.ip)
      p = finder.locate(c.group.ipAddress.ip).place;
    else if (c.kind === 'external' && view.isInternet(c.index)) p = finder.locate('8.8.8.8').place;
    if (p && (p.kind !== 'subnet' || p.subnet?.id === c.subnet?.id)) ofClass[c.index] = placeOf(p);
  }
  return { ofClass, list, internet: index.get('internet') ?? -1 };
}

function firstAddress(ranges: Reachability['classes'][number]['ranges']): string {
  return formatIpv4(ranges.first()!);
}

/** The traffic the policy allows for each shown pair: the union over the paths that hold it. */
function collectTraffic(
  engine: PolicyEngine,
  reach: Reachability,
  places: ClassPlaces,
  lists: ListMemo<Int32Array>,
  shown: Map<number, TrafficSet | null>,
): void {
  const P = places.list.length;
  const decisions = engine.decisions();
  const { paths } = reach;
  // Few pairs are shown and paths hold millions: a flag per pair spares a map lookup for each.
  const isShown = new Uint8Array(P * P);
  for (const key of shown.keys()) isShown[key] = 1;
  for (let i = 0; i < paths.count; i++) {
    const srcs = lists.get(paths.sources.get(i));
    if (srcs.length === 0) continue;
    let allow: TrafficSet | null = null;
    const end = targetListsEnd(paths, i);
    for (let k = paths.targetStart.get(i); k < end; k++) {
      for (const d of lists.get(paths.targetLists.get(k))) {
        for (const s of srcs) {
          if (isShown[s * P + d] === 0) continue;
          const held = shown.get(s * P + d) as TrafficSet | null;
          allow ??= decisions[paths.out.get(i)]!.sure.intersect(decisions[paths.in.get(i)]!.sure);
          shown.set(s * P + d, held === null ? allow : held.union(allow));
        }
      }
    }
  }
}

/** Per stored class list: the distinct places of its classes (memoized by list id). */
function placesOfLists(reach: Reachability, places: ClassPlaces): ListMemo<Int32Array> {
  return new ListMemo(reach.paths, (members) => {
    const out: number[] = [];
    for (let k = 0; k < members.length; k++) {
      const p = places.ofClass[members[k]!]!;
      if (p >= 0 && !out.includes(p)) out.push(p);
    }
    return new Int32Array(out);
  });
}

function finding(
  list: Place[],
  dst: number,
  sources: number[],
  shown: Map<number, TrafficSet | null>,
  P: number,
  window: string,
): FindingDraft {
  const to = list[dst]!;
  const flows: FindingFlow[] = [];
  let explain: string | null = null;
  // Flows per source and protocol, at most FLOWS_PER_FINDING; `flowsOmitted` counts the sources left out.
  let listed = 0;
  for (const s of sources.slice(0, FLOWS_PER_FINDING)) {
    const from = list[s]!;
    const allow = shown.get(s * P + dst);
    if (!allow) continue;
    const protocols = (['tcp', 'udp', 'icmp'] as const).filter((p) =>
      p === 'icmp' ? allow.icmp : !(p === 'tcp' ? allow.tcp : allow.udp).isEmpty,
    );
    if (flows.length + protocols.length > FLOWS_PER_FINDING) break;
    listed++;
    for (const protocol of protocols) {
      let ports: string;
      let first: number;
      let whole: boolean;
      if (protocol === 'icmp') [ports, first, whole] = ['-', 0, true];
      else {
        const set = (protocol === 'tcp' ? allow.tcp : allow.udp).destinationPorts();
        [ports, first, whole] = [portWords(set), samplePort(set), set.isFull];
      }
      flows.push({
        from: from.label,
        to: to.label,
        fromKey: keyOf(from),
        toKey: keyOf(to),
        protocol,
        ports,
        verdict: whole ? 'allow' : 'partial',
      });
      if (explain === null && from.endpoint !== null && to.endpoint !== null)
        explain = explainCommand(from.endpoint, to.endpoint, protocol, first);
    }
  }
  const labels = sources.map((s) => list[s]!.label);
  const resources: FindingResource[] = [];
  if (to.subnet) resources.push({ kind: 'subnet', id: to.subnet.id, name: to.label });
  if (to.group) resources.push({ kind: 'containerGroup', id: to.group.id, name: to.group.name });
  const count = sources.length === 1 ? '1 open path' : `${sources.length} open paths`;
  return {
    severity: fromInternet(list, sources) ? 'low' : 'info',
    message: `${count} into ${to.label} carried no allowed flow in ${window}: from ${namesText(labels, 5)}`,
    resources,
    flows,
    flowsOmitted: sources.length - listed,
    rules: [],
    explain,
    location: null,
    identity: [to.key],
  };
}

/** Whether the first (so any) of a destination's unobserved sources is the Internet: sources list it first. */
function fromInternet(list: readonly Place[], sources: readonly number[]): boolean {
  return list[sources[0]!]!.kind === 'internet';
}

/** A port to show in the explain command: a well-known one the set holds, else its first. */
function samplePort(set: PortSet): number {
  return [443, 80, 22, 3389, 8080, 53].find((p) => set.has(p)) ?? set.first()!;
}

/** Public container group keys are endpoint group keys; subnet places are not (a subnet may hold several groups). */
function keyOf(p: Place): string | null {
  return p.kind === 'publicContainerGroup' ? p.key : null;
}

function compareSources(a: Place, b: Place): number {
  const rank = (p: Place) => (p.kind === 'internet' ? 0 : 1);
  return rank(a) - rank(b) || compareText(a.label, b.label) || compareText(a.key, b.key);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
