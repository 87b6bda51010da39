/**
 * The `analyze` report: endpoint groups, the distinct results (what is open and which rules open it)
 * and the open paths between groups, riskiest first in the text form. JSON is written one group,
 * result or path per line, as a stream, so large estates never need one big string.
 */
import { ClassLabeler, type ClassLabel } from '../analyze/endpoint-labels';
import { formatRange, openingEntries, unknownLabels, type SideEntry } from '../analyze/explain';
import { pathSources, pathTargets, type ClassKind, type Reachability } from '../analyze/reachability';
import type { PairTraffic } from '../policy/decision';
import type { PolicyEngine } from '../policy/engine';
import { IntervalSet, portDomain } from '../policy/interval-set';
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
  /** Every flow from any of these groups to any of the `to` groups has the path's result. */
  from: string[];
  to: string[];
  result: string;
  risk: number;
}

export interface ReachabilityHeader {
  schemaVersion: 1;
  kind: 'aciseg.reachability';
  generator: { name: 'aciseg'; version: string };
  stats: {
    endpointGroups: number;
    externalGroups: number;
    pairsEvaluated: number;
    openPairs: number;
    openPaths: number;
    distinctResults: number;
    pairsWithUnknowns: number;
  };
  assumptions: string[];
}

export const ASSUMPTIONS = [
  'Verdicts are policy verdicts (AVNM security admin rules, then the subnet NSG), like Network Watcher IP flow verify; routing is not part of them.',
  'Platform traffic to 168.63.129.16 and 169.254.169.254 is evaluated like any other address (Azure exempts some of it from NSGs).',
  'Container groups in a VNet are reachable on every port their subnet NSG allows (ACI does not filter ipAddress.ports inside a VNet); public container groups admit exactly their ipAddress.ports.',
  'NSGs are stateful: only the initiating direction is evaluated.',
  'Security admin rules in the snapshot are treated as deployed.',
  'Addresses outside every subnet of the snapshot have no policy of their own; an unresolved service tag may contain any public IPv4 address.',
];

/** Ports that give a shell, a desktop or a database: opening them to wide sources is the classic mistake. */
const SENSITIVE_PORTS = [22, 23, 135, 139, 445, 1433, 3306, 3389, 5432, 5985, 5986, 6379, 9200, 27017];

/** The part of a path's risk that depends on what is open: wide port ranges and sensitive ports score higher. */
export function trafficRisk(result: PairTraffic): number {
  let score = 0;
  const open = result.allow.union(result.unknown);
  let ports = IntervalSet.empty(portDomain);
  for (const region of [open.tcp, open.udp]) ports = ports.union(region.destinationPorts());
  if (ports.isFull) score += 50;
  else if (ports.size() > 1000) score += 30;
  if (SENSITIVE_PORTS.some((p) => ports.has(p))) score += 40;
  if (open.icmp) score += 1;
  if (result.allow.isEmpty) score -= 5;
  return score;
}

/** Everything the renderers need, computed once: labels, result ids in order of first use, risks. */
export class ReachabilityView {
  readonly labels: ClassLabel[];
  /** Pair result id → its report id (`r<n>`), in order of first use by a path. */
  readonly resultIds = new Map<number, number>();
  readonly risks: Float64Array;
  readonly header: ReachabilityHeader;

  constructor(
    readonly engine: PolicyEngine,
    readonly reach: Reachability,
  ) {
    const labeler = new ClassLabeler(engine.index);
    this.labels = reach.classes.map((c) => labeler.label(c));
    const { paths } = reach;
    this.risks = new Float64Array(paths.count);
    const trafficRiskMemo = new Map<number, number>();
    let withUnknowns = 0;
    for (let i = 0; i < paths.count; i++) {
      const rid = paths.result.get(i);
      if (!this.resultIds.has(rid)) this.resultIds.set(rid, this.resultIds.size);
      const result = engine.store.trafficOf(rid);
      let tr = trafficRiskMemo.get(rid);
      if (tr === undefined) {
        tr = trafficRisk(result);
        trafficRiskMemo.set(rid, tr);
      }
      const targets = pathTargets(paths, i);
      if (!result.unknown.isEmpty) withUnknowns += targets.length;
      const sources = pathSources(paths, i);
      let risk = tr;
      if (Array.from(sources).some((f) => this.labels[f]!.internet)) risk += 100;
      else if (Array.from(sources).some((f) => reach.classes[f]!.kind === 'external')) risk += 20;
      for (const t of targets) {
        if (this.labels[t]!.containerGroups.length > 0) {
          risk += 10;
          break;
        }
      }
      this.risks[i] = Math.max(risk, 0);
    }
    this.header = {
      schemaVersion: 1,
      kind: 'aciseg.reachability',
      generator: { name: 'aciseg', version: VERSION },
      stats: {
        endpointGroups: reach.classes.length,
        externalGroups: reach.stats.externalGroups,
        pairsEvaluated: reach.stats.pairsEvaluated,
        openPairs: reach.stats.openPairs,
        openPaths: paths.count,
        distinctResults: this.resultIds.size,
        pairsWithUnknowns: withUnknowns,
      },
      assumptions: ASSUMPTIONS,
    };
  }

  group(index: number): EndpointGroupJson {
    const c = this.reach.classes[index]!;
    const label = this.labels[index]!;
    return {
      id: `g${index}`,
      kind: c.kind,
      label: label.label,
      subnetId: c.subnet?.id ?? null,
      addresses: c.ranges.intervals().map(([lo, hi]) => formatRange(lo, hi)),
      containerGroups: label.containerGroups,
    };
  }

  result(pairResultId: number): ResultJson {
    const result = this.engine.store.pair(pairResultId);
    const open = result.allow.union(result.unknown);
    const json: ResultJson = {
      id: `r${this.resultIds.get(pairResultId)}`,
      allow: describeTraffic(result.allow),
      unknown: describeTraffic(result.unknown),
      source: openingEntries(this.engine, 'source', result.out, open),
      destination: openingEntries(this.engine, 'destination', result.in, open),
    };
    if (!result.unknown.isEmpty) json.unknowns = unknownLabels(this.engine, result);
    return json;
  }

  path(i: number): PathJson {
    const { paths } = this.reach;
    return {
      from: Array.from(pathSources(paths, i), (f) => `g${f}`),
      to: Array.from(pathTargets(paths, i), (t) => `g${t}`),
      result: `r${this.resultIds.get(paths.result.get(i))}`,
      risk: this.risks[i]!,
    };
  }

  /**
   * Groups as people read them: all classes of one subnet become the subnet with its container groups;
   * at most three entries are named, the rest counted.
   */
  groupsText(ids: string[]): string {
    const indices = ids.map((id) => Number(id.slice(1)));
    const parts: string[] = [];
    const bySubnet = new Map<string, number[]>();
    for (const i of indices) {
      const c = this.reach.classes[i]!;
      if (c.kind === 'subnet') bySubnet.set(c.subnet!.id, [...(bySubnet.get(c.subnet!.id) ?? []), i]);
      else parts.push(this.labelWithGroups(i));
    }
    for (const [subnetId, members] of bySubnet) {
      const all = this.classesOfSubnet(subnetId);
      if (members.length === all.length && all.length > 1) {
        const subnet = this.reach.classes[members[0]!]!.subnet!;
        const vnet = this.engine.index.virtualNetworks.get(subnet.virtualNetworkId)?.name ?? '?';
        const groups = [...new Set(members.flatMap((m) => this.labels[m]!.containerGroups))].sort();
        parts.push(`${vnet}/${subnet.name}${groups.length > 0 ? ` {${groups.join(', ')}}` : ''}`);
      } else for (const m of members) parts.push(this.labelWithGroups(m));
    }
    return parts.length <= 3
      ? parts.join('; ')
      : `${parts.slice(0, 3).join('; ')}; … (+${parts.length - 3} more groups)`;
  }

  private readonly subnetClasses = new Map<string, number[]>();

  private classesOfSubnet(subnetId: string): number[] {
    if (this.subnetClasses.size === 0) {
      for (const c of this.reach.classes) {
        if (c.kind === 'subnet')
          this.subnetClasses.set(c.subnet!.id, [...(this.subnetClasses.get(c.subnet!.id) ?? []), c.index]);
      }
    }
    return this.subnetClasses.get(subnetId) ?? [];
  }

  private labelWithGroups(i: number): string {
    const l = this.labels[i]!;
    return l.containerGroups.length > 0 ? `${l.label} {${l.containerGroups.join(', ')}}` : l.label;
  }

  /** Path indices, riskiest first (ties: source group, then result, ascending). */
  riskiest(limit: number): number[] {
    const idx = Array.from({ length: this.reach.paths.count }, (_, i) => i);
    idx.sort((a, b) => this.risks[b]! - this.risks[a]! || a - b);
    return idx.slice(0, limit);
  }
}

/** The report as JSON text chunks, one group / result / path per line. */
export function* serializeReachabilityJson(view: ReachabilityView): Generator<string> {
  const head = JSON.stringify(view.header);
  yield `${head.slice(0, -1)},\n"endpointGroups":[\n`;
  const n = view.reach.classes.length;
  for (let i = 0; i < n; i++) yield `${JSON.stringify(view.group(i))}${i < n - 1 ? ',' : ''}\n`;
  yield '],\n"results":[\n';
  const ids = [...view.resultIds.keys()];
  for (let i = 0; i < ids.length; i++)
    yield `${JSON.stringify(view.result(ids[i]!))}${i < ids.length - 1 ? ',' : ''}\n`;
  yield '],\n"paths":[\n';
  const count = view.reach.paths.count;
  for (let i = 0; i < count; i++) yield `${JSON.stringify(view.path(i))}${i < count - 1 ? ',' : ''}\n`;
  yield ']}\n';
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
  const s = view.header.stats;
  lines.push(
    `${s.endpointGroups} endpoint groups (${s.externalGroups} outside every subnet); ${s.openPairs} open group pairs in ${s.openPaths} paths; ${s.distinctResults} distinct results; ${s.pairsWithUnknowns} pairs depend on unknowns.`,
  );
  const top = view.riskiest(limit);
  lines.push('', `Riskiest open paths (${top.length} of ${s.openPaths}):`);
  top.forEach((pi, n) => {
    const p = view.path(pi);
    const r = view.result(view.reach.paths.result.get(pi));
    lines.push(
      `${String(n + 1).padStart(3)}. [risk ${p.risk}] ${view.groupsText(p.from)} → ${view.groupsText(p.to)}`,
    );
    lines.push(
      `       allows: ${trafficFromJson(r.allow)}${hasTraffic(r.unknown) ? `; unknown: ${trafficFromJson(r.unknown)}` : ''}`,
    );
    lines.push(`       source side: ${sideText(r.source)}`);
    lines.push(`       destination side: ${sideText(r.destination)}`);
    if (r.unknowns) lines.push(`       depends on: ${r.unknowns.join('; ')}`);
  });
  lines.push('', 'Assumptions:', ...view.header.assumptions.map((a) => `  - ${a}`));
  return `${lines.join('\n')}\n`;
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
