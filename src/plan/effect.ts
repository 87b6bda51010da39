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

interface PairSpace {
  space: bigint;
  /** Ids (engine.trafficId) of the traffic sets seen between the pair. */
  traffic: Set<number>;
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
  trafficById: Map<number, TrafficSet>,
): Map<number, PairSpace> {
  const classShares = reach.classes.map((c) => sharesOf(c, planned, labels, shares));
  const N = 1 << 20;
  const out = new Map<number, PairSpace>();
  const { paths } = reach;
  const decisions = engine.decisions();
  const tuplesById = new Map<number, bigint>();
  const add = (s: number, t: number, amount: bigint, trafficId: number) => {
    const key = s * N + t;
    const entry = out.get(key);
    if (entry) {
      entry.space += amount;
      if (trafficId >= 0) entry.traffic.add(trafficId);
    } else out.set(key, { space: amount, traffic: new Set(trafficId >= 0 ? [trafficId] : []) });
  };
  // Sizes per share of a class list, summed (a path joins thousands of classes).
  const sum = (list: Int32Array): Map<number, number> => {
    const m = new Map<number, number>();
    for (const c of list) for (const [id, size] of classShares[c]!) m.set(id, (m.get(id) ?? 0) + size);
    return m;
  };
  for (let i = 0; i < paths.count; i++) {
    const allow = engine.trafficBetween(decisions[paths.out.get(i)]!, decisions[paths.in.get(i)]!).allow;
    if (allow.isEmpty) continue;
    const trafficId = engine.trafficId(allow);
    let tuples = tuplesById.get(trafficId);
    if (tuples === undefined) {
      tuples = tupleCount(allow);
      tuplesById.set(trafficId, tuples);
      trafficById.set(trafficId, allow);
    }
    const sources = pathSources(paths, i);
    const targets = pathTargets(paths, i);
    const from = sum(sources);
    const to = sum(targets);
    for (const [s, sSize] of from)
      for (const [t, tSize] of to)
        if (shares.planned[s] || shares.planned[t])
          add(s, t, BigInt(sSize) * BigInt(tSize) * tuples, trafficId);
    // A class in both lists holds flows from each address to itself: not network flows.
    const inSources = new Set(sources);
    for (const c of targets) {
      if (!inSources.has(c)) continue;
      for (const [id, size] of classShares[c]!)
        if (shares.planned[id]) add(id, id, -BigInt(size) * tuples, -1);
    }
  }
  return out;
}

export function computeEffect(input: EffectInput): PlanEffect {
  const shares = new Shares();
  const sides: { spaces: Map<number, PairSpace>; findings: string[]; traffic: Map<number, TrafficSet> }[] =
    [];
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
    const traffic = new Map<number, TrafficSet>();
    sides.push({
      spaces: pairSpaces(engine, reach, input.planned, input.labels, shares, traffic),
      findings,
      traffic,
    });
  }
  const [before, after] = sides as [(typeof sides)[0], (typeof sides)[0]];
  const union = (side: (typeof sides)[0], p: PairSpace | undefined) => {
    let t = TrafficSet.none;
    for (const id of p?.traffic ?? []) t = t.union(side.traffic.get(id)!);
    return t;
  };
  let total = 0n;
  const reduced: { key: number; reduction: bigint }[] = [];
  for (const [key, was] of before.spaces) {
    const reduction = was.space - (after.spaces.get(key)?.space ?? 0n);
    if (reduction <= 0n) continue;
    total += reduction;
    reduced.push({ key, reduction });
  }
  const N = 1 << 20;
  const label = (key: number) => [shares.labels[Math.floor(key / N)]!, shares.labels[key % N]!] as const;
  reduced.sort((a, b) => {
    if (a.reduction !== b.reduction) return a.reduction > b.reduction ? -1 : 1;
    const [af, at] = label(a.key);
    const [bf, bt] = label(b.key);
    return af < bf ? -1 : af > bf ? 1 : at < bt ? -1 : at > bt ? 1 : 0;
  });
  const closed: FindingFlow[] = [];
  for (const { key } of reduced.slice(0, MAX_CLOSED_PAIRS)) {
    const [from, to] = label(key);
    const was = union(before, before.spaces.get(key));
    const gone = was.subtract(union(after, after.spaces.get(key)));
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
