/**
 * `planSegmentation`: required flows → least-privilege NSG rule sets for every NSG on an ACI subnet,
 * the proposed snapshot, the proof (with the engine on that snapshot) and the effect. Phases, each a
 * module of this folder:
 *
 *   scope       which NSGs the plan writes (and new ones for ACI subnets without)
 *   required    observed flows ∪ intent require (∪ declared ports); forbid entries as guards
 *   generalize  how far each flow's ends may widen (subnet, service tag) without opening anything new
 *   synthesize  allow rules per NSG and direction, aggregated; platform DNS; closing denies
 *   rules       names and priorities (unchanged rules keep theirs)
 *   apply       the proposed snapshot
 *   forbid      deny rules for forbid entries still open on subnets no planned NSG governs (re-applied)
 *   proof       (a) required allowed, (b) nothing new allowed, (c) forbid denied — on the proposed snapshot
 *   effect      what closes, findings resolved, rule counts
 */
import type { IntentEntry } from '../analyze/intent';
import type { Finding } from '../analyze/findings';
import type { ObservedFlowsInput, PackRule } from '../analyze/rules';
import { diagnostic } from '../diagnostics';
import { InputError } from '../errors';
import type { Snapshot } from '../model/snapshot';
import { buildSideTables } from '../analyze/reachability';
import { compilePolicy, type PolicyEngine, type ServiceTags } from '../policy';
import { applyProposal } from './apply';
import { computeEffect, type EffectInput } from './effect';
import { forbidDenies } from './forbid';
import { shapeNeeds, TagFinder, withoutUnsupportedWidening, type Shaped } from './generalize';
import type { PlanResult, ProofFailure } from './model';
import { prove } from './proof';
import { Labels, requiredFlows } from './required';
import { nameAndNumber, RuleShapes } from './rules';
import { nsgBySubnet, plannedNsgs } from './scope';
import { allowsAll, SubnetLocator } from './space';
import { AddressNames, synthesize } from './synthesize';

export type * from './model';
export { plannedNsgs } from './scope';

export interface PlanInput {
  snapshot: Snapshot;
  /**
   * Compiled from `snapshot` (with the same service tags). The plan builds all its side tables and
   * keeps its compiled rules until the effect's rule pack is done (caches only: no verdict changes).
   */
  engine: PolicyEngine;
  observed: ObservedFlowsInput | null;
  intent: { file: string; entries: readonly IntentEntry[] } | null;
  serviceTags?: ServiceTags;
  includeDeclaredPorts?: boolean;
  /** YYYY-MM-DD: decides which intent entries have expired. */
  today: string;
  progress?: (m: string) => void;
  /** The analyze rule pack for "findings resolved" (default: the pack, RULES). */
  rules?: readonly PackRule[];
  /** The snapshot file name, for messages. */
  file?: string;
}

/** Plans, proves and measures. Throws InputError (exit 2) for input no plan can serve. */
export function planSegmentation(input: PlanInput): PlanResult {
  return measureEffect(input, proposeAndProve(input));
}

/** A proposal and its proof: the plan without its effect (proposeAndProve, then measureEffect). */
export type ProvenProposal = Omit<PlanResult, 'effect'> & {
  effect: Pick<EffectInput, 'after' | 'planned' | 'labels' | 'nsgs'>;
};

/**
 * Findings of some of the pack's rules on the snapshot before the change, made elsewhere while the
 * plan was being made (the command's worker thread); null when that failed (they are made here then).
 */
export interface FindingsMadeElsewhere {
  rules: readonly PackRule[];
  findings: Finding[] | null;
}

/**
 * The first half of planSegmentation: the proposal and its proof. What planning and proving build
 * (needs, drafts, locators) is garbage before measureEffect's analyses.
 */
export function proposeAndProve(input: PlanInput): ProvenProposal {
  return planAndProve(input, input.progress ?? (() => undefined));
}

/** The second half of planSegmentation: the effect of `proposal`, and the plan's result. */
export function measureEffect(
  input: PlanInput,
  proposal: ProvenProposal,
  beforeElsewhere?: FindingsMadeElsewhere,
): PlanResult {
  const progress = input.progress ?? (() => undefined);
  const { effect: effectInput, ...result } = proposal;
  progress('effect');
  const effect = computeEffect({
    ...effectInput,
    before: input.engine,
    progress,
    rulesInput: {
      intent: input.intent,
      observed: input.observed,
      today: input.today,
      ...(input.rules ? { rules: input.rules } : {}),
    },
    ...(beforeElsewhere ? { beforeElsewhere } : {}),
  });
  const { nsgs, required, proof, proposed, excluded, notes } = result;
  return { nsgs, required, proof, effect, proposed, excluded, notes };
}

/** The plan and its proof, with what the effect needs besides the engine before. */
function planAndProve(input: PlanInput, progress: (m: string) => void): ProvenProposal {
  const before = input.engine;
  // The effect's rule pack names the deciding rules of its findings: replayed from the kept compiled
  // rules instead of compiling each side again (analyze, whose pack explains each point once, does not keep them).
  before.keepCompiledRules();
  const index = before.index;
  const planned = plannedNsgs(index, input.file);
  const nsgOfSubnet = nsgBySubnet(planned);
  const plannedSubnets = new Set(nsgOfSubnet.keys());
  const locator = new SubnetLocator(index);
  const labels = new Labels(index);

  progress('required flows');
  const required = requiredFlows({
    index,
    locator,
    labels,
    observed: input.observed,
    intent: input.intent,
    includeDeclaredPorts: input.includeDeclaredPorts ?? false,
    today: input.today,
  });
  const inexpressible = required.needs.filter(
    (n) =>
      ![...n.src, ...n.dst].some((p) => p.kind === 'subnet' && plannedSubnets.has(p.subnet.id)) &&
      !allowsAll(before, n.src, n.dst, n.traffic),
  );
  if (inexpressible.length > 0)
    throw new InputError(
      'some required flows cannot be planned: no NSG the plan writes governs either end, and today they are not allowed',
      inexpressible
        .slice(0, 20)
        .map((n) =>
          diagnostic(
            'INVALID_VALUE',
            `${n.required.entry ? `require ${JSON.stringify(n.required.entry)}: ` : ''}${n.required.flow.from} → ${n.required.flow.to} ${n.required.flow.protocol} ${n.required.flow.ports}: neither end is in a subnet whose NSG the plan writes, so no rule can allow it`,
            input.intent && n.required.entry ? input.intent.file : null,
            n.required.source === 'intent' && n.origin.kind === 'intent' ? n.origin.entry.path : null,
          ),
        ),
    );

  // Every side table at once, as the analysis does, before shaping asks for them one need at a time:
  // built in one pass they cost less than interleaved with the shaping (about 1 s on the typical estate).
  // One progress line for it: the plan's stderr already tells each of its steps.
  progress('compiling the side tables of the snapshot before the change');
  buildSideTables(before, () => undefined);
  progress(`shaping ${required.needs.length} required flows`);
  const split = withoutUnsupportedWidening(
    shapeNeeds(required.needs, before, locator, new TagFinder(input.serviceTags)),
  );
  const shaped: Shaped[] = split.kept;
  const excluded = [
    ...required.excluded,
    ...split.left.map((s) => ({
      flow: s.need.required.flow,
      detail: `left out: ${s.need.required.source === 'observed' ? 'seen allowed in the flow logs' : 'declared'}, but the snapshot does not certainly allow it today, and only an intent require may widen`,
    })),
  ];
  const names = new AddressNames(
    index.snapshot.subnets,
    index.snapshot.containerGroups.map((g) => ({ name: g.name, ip: g.ipAddress?.ip ?? null })),
    index.snapshot.virtualNetworks,
  );
  progress('synthesizing rules');
  const synthesis = synthesize({ shaped, planned, nsgOfSubnet, engine: before, locator, names });
  progress(`naming and numbering the rules of ${planned.length} NSGs`);
  const shapes = new RuleShapes();
  const nsgs = planned.map((p) => nameAndNumber(p, synthesis.drafts.get(p.id)!, shapes));
  let proposed = applyProposal(input.snapshot, nsgs);
  const tags = input.serviceTags ? { serviceTags: input.serviceTags } : {};

  progress('proof on the proposed snapshot');
  let after = compilePolicy(proposed, tags);
  after.keepCompiledRules();
  const forbid = forbidDenies({
    after,
    beforeIndex: index,
    guards: required.guards,
    planned: plannedSubnets,
    takenIds: new Set([...index.snapshot.networkSecurityGroups.map((n) => n.id), ...nsgs.map((n) => n.id)]),
    takenNames: new Set([...index.snapshot.networkSecurityGroups, ...nsgs].map((n) => n.name.toLowerCase())),
  });
  if (forbid.nsgs.length > 0) {
    nsgs.push(...forbid.nsgs);
    nsgs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const n of forbid.nsgs) for (const s of n.subnets) plannedSubnets.add(s);
    proposed = applyProposal(input.snapshot, nsgs);
    after = compilePolicy(proposed, tags);
    after.keepCompiledRules();
  }
  const afterLocator = new SubnetLocator(after.index);
  const proof = prove({
    before,
    after,
    afterLocator,
    beforeIndex: index,
    shaped,
    guards: required.guards,
    planned: plannedSubnets,
    labels,
    progress,
  });
  return {
    nsgs,
    required: shaped.map((s) => s.need.required),
    proof,
    effect: { after, planned: plannedSubnets, labels, nsgs },
    proposed,
    excluded,
    notes: [
      ...synthesis.notes,
      ...forbid.notes,
      ...(required.skippedObserved > 0
        ? [
            `${required.skippedObserved} observed flows not used: denied, not IPv4, or a protocol NSG rules cannot name`,
          ]
        : []),
    ],
  };
}

export type { ProofFailure };
