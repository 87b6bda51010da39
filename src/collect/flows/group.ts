/**
 * Observed flows joined to endpoint groups. The caller supplies the resolver (address → group key),
 * so this stays independent of how the engine forms its groups.
 */
import type { ObservedFlow } from './aggregate';
import { addressOrder } from './aggregate';

/** Observed flows between two endpoint groups on one protocol and port with one decision. */
export interface GroupedFlow {
  /** The resolver's key, or null for an address it could not place. */
  sourceGroup: string | null;
  destinationGroup: string | null;
  protocol: ObservedFlow['protocol'];
  destinationPort: number | null;
  decision: ObservedFlow['decision'];
  /** Sums over the observed flows below (a flow logged by both ends' NSGs is counted by each). */
  tuples: number;
  flowsStarted: number;
  firstSeen: string;
  lastSeen: string;
  /** Distinct addresses seen on each side (sorted), so a report can name them. */
  sources: string[];
  destinations: string[];
  /** Who logged them: `direction evaluatedBy rule`, sorted and distinct. */
  loggedBy: string[];
  /** How many observed flows were merged into this one. */
  observedFlows: number;
}

/** Groups observed flows by (source group, destination group, protocol, port, decision); sorted. */
export function groupObservedFlows(
  flows: Iterable<ObservedFlow>,
  resolve: (address: string) => string | null,
): GroupedFlow[] {
  const groupOf = new Map<string, string | null>();
  const lookup = (address: string): string | null => {
    let g = groupOf.get(address);
    if (g === undefined) {
      g = resolve(address);
      groupOf.set(address, g);
    }
    return g;
  };
  const groups = new Map<
    string,
    GroupedFlow & { sourceSet: Set<string>; destinationSet: Set<string>; loggedSet: Set<string> }
  >();
  for (const f of flows) {
    const sourceGroup = lookup(f.source);
    const destinationGroup = lookup(f.destination);
    const key = `${JSON.stringify(sourceGroup)} ${JSON.stringify(destinationGroup)} ${f.protocol} ${f.destinationPort} ${f.decision}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = {
        sourceGroup,
        destinationGroup,
        protocol: f.protocol,
        destinationPort: f.destinationPort,
        decision: f.decision,
        tuples: 0,
        flowsStarted: 0,
        firstSeen: f.firstSeen,
        lastSeen: f.lastSeen,
        sources: [],
        destinations: [],
        loggedBy: [],
        observedFlows: 0,
        sourceSet: new Set(),
        destinationSet: new Set(),
        loggedSet: new Set(),
      };
      groups.set(key, g);
    }
    g.tuples += f.tuples;
    g.flowsStarted += f.flowsStarted;
    g.observedFlows++;
    if (f.firstSeen < g.firstSeen) g.firstSeen = f.firstSeen;
    if (f.lastSeen > g.lastSeen) g.lastSeen = f.lastSeen;
    g.sourceSet.add(f.source);
    g.destinationSet.add(f.destination);
    g.loggedSet.add(`${f.direction} ${f.evaluatedBy ?? '-'} ${f.rule ?? '-'}`);
  }
  const out: GroupedFlow[] = [];
  for (const { sourceSet, destinationSet, loggedSet, ...g } of groups.values()) {
    out.push({
      ...g,
      sources: [...sourceSet].sort(byAddress),
      destinations: [...destinationSet].sort(byAddress),
      loggedBy: [...loggedSet].sort(),
    });
  }
  return out.sort(
    (a, b) =>
      compare(a.sourceGroup, b.sourceGroup) ||
      compare(a.destinationGroup, b.destinationGroup) ||
      compare(a.protocol, b.protocol) ||
      (a.destinationPort ?? -1) - (b.destinationPort ?? -1) ||
      compare(a.decision, b.decision),
  );
}

function byAddress(a: string, b: string): number {
  return compare(addressOrder(a), addressOrder(b));
}

/** Null (unresolved) sorts last. */
function compare(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
