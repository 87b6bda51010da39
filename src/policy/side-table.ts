/**
 * The compiled decision table of one side (a subnet and a direction). The subnet's own addresses are
 * cut into local slices that the rules cannot tell apart; for each, the remote address space is cut
 * into runs with one decision each. Built by painting the rules, in order, over the remote ranges they
 * cover, sharing work between ranges in the same state; ranges whose rules depend on unknowns are
 * evaluated exactly by enumerating those unknowns.
 */
import type { Direction } from '../model/snapshot';
import type { MembershipSegment, SymbolicAddressSet } from './address-sets';
import type { Decision, DecisionStore, Decider, Leaf } from './decision';
import {
  INITIAL_STATE,
  enterNsgLayer,
  finishState,
  stepRules,
  type Match,
  type SideState,
} from './evaluate-side';
import { IPV4_MAX, type Ipv4Set } from './interval-set';
import type { CompiledRule, SidePolicy } from './side-policy';
import { DST, FALSE, SRC, TRUE, membershipKey, variable, type Membership, type Role } from './unknowns';

/** Enumerate at most this many unknown memberships exactly per evaluation; the rest are treated as independent maybes (sound). */
export const MAX_TRACKED_VARIABLES = 10;

/** Runs over an address axis: `starts[i]` is the first address of run i, which has `values[i]`. */
export interface Runs {
  starts: Float64Array;
  values: Int32Array;
}

/** Index of the run containing `address`. */
export function runIndex(runs: Runs, address: number): number {
  const { starts } = runs;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= address) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface SideTable {
  policy: SidePolicy;
  /** Local slices of the subnet: value = local key index, or -1 outside the subnet. */
  local: Runs;
  /** Per local key: remote runs of decision ids. */
  remote: Runs[];
}

interface Step {
  rules: CompiledRule[];
  /** Whether this step ends the admin layer (a marker step with no rules). */
  enterNsg: boolean;
}

/** Flattens a side policy into its evaluation steps. */
function stepsOf(policy: SidePolicy): Step[] {
  const steps: Step[] = policy.admin.map((group) => ({ rules: group, enterNsg: false }));
  steps.push({ rules: [], enterNsg: true });
  if (policy.nsg.kind === 'rules')
    for (const r of policy.nsg.rules) steps.push({ rules: [r], enterNsg: false });
  return steps;
}

function localField(rule: CompiledRule, direction: Direction): SymbolicAddressSet {
  return direction === 'Outbound' ? rule.src : rule.dst;
}

function remoteField(rule: CompiledRule, direction: Direction): SymbolicAddressSet {
  return direction === 'Outbound' ? rule.dst : rule.src;
}

export class SideTableBuilder {
  private readonly walkMemo = new Map<string, Decision>();

  constructor(private readonly store: DecisionStore) {}

  /** Builds the table of one side; `subnetAddresses` are the subnet's own IPv4 addresses. */
  build(policy: SidePolicy, subnetAddresses: Ipv4Set): SideTable {
    const steps = stepsOf(policy);
    const rules = steps.flatMap((s) => s.rules);
    const localRole: Role = policy.direction === 'Outbound' ? SRC : DST;
    const remoteRole: Role = policy.direction === 'Outbound' ? DST : SRC;

    // 1. Local slices: cut the subnet at every local-field boundary; a key is the vector of local memberships.
    const localCuts = new Set<number>();
    for (const [lo, hi] of subnetAddresses.intervals()) addCut(localCuts, lo, hi);
    const localSegments = rules.map((r) => localField(r, policy.direction).segments());
    for (const segs of localSegments) for (const s of segs) addCut(localCuts, s.lo, s.hi);
    const localStarts = [...localCuts].sort((a, b) => a - b);
    const localValues = new Int32Array(localStarts.length);
    const keyIndex = new Map<string, number>();
    const keys: Membership[][] = [];
    localStarts.forEach((start, i) => {
      if (!subnetAddresses.has(start)) {
        localValues[i] = -1;
        return;
      }
      const vector = rules.map((r) => localField(r, policy.direction).membership(start));
      const k = vector.map(membershipKey).join(' ');
      let idx = keyIndex.get(k);
      if (idx === undefined) {
        idx = keys.length;
        keys.push(vector);
        keyIndex.set(k, idx);
      }
      localValues[i] = idx;
    });
    const local = compactRuns(localStarts, localValues);

    // 2. Remote runs per local key.
    const remoteSegments = rules.map((r) => remoteField(r, policy.direction).segments());
    const remote = keys.map((vector) =>
      this.buildRemote(policy, steps, rules, vector, remoteSegments, localRole, remoteRole),
    );
    return { policy, local, remote };
  }

  private buildRemote(
    policy: SidePolicy,
    steps: Step[],
    rules: CompiledRule[],
    localVector: Membership[],
    remoteSegments: MembershipSegment[][],
    localRole: Role,
    remoteRole: Role,
  ): Runs {
    const cuts = new Set<number>([0]);
    rules.forEach((_, i) => {
      if (localVector[i] === FALSE) return;
      for (const s of remoteSegments[i]!) addCut(cuts, s.lo, s.hi);
    });
    const starts = [...cuts].sort((a, b) => a - b);
    const n = starts.length;
    const stateIds = new Int32Array(n);
    const symbolic = new Uint8Array(n);
    const states: SideState[] = [INITIAL_STATE];
    const transitions = new Map<number, number>();
    const hasTies = policy.admin.some((g) => g.length > 1);

    const rangeOf = (s: MembershipSegment): [number, number] => [
      indexOf(starts, s.lo),
      s.hi === IPV4_MAX ? n - 1 : indexOf(starts, s.hi + 1) - 1,
    ];
    const transition = (stepNo: number, apply: (st: SideState) => SideState) => (k: number) => {
      const from = stateIds[k]!;
      const memoKey = stepNo * 1048576 * 64 + from;
      let to = transitions.get(memoKey);
      if (to === undefined) {
        const next = apply(states[from]!);
        to = next === states[from] ? from : states.push(next) - 1;
        transitions.set(memoKey, to);
      }
      stateIds[k] = to;
    };

    let ruleNo = 0;
    steps.forEach((step, stepNo) => {
      if (step.enterNsg) {
        const t = transition(stepNo, (st) => enterNsgLayer(st, policy.nsg));
        for (let k = 0; k < n; k++) t(k);
        return;
      }
      // Admin groups with several rules are evaluated exactly by the walk wherever one of them applies.
      const forceWalk = hasTies && step.rules.length > 1;
      step.rules.forEach((rule) => {
        const i = ruleNo++;
        const lm = localVector[i]!;
        if (lm === FALSE) return;
        const t = transition(stepNo, (st) => stepRules(st, [rule], ['T']));
        for (const seg of remoteSegments[i]!) {
          const [a, b] = rangeOf(seg);
          if (forceWalk || lm !== TRUE || seg.membership !== TRUE) {
            for (let k = a; k <= b; k++) symbolic[k] = 1;
          } else {
            for (let k = a; k <= b; k++) t(k);
          }
        }
      });
    });

    const finalMemo = new Map<number, number>();
    const values = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      if (symbolic[k]) {
        values[k] = this.walk(
          policy,
          steps,
          rules,
          localVector,
          remoteSegments,
          starts[k]!,
          localRole,
          remoteRole,
        ).id;
        continue;
      }
      const sid = stateIds[k]!;
      let id = finalMemo.get(sid);
      if (id === undefined) {
        const f = finishState(states[sid]!);
        id = this.store.plain(f.allow, f.unknown, f.deciders).id;
        finalMemo.set(sid, id);
      }
      values[k] = id;
    }
    return compactRuns(starts, values);
  }

  /**
   * Exact evaluation at one remote address: collects each rule's condition there, enumerates the
   * unknown memberships it depends on (at most MAX_TRACKED_VARIABLES; others count as maybes) and
   * returns the interned decision.
   */
  private walk(
    policy: SidePolicy,
    steps: Step[],
    rules: CompiledRule[],
    localVector: Membership[],
    remoteSegments: MembershipSegment[][],
    remoteAddress: number,
    localRole: Role,
    remoteRole: Role,
  ): Decision {
    const conds: Condition[] = rules.map((_, i) => {
      const lm = localVector[i]!;
      if (lm === FALSE) return null;
      const rm = membershipAt(remoteSegments[i]!, remoteAddress);
      if (rm === FALSE) return null;
      return [toLiteralSet(lm, localRole), toLiteralSet(rm, remoteRole)];
    });
    const memoKey = `${policy.subnetId}|${policy.direction}|${conds.map(conditionKey).join(' ')}`;
    const memo = this.walkMemo.get(memoKey);
    if (memo) return memo;

    // Choose the variables to enumerate: the most used ones.
    const uses = new Map<number, number>();
    for (const c of conds) if (c) for (const v of variablesOf(c)) uses.set(v, (uses.get(v) ?? 0) + 1);
    const tracked = [...uses.keys()]
      .sort((a, b) => uses.get(b)! - uses.get(a)! || a - b)
      .slice(0, MAX_TRACKED_VARIABLES)
      .sort((a, b) => a - b);

    const leaves: Leaf[] = [];
    const deciders = new Map<string, Decider>();
    for (let mask = 0; mask < 1 << tracked.length; mask++) {
      const value = (v: number): boolean | null => {
        const i = tracked.indexOf(v);
        return i < 0 ? null : (mask & (1 << i)) !== 0;
      };
      let state = INITIAL_STATE;
      let ruleNo = 0;
      for (const step of steps) {
        if (step.enterNsg) {
          state = enterNsgLayer(state, policy.nsg);
          continue;
        }
        const active: CompiledRule[] = [];
        const matches: Match[] = [];
        for (const rule of step.rules) {
          const c = conds[ruleNo++];
          if (!c) continue;
          const v = evaluateCondition(c, value);
          if (v === false) continue;
          active.push(rule);
          matches.push(v === true ? 'T' : 'M');
        }
        if (active.length > 0) state = stepRules(state, active, matches);
      }
      const f = finishState(state);
      leaves.push({ allow: f.allow, unknown: f.unknown });
      for (const d of f.deciders) {
        const k = `${d.kind}:${d.ref}:${d.outcome}:${d.detail ?? ''}`;
        const prev = deciders.get(k);
        deciders.set(k, prev ? { ...prev, traffic: prev.traffic.union(d.traffic) } : d);
      }
    }
    const decision = this.store.intern(tracked, leaves, [...deciders.values()]);
    this.walkMemo.set(memoKey, decision);
    return decision;
  }
}

/**
 * A rule's condition at a pair of addresses: local membership AND remote membership, each as
 * (variables any-of, groups none-of) already bound to the role of the address it is about.
 */
type LiteralSet = true | { any: number[]; none: number[][] };
type Condition = [LiteralSet, LiteralSet] | null;

function toLiteralSet(m: Membership, role: Role): LiteralSet {
  if (m === TRUE) return true;
  if (m === FALSE) throw new Error('unreachable: FALSE membership has no literals');
  return {
    any: m.any.map((u) => variable(u, role)),
    none: m.none.map((g) => g.map((u) => variable(u, role))),
  };
}

function conditionKey(c: Condition): string {
  if (!c) return '-';
  return c
    .map((l) => (l === true ? 'T' : `${l.any.join(',')};${l.none.map((g) => g.join(',')).join('|')}`))
    .join('&');
}

function variablesOf(c: NonNullable<Condition>): number[] {
  const out: number[] = [];
  for (const l of c) if (l !== true) out.push(...l.any, ...l.none.flat());
  return out;
}

/** Kleene three-valued evaluation: true, false, or null (depends on an untracked variable). */
function evaluateCondition(c: NonNullable<Condition>, value: (v: number) => boolean | null): boolean | null {
  let result: boolean | null = true;
  for (const l of c) {
    if (l === true) continue;
    let member: boolean | null = false;
    for (const v of l.any) {
      const x = value(v);
      if (x === true) {
        member = true;
        break;
      }
      if (x === null) member = null;
    }
    if (member !== true) {
      for (const g of l.none) {
        let inSome: boolean | null = false;
        for (const v of g) {
          const x = value(v);
          if (x === true) {
            inSome = true;
            break;
          }
          if (x === null) inSome = null;
        }
        const notIn = inSome === null ? null : !inSome;
        if (notIn === true) {
          member = true;
          break;
        }
        if (notIn === null) member = null;
      }
    }
    if (member === false) return false;
    if (member === null) result = null;
  }
  return result;
}

function membershipAt(segments: MembershipSegment[], address: number): Membership {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid]!;
    if (address < s.lo) hi = mid - 1;
    else if (address > s.hi) lo = mid + 1;
    else return s.membership;
  }
  return FALSE;
}

function addCut(cuts: Set<number>, lo: number, hi: number): void {
  cuts.add(lo);
  if (hi < IPV4_MAX) cuts.add(hi + 1);
}

function indexOf(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = sorted[mid]!;
    if (x === value) return mid;
    if (x < value) lo = mid + 1;
    else hi = mid - 1;
  }
  throw new Error(`internal: cut ${value} missing`);
}

/** Merges adjacent runs with equal values; the first run always starts at address 0. */
function compactRuns(starts: readonly number[], values: Int32Array): Runs {
  const s: number[] = [];
  const v: number[] = [];
  if (starts[0] !== 0) {
    s.push(0);
    v.push(-1);
  }
  starts.forEach((start, i) => {
    const value = values[i]!;
    if (v.length > 0 && v[v.length - 1] === value) return;
    s.push(start);
    v.push(value);
  });
  return { starts: Float64Array.from(s), values: Int32Array.from(v) };
}
