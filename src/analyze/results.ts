/**
 * The results of an all-pairs analysis as plain data with stable, content-based keys: endpoint groups,
 * traffic, side decisions, rules and open paths, in an order that depends only on what they are, not on
 * how the engine numbered them (README, "Result keys"). Renderers read these; they need no engine.
 *
 * Keys are made for the distinct groups, traffic results, sides and rules (thousands), never per path:
 * paths refer to them by position.
 */
import { createHash } from 'node:crypto';
import { subnetSpace } from '../policy';
import type { Decider, PairTraffic } from '../policy';
import type { PolicyEngine } from '../policy';
import { IntList } from '../util/int-list';
import { IntPairMap } from '../util/int-pair-map';
import type { TrafficSet } from '../policy';
import { ClassLabeler, type ClassLabel, type ExternalPart } from './endpoint-labels';
import {
  decisionUnknownLabels,
  formatRange,
  openingEntries,
  portPairs,
  sideEntry,
  unknownLabels,
  type PortPairs,
  type RuleInfo,
  type SideEntry,
} from './explain';
import { pathSources, pathTargets, type ClassKind, type Paths, type Reachability } from './reachability';
import { CONTAINER_TARGET_RISK, portRisk, riskiest, sourceRisk, trafficRisk } from './risk';
import { countingSort } from '../util/counting-sort';

/** A traffic set per protocol: destination ports with the source ports they are paired with. */
export interface TrafficDescription {
  tcp: PortPairs[];
  udp: PortPairs[];
  icmp: boolean;
}

/** The JSON description of a traffic set. */
export function describeTraffic(t: TrafficSet): TrafficDescription {
  return { tcp: portPairs(t.tcp), udp: portPairs(t.udp), icmp: t.icmp };
}

export interface EndpointGroupData {
  /** `subnet:<subnet id>[:<ranges>]`, `publicContainerGroup:<id>` or `external:<ranges>` (see README). */
  key: string;
  kind: ClassKind;
  label: string;
  subnetId: string | null;
  addresses: string[];
  containerGroups: string[];
  /** External groups: the named spaces they are made of (every name, unlike the label). */
  composition?: ExternalPart[];
}

/** What a path lets through, keyed by its canonical text. */
export interface TrafficData {
  key: string;
  allow: TrafficDescription;
  unknown: TrafficDescription;
}

/** A rule that decides traffic somewhere in the report, listed once. */
export interface RuleData extends RuleInfo {
  /** `nsg:<nsg id>/<direction>/<name>` or `admin:<collection id>/<name>` (lower case). */
  key: string;
  policy: 'avnm' | 'nsg';
  /** The NSG, or the admin rule collection, holding the rule (its id is in the key). */
  nsg: string;
}

/** A rule (`rule`: its position in `rules`) or other decider of one side, with the traffic it decided there. */
export interface SideRuleData {
  policy: SideEntry['policy'];
  rule: number | null;
  outcome: SideEntry['outcome'];
  traffic: TrafficDescription;
  note?: string;
}

/** One side's decision: every rule that decided some traffic on that side, allow or deny. */
export interface SideData {
  /** `source:<hash>` or `destination:<hash>` of the side's entries (rules by key, traffic by key). */
  key: string;
  side: 'source' | 'destination';
  entries: SideRuleData[];
  unknowns?: string[];
}

export interface PathData {
  /** Every flow from any of these groups to any of the `to` groups (positions in `endpointGroups`) has the path's traffic and sides. */
  from: number[];
  to: number[];
  /** Positions in `traffic` and `sides`. */
  traffic: number;
  source: number;
  destination: number;
  risk: number;
}

/** A path's distinct result, as the text report shows it: what it opens and the rules that open it. */
export interface ResultSummary {
  allow: TrafficDescription;
  unknown: TrafficDescription;
  source: SideEntry[];
  destination: SideEntry[];
  unknowns?: string[];
}

export interface ReachabilityStats {
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
}

export const ASSUMPTIONS = [
  'Verdicts are policy verdicts (AVNM security admin rules, then the subnet NSG), like Network Watcher IP flow verify; routing is not part of them.',
  'Platform traffic to 168.63.129.16 and 169.254.169.254 is evaluated like any other address (Azure exempts some of it from NSGs).',
  'Container groups in a VNet are reachable on every port their subnet NSG allows (ACI does not filter ipAddress.ports inside a VNet); public container groups admit exactly their ipAddress.ports.',
  'NSGs are stateful: only the initiating direction is evaluated.',
  'Security admin rules in the snapshot are treated as deployed.',
  'Addresses outside every subnet of the snapshot have no policy of their own; an unresolved service tag may contain any public IPv4 address.',
];

/** The canonical text of a traffic set: `tcp:22,443;udp:53/src:1024-65535;icmp`, or `none`. */
export function canonicalTrafficText(t: TrafficDescription): string {
  const parts: string[] = [];
  for (const [name, pairs] of [
    ['tcp', t.tcp],
    ['udp', t.udp],
  ] as const) {
    for (const p of pairs) {
      const src =
        p.sourcePorts.length === 1 && p.sourcePorts[0] === '*' ? '' : `/src:${p.sourcePorts.join(',')}`;
      parts.push(`${name}:${p.destinationPorts.join(',')}${src}`);
    }
  }
  if (t.icmp) parts.push('icmp');
  return parts.length === 0 ? 'none' : parts.join(';');
}

/** The key of a traffic result: `allow=<text>|unknown=<text>`. */
export function trafficKey(allow: TrafficDescription, unknown: TrafficDescription): string {
  return `allow=${canonicalTrafficText(allow)}|unknown=${canonicalTrafficText(unknown)}`;
}

/** Range lists longer than this are keyed by their hash, so keys stay short. */
const KEY_RANGES_MAX = 200;

/** Ranges in a key: the canonical list (`10.0.0.0/25,10.0.0.200-10.0.0.210`), or `sha256:<16 hex>` of it when long. */
function rangesKey(addresses: readonly string[]): string {
  const text = addresses.join(',');
  return text.length <= KEY_RANGES_MAX ? text : `sha256:${hash16(text)}`;
}

/** The first 16 hex digits of the SHA-256 of `text`, as a string of its own (not a slice that keeps all 64). */
function hash16(text: string): string {
  return createHash('sha256').update(text).digest().toString('hex', 0, 8);
}

/** The canonical order of groups and paths: every position depends only on content. */
interface Order {
  /** Position → class index: classes inside subnets and public groups in engine order (subnet id, then address; group id), then external groups by address. */
  groupOrder: Int32Array;
  groupPos: Int32Array;
  /** Position → path index, ordered by (first source position, first target position), unique per path. */
  pathOrder: Int32Array;
}

/** The JSON report's numbering of traffic and sides, by first use along the path order. */
interface Numbering {
  /** Path index → traffic position. */
  pathTraffic: Int32Array;
  traffic: PairTraffic[];
  /** Side decisions in first use along the path order (source and destination sides apart). */
  sides: { decision: number; source: boolean }[];
}

/** Everything the renderers need: labels, risks, results, and the report's entities with their keys. */
export class ReachabilityView {
  private readonly labeler: ClassLabeler;
  /** Labels made on first use: the rule pack reads few (and external labels cost the most). */
  private readonly labelMemo: (ClassLabel | undefined)[];
  /** Per class: 0 not known yet, 1 holds no Internet address, 2 holds one. */
  private readonly internetMemo: Int8Array;
  private sourceWeightsMemo: Int32Array | null = null;
  /** (out, in) decision pair → result number, in order of first use by a path. */
  private readonly resultIndex = new IntPairMap(1 << 16);
  private readonly resultOut = new IntList();
  private readonly resultIn = new IntList();
  /** For each result, the first path that has it (its endpoints stand for the result's rules). */
  private readonly resultFirstPath = new IntList();
  private resultsMemo: { pathResult: Int32Array; stats: ReachabilityStats } | null = null;
  private orderMemo: Order | null = null;
  private groupMemo: { groupOrder: Int32Array; groupPos: Int32Array } | null = null;
  private numberingMemo: Numbering | null = null;
  private readonly riskOfTraffic = new Map<PairTraffic, number>();
  readonly assumptions = ASSUMPTIONS;
  private readonly portRiskMemo = new Map<number, number>();
  /** Risk of each path once computed, else -1. */
  private readonly exactRisk: Int32Array;
  /** Side streaming state: decision → side position (source and destination sides apart), rules by ref. */
  private sidePositions: [Int32Array, Int32Array] | null = null;
  private readonly rulePosition = new Map<number, number>();
  /** Rule ref → digest of its key, while the sides are listed (dropped after: only side keys use them). */
  private readonly ruleDigests = new Map<number, string>();
  readonly usedRules: number[] = [];

  constructor(
    readonly engine: PolicyEngine,
    readonly reach: Reachability,
  ) {
    this.labeler = new ClassLabeler(engine.index);
    this.labelMemo = new Array<ClassLabel | undefined>(reach.classes.length);
    this.internetMemo = new Int8Array(reach.classes.length);
    this.exactRisk = new Int32Array(reach.paths.count).fill(-1);
  }

  /** The label of endpoint class `c` (its index in `reach.classes`). */
  label(c: number): ClassLabel {
    return (this.labelMemo[c] ??= this.labeler.label(this.reach.classes[c]!));
  }

  /** Whether class `c` holds Internet addresses (its label's `internet`, without making the label). */
  isInternet(c: number): boolean {
    let known = this.internetMemo[c]!;
    if (known === 0) {
      const cls = this.reach.classes[c]!;
      const internet = cls.kind === 'external' && cls.ranges.overlaps(this.labeler.internetSpace);
      this.internetMemo[c] = known = internet ? 2 : 1;
    }
    return known === 2;
  }

  /** Every class's source weight (risk.ts sourceRisk), made when risks are first asked for. */
  private sourceWeights(): Int32Array {
    return (this.sourceWeightsMemo ??= Int32Array.from(this.reach.classes, (_, c) =>
      sourceRisk(this.label(c)),
    ));
  }

  /**
   * Each path's distinct (out, in) result and the report's statistics, made on first use: the rule
   * pack reads labels only, and this walks every open path (3 M on the typical estate).
   */
  private results(): { pathResult: Int32Array; stats: ReachabilityStats } {
    if (this.resultsMemo) return this.resultsMemo;
    const { engine, reach } = this;
    const { paths } = reach;
    const pathResult = new Int32Array(paths.count);
    let withUnknowns = 0;
    const decisions = engine.decisions();
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
      pathResult[i] = r;
      const a = decisions[out]!;
      const b = decisions[inb]!;
      // Only pairs where a side has open (unknown) traffic can have unknowns; decide those exactly.
      if (
        a.vars.length > 0 ||
        b.vars.length > 0 ||
        !a.leaves[0]!.unknown.isEmpty ||
        !b.leaves[0]!.unknown.isEmpty
      ) {
        if (!engine.trafficBetween(a, b).unknown.isEmpty)
          withUnknowns += pathTargets(paths, i).length * pathSources(paths, i).length;
      }
    }
    const stats: ReachabilityStats = {
      endpointGroups: reach.classes.length,
      externalGroups: reach.stats.externalGroups,
      pairsEvaluated: reach.stats.pairsEvaluated,
      openPairs: reach.stats.openPairs,
      openPaths: paths.count,
      distinctResults: this.resultOut.length,
      pairsWithUnknowns: withUnknowns,
      approximatedTables: engine.approximatedTables.size,
    };
    this.resultsMemo = { pathResult, stats };
    return this.resultsMemo;
  }

  get stats(): ReachabilityStats {
    return this.results().stats;
  }

  /** Groups in canonical order, and each class's position (made on first use). */
  private groupOrder(): { groupOrder: Int32Array; groupPos: Int32Array } {
    if (this.groupMemo) return this.groupMemo;
    const { classes } = this.reach;
    const internal = this.reach.stats.internalClasses;
    // External groups in address order, compared on their bounds (no interval pairs built: 1.6 M on
    // the typical estate).
    const external = Array.from({ length: classes.length - internal }, (_, k) => internal + k);
    external.sort((a, b) => classes[a]!.ranges.compareTo(classes[b]!.ranges));
    const groupOrder = new Int32Array(classes.length);
    for (let c = 0; c < internal; c++) groupOrder[c] = c;
    external.forEach((c, k) => (groupOrder[internal + k] = c));
    const groupPos = new Int32Array(classes.length);
    groupOrder.forEach((c, k) => (groupPos[c] = k));
    this.groupMemo = { groupOrder, groupPos };
    return this.groupMemo;
  }

  /** The canonical order of groups and paths (made on first use). */
  private order(): Order {
    if (this.orderMemo) return this.orderMemo;
    const { classes, paths } = this.reach;
    const { groupOrder, groupPos } = this.groupOrder();
    // Each open (source, target) pair is in exactly one path, so (first source, first target) is unique.
    const firstFrom = new Int32Array(paths.count);
    const firstTo = new Int32Array(paths.count);
    for (let i = 0; i < paths.count; i++) {
      firstFrom[i] = minPosition(paths, paths.sources.get(i), groupPos);
      firstTo[i] = firstTarget(paths, i, groupPos);
    }
    // Two stable counting sorts (by target, then by source): linear, no comparator calls.
    const byTarget = countingSort(
      Int32Array.from({ length: paths.count }, (_, i) => i),
      firstTo,
      classes.length,
    );
    const pathOrder = countingSort(byTarget, firstFrom, classes.length);
    this.orderMemo = { groupOrder, groupPos, pathOrder };
    return this.orderMemo;
  }

  /** Traffic and sides numbered by first use along the path order (the JSON report's numbering). */
  private numbering(): Numbering {
    if (this.numberingMemo) return this.numberingMemo;
    const { engine } = this;
    const { paths } = this.reach;
    const { pathOrder } = this.order();
    const decisions = engine.decisions();
    const numbering: Numbering = { pathTraffic: new Int32Array(paths.count), traffic: [], sides: [] };
    const byObject = new Map<PairTraffic, number>();
    const byContent = new IntPairMap(1 << 12);
    const seen = [new Uint8Array(decisions.length), new Uint8Array(decisions.length)];
    for (let k = 0; k < paths.count; k++) {
      const i = pathOrder[k]!;
      const out = paths.out.get(i);
      const inb = paths.in.get(i);
      const traffic = engine.trafficBetween(decisions[out]!, decisions[inb]!);
      let t = byObject.get(traffic);
      if (t === undefined) {
        // Equal allowed and unknown sets share a number, whichever memo entry computed them.
        const allowId = engine.trafficId(traffic.allow);
        const unknownId = engine.trafficId(traffic.unknown);
        t = byContent.get(allowId, unknownId);
        if (t < 0) {
          t = numbering.traffic.length;
          numbering.traffic.push(traffic);
          byContent.set(allowId, unknownId, t);
        }
        byObject.set(traffic, t);
      }
      numbering.pathTraffic[i] = t;
      if (seen[0]![out] === 0) {
        seen[0]![out] = 1;
        numbering.sides.push({ decision: out, source: true });
      }
      if (seen[1]![inb] === 0) {
        seen[1]![inb] = 1;
        numbering.sides.push({ decision: inb, source: false });
      }
    }
    this.numberingMemo = numbering;
    return numbering;
  }

  get groupCount(): number {
    return this.reach.classes.length;
  }

  get trafficCount(): number {
    return this.numbering().traffic.length;
  }

  /** Distinct side decisions the paths use (sides with equal content are listed once). */
  get sideDecisionCount(): number {
    return this.numbering().sides.length;
  }

  /** Endpoint group at position n of the report. */
  group(n: number): EndpointGroupData {
    const index = this.groupOrder().groupOrder[n]!;
    const c = this.reach.classes[index]!;
    const label = this.label(index);
    const addresses = c.ranges.intervals().map(([lo, hi]) => formatRange(lo, hi));
    const key =
      c.kind === 'subnet'
        ? `subnet:${c.subnet!.id}${c.ranges.equals(subnetSpace(c.subnet!)) ? '' : `:${rangesKey(addresses)}`}`
        : c.kind === 'publicContainerGroup'
          ? `publicContainerGroup:${c.group!.id}`
          : externalKey(label, addresses);
    const json: EndpointGroupData = {
      key,
      kind: c.kind,
      label: label.label,
      subnetId: c.subnet?.id ?? null,
      addresses,
      containerGroups: label.containerGroups,
    };
    if (label.composition) json.composition = label.composition;
    return json;
  }

  /** Traffic at position n: what is allowed, and what is unknown. */
  traffic(n: number): TrafficData {
    const t = this.numbering().traffic[n]!;
    const allow = describeTraffic(t.allow);
    const unknown = describeTraffic(t.unknown);
    return { key: trafficKey(allow, unknown), allow, unknown };
  }

  /**
   * The sides, in first use along the path order, each listed once by content: every rule that decided
   * traffic on it, with that traffic. Rules get positions in first use (`rule(n)` lists them after).
   */
  *sides(progress: (message: string) => void = () => undefined): Generator<SideData> {
    const { sides } = this.numbering();
    const decisions = this.engine.decisions();
    const positions: [Int32Array, Int32Array] = [
      new Int32Array(decisions.length).fill(-1),
      new Int32Array(decisions.length).fill(-1),
    ];
    this.sidePositions = positions;
    const byKey = new Map<string, number>();
    for (let n = 0; n < sides.length; n++) {
      if (n > 0 && n % 10_000 === 0) progress(`report: ${n}/${sides.length} sides`);
      const { decision, source } = sides[n]!;
      const side = this.sideData(decision, source);
      const known = byKey.get(side.key);
      if (known !== undefined) {
        positions[source ? 0 : 1][decision] = known;
        continue;
      }
      byKey.set(side.key, byKey.size);
      positions[source ? 0 : 1][decision] = byKey.size - 1;
      for (const e of side.entries) if (e.rule !== null) e.rule = this.rulePositionOf(e.rule);
      yield side;
    }
    this.ruleDigests.clear();
  }

  /** A side's data with `rule` holding compiler refs (the caller turns them into positions). */
  private sideData(decision: number, source: boolean): SideData {
    const d = this.engine.decision(decision);
    const side = source ? 'source' : 'destination';
    // A single pass over every side: compute the deciders without keeping them on the decision.
    const deciders = d.decidersOnce();
    const entries = deciders
      .map((x: Decider) => {
        const e = sideEntry(this.engine, side, x);
        const description = describeTraffic(x.traffic);
        const json: SideRuleData = {
          policy: e.policy,
          rule: x.kind === 'rule' ? x.ref : null,
          outcome: e.outcome,
          traffic: description,
        };
        if (e.note !== undefined) json.note = e.note;
        const canonical = `${json.policy}|${json.rule === null ? '' : this.ruleDigest(json.rule)}|${json.outcome}|${canonicalTrafficText(description)}|${json.note ?? ''}`;
        return { json, priority: e.rule?.priority ?? 0, canonical };
      })
      .sort(
        (a, b) =>
          a.priority - b.priority || (a.canonical < b.canonical ? -1 : a.canonical > b.canonical ? 1 : 0),
      );
    const unknowns = decisionUnknownLabels(this.engine, d, deciders);
    const text = `${side}\n${entries.map((e) => e.canonical).join('\n')}\n${unknowns.join('\n')}`;
    const json: SideData = { key: `${side}:${hash16(text)}`, side, entries: entries.map((e) => e.json) };
    if (unknowns.length > 0) json.unknowns = unknowns;
    return json;
  }

  /** The first 16 hex digits of the SHA-256 of a rule's key (short, for side keys). */
  private ruleDigest(ref: number): string {
    let digest = this.ruleDigests.get(ref);
    if (digest === undefined) {
      digest = hash16(this.ruleKey(ref));
      this.ruleDigests.set(ref, digest);
    }
    return digest;
  }

  /** Made when asked, not kept: a large estate's report names over 100,000 rules, each by a long resource ID. */
  private ruleKey(ref: number): string {
    const r = this.engine.ruleRef(ref);
    return r.layer === 'admin'
      ? `admin:${r.ownerId}/${r.name}`.toLowerCase()
      : `nsg:${r.ownerId}/${r.direction}/${r.name}`.toLowerCase();
  }

  private rulePositionOf(ref: number): number {
    let at = this.rulePosition.get(ref);
    if (at === undefined) {
      at = this.usedRules.length;
      this.usedRules.push(ref);
      this.rulePosition.set(ref, at);
    }
    return at;
  }

  /** Rule at position n (positions are given out while the sides are listed). */
  rule(n: number): RuleData {
    const ref = this.usedRules[n]!;
    const r = this.engine.ruleRef(ref);
    return {
      key: this.ruleKey(ref),
      policy: r.layer === 'admin' ? 'avnm' : 'nsg',
      nsg: r.ownerName,
      name: r.name,
      priority: r.priority,
      access: r.access,
      direction: r.direction,
    };
  }

  /** Path at position n of the canonical order (after `sides()` has run: paths name sides by position). */
  path(n: number): PathData {
    const { groupPos, pathOrder } = this.order();
    const { pathTraffic } = this.numbering();
    const positions = this.sidePositions;
    if (positions === null) throw new Error('paths are listed after the sides');
    const i = pathOrder[n]!;
    const { paths } = this.reach;
    return {
      from: sortedPositions(pathSources(paths, i), groupPos),
      to: sortedPositions(pathTargets(paths, i), groupPos),
      traffic: pathTraffic[i]!,
      source: positions[0][paths.out.get(i)]!,
      destination: positions[1][paths.in.get(i)]!,
      risk: this.risk(i),
    };
  }

  /** Weight of where path i starts and ends: its riskiest source, and container groups among its targets. */
  private endpointRisk(i: number): number {
    const { paths } = this.reach;
    const sources = pathSources(paths, i);
    let risk = 0;
    const weights = this.sourceWeights();
    for (let k = 0; k < sources.length; k++) risk = Math.max(risk, weights[sources[k]!]!);
    const targets = pathTargets(paths, i);
    for (let k = 0; k < targets.length; k++) {
      if (this.label(targets[k]!).containerGroups.length > 0) return risk + CONTAINER_TARGET_RISK;
    }
    return risk;
  }

  private decisionPortRisk(id: number): number {
    let r = this.portRiskMemo.get(id);
    if (r === undefined) {
      r = portRisk(this.engine.decision(id).possible);
      this.portRiskMemo.set(id, r);
    }
    return r;
  }

  /** The risk score of path i (engine numbering). */
  risk(i: number): number {
    let r = this.exactRisk[i]!;
    if (r < 0) {
      const { paths } = this.reach;
      const d = this.engine.decisions();
      const traffic = this.engine.trafficBetween(d[paths.out.get(i)]!, d[paths.in.get(i)]!);
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

  /**
   * The `limit` riskiest paths (engine numbering; ties in the canonical path order, found for the
   * tied paths only). The bound of a path is its endpoint risk plus the smaller port risk of its two
   * sides, since what passes is within both.
   */
  riskiest(limit: number): number[] {
    const { paths } = this.reach;
    const { groupPos } = this.groupOrder();
    const bound = (i: number) =>
      this.endpointRisk(i) +
      Math.min(this.decisionPortRisk(paths.out.get(i)), this.decisionPortRisk(paths.in.get(i)));
    const rank = (i: number) =>
      minPosition(paths, paths.sources.get(i), groupPos) * groupPos.length + firstTarget(paths, i, groupPos);
    return riskiest(paths.count, limit, bound, (i) => this.risk(i), rank);
  }

  /** Path i's source and target classes (engine numbering). */
  pathEnds(i: number): { from: number[]; to: number[]; risk: number } {
    const { paths } = this.reach;
    return {
      from: Array.from(pathSources(paths, i)),
      to: Array.from(pathTargets(paths, i)),
      risk: this.risk(i),
    };
  }

  /** Path i's distinct result: what it opens, and the rules that open it on each side. */
  result(i: number): ResultSummary {
    const n = this.results().pathResult[i]!;
    const outId = this.resultOut.get(n);
    const inId = this.resultIn.get(n);
    const { engine, reach } = this;
    const result = engine.meet(engine.decision(outId), engine.decision(inId));
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
    const json: ResultSummary = {
      allow: describeTraffic(result.allow),
      unknown: describeTraffic(result.unknown),
      source: openingEntries(engine, 'source', outDeciders, open),
      destination: openingEntries(engine, 'destination', inDeciders, open),
    };
    if (!result.unknown.isEmpty) json.unknowns = unknownLabels(engine, result, outDeciders, inDeciders);
    return json;
  }
}

/**
 * The key of an external group: `external:outside` for every address outside the snapshot's subnets;
 * its named spaces when it holds each of them whole (`external:internet+platform:168.63.129.16`), which
 * names the same space across snapshots; else its address ranges.
 */
function externalKey(label: ClassLabel, addresses: readonly string[]): string {
  if (label.outside) return 'external:outside';
  const parts = label.composition ?? [];
  if (parts.length === 0 || parts.some((p) => !p.whole)) return `external:${rangesKey(addresses)}`;
  const text = parts
    .map((p) => {
      const name = p.count !== undefined ? 'all' : (p.id ?? p.name);
      return name === null ? PART_KEYS[p.kind] : `${PART_KEYS[p.kind]}:${name}`;
    })
    .join('+');
  return `external:${text.length <= KEY_RANGES_MAX ? text : `sha256:${hash16(text)}`}`;
}

const PART_KEYS: Record<ExternalPart['kind'], string> = {
  internet: 'internet',
  platformAddress: 'platform',
  publicContainerGroupAddress: 'publicContainerGroup',
  unassignedVnetSpace: 'unassigned',
  peeredNetwork: 'peered',
  privateSpace: 'private',
};

/** The smallest position among the classes of stored list `list`. */
function minPosition(paths: Paths, list: number, pos: Int32Array): number {
  let min = pos.length;
  const end = paths.listStart.get(list + 1);
  for (let k = paths.listStart.get(list); k < end; k++) min = Math.min(min, pos[paths.members.get(k)]!);
  return min;
}

/** The smallest position among path i's targets. */
function firstTarget(paths: Paths, i: number, pos: Int32Array): number {
  let to = pos.length;
  const end = i + 1 < paths.count ? paths.targetStart.get(i + 1) : paths.targetLists.length;
  for (let k = paths.targetStart.get(i); k < end; k++)
    to = Math.min(to, minPosition(paths, paths.targetLists.get(k), pos));
  return to;
}

/** A class list as ascending positions. */
function sortedPositions(members: Int32Array, pos: Int32Array): number[] {
  const out = new Array<number>(members.length);
  let sorted = true;
  for (let k = 0; k < members.length; k++) {
    out[k] = pos[members[k]!]!;
    if (k > 0 && out[k]! < out[k - 1]!) sorted = false;
  }
  return sorted ? out : out.sort((a, b) => a - b);
}
