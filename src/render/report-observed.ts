/**
 * Observed volume per drawn edge: the allowed flow-log tuples between two report nodes (subnets,
 * public container groups, the Internet), joined by address containment as the flow-log rules do.
 * Numbers and times only, so the report stays small whatever the logs hold.
 */
import type { ObservedFlowsInput } from '../analyze/rules';
import { PlaceFinder } from '../analyze/rules/observed-places';
import type { SnapshotIndex } from '../model/snapshot-index';
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
  const nodeOf = new Map<string, number | undefined>();
  const lookup = (address: string) => {
    if (!nodeOf.has(address)) nodeOf.set(address, nodeOfPlace(places.locate(address).place.key, nodeIndex));
    return nodeOf.get(address);
  };
  const stride = nodeIndex.size + 1;
  const byPair = new Map<number, ReportObservedEdge>();
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
