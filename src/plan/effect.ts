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
  const out: PairSpaces = { space: new Map(), traffic: new Map(), sets: new Map() };
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
  // Sizes per share of a class list, summed in scratch arrays (a path joins thousands of classes).
  const scratch = [new Float64Array(1 << 12), new Float64Array(1 << 12)];
  const grow = () => {
    if (scratch[0]!.length < shares.labels.length)
      for (let k = 0; k < 2; k++) scratch[k] = new Float64Array(shares.labels.length * 2);
  };
  const sum = (list: Int32Array, k: number): number[] => {
    grow();
    const acc = scratch[k]!;
    const touched: number[] = [];
    for (const c of list)
      for (const [id, size] of classShares[c]!) {
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
    const sources = pathSources(paths, i);
    const targets = pathTargets(paths, i);
    const from = sum(sources, 0);
    const to = sum(targets, 1);
    const [sAcc, tAcc] = scratch as [Float64Array, Float64Array];
    for (const s of from)
      for (const t of to) {
        if (!shares.planned[s] && !shares.planned[t]) continue;
        const product = sAcc[s]! * tAcc[t]! * tuples;
        const amount = Number.isSafeInteger(product)
          ? product
          : BigInt(sAcc[s]!) * BigInt(tAcc[t]!) * BigInt(tuples);
        add(s * PAIR + t, amount, trafficId);
      }
    for (const s of from) sAcc[s] = 0;
    for (const t of to) tAcc[t] = 0;
    // A class in both lists holds flows from each address to itself: not network flows.
    const inSources = new Set(sources);
    for (const c of targets) {
      if (!inSources.has(c)) continue;
      for (const [id, size] of classShares[c]!)
        if (shares.planned[id])
          add(
            id * PAIR + id,
            Number.isSafeInteger(size * tuples) ? -size * tuples : -BigInt(size) * BigInt(tuples),
            -1,
          );
    }
  }
  return out;
}

/** Pair ids: source share * PAIR + target share. */
const PAIR = 1 << 20;

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
    const findings = runRules(context, input.rulesInput.rules).findings.map((f) => f.fingerprint);
    sides.push({ spaces: pairSpaces(engine, reach, input.planned, input.labels, shares), findings });
  }
  const [before, after] = sides as [(typeof sides)[0], (typeof sides)[0]];
  const trafficOf = (side: (typeof sides)[0], key: number): TrafficSet => {
    const id = side.spaces.traffic.get(key);
    return id === undefined ? TrafficSet.none : side.spaces.sets.get(id)!;
  };
  let total = 0n;
  const reduced: { key: number; reduction: bigint }[] = [];
  for (const [key, was] of before.spaces.space) {
    const reduction = big(was) - big(after.spaces.space.get(key));
    if (reduction <= 0n) continue;
    total += reduction;
    reduced.push({ key, reduction });
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
