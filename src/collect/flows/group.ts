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
  /** The lowest distinct addresses seen on each side (at most 8, sorted), so a report can name some; */
  sources: string[];
  destinations: string[];
  /** true when there were more than those (memory stays bounded by the groups, not the addresses). */
  moreSources: boolean;
  moreDestinations: boolean;
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
  const groups = new Map<string, GroupedFlow>();
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
        moreSources: false,
        moreDestinations: false,
        loggedBy: [],
        observedFlows: 0,
      };
      groups.set(key, g);
    }
    g.tuples += f.tuples;
    g.flowsStarted += f.flowsStarted;
    g.observedFlows++;
    if (f.firstSeen < g.firstSeen) g.firstSeen = f.firstSeen;
    if (f.lastSeen > g.lastSeen) g.lastSeen = f.lastSeen;
    if (keepLowest(g.sources, f.source)) g.moreSources = true;
    if (keepLowest(g.destinations, f.destination)) g.moreDestinations = true;
    const logged = `${f.direction} ${f.evaluatedBy ?? '-'} ${f.rule ?? '-'}`;
    if (!g.loggedBy.includes(logged)) g.loggedBy.push(logged); // a few per group: an array beats a Set
  }
  const out: GroupedFlow[] = [];
  for (const g of groups.values()) out.push({ ...g, loggedBy: g.loggedBy.sort() });
  return out.sort(
    (a, b) =>
      compare(a.sourceGroup, b.sourceGroup) ||
      compare(a.destinationGroup, b.destinationGroup) ||
      compare(a.protocol, b.protocol) ||
      (a.destinationPort ?? -1) - (b.destinationPort ?? -1) ||
      compare(a.decision, b.decision),
  );
}

const SAMPLE = 8;

/** Keeps `list` the SAMPLE lowest distinct addresses, sorted; true when an address was left out. */
function keepLowest(list: string[], address: string): boolean {
  const key = addressOrder(address);
  let i = list.length;
  while (i > 0 && addressOrder(list[i - 1]!) > key) i--;
  if (i > 0 && list[i - 1] === address) return false;
  if (i === SAMPLE) return true;
  list.splice(i, 0, address);
  if (list.length <= SAMPLE) return false;
  list.pop();
  return true;
}

/** Null (unresolved) sorts last. */
function compare(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
