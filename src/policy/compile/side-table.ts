/**
 * The compiled decision table of one side (a subnet and a direction). The subnet's own addresses are
 * cut into local slices that the rules cannot tell apart; for each, the remote address space is cut
 * into runs with one decision each. Built by painting the rules, in order, over the remote ranges they
 * cover, sharing work between ranges in the same state; ranges whose rules depend on unknowns are
 * evaluated exactly by enumerating those unknowns.
 */
import type { Direction } from '../../model/snapshot';
import type { MembershipSegment, SymbolicAddressSet } from '../sets/address-sets';
import type { DecisionStore, Decider } from './decision';
import { SidePainter, type Match } from './side-painter';
import { IPV4_MAX, type Ipv4Set } from '../../net/interval-set';
import { IntPairMap } from '../../util/int-pair-map';
import { distinctInPlace, lastAtOrBelow } from '../../util/sorted-search';
import type { CompiledRule, SidePolicy } from './side-policy';
import { DST, FALSE, SRC, TRUE, membershipKey, variable, type Membership, type Role } from '../sets/unknowns';

/** Never enumerate more than this many unknown memberships exactly per table (2^10 paintings). */
export const MAX_TRACKED_VARIABLES = 10;

/**
 * Work budget of one table's exact enumeration, in (rule, address range) painting steps summed over all
 * assignments. A table whose unknowns would cost more enumerates only as many as fit; the others count
 * as independent maybe-matches — sound (an answer can only become `unknown`, never wrong) — and the
 * table is reported as approximated.
 */
export const ENUMERATION_BUDGET = 250_000;

/** Runs over an address axis: `starts[i]` is the first address of run i, which has `values[i]`. */
export interface Runs {
  starts: Float64Array;
  values: Int32Array;
}

/** Index of the run containing `address`. */
export function runIndex(runs: Runs, address: number): number {
  return lastAtOrBelow(runs.starts, address);
}

export interface SideTable {
  subnetId: string;
  direction: Direction;
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

/** A side policy's evaluation steps, and its rules in order (what every step applies). */
interface Flattened {
  steps: Step[];
  rules: CompiledRule[];
}

/**
 * Flattened policies, by their admin rule groups and then their NSG rule list (the compiler shares
 * both between sides; a policy object is made per request): explanations replay a side once per
 * finding, and tables flatten one per subnet.
 */
const flattened = new WeakMap<object, WeakMap<object, Flattened>>();
/** The NSG key of a side without NSG rules (none, or a dangling reference): steps are the admin layer's. */
const NO_NSG_RULES = {};

/** Flattens a side policy into its evaluation steps (made once per admin groups and NSG rules). */
function stepsOf(policy: SidePolicy): Flattened {
  const nsgKey = policy.nsg.kind === 'rules' ? policy.nsg.rules : NO_NSG_RULES;
  let byNsg = flattened.get(policy.admin);
  if (byNsg === undefined) flattened.set(policy.admin, (byNsg = new WeakMap()));
  let known = byNsg.get(nsgKey);
  if (known === undefined) {
    const steps: Step[] = policy.admin.map((group) => ({ rules: group, enterNsg: false }));
    steps.push({ rules: [], enterNsg: true });
    if (policy.nsg.kind === 'rules')
      for (const r of policy.nsg.rules) steps.push({ rules: [r], enterNsg: false });
    const rules: CompiledRule[] = [];
    for (const step of steps) for (const r of step.rules) rules.push(r);
    known = { steps, rules };
    byNsg.set(nsgKey, known);
  }
  return known;
}

function localField(rule: CompiledRule, direction: Direction): SymbolicAddressSet {
  return direction === 'Outbound' ? rule.src : rule.dst;
}

function remoteField(rule: CompiledRule, direction: Direction): SymbolicAddressSet {
  return direction === 'Outbound' ? rule.dst : rule.src;
}

export class SideTableBuilder {
  /** Side tables (`subnet id|direction`) where not every correlated unknown could be enumerated. */
  readonly approximated = new Set<string>();
  private readonly remoteMemo = new Map<string, { runs: Runs; approximated: boolean }>();
  private readonly objectIds = new WeakMap<object, number>();
  private nextObjectId = 0;

  /**
   * @param sharedVariables variables (unknown × role) that some table tests on its own subnet's
   *   addresses: the two sides of a flow can both depend on them, so they are always enumerated.
   */
  constructor(
    private readonly store: DecisionStore,
    private readonly sharedVariables: ReadonlySet<number>,
    /** Recomputes the deciders of a subnet side at one address pair (see `explainPoint`). */
    private readonly explainer: (
      subnetId: string,
      direction: Direction,
      localIp: number,
      remoteIp: number,
    ) => readonly Decider[],
  ) {}

  /** Builds the table of one side; `subnetAddresses` are the subnet's own IPv4 addresses. */
  build(policy: SidePolicy, subnetAddresses: Ipv4Set): SideTable {
    const { steps, rules } = stepsOf(policy);
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

    // 2. Remote runs per local key — shared with every table that has the same compiled policy and
    //    local memberships (an NSG on several subnets of one VNet), so equal tables give equal decisions.
    const tableKey = `${policy.subnetId}|${policy.direction}`;
    const policyKey = this.policyKey(policy);
    let context: PaintContext | null = null;
    const keyNames = [...keyIndex.keys()];
    const explain: PointExplainer = {
      explainer: this.explainer,
      subnetId: policy.subnetId,
      direction: policy.direction,
    };
    const remote = keys.map((vector, i) => {
      const memoKey = `${policyKey}|${keyNames[i]}`;
      let built = this.remoteMemo.get(memoKey);
      if (!built) {
        context ??= {
          remoteSegments: rules.map((r) => remoteField(r, policy.direction).segments()),
          painter: new SidePainter(rules, policy.nsg, false, this.store.traffic),
          transitions: new IntPairMap(1 << 10),
          groupTransitions: new Map(),
          decisions: new Map(),
        };
        // Any address of the subnet with this key stands for all of them.
        const localIp = localStarts[localValues.indexOf(i)]!;
        built = this.buildRemote(steps, rules, vector, localIp, context, localRole, remoteRole, explain);
        this.remoteMemo.set(memoKey, built);
      }
      if (built.approximated) this.approximated.add(tableKey);
      return built.runs;
    });
    return { subnetId: policy.subnetId, direction: policy.direction, local, remote };
  }

  /** Identity of a compiled policy: compiled rule lists are shared by subnets with the same NSG and context. */
  private policyKey(policy: SidePolicy): string {
    const id = (o: object): number => {
      let n = this.objectIds.get(o);
      if (n === undefined) {
        n = ++this.nextObjectId;
        this.objectIds.set(o, n);
      }
      return n;
    };
    const nsg =
      policy.nsg.kind === 'rules'
        ? `r${id(policy.nsg.rules)}`
        : policy.nsg.kind === 'dangling'
          ? `d:${policy.nsg.nsgId}`
          : 'none';
    return `${policy.direction}|a${policy.admin.length === 0 ? 0 : id(policy.admin)}|${nsg}`;
  }

  private buildRemote(
    steps: Step[],
    rules: CompiledRule[],
    localVector: Membership[],
    localIp: number,
    context: PaintContext,
    localRole: Role,
    remoteRole: Role,
    explain: PointExplainer,
  ): { runs: Runs; approximated: boolean } {
    const { remoteSegments, painter } = context;
    const starts = remoteCuts(rules, localVector, remoteSegments);
    const n = starts.length;
    const { ruleSegments, tracked, approximated } = this.conditions(
      rules,
      localVector,
      remoteSegments,
      starts,
      localRole,
      remoteRole,
    );
    const trackedKey = tracked.join(',');
    const finals = this.paint(steps, ruleSegments, n, tracked, context);

    // One decision per distinct vector of final states; the table's local keys share equal ones.
    // Vectors are told apart by hash, then compared with the first segment that had that hash.
    const decisionMemo = new Map<number, number[]>();
    const values = new Int32Array(n);
    const F = finals.length;
    const sameVector = (a: number, b: number) => {
      for (let j = 0; j < F; j++) if (finals[j]![a] !== finals[j]![b]) return false;
      return true;
    };
    for (let k = 0; k < n; k++) {
      let key = finals[0]![k]!;
      if (F > 1) {
        for (let j = 1; j < F; j++) key = Math.imul(key ^ finals[j]![k]!, 0x01000193);
        key &= 0x3fffffff;
      }
      // [segment, decision, segment, decision, …] seen with this key (one pair unless hashes collide).
      const seen = decisionMemo.get(key);
      let id: number | undefined;
      if (seen)
        for (let x = 0; x < seen.length && id === undefined; x += 2)
          if (sameVector(seen[x]!, k)) id = seen[x + 1];
      if (id === undefined) {
        const ids = finals.map((f) => f[k]!);
        const hash = painter.contentHash(ids);
        const candidates = context.decisions.get(hash) ?? [];
        const same = candidates.find((c) => c.vars === trackedKey && painter.sameContent(c.ids, ids));
        if (same) id = same.decision;
        else {
          const leaves = painter.finish(ids);
          const summary = painter.summary(ids);
          id = this.store.create(tracked, leaves, explainLater(explain, localIp, starts[k]!), summary).id;
          candidates.push({ vars: trackedKey, ids, decision: id });
          context.decisions.set(hash, candidates);
        }
        if (seen) seen.push(k, id);
        else decisionMemo.set(key, [k, id]);
      }
      values[k] = id;
    }
    return { runs: compactRuns(starts, values), approximated };
  }

  /**
   * The deciders, with the traffic each decided, of one side policy for one pair of addresses (the
   * side's own address and the other end's): what explanations show.
   */
  explainPoint(policy: SidePolicy, localIp: number, remoteIp: number): Decider[] {
    const { steps, rules } = stepsOf(policy);
    const localRole: Role = policy.direction === 'Outbound' ? SRC : DST;
    const remoteRole: Role = policy.direction === 'Outbound' ? DST : SRC;
    const localVector = rules.map((r) => localField(r, policy.direction).membership(localIp));
    const remoteSegments = rules.map((r): MembershipSegment[] => {
      const membership = remoteField(r, policy.direction).membership(remoteIp);
      return membership === FALSE ? [] : [{ lo: remoteIp, hi: remoteIp, membership }];
    });
    const starts = remoteIp < IPV4_MAX ? [remoteIp, remoteIp + 1] : [remoteIp];
    const { ruleSegments, tracked } = this.conditions(
      rules,
      localVector,
      remoteSegments,
      starts,
      localRole,
      remoteRole,
    );
    // Only the rules that can match at this point are ever applied: the painter cuts ports for those
    // alone (a side has a hundred rules or more, and every explained point would encode them all).
    const live = rules.filter((_, i) => ruleSegments.first[i + 1]! > ruleSegments.first[i]!);
    const context: PaintContext = {
      remoteSegments,
      painter: new SidePainter(live, policy.nsg, true),
      transitions: new IntPairMap(1 << 6),
      groupTransitions: new Map(),
      decisions: new Map(),
    };
    const finals = this.paint(steps, ruleSegments, starts.length, tracked, context);
    return context.painter.decidersOf(finals.map((f) => f[0]!));
  }

  /**
   * Conditions of every (rule, remote segment), and the unknowns to enumerate exactly: those a rule of
   * the table tests more than once, or that some table tests on its own addresses (shared across
   * sides) — as many as the work budget affords (`approximated` when not all).
   */
  private conditions(
    rules: CompiledRule[],
    localVector: Membership[],
    remoteSegments: (readonly MembershipSegment[])[],
    starts: ArrayLike<number>,
    localRole: Role,
    remoteRole: Role,
  ): { ruleSegments: RuleSegments; tracked: number[]; approximated: boolean } {
    const n = starts.length;
    let size = 0;
    for (let i = 0; i < rules.length; i++) if (localVector[i] !== FALSE) size += remoteSegments[i]!.length;
    const ruleSegments: RuleSegments = {
      first: new Int32Array(rules.length + 1),
      lo: new Int32Array(size),
      hi: new Int32Array(size),
      always: new Uint8Array(size),
      cond: new Array<NonNullable<Condition>>(size),
    };
    let at = 0;
    const add = (lo: number, hi: number, cond: NonNullable<Condition>, always: boolean) => {
      ruleSegments.lo[at] = lo;
      ruleSegments.hi[at] = hi;
      ruleSegments.always[at] = always ? 1 : 0;
      ruleSegments.cond[at++] = cond;
    };
    const uses = new Map<number, Map<number, number>>();
    rules.forEach((_, i) => {
      const lm = localVector[i]!;
      ruleSegments.first[i] = at;
      if (lm !== FALSE) {
        const local = toLiteralSet(lm, localRole);
        // Most remote segments are certain (CIDR words): they share one condition, counted once.
        let localOnly: NonNullable<Condition> | null = null;
        for (const seg of remoteSegments[i]!) {
          const lo = indexOf(starts, seg.lo);
          const hi = seg.hi === IPV4_MAX ? n - 1 : indexOf(starts, seg.hi + 1) - 1;
          if (local === true && seg.membership === TRUE) {
            add(lo, hi, ALWAYS, true);
            continue;
          }
          let cond: NonNullable<Condition>;
          if (seg.membership === TRUE) {
            if (localOnly !== null) {
              add(lo, hi, localOnly, false);
              continue;
            }
            cond = localOnly = [local, true];
          } else cond = [local, toLiteralSet(seg.membership, remoteRole)];
          // Count occurrences per rule (a variable twice in one condition is correlated with itself too).
          const vars = variablesOf(cond);
          for (const v of vars) {
            const perRule = uses.get(v) ?? new Map<number, number>();
            perRule.set(i, Math.max(perRule.get(i) ?? 0, vars.filter((x) => x === v).length));
            uses.set(v, perRule);
          }
          add(lo, hi, cond, false);
        }
      }
    });
    ruleSegments.first[rules.length] = at;
    let work = 1;
    for (let j = 0; j < at; j++) work += ruleSegments.hi[j]! - ruleSegments.lo[j]! + 1;
    const affordable = Math.min(
      MAX_TRACKED_VARIABLES,
      Math.max(0, Math.floor(Math.log2(ENUMERATION_BUDGET / work))),
    );
    // Occurrences summed once per variable (the sort would otherwise sum them per comparison).
    const occurrences = new Map<number, number>();
    for (const [v, perRule] of uses) {
      let total = 0;
      for (const count of perRule.values()) total += count;
      occurrences.set(v, total);
    }
    const candidates = [...uses.keys()]
      .filter((v) => occurrences.get(v)! >= 2 || this.sharedVariables.has(v))
      .sort((a, b) => occurrences.get(b)! - occurrences.get(a)! || a - b);
    const tracked = candidates.slice(0, affordable).sort((a, b) => a - b);
    return { ruleSegments, tracked, approximated: candidates.length > tracked.length };
  }

  /** Paints the steps over n segments once per assignment of the tracked unknowns; returns the final state of each segment per assignment. */
  private paint(
    steps: Step[],
    ruleSegments: RuleSegments,
    n: number,
    tracked: number[],
    context: PaintContext,
  ): Int32Array[] {
    const { painter, transitions, groupTransitions } = context;
    const remember = (step: number, from: number, to: number): number => {
      transitions.set(step, from, to);
      return to;
    };
    // Untracked unknowns count as maybe-matches.
    const finals: Int32Array[] = [];
    for (let mask = 0; mask < 1 << tracked.length; mask++) {
      const value = (v: number): boolean | null => {
        const i = tracked.indexOf(v);
        return i < 0 ? null : (mask & (1 << i)) !== 0;
      };
      const stateIds = new Int32Array(n);
      let ruleNo = 0;
      steps.forEach((step, stepNo) => {
        if (step.enterNsg) {
          let lastFrom = -1;
          let lastTo = -1;
          for (let k = 0; k < n; k++) {
            const from = stateIds[k]!;
            if (from !== lastFrom) {
              lastFrom = from;
              const to = transitions.get(stepNo * 4, from);
              lastTo = to >= 0 ? to : remember(stepNo * 4, from, painter.enterNsgLayer(from));
            }
            stateIds[k] = lastTo;
          }
          return;
        }
        if (step.rules.length === 1) {
          const { lo, hi, always, cond } = ruleSegments;
          for (let x = ruleSegments.first[ruleNo]!, end = ruleSegments.first[++ruleNo]!; x < end; x++) {
            const v = always[x] === 1 ? true : evaluateCondition(cond[x]!, value);
            if (v === false) continue;
            const match = v === true ? SURE_MATCH : MAYBE_MATCH;
            const step4 = stepNo * 4 + (v === true ? 1 : 2);
            // Neighbouring cells are mostly in the same state: reuse the last transition.
            let lastFrom = -1;
            let lastTo = -1;
            for (let k = lo[x]!, last = hi[x]!; k <= last; k++) {
              const from = stateIds[k]!;
              if (from !== lastFrom) {
                lastFrom = from;
                const to = transitions.get(step4, from);
                lastTo = to >= 0 ? to : remember(step4, from, painter.step(from, step.rules, match));
              }
              stateIds[k] = lastTo;
            }
          }
          return;
        }
        // Equal-priority admin rules: per segment, the members that apply and how.
        const active = new Map<number, { rule: CompiledRule; match: Match; member: number }[]>();
        step.rules.forEach((rule, member) => {
          for (let x = ruleSegments.first[ruleNo]!; x < ruleSegments.first[ruleNo + 1]!; x++) {
            const v = evaluateCondition(ruleSegments.cond[x]!, value);
            if (v === false) continue;
            for (let k = ruleSegments.lo[x]!; k <= ruleSegments.hi[x]!; k++) {
              const list = active.get(k) ?? [];
              list.push({ rule, match: v === true ? 'T' : 'M', member });
              active.set(k, list);
            }
          }
          ruleNo++;
        });
        for (const [k, list] of active) {
          const from = stateIds[k]!;
          const memoKey = `${stepNo}|${list.map((x) => `${x.member}${x.match}`).join(',')}|${from}`;
          let to = groupTransitions.get(memoKey);
          if (to === undefined) {
            to = painter.step(
              from,
              list.map((x) => x.rule),
              list.map((x) => x.match),
            );
            groupTransitions.set(memoKey, to);
          }
          stateIds[k] = to;
        }
      });
      finals.push(stateIds);
    }
    return finals;
  }
}

/** What a decision needs to recompute its deciders later: the side, and who computes. */
interface PointExplainer {
  explainer: (
    subnetId: string,
    direction: Direction,
    localIp: number,
    remoteIp: number,
  ) => readonly Decider[];
  subnetId: string;
  direction: Direction;
}

/**
 * A thunk that recomputes a decision's deciders at one address pair. Made outside the table-building
 * scope on purpose: a closure there would keep the whole painter alive for as long as the decision.
 */
function explainLater(e: PointExplainer, localIp: number, remoteIp: number): () => readonly Decider[] {
  return () => e.explainer(e.subnetId, e.direction, localIp, remoteIp);
}

/**
 * The rules' conditions over ranges of remote segments, rule by rule in flat arrays (a table key has
 * thousands): rule i's ranges are entries [first[i], first[i + 1]), range x covering cuts lo[x]..hi[x]
 * under condition cond[x]; always[x] is 1 when both memberships are certain (the rule applies whatever
 * the unknowns).
 */
interface RuleSegments {
  first: Int32Array;
  lo: Int32Array;
  hi: Int32Array;
  always: Uint8Array;
  cond: NonNullable<Condition>[];
}

/** What the local keys of one table share while their remote runs are painted. */
interface PaintContext {
  remoteSegments: (readonly MembershipSegment[])[];
  painter: SidePainter;
  transitions: IntPairMap;
  groupTransitions: Map<string, number>;
  /** Decisions made so far for this table, by content hash (local keys often finish alike). */
  decisions: Map<number, { vars: string; ids: number[]; decision: number }[]>;
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

/** The match lists of a one-rule step (shared: a segment is painted millions of times). */
const SURE_MATCH: readonly Match[] = ['T'];
const MAYBE_MATCH: readonly Match[] = ['M'];

/** A condition that holds at every address pair. */
const ALWAYS: NonNullable<Condition> = [true, true];

/** The remote cuts of one local key: address 0 and every edge of the remote segments of the rules that may apply to it. */
function remoteCuts(
  rules: readonly CompiledRule[],
  localVector: readonly Membership[],
  remoteSegments: readonly (readonly MembershipSegment[])[],
): Float64Array {
  let size = 1;
  rules.forEach((_, i) => {
    if (localVector[i] !== FALSE) size += 2 * remoteSegments[i]!.length;
  });
  const buf = new Float64Array(size);
  let m = 1;
  rules.forEach((_, i) => {
    if (localVector[i] === FALSE) return;
    for (const seg of remoteSegments[i]!) {
      buf[m++] = seg.lo;
      if (seg.hi < IPV4_MAX) buf[m++] = seg.hi + 1;
    }
  });
  return distinctInPlace(buf, m);
}

function addCut(cuts: Set<number>, lo: number, hi: number): void {
  cuts.add(lo);
  if (hi < IPV4_MAX) cuts.add(hi + 1);
}

function indexOf(sorted: ArrayLike<number>, value: number): number {
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
function compactRuns(starts: ArrayLike<number>, values: Int32Array): Runs {
  const s = new Float64Array(starts.length + 1);
  const v = new Int32Array(starts.length + 1);
  let m = 0;
  if (starts[0] !== 0) {
    s[0] = 0;
    v[m++] = -1;
  }
  for (let i = 0; i < starts.length; i++) {
    const value = values[i]!;
    if (m > 0 && v[m - 1] === value) continue;
    s[m] = starts[i]!;
    v[m++] = value;
  }
  return { starts: s.slice(0, m), values: v.slice(0, m) };
}
