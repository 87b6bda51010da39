/**
 * The `analyze` report: endpoint groups, the distinct traffic results and side decisions (which rules
 * decided what on each side), and the open paths between groups, riskiest first in the text form. JSON
 * is written one item per line, as a stream, so large estates never need one big string.
 */
import { ClassLabeler, type ClassLabel } from '../analyze/endpoint-labels';
import {
  decisionUnknownLabels,
  formatRange,
  openingEntries,
  sideEntry,
  unknownLabels,
  type RuleInfo,
  type SideEntry,
} from '../analyze/explain';
import { pathSources, pathTargets, type ClassKind, type Reachability } from '../analyze/reachability';
import type { PairTraffic, PolicyEngine, TrafficSet } from '../policy';
import { IntList } from '../util/int-list';
import { IntPairMap } from '../util/int-pair-map';
import { IntervalSet, portDomain } from '../net/interval-set';
import { VERSION } from '../version';
import { printable } from './summary';
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

/** What a path lets through: allowed and unknown traffic (`t<n>`, shared by every path with the same). */
export interface TrafficJson {
  id: string;
  allow: TrafficDescription;
  unknown: TrafficDescription;
}

/** A rule that decides traffic somewhere in the report (`k<n>`), listed once. */
export interface RuleJson extends RuleInfo {
  id: string;
  policy: 'avnm' | 'nsg';
  /** The NSG, or the admin rule collection, holding the rule. */
  nsg: string;
}

/** A rule (`rule` names it in `rules[]`) or other decider of one side, with the traffic it decided there. */
export interface SideRuleJson {
  policy: SideEntry['policy'];
  rule: string | null;
  outcome: SideEntry['outcome'];
  traffic: TrafficDescription;
  note?: string;
}

/**
 * One side's decision (`o<n>`: the source's outbound side; `i<n>`: the destination's inbound side):
 * every rule that decided some traffic on that side, allow or deny, shared by every path that uses it.
 */
export interface SideJson {
  id: string;
  side: 'source' | 'destination';
  entries: SideRuleJson[];
  unknowns?: string[];
}

export interface PathJson {
  /** Every flow from any of these groups to any of the `to` groups has the path's traffic and sides. */
  from: string[];
  to: string[];
  traffic: string;
  source: string;
  destination: string;
  risk: number;
}

export interface ReachabilityHeader {
  schemaVersion: 2;
  kind: 'aciseg.reachability';
  generator: { name: 'aciseg'; version: string };
  stats: {
    endpointGroups: number;
    externalGroups: number;
    pairsEvaluated: number;
    openPairs: number;
    openPaths: number;
    /** Distinct (source side, destination side) decision pairs among the paths. */
    distinctResults: number;
    pairsWithUnknowns: number;
    /** Side tables with more correlated unknowns than the exact-enumeration budget (see README, Semantics). */
    approximatedTables: number;
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

/** The JSON report's numbering: each path's traffic number, the traffic, and the sides in order of first use. */
interface JsonIndex {
  pathTraffic: Int32Array;
  traffic: PairTraffic[];
  sides: { decision: number; source: boolean }[];
}

/** Everything the renderers need: labels, result ids in order of first use, risks on demand. */
export class ReachabilityView {
  readonly labels: ClassLabel[];
  /** (out, in) decision pair → result number (`r<n>`), in order of first use by a path. */
  private readonly resultIndex = new IntPairMap(1 << 16);
  private readonly resultOut = new IntList();
  private readonly resultIn = new IntList();
  /** For each result, the first path that has it (its endpoints stand for the result's rules). */
  private readonly resultFirstPath = new IntList();
  /** Path → result number. */
  private readonly pathResult: Int32Array;
  /** Traffic and side numbering for the JSON report, made on first use (the text report needs neither). */
  private json: JsonIndex | null = null;
  private readonly riskOfTraffic = new Map<PairTraffic, number>();
  readonly header: ReachabilityHeader;
  private readonly portRiskMemo = new Map<number, number>();
  /** Risk of each path once computed, else -1. */
  private readonly exactRisk: Int32Array;

  constructor(
    readonly engine: PolicyEngine,
    readonly reach: Reachability,
  ) {
    const labeler = new ClassLabeler(engine.index);
    this.labels = reach.classes.map((c) => labeler.label(c));
    const { paths } = reach;
    this.pathResult = new Int32Array(paths.count);
    this.exactRisk = new Int32Array(paths.count).fill(-1);
    let withUnknowns = 0;
    const decisions = engine.store.decisions;
    for (let i = 0; i < paths.count; i++) {
      const out = paths.out.get(i);
      const inb = paths.in.get(i);
      let r = this.resultIndex.get(out, inb);
      if (r < 0) {
        r = this.resultOut.length;
        this.resultOut.push(out);
        this.resultIn.push(inb);
        this.resultFirstPath.push(i);
        this.resultIndex.set(out, inb, r);
      }
      this.pathResult[i] = r;
      const a = decisions[out]!;
      const b = decisions[inb]!;
      // Only pairs where a side has open (unknown) traffic can have unknowns; decide those exactly.
      if (
        a.vars.length > 0 ||
        b.vars.length > 0 ||
        !a.leaves[0]!.unknown.isEmpty ||
        !b.leaves[0]!.unknown.isEmpty
      ) {
        if (!engine.store.trafficBetween(a, b).unknown.isEmpty)
          withUnknowns += pathTargets(paths, i).length * pathSources(paths, i).length;
      }
    }
    this.header = {
      schemaVersion: 2,
      kind: 'aciseg.reachability',
      generator: { name: 'aciseg', version: VERSION },
      stats: {
        endpointGroups: reach.classes.length,
        externalGroups: reach.stats.externalGroups,
        pairsEvaluated: reach.stats.pairsEvaluated,
        openPairs: reach.stats.openPairs,
        openPaths: paths.count,
        distinctResults: this.resultOut.length,
        pairsWithUnknowns: withUnknowns,
        approximatedTables: engine.approximatedTables.size,
      },
      assumptions: ASSUMPTIONS,
    };
  }

  /** The header of the JSON report: the common one with the traffic and side counts. */
  jsonHeader(): ReachabilityHeader & { stats: { trafficResults: number; sides: number } } {
    const index = this.jsonIndex();
    return {
      ...this.header,
      stats: { ...this.header.stats, trafficResults: index.traffic.length, sides: index.sides.length },
    };
  }

  /** Numbers the paths' traffic (by content) and side decisions, in order of first use. */
  private jsonIndex(): JsonIndex {
    if (this.json) return this.json;
    const { engine } = this;
    const { paths } = this.reach;
    const decisions = engine.store.decisions;
    const index: JsonIndex = { pathTraffic: new Int32Array(paths.count), traffic: [], sides: [] };
    const byObject = new Map<PairTraffic, number>();
    const byContent = new IntPairMap(1 << 12);
    const seen = [new Uint8Array(decisions.length), new Uint8Array(decisions.length)];
    for (let i = 0; i < paths.count; i++) {
      const out = paths.out.get(i);
      const inb = paths.in.get(i);
      const traffic = engine.store.trafficBetween(decisions[out]!, decisions[inb]!);
      let t = byObject.get(traffic);
      if (t === undefined) {
        // Equal allowed and unknown sets share a number, whichever memo entry computed them.
        const allowId = engine.store.traffic.id(traffic.allow);
        const unknownId = engine.store.traffic.id(traffic.unknown);
        t = byContent.get(allowId, unknownId);
        if (t < 0) {
          t = index.traffic.length;
          index.traffic.push(traffic);
          byContent.set(allowId, unknownId, t);
        }
        byObject.set(traffic, t);
      }
      index.pathTraffic[i] = t;
      if (seen[0]![out] === 0) {
        seen[0]![out] = 1;
        index.sides.push({ decision: out, source: true });
      }
      if (seen[1]![inb] === 0) {
        seen[1]![inb] = 1;
        index.sides.push({ decision: inb, source: false });
      }
    }
    this.json = index;
    return index;
  }

  /** Risk from where a path starts and ends: any Internet source 100 (else any external 20), container groups among the targets 10. */
  private endpointRisk(i: number): number {
    const { paths, classes } = this.reach;
    const sources = pathSources(paths, i);
    let internet = false;
    let external = false;
    for (let k = 0; k < sources.length; k++) {
      internet ||= this.labels[sources[k]!]!.internet;
      external ||= classes[sources[k]!]!.kind === 'external';
    }
    let risk = internet ? 100 : external ? 20 : 0;
    const targets = pathTargets(paths, i);
    for (let k = 0; k < targets.length; k++) {
      if (this.labels[targets[k]!]!.containerGroups.length > 0) {
        risk += 10;
        break;
      }
    }
    return risk;
  }

  private decisionPortRisk(id: number): number {
    let r = this.portRiskMemo.get(id);
    if (r === undefined) {
      r = portRisk(this.engine.store.decisions[id]!.possible);
      this.portRiskMemo.set(id, r);
    }
    return r;
  }

  /** The risk score of path i. */
  risk(i: number): number {
    let r = this.exactRisk[i]!;
    if (r < 0) {
      const { paths } = this.reach;
      const d = this.engine.store.decisions;
      const traffic = this.engine.store.trafficBetween(d[paths.out.get(i)]!, d[paths.in.get(i)]!);
      let tr = this.riskOfTraffic.get(traffic);
      if (tr === undefined) {
        tr = trafficRisk(traffic);
        this.riskOfTraffic.set(traffic, tr);
      }
      r = Math.max(this.endpointRisk(i) + tr, 0);
      this.exactRisk[i] = r;
    }
    return r;
  }

  /** Traffic number n (`t<n>`): what is allowed, and what is unknown. */
  traffic(n: number): TrafficJson {
    const t = this.jsonIndex().traffic[n]!;
    return { id: `t${n}`, allow: describeTraffic(t.allow), unknown: describeTraffic(t.unknown) };
  }

  get trafficCount(): number {
    return this.jsonIndex().traffic.length;
  }

  get sideCount(): number {
    return this.jsonIndex().sides.length;
  }

  /**
   * Side number n in order of first use: every rule that decided traffic on it, with that traffic. The
   * rules it names are added to `usedRules` (compiler rule refs, written as `k<ref>`).
   */
  side(n: number, usedRules: Set<number>): SideJson {
    const { decision, source } = this.jsonIndex().sides[n]!;
    const d = this.engine.store.decisions[decision]!;
    const side = source ? 'source' : 'destination';
    // A single pass over every side: compute the deciders without keeping them on the decision.
    const deciders = d.decidersOnce();
    const entries = deciders
      .map((x) => {
        const e = sideEntry(this.engine, side, x);
        if (x.kind === 'rule') usedRules.add(x.ref);
        const json: SideRuleJson = {
          policy: e.policy,
          rule: x.kind === 'rule' ? `k${x.ref}` : null,
          outcome: e.outcome,
          traffic: describeTraffic(x.traffic),
        };
        if (e.note !== undefined) json.note = e.note;
        return { json, priority: e.rule?.priority ?? 0 };
      })
      .sort(
        (a, b) =>
          a.priority - b.priority ||
          (a.json.policy < b.json.policy ? -1 : a.json.policy > b.json.policy ? 1 : 0) ||
          (a.json.outcome < b.json.outcome ? -1 : a.json.outcome > b.json.outcome ? 1 : 0),
      )
      .map((x) => x.json);
    const json: SideJson = { id: sideId(decision, source), side, entries };
    const unknowns = decisionUnknownLabels(this.engine, d, deciders);
    if (unknowns.length > 0) json.unknowns = unknowns;
    return json;
  }

  /** Rule `k<ref>`: which rule it is. */
  rule(ref: number): RuleJson {
    const r = this.engine.compiler.refs[ref]!;
    return {
      id: `k${ref}`,
      policy: r.layer === 'admin' ? 'avnm' : 'nsg',
      nsg: r.ownerName,
      name: r.name,
      priority: r.priority,
      access: r.access,
      direction: r.direction,
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

  /** How many distinct results the paths use. */
  get resultCount(): number {
    return this.resultOut.length;
  }

  /** Result number n (`r<n>`): what it opens, and the rules that open it on each side. */
  result(n: number): ResultJson {
    const outId = this.resultOut.get(n);
    const inId = this.resultIn.get(n);
    const { engine, reach } = this;
    const result = engine.store.meet(engine.store.decisions[outId]!, engine.store.decisions[inId]!);
    const open = result.allow.union(result.unknown);
    // The rules, recomputed at the first path's endpoints (every path with this result has the same ones).
    const p = this.resultFirstPath.get(n);
    const from = reach.classes[pathSources(reach.paths, p)[0]!]!;
    const to = reach.classes[pathTargets(reach.paths, p)[0]!]!;
    const fromIp = from.ranges.first()!;
    const toIp = to.ranges.first()!;
    const outDeciders =
      from.kind === 'subnet'
        ? engine.decidersAt(from.subnet!.id, 'Outbound', fromIp, toIp)
        : result.out.deciders;
    const inDeciders =
      to.kind === 'subnet' ? engine.decidersAt(to.subnet!.id, 'Inbound', toIp, fromIp) : result.in.deciders;
    const json: ResultJson = {
      id: `r${n}`,
      allow: describeTraffic(result.allow),
      unknown: describeTraffic(result.unknown),
      source: openingEntries(engine, 'source', outDeciders, open),
      destination: openingEntries(engine, 'destination', inDeciders, open),
    };
    if (!result.unknown.isEmpty) json.unknowns = unknownLabels(engine, result, outDeciders, inDeciders);
    return json;
  }

  /** The result number of path i. */
  resultOf(i: number): number {
    return this.pathResult[i]!;
  }

  /** Path i's groups and risk (what the text report needs). */
  pathEnds(i: number): { from: string[]; to: string[]; risk: number } {
    const { paths } = this.reach;
    return {
      from: Array.from(pathSources(paths, i), (f) => `g${f}`),
      to: Array.from(pathTargets(paths, i), (t) => `g${t}`),
      risk: this.risk(i),
    };
  }

  path(i: number): PathJson {
    const { paths } = this.reach;
    return {
      from: Array.from(pathSources(paths, i), (f) => `g${f}`),
      to: Array.from(pathTargets(paths, i), (t) => `g${t}`),
      traffic: `t${this.jsonIndex().pathTraffic[i]}`,
      source: sideId(paths.out.get(i), true),
      destination: sideId(paths.in.get(i), false),
      risk: this.risk(i),
    };
  }

  /**
   * The `limit` riskiest paths (ties: lower index first). Paths are visited by an upper bound of their
   * risk (endpoint risk plus the smaller port risk of the two sides, since what passes is within both),
   * and exact risks are computed only until no unvisited path can beat the current top `limit`.
   */
  riskiest(limit: number): number[] {
    const { paths } = this.reach;
    const buckets = new Map<number, number[]>();
    for (let i = 0; i < paths.count; i++) {
      const bound =
        this.endpointRisk(i) +
        Math.min(this.decisionPortRisk(paths.out.get(i)), this.decisionPortRisk(paths.in.get(i)));
      const b = buckets.get(bound);
      if (b) b.push(i);
      else buckets.set(bound, [i]);
    }
    const better = (a: number, b: number) =>
      this.risk(a) > this.risk(b) || (this.risk(a) === this.risk(b) && a < b);
    let top: number[] = [];
    for (const bound of [...buckets.keys()].sort((a, b) => b - a)) {
      if (top.length >= limit && bound < this.risk(top[top.length - 1]!)) break;
      for (const i of buckets.get(bound)!) {
        if (top.length >= limit && !better(i, top[top.length - 1]!)) continue;
        top.push(i);
        top.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
        if (top.length > limit) top = top.slice(0, limit);
      }
    }
    return top;
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
}

/** Id of a side decision: `o<decision id>` for a source (outbound) side, `i<decision id>` for a destination. */
function sideId(decision: number, source: boolean): string {
  return `${source ? 'o' : 'i'}${decision}`;
}

/**
 * The report as JSON text chunks, one group / traffic / side / path per line. Traffic and sides are
 * listed once and referenced by paths, so the report grows with the paths, not paths × rules.
 */
export function* serializeReachabilityJson(
  view: ReachabilityView,
  progress: (message: string) => void = () => undefined,
): Generator<string> {
  const head = JSON.stringify(view.jsonHeader());
  yield `${head.slice(0, -1)},\n`;
  yield* jsonArray('endpointGroups', view.reach.classes.length, (i) => view.group(i));
  yield ',\n';
  yield* jsonArray('traffic', view.trafficCount, (i) => view.traffic(i));
  yield ',\n';
  const usedRules = new Set<number>();
  yield* jsonArray('sides', view.sideCount, (i) => {
    if (i > 0 && i % 10_000 === 0) progress(`report: ${i}/${view.sideCount} sides`);
    return view.side(i, usedRules);
  });
  yield ',\n';
  const refs = [...usedRules].sort((a, b) => a - b);
  yield* jsonArray('rules', refs.length, (i) => view.rule(refs[i]!));
  yield ',\n';
  yield* jsonArray('paths', view.reach.paths.count, (i) => {
    if (i > 0 && i % 500_000 === 0) progress(`report: ${i}/${view.reach.paths.count} paths`);
    return view.path(i);
  });
  yield '}\n';
}

function* jsonArray(name: string, count: number, item: (i: number) => unknown): Generator<string> {
  yield `"${name}":[\n`;
  for (let i = 0; i < count; i++) yield `${JSON.stringify(item(i))}${i < count - 1 ? ',' : ''}\n`;
  yield ']';
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
  if (s.approximatedTables > 0) {
    lines.push(
      `${s.approximatedTables} side tables had more correlated unknowns than can be enumerated exactly: some answers there may be unknown where a finer analysis would decide (--service-tags resolves service tags).`,
    );
  }
  const top = view.riskiest(limit);
  lines.push('', `Riskiest open paths (${top.length} of ${s.openPaths}):`);
  top.forEach((pi, n) => {
    const p = view.pathEnds(pi);
    const r = view.result(view.resultOf(pi));
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
