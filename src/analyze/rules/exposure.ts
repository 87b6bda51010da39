/**
 * What a traffic set exposes, in the categories findings rank by: every port of a protocol, remote
 * administration ports, data store and broker ports, other ports, ICMP (src/analyze/risk.ts names
 * the port categories).
 */
import type { PortSet } from '../../net/interval-set';
import type { TrafficSet } from '../../policy';
import type { FindingSeverity } from '../findings';
import { categoryPorts, PORT_CATEGORIES } from '../risk';
import { portWords } from './flow-words';

export type ExposureCategory = 'allPorts' | 'management' | 'data' | 'other' | 'icmp';

/** Most exposed first. */
const CATEGORY_ORDER: readonly ExposureCategory[] = ['allPorts', 'management', 'data', 'other', 'icmp'];

export interface ExposedPorts {
  protocol: 'tcp' | 'udp' | 'icmp';
  category: ExposureCategory;
  /** Destination ports (null for ICMP). */
  ports: PortSet | null;
}

/** Severity of exposing a category to the Internet: every port or administration → critical; data → high; other ports → medium; ICMP → low. */
export function exposureSeverity(category: ExposureCategory): FindingSeverity {
  return category === 'allPorts' || category === 'management'
    ? 'critical'
    : category === 'data'
      ? 'high'
      : category === 'other'
        ? 'medium'
        : 'low';
}

/** Destination ports of one protocol split by category, most exposed first. */
export function categorize(protocol: 'tcp' | 'udp', ports: PortSet): ExposedPorts[] {
  if (ports.isEmpty) return [];
  if (ports.isFull) return [{ protocol, category: 'allPorts', ports }];
  const out: ExposedPorts[] = [];
  let rest = ports;
  for (const category of ['management', 'data'] as const) {
    const own = categoryPorts(ports, category);
    if (own.isEmpty) continue;
    out.push({ protocol, category, ports: own });
    rest = rest.subtract(own);
  }
  if (!rest.isEmpty) out.push({ protocol, category: 'other', ports: rest });
  return out;
}

/** What a traffic set opens (destination ports paired with any source port), most exposed first. */
export function exposedPorts(traffic: TrafficSet): ExposedPorts[] {
  const out = [
    ...categorize('tcp', traffic.tcp.destinationPorts()),
    ...categorize('udp', traffic.udp.destinationPorts()),
  ];
  if (traffic.icmp) out.push({ protocol: 'icmp', category: 'icmp', ports: null });
  return sortExposures(out);
}

export function sortExposures(list: ExposedPorts[]): ExposedPorts[] {
  return list.sort(
    (a, b) =>
      CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) ||
      (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0),
  );
}

/** The most exposed category of a list (the list sorted), or null when it is empty. */
export function worstCategory(list: readonly ExposedPorts[]): ExposureCategory | null {
  let best: ExposureCategory | null = null;
  for (const e of list)
    if (best === null || CATEGORY_ORDER.indexOf(e.category) < CATEGORY_ORDER.indexOf(best)) best = e.category;
  return best;
}

/** `every TCP port`, `tcp 22 (administration)`, `tcp 1433 (data store)`, `tcp 8000-9000`, `ICMP`. */
export function exposureText(e: ExposedPorts): string {
  if (e.category === 'icmp') return 'ICMP';
  if (e.category === 'allPorts') return `every ${e.protocol.toUpperCase()} port`;
  const ports = `${e.protocol} ${portWords(e.ports!)}`;
  return e.category === 'management'
    ? `${ports} (remote administration)`
    : e.category === 'data'
      ? `${ports} (data store or broker)`
      : ports;
}

/**
 * How much a finding exposes, to order the findings of one severity most exposed first (the first
 * screen of `analyze` shows what to fix first): reachable from the Internet outranks everything else,
 * then the worst category open (every port, remote administration, data stores, other ports, ICMP),
 * then how many administration and data ports are open, then how many container groups sit behind.
 */
export function exposureRisk(
  exposures: readonly ExposedPorts[],
  containerGroups: number,
  fromInternet: boolean,
): number {
  const worst = worstCategory(exposures);
  if (worst === null) return 0;
  let sensitive = 0;
  for (const e of exposures)
    if (e.category === 'allPorts')
      sensitive += PORT_CATEGORIES.management.length + PORT_CATEGORIES.data.length;
    else if (e.category === 'management' || e.category === 'data') sensitive += e.ports!.size();
  const rank = CATEGORY_ORDER.length - CATEGORY_ORDER.indexOf(worst);
  return (
    (fromInternet ? 10_000_000 : 0) +
    rank * 1_000_000 +
    Math.min(sensitive, 999) * 1_000 +
    Math.min(containerGroups, 999)
  );
}

/** The port `explain` is best run on for an exposure: its first port (22 before 3389, …). */
export function examplePort(e: ExposedPorts): number | null {
  if (e.ports === null) return null;
  if (e.category === 'allPorts') return 22;
  return e.ports.first() ?? null;
}

/** Whether a traffic set opens some of an exposure's ports. */
export function touches(traffic: TrafficSet, e: ExposedPorts): boolean {
  if (e.protocol === 'icmp') return traffic.icmp;
  return traffic
    .region(e.protocol === 'tcp' ? 'Tcp' : 'Udp')
    .destinationPorts()
    .overlaps(e.ports!);
}
