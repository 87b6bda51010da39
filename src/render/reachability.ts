/**
 * The `analyze` report: endpoint groups, the distinct traffic results and side decisions (which rules
 * decided what on each side), and the open paths between groups, riskiest first in the text form. The
 * data and its keys come from `analyze/results`; JSON is written one item per line, as a stream, so
 * large estates never need one big string.
 */
import { ReachabilityView, type ReachabilityStats } from '../analyze/results';
import type { SideEntry } from '../analyze/explain';
import { envelope, type Envelope } from './envelope';
import { printable } from './summary';
import type { TrafficDescription } from './traffic';
import { jsonArray } from './json-lines';

export { ASSUMPTIONS, ReachabilityView } from '../analyze/results';
export type {
  EndpointGroupData,
  PathData,
  RuleData,
  SideData,
  SideRuleData,
  TrafficData,
} from '../analyze/results';

/** The head of the JSON report: the envelope, the totals and the assumptions. */
export interface ReachabilityHeader extends Envelope<'aciseg.reachability'> {
  stats: ReachabilityStats & { trafficResults: number };
  assumptions: string[];
}

export function reachabilityHeader(view: ReachabilityView): ReachabilityHeader {
  return {
    ...envelope('aciseg.reachability'),
    stats: { ...view.stats, trafficResults: view.trafficCount },
    assumptions: view.assumptions,
  };
}

/**
 * The report as JSON text chunks, one group / traffic / side / rule / path per line. Traffic and sides
 * are listed once and referenced by paths (by position), so the report grows with the paths, not paths
 * × rules. Every array is in an order that depends only on content (README, "Result keys").
 */
export function* serializeReachabilityJson(
  view: ReachabilityView,
  progress: (message: string) => void = () => undefined,
): Generator<string> {
  const head = JSON.stringify(reachabilityHeader(view));
  yield `${head.slice(0, -1)},\n`;
  yield* jsonArray('endpointGroups', view.groupCount, (i) => view.group(i));
  yield ',\n';
  yield* jsonArray('traffic', view.trafficCount, (i) => view.traffic(i));
  yield ',\n';
  yield* jsonItems('sides', view.sides(progress));
  yield ',\n';
  yield* jsonArray('rules', view.usedRules.length, (i) => view.rule(i));
  yield ',\n';
  yield* jsonArray('paths', view.reach.paths.count, (i) => {
    if (i > 0 && i % 500_000 === 0) progress(`report: ${i}/${view.reach.paths.count} paths`);
    return view.path(i);
  });
  yield '}\n';
}

/** An array of items of unknown count (a separator goes before every item but the first). */
function* jsonItems(name: string, items: Iterable<unknown>): Generator<string> {
  yield `"${name}":[`;
  let first = true;
  for (const item of items) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(item)}`;
    first = false;
  }
  yield first ? ']' : '\n]';
}

/**
 * Groups as people read them: all classes of one subnet become the subnet with its container groups;
 * at most three entries are named, the rest counted.
 */
function groupsText(view: ReachabilityView, indices: number[], subnetClasses: Map<string, number>): string {
  const parts: string[] = [];
  const bySubnet = new Map<string, number[]>();
  const { classes } = view.reach;
  for (const i of indices) {
    const c = classes[i]!;
    if (c.kind === 'subnet') bySubnet.set(c.subnet!.id, [...(bySubnet.get(c.subnet!.id) ?? []), i]);
    else parts.push(labelWithGroups(view, i));
  }
  for (const [subnetId, members] of bySubnet) {
    const all = subnetClasses.get(subnetId) ?? 0;
    if (members.length === all && all > 1) {
      const subnet = classes[members[0]!]!.subnet!;
      const vnet = view.engine.index.virtualNetworks.get(subnet.virtualNetworkId)?.name ?? '?';
      const groups = [...new Set(members.flatMap((m) => view.label(m).containerGroups))].sort();
      parts.push(`${vnet}/${subnet.name}${groups.length > 0 ? ` {${groups.join(', ')}}` : ''}`);
    } else for (const m of members) parts.push(labelWithGroups(view, m));
  }
  return parts.length <= 3
    ? parts.join('; ')
    : `${parts.slice(0, 3).join('; ')}; … (+${parts.length - 3} more groups)`;
}

function labelWithGroups(view: ReachabilityView, i: number): string {
  const l = view.label(i);
  return l.containerGroups.length > 0 ? `${l.label} {${l.containerGroups.join(', ')}}` : l.label;
}

function sideText(entries: SideEntry[]): string {
  if (entries.length === 0) return '-';
  return entries
    .map((e) =>
      e.rule
        ? `${e.nsg}/${e.rule.name} (${e.rule.priority}${e.policy === 'avnm' ? ', admin' : ''})`
        : (e.note ?? e.policy),
    )
    .join(', ');
}

/** The report for people: totals, then the `limit` riskiest open paths with the rules that open them. */
export function renderReachabilityText(view: ReachabilityView, limit: number): string {
  const lines: string[] = [];
  const s = view.stats;
  lines.push(
    `${s.endpointGroups} endpoint groups (${s.externalGroups} outside every subnet); ${s.openPairs} open group pairs in ${s.openPaths} paths; ${s.distinctResults} distinct results; ${s.pairsWithUnknowns} pairs depend on unknowns.`,
  );
  if (s.approximatedTables > 0) {
    lines.push(
      `${s.approximatedTables} side tables had more correlated unknowns than can be enumerated exactly: some answers there may be unknown where a finer analysis would decide (--service-tags resolves service tags).`,
    );
  }
  const subnetClasses = new Map<string, number>();
  for (const c of view.reach.classes)
    if (c.kind === 'subnet') subnetClasses.set(c.subnet!.id, (subnetClasses.get(c.subnet!.id) ?? 0) + 1);
  const top = view.riskiest(limit);
  lines.push('', `Riskiest open paths (${top.length} of ${s.openPaths}):`);
  top.forEach((pi, n) => {
    const p = view.pathEnds(pi);
    const r = view.result(pi);
    lines.push(
      `${String(n + 1).padStart(3)}. [risk ${p.risk}] ${groupsText(view, p.from, subnetClasses)} → ${groupsText(view, p.to, subnetClasses)}`,
    );
    lines.push(
      `       allows: ${trafficFromJson(r.allow)}${hasTraffic(r.unknown) ? `; unknown: ${trafficFromJson(r.unknown)}` : ''}`,
    );
    lines.push(`       source side: ${sideText(r.source)}`);
    lines.push(`       destination side: ${sideText(r.destination)}`);
    if (r.unknowns) lines.push(`       depends on: ${r.unknowns.join('; ')}`);
  });
  lines.push('', 'Assumptions:', ...view.assumptions.map((a) => `  - ${a}`));
  return `${lines.map(printable).join('\n')}\n`;
}

function hasTraffic(t: TrafficDescription): boolean {
  return t.tcp.length > 0 || t.udp.length > 0 || t.icmp;
}

function trafficFromJson(t: TrafficDescription): string {
  const parts: string[] = [];
  for (const [name, pairs] of [
    ['tcp', t.tcp],
    ['udp', t.udp],
  ] as const) {
    for (const p of pairs) {
      const dst = p.destinationPorts.join(', ') === '*' ? 'all ports' : p.destinationPorts.join(', ');
      parts.push(
        p.sourcePorts.join(', ') === '*'
          ? `${name} ${dst}`
          : `${name} ${dst} (source ports ${p.sourcePorts.join(', ')})`,
      );
    }
  }
  if (t.icmp) parts.push('icmp');
  return parts.length === 0 ? 'nothing' : parts.join('; ');
}
