/**
 * The effect of the proposal: what was certainly allowed before and is not possibly allowed after,
 * per endpoint pair (subnet, public container group, or addresses outside every subnet) and in total
 * as (source address, destination address, protocol, destination port) tuples; findings resolved;
 * rule counts per NSG. A tuple counts as closed when some source port of it was open and is closed.
 */
import { cellsBetween } from '../analyze/cells';
import type { LocatedPart } from '../analyze/endpoints';
import type { FindingFlow } from '../analyze/findings';
import { computeReachability } from '../analyze/reachability';
import { ReachabilityView } from '../analyze/results';
import {
  DEFAULT_RULE_SETTINGS,
  runRules,
  type ObservedFlowsInput,
  type PackRule,
  type RuleContext,
} from '../analyze/rules';
import type { IntentEntry } from '../analyze/intent';
import { PUBLIC_IPV4, TrafficSet, type PolicyEngine } from '../policy';
import { changedPairs, HOST, trafficFlows, tupleCount } from './compare';
import type { PlanEffect, ProposedNsg } from './model';
import type { Labels } from './required';
import { clipPart, isSelfCell, relocate, type SubnetLocator } from './space';

export interface EffectInput {
  before: PolicyEngine;
  after: PolicyEngine;
  beforeLocator: SubnetLocator;
  planned: ReadonlySet<string>;
  labels: Labels;
  nsgs: readonly ProposedNsg[];
  rulesInput: {
    intent: { file: string; entries: readonly IntentEntry[] } | null;
    observed: ObservedFlowsInput | null;
    today: string;
    rules?: readonly PackRule[];
  };
}

function pairKey(p: LocatedPart): string {
  if (p.kind === 'subnet') return `subnet:${p.subnet.id}`;
  if (p.kind === 'publicContainerGroup' || p.kind === 'unknownLocation') return `group:${p.group.id}`;
  if (p.ranges.isSubsetOf(HOST)) return 'azure-host';
  return p.ranges.isSubsetOf(PUBLIC_IPV4) ? 'internet' : 'external';
}

function pairLabel(p: LocatedPart, labels: Labels): string {
  if (p.kind === 'subnet') return labels.subnet(p.subnet.id);
  if (p.kind === 'publicContainerGroup' || p.kind === 'unknownLocation') return p.group.name;
  if (p.ranges.isSubsetOf(HOST)) return 'Azure host 168.63.129.16';
  return p.ranges.isSubsetOf(PUBLIC_IPV4) ? 'Internet' : 'private addresses outside every subnet';
}

export function computeEffect(input: EffectInput): PlanEffect {
  const pairs = new Map<string, { from: string; to: string; closed: TrafficSet }>();
  let total = 0n;
  const subnets = [...input.planned].map((id) => input.before.index.subnets.get(id)!).filter(Boolean);
  const afterIndex = input.after.index;
  for (const [src, dst] of changedPairs(
    input.before,
    input.beforeLocator,
    subnets,
    input.planned,
    (d) => !d.sure.isEmpty,
  )) {
    for (const cell of cellsBetween(input.before, src, dst)) {
      if (cell.result.allow.isEmpty || isSelfCell(src, dst, cell)) continue;
      const newSrc = clipPart(relocate([src], afterIndex)[0]!, cell.srcLo, cell.srcHi)!;
      const newDst = clipPart(relocate([dst], afterIndex)[0]!, cell.dstLo, cell.dstHi)!;
      for (const now of cellsBetween(input.after, newSrc, newDst)) {
        if (isSelfCell(newSrc, newDst, now)) continue;
        const closed = cell.result.allow.subtract(now.result.allow.union(now.result.unknown));
        if (closed.isEmpty) continue;
        total += BigInt(now.srcHi - now.srcLo + 1) * BigInt(now.dstHi - now.dstLo + 1) * tupleCount(closed);
        const key = `${pairKey(src)}|${pairKey(dst)}`;
        const entry = pairs.get(key);
        if (entry) entry.closed = entry.closed.union(closed);
        else pairs.set(key, { from: pairLabel(src, input.labels), to: pairLabel(dst, input.labels), closed });
      }
    }
  }
  const closed: FindingFlow[] = [];
  for (const key of [...pairs.keys()].sort()) {
    const p = pairs.get(key)!;
    closed.push(...trafficFlows(p.closed, p.from, p.to, 'deny'));
  }
  closed.sort((a, b) =>
    a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0,
  );

  const findings = (engine: PolicyEngine) => {
    const context: RuleContext = {
      snapshot: engine.index.snapshot,
      engine,
      reachability: lazyReachability(engine),
      intent: input.rulesInput.intent,
      observed: input.rulesInput.observed,
      today: input.rulesInput.today,
      settings: DEFAULT_RULE_SETTINGS,
    };
    return runRules(context, input.rulesInput.rules).findings.map((f) => f.fingerprint);
  };
  const before = findings(input.before);
  const after = new Set(findings(input.after));
  return {
    closed,
    closedFlowSpace: total.toString(),
    findingsResolved: before.filter((f) => !after.has(f)),
    findingsRemaining: [...after],
    rules: input.nsgs.map((n) => ({
      nsg: n.id,
      name: n.name,
      before: input.before.index.networkSecurityGroups.get(n.id)?.securityRules.length ?? 0,
      after: n.rules.length,
    })),
  };
}

function lazyReachability(engine: PolicyEngine): RuleContext['reachability'] {
  let value: ReturnType<RuleContext['reachability']> | null = null;
  return () => {
    if (value === null) {
      const reach = computeReachability(engine);
      value = { reach, view: new ReachabilityView(engine, reach) };
    }
    return value;
  };
}
