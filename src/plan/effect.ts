/**
 * The effect of the proposal, from one all-pairs analysis of each snapshot (the same analyses the
 * analyze rule pack reads for "findings resolved"): per endpoint pair (a subnet, a public container
 * group, the Internet, the Azure host 168.63.129.16, private space outside every subnet) with a
 * planned subnet at one end, the (source address, destination address, protocol, destination port)
 * tuples certainly allowed before and after (a tuple counts when some source port of it is allowed;
 * a flow from an address to itself is none). Closed = before − after: exact when the proof holds with
 * no widening (nothing opens), else the net reduction. Rules before/after per NSG.
 */
import type { FindingFlow } from '../analyze/findings';
import type { IntentEntry } from '../analyze/intent';
import {
  computeReachability,
  pathSources,
  pathTargets,
  type EndpointClass,
  type Reachability,
} from '../analyze/reachability';
import { ReachabilityView } from '../analyze/results';
import {
  DEFAULT_RULE_SETTINGS,
  runRules,
  type ObservedFlowsInput,
  type PackRule,
  type RuleContext,
} from '../analyze/rules';
import { PUBLIC_IPV4, TrafficSet, type PolicyEngine } from '../policy';
import { HOST, trafficFlows, tupleCount } from './compare';
import type { PlanEffect, ProposedNsg } from './model';
import type { Labels } from './required';

export interface EffectInput {
  before: PolicyEngine;
  after: PolicyEngine;
  planned: ReadonlySet<string>;
  labels: Labels;
  nsgs: readonly ProposedNsg[];
  rulesInput: {
    intent: { file: string; entries: readonly IntentEntry[] } | null;
    observed: ObservedFlowsInput | null;
    today: string;
    rules?: readonly PackRule[];
  };
  progress: (m: string) => void;
}

/** At most this many endpoint pairs are listed in `closed` (the most closed tuples first); all are counted. */
export const MAX_CLOSED_PAIRS = 1000;

/** Per pair id: its certainly allowed tuples (a number while exact, else a bigint) and the interned id of its traffic's union. */
interface PairSpaces {
  /** Every certainly allowed tuple with a planned subnet at one end (flows to oneself left out). */
  total: bigint;
  space: Map<number, number | bigint>;
  traffic: Map<number, number>;
  /** Interned traffic sets by id (this side's engine). */
  sets: Map<number, TrafficSet>;
}

/** The endpoints effects are told by: a subnet, a public group, the Internet, the Azure host, other private space. */
class Shares {
  readonly labels: string[] = [];
  readonly planned: boolean[] = [];
  private readonly ids = new Map<string, number>();

  id(key: string, label: string, planned: boolean): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.labels.length;
      this.ids.set(key, id);
      this.labels.push(label);
      this.planned.push(planned);
    }
    return id;
  }
}

/** A class's addresses by share: one for a subnet or a public group, up to three for external space. */
function sharesOf(
  c: EndpointClass,
  planned: ReadonlySet<string>,
  labels: Labels,
  shares: Shares,
): [number, number][] {
  if (c.kind === 'subnet')
    return [
      [
        shares.id(`s:${c.subnet!.id}`, labels.subnet(c.subnet!.id), planned.has(c.subnet!.id)),
        c.ranges.size(),
      ],
    ];
  if (c.kind === 'publicContainerGroup')
    return [[shares.id(`g:${c.group!.id}`, c.group!.name, false), c.ranges.size()]];
  const out: [number, number][] = [];
  const internet = c.ranges.intersect(PUBLIC_IPV4).subtract(HOST);
  const host = c.ranges.intersect(HOST);
  const rest = c.ranges.subtract(PUBLIC_IPV4).subtract(HOST);
  if (!internet.isEmpty) out.push([shares.id('internet', 'Internet', false), internet.size()]);
  if (!host.isEmpty) out.push([shares.id('host', 'Azure host 168.63.129.16', false), 1]);
  if (!rest.isEmpty)
    out.push([shares.id('private', 'private addresses outside every subnet', false), rest.size()]);
  return out;
}

/** Certainly allowed tuples per endpoint pair that has a planned subnet at one end (pair id = source * N + target). */
function pairSpaces(
  engine: PolicyEngine,
  reach: Reachability,
  planned: ReadonlySet<string>,
  labels: Labels,
  shares: Shares,
): PairSpaces {
  const classShares = reach.classes.map((c) => sharesOf(c, planned, labels, shares));
  const out: PairSpaces = { total: 0n, space: new Map(), traffic: new Map(), sets: new Map() };
  // Pairs of shares cost |sources| × |targets| per path: above DETAILED_SHARES endpoints, each planned
  // subnet's pairs are summed as "to / from any endpoint" instead (the total stays exact).
  const detailed = shares.labels.length <= DETAILED_SHARES;
  const any = shares.id('*', 'any endpoint', false);
  const { paths } = reach;
  const decisions = engine.decisions();
  const tuplesById = new Map<number, number>();
  const unions = new Map<number, number>();
  const unionId = (a: number, b: number): number => {
    if (a === b) return a;
    const key = a < b ? a * 2 ** 26 + b : b * 2 ** 26 + a;
    let id = unions.get(key);
    if (id === undefined) {
      const set = out.sets.get(a)!.union(out.sets.get(b)!);
      id = engine.trafficId(set);
      out.sets.set(id, set);
      unions.set(key, id);
    }
    return id;
  };
  const add = (key: number, amount: number | bigint, trafficId: number) => {
    const was = out.space.get(key);
    if (was === undefined) out.space.set(key, amount);
    else if (typeof was === 'number' && typeof amount === 'number' && Number.isSafeInteger(was + amount))
      out.space.set(key, was + amount);
    else out.space.set(key, BigInt(was) + BigInt(amount));
    if (trafficId < 0) return;
    const t = out.traffic.get(key);
    out.traffic.set(key, t === undefined ? trafficId : unionId(t, trafficId));
  };
  // Sizes per share of each class list, summed once per list (lists are shared by many paths).
  const listCache = new Map<number, [number, number][]>();
  const listShares = (list: number): [number, number][] => {
    let v = listCache.get(list);
    if (v === undefined) {
      const m = new Map<number, number>();
      const from = paths.listStart.get(list);
      const to = paths.listStart.get(list + 1);
      for (let k = from; k < to; k++)
        for (const [id, size] of classShares[paths.members.get(k)]!) m.set(id, (m.get(id) ?? 0) + size);
      v = [...m];
      listCache.set(list, v);
    }
    return v;
  };
  const sAcc = new Float64Array(shares.labels.length + 1);
  const tAcc = new Float64Array(shares.labels.length + 1);
  const accumulate = (lists: number[], acc: Float64Array): number[] => {
    const touched: number[] = [];
    for (const l of lists)
      for (const [id, size] of listShares(l)) {
        if (acc[id] === 0) touched.push(id);
        acc[id]! += size;
      }
    return touched;
  };
  for (let i = 0; i < paths.count; i++) {
    const allow = engine.trafficBetween(decisions[paths.out.get(i)]!, decisions[paths.in.get(i)]!).allow;
    if (allow.isEmpty) continue;
    const trafficId = engine.trafficId(allow);
    let tuples = tuplesById.get(trafficId);
    if (tuples === undefined) {
      tuples = Number(tupleCount(allow));
      tuplesById.set(trafficId, tuples);
      out.sets.set(trafficId, allow);
    }
    const sourceList = paths.sources.get(i);
    const targetFrom = paths.targetStart.get(i);
    const targetTo = i + 1 < paths.count ? paths.targetStart.get(i + 1) : paths.targetLists.length;
    const targetLists: number[] = [];
    for (let k = targetFrom; k < targetTo; k++) targetLists.push(paths.targetLists.get(k));
    const from = accumulate([sourceList], sAcc);
    const to = accumulate(targetLists, tAcc);
    const times = (a: number, b: number): number | bigint => {
      const product = a * b * tuples;
      return Number.isSafeInteger(product) ? product : BigInt(a) * BigInt(b) * BigInt(tuples);
    };
    let sAll = 0;
    let sUnplanned = 0;
    let tAll = 0;
    let tUnplanned = 0;
    for (const x of from) {
      sAll += sAcc[x]!;
      if (!shares.planned[x]) sUnplanned += sAcc[x]!;
    }
    for (const x of to) {
      tAll += tAcc[x]!;
      if (!shares.planned[x]) tUnplanned += tAcc[x]!;
    }
    out.total += BigInt(times(sAll, tAll)) - BigInt(times(sUnplanned, tUnplanned));
    if (detailed) {
      for (const s of from)
        for (const t of to)
          if (shares.planned[s] || shares.planned[t]) add(s * PAIR + t, times(sAcc[s]!, tAcc[t]!), trafficId);
    } else {
      for (const s of from) if (shares.planned[s]) add(s * PAIR + any, times(sAcc[s]!, tAll), trafficId);
      for (const t of to) if (shares.planned[t]) add(any * PAIR + t, times(sAll, tAcc[t]!), trafficId);
    }
    for (const s of from) sAcc[s] = 0;
    for (const t of to) tAcc[t] = 0;
    // A class in both lists holds flows from each address to itself: not network flows.
    const sources = pathSources(paths, i);
    const targets = pathTargets(paths, i);
    const inSources = selfCheck(sources, targets);
    for (const c of targets) {
      if (!inSources.has(c)) continue;
      for (const [id, size] of classShares[c]!) {
        if (!shares.planned[id]) continue;
        const self = Number.isSafeInteger(size * tuples) ? -size * tuples : -BigInt(size) * BigInt(tuples);
        out.total += BigInt(self);
        if (detailed) add(id * PAIR + id, self, -1);
        else {
          add(id * PAIR + any, self, -1);
          add(any * PAIR + id, self, -1);
        }
      }
    }
  }
  return out;
}

/** The source classes when some of them are targets too (else an empty set, without building one). */
function selfCheck(sources: Int32Array, targets: Int32Array): ReadonlySet<number> {
  if (sources.length === 0 || targets.length === 0) return EMPTY;
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of sources) {
    if (c < lo) lo = c;
    if (c > hi) hi = c;
  }
  if (!targets.some((t) => t >= lo && t <= hi)) return EMPTY;
  return new Set(sources);
}
const EMPTY: ReadonlySet<number> = new Set();

/** Pair ids: source share * PAIR + target share. */
const PAIR = 1 << 20;

/** Up to this many endpoints (subnets, public groups, external kinds), closed tuples are told per pair. */
export const DETAILED_SHARES = 400;

const big = (v: number | bigint | undefined): bigint => (v === undefined ? 0n : BigInt(v));

export function computeEffect(input: EffectInput): PlanEffect {
  const shares = new Shares();
  const sides: { spaces: PairSpaces; findings: string[] }[] = [];
  for (const [name, engine] of [
    ['before', input.before],
    ['after', input.after],
  ] as const) {
    input.progress(`effect: all-pairs analysis of the snapshot ${name} the change`);
    const reach = computeReachability(engine);
    let view: ReachabilityView | null = null;
    const context: RuleContext = {
      snapshot: engine.index.snapshot,
      engine,
      reachability: () => ({ reach, view: (view ??= new ReachabilityView(engine, reach)) }),
      intent: input.rulesInput.intent,
      observed: input.rulesInput.observed,
      today: input.rulesInput.today,
      settings: DEFAULT_RULE_SETTINGS,
    };
    input.progress(`effect: rule pack on the snapshot ${name} the change`);
    const findings = runRules(context, input.rulesInput.rules).findings.map((f) => f.fingerprint);
    input.progress(`effect: tuples per endpoint pair ${name} the change`);
    sides.push({ spaces: pairSpaces(engine, reach, input.planned, input.labels, shares), findings });
  }
  const [before, after] = sides as [(typeof sides)[0], (typeof sides)[0]];
  const trafficOf = (side: (typeof sides)[0], key: number): TrafficSet => {
    const id = side.spaces.traffic.get(key);
    return id === undefined ? TrafficSet.none : side.spaces.sets.get(id)!;
  };
  const total = before.spaces.total - after.spaces.total;
  const reduced: { key: number; reduction: bigint }[] = [];
  for (const [key, was] of before.spaces.space) {
    const reduction = big(was) - big(after.spaces.space.get(key));
    if (reduction > 0n) reduced.push({ key, reduction });
  }
  const label = (key: number) =>
    [shares.labels[Math.floor(key / PAIR)]!, shares.labels[key % PAIR]!] as const;
  reduced.sort((a, b) => {
    if (a.reduction !== b.reduction) return a.reduction > b.reduction ? -1 : 1;
    const [af, at] = label(a.key);
    const [bf, bt] = label(b.key);
    return af < bf ? -1 : af > bf ? 1 : at < bt ? -1 : at > bt ? 1 : 0;
  });
  const closed: FindingFlow[] = [];
  for (const { key } of reduced.slice(0, MAX_CLOSED_PAIRS)) {
    const [from, to] = label(key);
    const was = trafficOf(before, key);
    const gone = was.subtract(trafficOf(after, key));
    // Traffic no longer allowed anywhere between the pair is `deny`; a pair narrowed only for some addresses is `partial`.
    closed.push(
      ...(gone.isEmpty ? trafficFlows(was, from, to, 'partial') : trafficFlows(gone, from, to, 'deny')),
    );
  }
  const remaining = new Set(after.findings);
  return {
    closed,
    closedPairs: reduced.length,
    closedFlowSpace: total.toString(),
    findingsResolved: before.findings.filter((f) => !remaining.has(f)),
    findingsRemaining: [...remaining],
    rules: input.nsgs.map((n) => ({
      nsg: n.id,
      name: n.name,
      before: input.before.index.networkSecurityGroups.get(n.id)?.securityRules.length ?? 0,
      after: n.rules.length,
    })),
  };
}
