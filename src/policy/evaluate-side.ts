/**
 * First-match evaluation of one side's policy (admin rules, then the NSG) over traffic sets.
 * A rule either certainly matches the addresses in question (`T`), or may match (`M`, when its
 * match depends on an unknown that is not being enumerated): a maybe-match adds its outcome to the
 * possible outcomes without taking the traffic out of the running. Both the fast painting of whole
 * address ranges and the exact enumeration over unknowns use these steps.
 */
import type { Decider } from './decision';
import type { CompiledRule, NsgLayer } from './side-policy';
import { TrafficSet } from './traffic';

export type Match = 'T' | 'M';

interface DeciderNode {
  decider: Decider;
  next: DeciderNode | null;
}

/** Evaluation state, immutable: each step returns a new state (or the same one when nothing changes). */
export interface SideState {
  /** 0 while admin rules run, 1 once the NSG layer runs. */
  phase: 0 | 1;
  /** Traffic the current layer has not decided yet. */
  rem: TrafficSet;
  canAllow: TrafficSet;
  canDeny: TrafficSet;
  /** Traffic an admin `Allow` may hand to the NSG layer. */
  canPass: TrafficSet;
  deciders: DeciderNode | null;
}

export const INITIAL_STATE: SideState = {
  phase: 0,
  rem: TrafficSet.all,
  canAllow: TrafficSet.none,
  canDeny: TrafficSet.none,
  canPass: TrafficSet.none,
  deciders: null,
};

function addDecider(list: DeciderNode | null, decider: Decider): DeciderNode {
  return { decider, next: list };
}

/** Applies one rule (or a group of equal-priority admin rules) to a state. */
export function stepRules(
  state: SideState,
  rules: readonly CompiledRule[],
  matches: readonly Match[],
): SideState {
  const { rem } = state;
  let { canAllow, canDeny, canPass, deciders } = state;
  let taken = TrafficSet.none;
  let changed = false;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (!rem.overlaps(rule.traffic)) continue;
    const m = rem.intersect(rule.traffic);
    changed = true;
    if (rule.action === 'allow') canAllow = canAllow.union(m);
    else if (rule.action === 'deny') canDeny = canDeny.union(m);
    else canPass = canPass.union(m);
    if (matches[i] === 'T') taken = taken.union(m);
    const decider: Decider = { kind: 'rule', ref: rule.ref, outcome: rule.action, traffic: m };
    // A maybe-match decides only if the unknown it depends on holds the address.
    if (matches[i] === 'M') decider.maybe = true;
    deciders = addDecider(deciders, decider);
  }
  if (!changed) return state;
  return {
    phase: state.phase,
    rem: taken.isEmpty ? rem : rem.subtract(taken),
    canAllow,
    canDeny,
    canPass,
    deciders,
  };
}

/** Ends the admin layer: what may pass, and what no admin rule decided, goes to the NSG layer. */
export function enterNsgLayer(state: SideState, nsg: NsgLayer): SideState {
  const toNsg = state.canPass.union(state.rem);
  let { canAllow, canDeny, deciders } = state;
  let rem = toNsg;
  if (nsg.kind === 'none' && !toNsg.isEmpty) {
    canAllow = canAllow.union(toNsg);
    deciders = addDecider(deciders, { kind: 'no-nsg', ref: -1, outcome: 'allow', traffic: toNsg });
    rem = TrafficSet.none;
  } else if (nsg.kind === 'dangling' && !toNsg.isEmpty) {
    canAllow = canAllow.union(toNsg);
    canDeny = canDeny.union(toNsg);
    deciders = addDecider(deciders, {
      kind: 'dangling-nsg',
      ref: -1,
      outcome: 'unknown',
      traffic: toNsg,
      detail: nsg.nsgId,
    });
    rem = TrafficSet.none;
  }
  return { phase: 1, rem, canAllow, canDeny, canPass: TrafficSet.none, deciders };
}

/**
 * The certain and open traffic of a final state, and its deciders (one per rule that took part: each
 * rule belongs to exactly one step, so none repeats within one evaluation).
 */
export function finishState(state: SideState): {
  allow: TrafficSet;
  unknown: TrafficSet;
  deciders: Decider[];
} {
  const deciders: Decider[] = [];
  for (let n = state.deciders; n !== null; n = n.next) deciders.push(n.decider);
  return {
    allow: state.canAllow.subtract(state.canDeny),
    unknown: state.canAllow.intersect(state.canDeny),
    deciders,
  };
}
