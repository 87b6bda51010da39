/** A rule context over a hand-made snapshot, as `analyze` builds it (for rule tests). */
import fc from 'fast-check';
import type { Snapshot } from '../../../../src/model/snapshot';
import { arbEstate, arbFlowFor } from '../../../support/arbitraries';
import { compilePolicy } from '../../../../src/policy';
import type { ServiceTags } from '../../../../src/policy';
import { computeReachability, type Reachability } from '../../../../src/analyze/reachability';
import { ReachabilityView } from '../../../../src/analyze/results';
import {
  DEFAULT_RULE_SETTINGS,
  runRules,
  type ObservedFlowInput,
  type ObservedFlowsInput,
  type PackRule,
  type RuleContext,
} from '../../../../src/analyze/rules';
import type { Finding } from '../../../../src/analyze/findings';
import type { Flow, FlowEnd } from '../../../../src/policy/flow';

export function ruleContext(
  snapshot: Snapshot,
  options: { serviceTags?: ServiceTags; observed?: ObservedFlowsInput } = {},
): RuleContext {
  const engine = compilePolicy(snapshot, { serviceTags: options.serviceTags });
  let reach: { reach: Reachability; view: ReachabilityView } | null = null;
  return {
    snapshot,
    engine,
    reachability() {
      if (reach === null) {
        const r = computeReachability(engine);
        reach = { reach: r, view: new ReachabilityView(engine, r) };
      }
      return reach;
    },
    intent: null,
    observed: options.observed ?? null,
    today: '2026-12-01',
    settings: DEFAULT_RULE_SETTINGS,
  };
}

/** The findings of one rule on a snapshot. */
export function findingsOf(
  rule: PackRule,
  snapshot: Snapshot,
  options: { serviceTags?: ServiceTags; observed?: ObservedFlowsInput } = {},
): Finding[] {
  return runRules(ruleContext(snapshot, options), [rule]).findings;
}

function ipOf(snapshot: Snapshot, end: FlowEnd): string {
  if (end.kind !== 'publicContainerGroup') return end.ip;
  return snapshot.containerGroups.find((g) => g.id === end.containerGroupId)!.ipAddress!.ip!;
}

/** Observed flows made from engine flows (one tuple each, inbound), for rules that read flow logs. */
export function observedOf(
  snapshot: Snapshot,
  flows: readonly { flow: Flow; allowed: boolean }[],
): ObservedFlowsInput {
  const list: ObservedFlowInput[] = flows.map(({ flow, allowed }) => ({
    source: ipOf(snapshot, flow.src),
    destination: ipOf(snapshot, flow.dst),
    protocol: flow.protocol,
    destinationPort: flow.protocol === 'Icmp' ? null : flow.dstPort,
    direction: 'Inbound',
    decision: allowed ? 'allow' : 'deny',
    tuples: 1,
    flowsStarted: 1,
    firstSeen: '2026-11-30T00:00:00.000Z',
    lastSeen: '2026-11-30T00:00:00.000Z',
  }));
  return {
    flows: list,
    window: { first: null, last: null, since: null, until: null, files: 1, tuples: list.length },
  };
}

/** A random estate, and random observed flows for it half the time (undefined otherwise). */
export function arbEstateWithFlows(
  maxFlows: number,
): fc.Arbitrary<{ snapshot: Snapshot; observed: ObservedFlowsInput | undefined }> {
  return arbEstate().chain((snapshot) =>
    fc
      .record({
        flows: fc.array(fc.record({ flow: arbFlowFor(snapshot), allowed: fc.boolean() }), {
          maxLength: maxFlows,
        }),
        withFlows: fc.boolean(),
      })
      .map(({ flows, withFlows }) => ({
        snapshot,
        observed: withFlows ? observedOf(snapshot, flows) : undefined,
      })),
  );
}
