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
import { computeReachability, pathSources, pathTargets, type EndpointClass, type Reachability } from '../analyze/reachability';
import { ReachabilityView } from '../analyze/results';
import { DEFAULT_RULE_SETTINGS, runRules, type ObservedFlowsInput, type PackRule, type RuleContext } from '../analyze/rules';
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

interface PairSpace {
  from: string;
  to: string;
  space: bigint;
  traffic: TrafficSet;
}

/** A class's addresses by pair key: one key for a subnet or a public group, up to three for external space. */
interface ClassShare {
  key: string;
  label: string;
  planned: boolean;
  size: bigint;
}

function sharesOf(c: EndpointClass, planned: ReadonlySet<string>, labels: Labels): ClassShare[] {
  if (c.kind === 'subnet')
    return [{ key: `s:${c.subnet!.id}`, label: labels.subnet(c.subnet!.id), planned: planned.has(c.subnet!.id), size: BigInt(c.ranges.size()) }];
  if (c.kind === 'publicContainerGroup')
    return [{ key: `g:${c.group!.id}`, label: c.group!.name, planned: false, size: BigInt(c.ranges.size()) }];
  const out: ClassShare[] = [];
  const host = c.ranges.intersect(HOST);
  const internet = c.ranges.intersect(PUBLIC_IPV4).subtract(HOST);
  const rest = c.ranges.subtract(PUBLIC_IPV4).subtract(HOST);
  if (!internet.isEmpty) out.push({ key: 'internet', label: 'Internet', planned: false, size: BigInt(internet.size()) });
  if (!host.isEmpty) out.push({ key: 'host', label: 'Azure host 168.63.129.16', planned: false, size: 1n });
  if (!rest.isEmpty)
    out.push({ key: 'private', label: 'private addresses outside every subnet', planned: false, size: BigInt(rest.size()) });
  return out;
}

/** Certainly allowed tuples per endpoint pair that has a planned subnet at one end. */
function pairSpaces(engine: PolicyEngine, reach: Reachability, planned: ReadonlySet<string>, labels: Labels): Map<string, PairSpace> {
  const shares = reach.classes.map((c) => sharesOf(c, planned, labels));
  const out = new Map<string, PairSpace>();
  const { paths } = reach;
  const decisions = engine.decisions();
  const add = (s: ClassShare, t: ClassShare, amount: bigint, traffic: TrafficSet) => {
    const key = `${s.key}|${t.key}`;
    const entry = out.get(key);
    if (entry) {
      entry.space += amount;
      entry.traffic = entry.traffic.union(traffic);
    } else out.set(key, { from: s.label, to: t.label, space: amount, traffic });
  };
  for (let i = 0; i < paths.count; i++) {
    const allow = engine.trafficBetween(decisions[paths.out.get(i)]!, decisions[paths.in.get(i)]!).allow;
    if (allow.isEmpty) continue;
    const tuples = tupleCount(allow);
    const sources = pathSources(paths, i);
    const targets = pathTargets(paths, i);
    // Sum the sources and targets per pair key first: a path joins thousands of classes.
    const sum = (list: Int32Array) => {
      const m = new Map<string, { share: ClassShare; size: bigint }>();
      for (const c of list)
        for (const s of shares[c]!) {
          const e = m.get(s.key);
          if (e) e.size += s.size;
          else m.set(s.key, { share: s, size: s.size });
        }
      return [...m.values()];
    };
    const from = sum(sources);
    const to = sum(targets);
    for (const s of from)
      for (const t of to) if (s.share.planned || t.share.planned) add(s.share, t.share, s.size * t.size * tuples, allow);
    // A class in both lists holds flows from each address to itself: not network flows.
    const inSources = new Set(sources);
    for (const c of targets) {
      if (!inSources.has(c)) continue;
      for (const s of shares[c]!) if (s.planned) add(s, s, -s.size * tuples, TrafficSet.none);
    }
  }
  return out;
}

export function computeEffect(input: EffectInput): PlanEffect {
  const sides: { spaces: Map<string, PairSpace>; findings: string[] }[] = [];
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
    sides.push({ spaces: pairSpaces(engine, reach, input.planned, input.labels), findings });
  }
  const [before, after] = sides as [(typeof sides)[0], (typeof sides)[0]];
  let total = 0n;
  const closed: FindingFlow[] = [];
  for (const key of [...before.spaces.keys()].sort()) {
    const was = before.spaces.get(key)!;
    const now = after.spaces.get(key);
    const reduction = was.space - (now?.space ?? 0n);
    if (reduction <= 0n) continue;
    total += reduction;
    const gone = was.traffic.subtract(now?.traffic ?? TrafficSet.none);
    // Traffic no longer allowed anywhere between the pair is `deny`; a pair narrowed only for some addresses is `partial`.
    closed.push(...(gone.isEmpty ? trafficFlows(was.traffic, was.from, was.to, 'partial') : trafficFlows(gone, was.from, was.to, 'deny')));
  }
  closed.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  const remaining = new Set(after.findings);
  return {
    closed,
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
