/**
 * Observed volume per drawn edge: the allowed flow-log tuples between two report nodes (subnets,
 * public container groups, the Internet), joined by address containment as the flow-log rules do.
 * Numbers and times only, so the report stays small whatever the logs hold.
 */
import type { ObservedFlowsInput } from '../analyze/rules';
import { PlaceFinder } from '../analyze/rules/observed-places';
import type { SnapshotIndex } from '../model/snapshot-index';
import { parseIpv4 } from '../net/address';
import type { ReportObservedEdge } from './report-model';

/** The node a located place is drawn as, or undefined (VNet space outside subnets, private space). */
function nodeOfPlace(key: string, nodeIndex: Map<string, number>): number | undefined {
  if (key === 'internet') return nodeIndex.get('external:internet');
  const at = key.indexOf(':');
  if (at < 0) return undefined;
  const kind = key.slice(0, at);
  return kind === 'subnet' || kind === 'publicContainerGroup' ? nodeIndex.get(key.slice(at + 1)) : undefined;
}

/**
 * Sums allowed observed flows per (source node, destination node); sorted by node indexes. A flow
 * that both ends' NICs logged is counted by each, as the logs hold it.
 */
export function observedEdges(
  observed: ObservedFlowsInput,
  index: SnapshotIndex,
  nodeIndex: Map<string, number>,
): ReportObservedEdge[] {
  const places = new PlaceFinder(index);
  return sumByNodes(observed, (address) => nodeOfPlace(places.locate(address).place.key, nodeIndex));
}

/**
 * The same at the container-group level (what *Show container groups* draws): an address that is a
 * container group's IP in the subnet the flow-log place finder puts it in is that group's node, any
 * other address its place's node; only pairs with a container group at one end at least (the others
 * are `observedEdges`). At most `limit` pairs, the busiest (most tuples); how many more there were.
 */
export function observedGroupEdges(
  observed: ObservedFlowsInput,
  index: SnapshotIndex,
  nodeIndex: Map<string, number>,
  limit: number,
): { edges: ReportObservedEdge[]; omitted: number } {
  const places = new PlaceFinder(index);
  const groupAt = new Map<string, number>();
  for (const g of index.snapshot.containerGroups) {
    const ip = g.ipAddress?.ip ? parseIpv4(g.ipAddress.ip) : null;
    const node = nodeIndex.get(g.id);
    if (ip === null || node === undefined) continue;
    for (const subnet of g.subnetIds) groupAt.set(`${subnet.toLowerCase()}|${ip}`, node);
  }
  const isGroup = new Set(groupAt.values());
  const all = sumByNodes(observed, (address) => {
    const { place, ip } = places.locate(address);
    if (place.key.startsWith('publicContainerGroup:') || !place.key.startsWith('subnet:'))
      return nodeOfPlace(place.key, nodeIndex);
    const group = ip === null ? undefined : groupAt.get(`${place.key.slice(7).toLowerCase()}|${ip}`);
    return group ?? nodeOfPlace(place.key, nodeIndex);
  }).filter((e) => isGroup.has(e.from) || isGroup.has(e.to));
  if (all.length <= limit) return { edges: all, omitted: 0 };
  const busiest = new Set(
    [...all.keys()].sort((a, b) => all[b]!.tuples - all[a]!.tuples || a - b).slice(0, limit),
  );
  return { edges: all.filter((_, k) => busiest.has(k)), omitted: all.length - limit };
}

function sumByNodes(
  observed: ObservedFlowsInput,
  locate: (address: string) => number | undefined,
): ReportObservedEdge[] {
  const nodeOf = new Map<string, number | undefined>();
  const lookup = (address: string) => {
    if (!nodeOf.has(address)) nodeOf.set(address, locate(address));
    return nodeOf.get(address);
  };
  const byPair = new Map<number, ReportObservedEdge>();
  // Node indexes stay far below 2^26: the key is exact.
  const stride = 1 << 26;
  for (const f of observed.flows) {
    if (f.decision !== 'allow') continue;
    const from = lookup(f.source);
    const to = lookup(f.destination);
    if (from === undefined || to === undefined || from === to) continue;
    const key = from * stride + to;
    const e = byPair.get(key);
    if (e) {
      e.tuples += f.tuples;
      e.flows += f.flowsStarted;
      if (f.firstSeen < e.first) e.first = f.firstSeen;
      if (f.lastSeen > e.last) e.last = f.lastSeen;
    } else {
      byPair.set(key, {
        from,
        to,
        tuples: f.tuples,
        flows: f.flowsStarted,
        first: f.firstSeen,
        last: f.lastSeen,
      });
    }
  }
  return [...byPair].sort((a, b) => a[0] - b[0]).map(([, e]) => e);
}
