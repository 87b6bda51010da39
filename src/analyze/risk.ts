/**
 * Risk scores of open paths: where a path starts (what can reach it from the Internet) and what it
 * opens. A path from a group holding Internet addresses always outranks any other path: its source
 * weight is above the most a path can score from its ports and targets.
 */
import type { PairTraffic } from '../policy';
import type { TrafficSet } from '../policy';
import { IntervalSet, portDomain, type PortSet } from '../net/interval-set';
import type { ClassLabel } from './endpoint-labels';

/** Ports that give a shell, a desktop or a database: opening them to wide sources is the classic mistake. */
export const SENSITIVE_PORTS = [22, 23, 135, 139, 445, 1433, 3306, 3389, 5432, 5985, 5986, 6379, 9200, 27017];

/**
 * Named port categories the findings rank exposure by (issue 10): remote administration (a shell, a
 * desktop, Windows remote management and file sharing) and data stores and brokers. SENSITIVE_PORTS
 * (the path risk score) is a subset of the two.
 */
export const PORT_CATEGORIES = {
  management: [22, 23, 135, 139, 445, 3389, 5985, 5986],
  data: [1433, 1521, 2379, 3306, 5432, 5672, 5984, 6379, 9042, 9092, 9200, 9300, 11211, 27017],
} as const;

export type PortCategory = keyof typeof PORT_CATEGORIES;

/** The ports of a category that a set holds, as a set. */
export function categoryPorts(ports: PortSet, category: PortCategory): PortSet {
  return IntervalSet.of(
    portDomain,
    PORT_CATEGORIES[category].filter((p) => ports.has(p)).map((p) => [p, p] as [number, number]),
  );
}

/** Source weights: the Internet; networks that may hold other people's hosts; Azure's own or empty space. */
export const SOURCE_RISK = { internet: 200, otherNetworks: 20, platformOrUnassigned: 0 } as const;

/** Added when container groups are among a path's targets. */
export const CONTAINER_TARGET_RISK = 10;

/** Risk from what a traffic set opens: every port (50) or more than 1,000 (30), a sensitive port (40), ICMP (1). */
export function portRisk(open: TrafficSet): number {
  let score = 0;
  let ports = IntervalSet.empty(portDomain);
  for (const region of [open.tcp, open.udp]) ports = ports.union(region.destinationPorts());
  if (ports.isFull) score += 50;
  else if (ports.size() > 1000) score += 30;
  if (SENSITIVE_PORTS.some((p) => ports.has(p))) score += 40;
  if (open.icmp) score += 1;
  return score;
}

/** The part of a path's risk that depends on what is open (5 less when nothing is certainly allowed). */
export function trafficRisk(result: PairTraffic): number {
  return portRisk(result.allow.union(result.unknown)) - (result.allow.isEmpty ? 5 : 0);
}

/**
 * The weight of a source group: Internet addresses 200; other networks (on-premises or private space,
 * peered networks outside the snapshot, public container group addresses) 20; the Azure platform
 * address and VNets' unassigned space (no host can sit there today) 0, like groups inside subnets.
 */
export function sourceRisk(label: ClassLabel): number {
  if (label.internet) return SOURCE_RISK.internet;
  if (label.composition === null) return SOURCE_RISK.platformOrUnassigned;
  const other = label.composition.some(
    (p) => p.kind !== 'platformAddress' && p.kind !== 'unassignedVnetSpace',
  );
  return other ? SOURCE_RISK.otherNetworks : SOURCE_RISK.platformOrUnassigned;
}

/**
 * The `limit` riskiest of `count` paths (ties: lower `rank` first; ranks are distinct). Paths are
 * visited by an upper bound of their risk, and exact risks are computed only until no unvisited path
 * can beat the current top; ranks are computed only for paths that tie.
 */
export function riskiest(
  count: number,
  limit: number,
  bound: (i: number) => number,
  risk: (i: number) => number,
  rank: (i: number) => number,
): number[] {
  const buckets = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const b = bound(i);
    const list = buckets.get(b);
    if (list) list.push(i);
    else buckets.set(b, [i]);
  }
  const ranks = new Map<number, number>();
  const rankOf = (i: number) => {
    let r = ranks.get(i);
    if (r === undefined) ranks.set(i, (r = rank(i)));
    return r;
  };
  const better = (a: number, b: number) =>
    risk(a) > risk(b) || (risk(a) === risk(b) && rankOf(a) < rankOf(b));
  let top: number[] = [];
  for (const b of [...buckets.keys()].sort((x, y) => y - x)) {
    if (top.length >= limit && b < risk(top[top.length - 1]!)) break;
    for (const i of buckets.get(b)!) {
      if (top.length >= limit && !better(i, top[top.length - 1]!)) continue;
      top.push(i);
      top.sort((x, y) => (better(x, y) ? -1 : better(y, x) ? 1 : 0));
      if (top.length > limit) top = top.slice(0, limit);
    }
  }
  return top;
}
