/**
 * The `analyze` report: endpoint groups, the distinct results (what is open and which rules open it)
 * and the open paths between groups, riskiest first in the text form. JSON is written one group,
 * result or path per line so large estates stream.
 */
import { ClassLabeler } from '../analyze/endpoint-labels';
import { formatRange, openingEntries, unknownLabels, type SideEntry } from '../analyze/explain';
import type { ClassKind, Reachability } from '../analyze/reachability';
import type { PairResult } from '../policy/decision';
import type { PolicyEngine } from '../policy/engine';
import { IntervalSet, portDomain } from '../policy/interval-set';
import type { TrafficSet } from '../policy/traffic';
import { VERSION } from '../version';
import { describeTraffic, type TrafficDescription } from './traffic';

export interface EndpointGroupJson {
  id: string;
  kind: ClassKind;
  label: string;
  subnetId: string | null;
  addresses: string[];
  containerGroups: string[];
}

export interface ResultJson {
  id: string;
  allow: TrafficDescription;
  unknown: TrafficDescription;
  source: SideEntry[];
  destination: SideEntry[];
  unknowns?: string[];
}

export interface PathJson {
  from: string;
  to: string[];
  result: string;
  risk: number;
}

export interface ReachabilityReport {
  schemaVersion: 1;
  kind: 'aciseg.reachability';
  generator: { name: 'aciseg'; version: string };
  stats: {
    endpointGroups: number;
    pairsEvaluated: number;
    openPairs: number;
    openPaths: number;
    distinctResults: number;
    pairsWithUnknowns: number;
  };
  assumptions: string[];
  endpointGroups: EndpointGroupJson[];
  results: ResultJson[];
  paths: PathJson[];
}

export const ASSUMPTIONS = [
  'Verdicts are policy verdicts (AVNM security admin rules, then the subnet NSG), like Network Watcher IP flow verify; routing is not part of them.',
  'Platform traffic to 168.63.129.16 and 169.254.169.254 is evaluated like any other address (Azure exempts some of it from NSGs).',
  'Container groups in a VNet are reachable on every port their subnet NSG allows (ACI does not filter ipAddress.ports inside a VNet); public container groups admit exactly their ipAddress.ports.',
  'NSGs are stateful: only the initiating direction is evaluated.',
  'Security admin rules in the snapshot are treated as deployed.',
];

/** Ports that give a shell, a desktop or a database: opening them to wide sources is the classic mistake. */
const SENSITIVE_PORTS = [22, 23, 135, 139, 445, 1433, 3306, 3389, 5432, 5985, 5986, 6379, 9200, 27017];

/** A risk score for an open path: wide sources, wide port ranges and sensitive ports score higher. */
export function riskOf(
  fromInternet: boolean,
  fromExternal: boolean,
  toHasGroups: boolean,
  result: PairResult,
): number {
  let score = 0;
  if (fromInternet) score += 100;
  else if (fromExternal) score += 20;
  if (toHasGroups) score += 10;
  const open = result.allow.union(result.unknown);
  let ports = IntervalSet.empty(portDomain);
  for (const region of [open.tcp, open.udp]) ports = ports.union(region.destinationPorts());
  if (ports.isFull) score += 50;
  else if (ports.size() > 1000) score += 30;
  if (SENSITIVE_PORTS.some((p) => ports.has(p))) score += 40;
  if (open.icmp) score += 1;
  if (result.allow.isEmpty) score -= 5;
  return Math.max(score, 0);
}

/** Builds the report object from the reachability of an engine's snapshot. */
export function buildReachabilityReport(engine: PolicyEngine, reach: Reachability): ReachabilityReport {
  const labeler = new ClassLabeler(engine.index);
  const labels = reach.classes.map((c) => labeler.label(c));
  const endpointGroups: EndpointGroupJson[] = reach.classes.map((c, i) => ({
    id: `g${i}`,
    kind: c.kind,
    label: labels[i]!.label,
    subnetId: c.subnet?.id ?? null,
    addresses: c.ranges.intervals().map(([lo, hi]) => formatRange(lo, hi)),
    containerGroups: labels[i]!.containerGroups,
  }));
  const resultIds = new Map<number, string>();
  const results: ResultJson[] = [];
  const paths: PathJson[] = [];
  let openPairs = 0;
  let withUnknowns = 0;
  const pairs = engine.store.pairs;
  for (const row of reach.rows) {
    const from = reach.classes[row.from]!;
    for (const [resultId, to] of row.byResult) {
      const result = pairs[resultId]!;
      let id = resultIds.get(resultId);
      if (id === undefined) {
        id = `r${results.length}`;
        resultIds.set(resultId, id);
        results.push(resultJson(engine, id, result));
      }
      openPairs += to.length;
      if (!result.unknown.isEmpty) withUnknowns += to.length;
      const toHasGroups = to.some((t) => labels[t]!.containerGroups.length > 0);
      paths.push({
        from: `g${row.from}`,
        to: to.map((t) => `g${t}`),
        result: id,
        risk: riskOf(labels[row.from]!.internet, from.kind === 'external', toHasGroups, result),
      });
    }
  }
  return {
    schemaVersion: 1,
    kind: 'aciseg.reachability',
    generator: { name: 'aciseg', version: VERSION },
    stats: {
      endpointGroups: reach.classes.length,
      pairsEvaluated: reach.stats.pairsEvaluated,
      openPairs,
      openPaths: paths.length,
      distinctResults: results.length,
      pairsWithUnknowns: withUnknowns,
    },
    assumptions: ASSUMPTIONS,
    endpointGroups,
    results,
    paths,
  };
}

function resultJson(engine: PolicyEngine, id: string, result: PairResult): ResultJson {
  const open: TrafficSet = result.allow.union(result.unknown);
  const json: ResultJson = {
    id,
    allow: describeTraffic(result.allow),
    unknown: describeTraffic(result.unknown),
    source: openingEntries(engine, 'source', result.out, open),
    destination: openingEntries(engine, 'destination', result.in, open),
  };
  if (!result.unknown.isEmpty) json.unknowns = unknownLabels(engine, result);
  return json;
}

/** The report as JSON text chunks, one group / result / path per line. */
export function* serializeReachabilityReport(report: ReachabilityReport): Generator<string> {
  const { endpointGroups, results, paths, ...head } = report;
  const headText = JSON.stringify(head);
  yield `${headText.slice(0, -1)},\n`;
  const lists: [string, unknown[]][] = [
    ['endpointGroups', endpointGroups],
    ['results', results],
    ['paths', paths],
  ];
  for (let l = 0; l < lists.length; l++) {
    const [name, items] = lists[l]!;
    yield `${JSON.stringify(name)}:[${items.length === 0 ? '' : '\n'}`;
    for (let i = 0; i < items.length; i++)
      yield `${JSON.stringify(items[i])}${i < items.length - 1 ? ',' : ''}\n`;
    yield l < lists.length - 1 ? '],\n' : ']}\n';
  }
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
export function renderReachabilityText(report: ReachabilityReport, limit: number): string {
  const lines: string[] = [];
  const s = report.stats;
  lines.push(
    `${s.endpointGroups} endpoint groups; ${s.openPairs} open group pairs in ${s.openPaths} paths (${s.distinctResults} distinct results); ${s.pairsWithUnknowns} pairs depend on unknowns.`,
  );
  const groups = new Map(report.endpointGroups.map((g) => [g.id, g]));
  const results = new Map(report.results.map((r) => [r.id, r]));
  const sorted = [...report.paths].sort(
    (a, b) =>
      b.risk - a.risk ||
      a.from.localeCompare(b.from, 'en', { numeric: true }) ||
      a.result.localeCompare(b.result, 'en', { numeric: true }),
  );
  lines.push('', `Riskiest open paths (${Math.min(limit, sorted.length)} of ${sorted.length}):`);
  sorted.slice(0, limit).forEach((p, i) => {
    const from = groups.get(p.from)!;
    const r = results.get(p.result)!;
    const to = p.to.map((t) => groups.get(t)!);
    const toText =
      to.length <= 3
        ? to.map(groupText).join('; ')
        : `${to.slice(0, 3).map(groupText).join('; ')}; … (+${to.length - 3} more groups)`;
    lines.push(`${String(i + 1).padStart(3)}. [risk ${p.risk}] ${groupText(from)} → ${toText}`);
    lines.push(
      `       allows: ${trafficFromJson(r.allow)}${hasTraffic(r.unknown) ? `; unknown: ${trafficFromJson(r.unknown)}` : ''}`,
    );
    lines.push(`       source side: ${sideText(r.source)}`);
    lines.push(`       destination side: ${sideText(r.destination)}`);
    if (r.unknowns) lines.push(`       depends on: ${r.unknowns.join('; ')}`);
  });
  lines.push('', 'Assumptions:', ...report.assumptions.map((a) => `  - ${a}`));
  return `${lines.join('\n')}\n`;
}

function groupText(g: EndpointGroupJson): string {
  return g.containerGroups.length > 0 ? `${g.label} {${g.containerGroups.join(', ')}}` : g.label;
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
