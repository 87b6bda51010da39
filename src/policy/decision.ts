/**
 * Decisions: what one side's policy does with the traffic between a pair of address slices, as a
 * function of the unknown memberships it depends on. Decisions are hash-consed (equal content → the
 * same object and id), so comparing and memoizing them is cheap.
 */
import { IntList } from './int-list';
import { IntPairMap } from './int-pair-map';
import { TrafficSet } from './traffic';

/** Why (part of) a decision is what it is. */
export type DeciderKind =
  'rule' | 'no-nsg' | 'dangling-nsg' | 'unknown-location' | 'no-policy' | 'public-ports';

export interface Decider {
  kind: DeciderKind;
  /** For `rule`: index into the compiler's rule refs; otherwise -1. */
  ref: number;
  /** `pass` = an admin `Allow` rule handing the traffic to the NSG. */
  outcome: 'allow' | 'deny' | 'pass' | 'unknown';
  traffic: TrafficSet;
  /** For `public-ports` / `dangling-nsg` / `unknown-location`: the resource it is about. */
  detail?: string;
}

/** Under one assignment of the unknowns: traffic certainly allowed, and traffic whose fate is still open. */
export interface Leaf {
  allow: TrafficSet;
  unknown: TrafficSet;
}

export interface Decision {
  id: number;
  /** Id of the decision's content without its deciders: decisions that treat traffic alike share it. */
  traffic: number;
  /** Variables (see unknowns.ts `variable`) the decision depends on, ascending. */
  vars: readonly number[];
  /** One leaf per assignment: bit i of the index is the value of vars[i]. */
  leaves: readonly Leaf[];
  deciders: readonly Decider[];
  /** Allowed whatever the unknowns are. */
  sure: TrafficSet;
  /** Allowed under at least one assignment (or open). */
  possible: TrafficSet;
}

/** What a pair of sides lets through: certainly allowed traffic, and traffic whose verdict is unknown. */
export interface PairTraffic {
  allow: TrafficSet;
  unknown: TrafficSet;
}

/** The result for a pair of sides: its traffic, and the two side decisions (for the rules that decide it). */
export interface PairResult extends PairTraffic {
  id: number;
  out: Decision;
  in: Decision;
}

/** Interns traffic sets: equal sets get the same small integer (hash, then structural comparison). */
class TrafficIds {
  private readonly buckets = new Map<number, { set: TrafficSet; id: number }[]>();
  private next = 0;

  id(set: TrafficSet): number {
    const h = set.hash();
    const bucket = this.buckets.get(h);
    if (bucket) {
      for (const entry of bucket) if (entry.set.equals(set)) return entry.id;
      bucket.push({ set, id: this.next });
    } else this.buckets.set(h, [{ set, id: this.next }]);
    return this.next++;
  }
}

const trafficIds = new TrafficIds();

function leafKey(l: Leaf): string {
  return `${trafficIds.id(l.allow)}:${trafficIds.id(l.unknown)}`;
}

export function deciderKey(d: Decider): string {
  return `${d.kind}:${d.ref}:${d.outcome}:${d.detail ?? ''}:${trafficIds.id(d.traffic)}`;
}

/** Drops the variables a decision does not depend on (leaves equal whatever their value). */
function minimize(vars: readonly number[], leaves: readonly Leaf[]): [number[], Leaf[]] {
  const v = [...vars];
  let l = [...leaves];
  if (v.length === 0) return [v, l];
  const keys = l.map(leafKey);
  for (let i = v.length - 1; i >= 0; i--) {
    const bit = 1 << i;
    let irrelevant = true;
    for (let m = 0; m < l.length && irrelevant; m++) {
      if (m & bit) continue;
      if (keys[m] !== keys[m | bit]) irrelevant = false;
    }
    if (!irrelevant) continue;
    const next: Leaf[] = [];
    const nextKeys: string[] = [];
    for (let m = 0; m < l.length; m++) {
      if (m & bit) continue;
      // Re-pack the index without bit i.
      const at = (m & (bit - 1)) | ((m >> (i + 1)) << i);
      next[at] = l[m]!;
      nextKeys[at] = keys[m]!;
    }
    v.splice(i, 1);
    l = next;
    keys.splice(0, keys.length, ...nextKeys);
  }
  return [v, l];
}

/** Merges deciders of several evaluations: one per (kind, rule, outcome, detail), traffic united. */
export function mergeDeciders(lists: readonly (readonly Decider[])[]): Decider[] {
  const merged = new Map<string, Decider>();
  for (const list of lists) {
    for (const d of list) {
      const k = `${d.kind}:${d.ref}:${d.outcome}:${d.detail ?? ''}`;
      const prev = merged.get(k);
      merged.set(k, prev ? { ...prev, traffic: prev.traffic.union(d.traffic) } : d);
    }
  }
  return [...merged.values()];
}

/** Interns decisions and memoizes pair results. */
export class DecisionStore {
  readonly decisions: Decision[] = [];
  private readonly byKey = new Map<string, Decision>();
  private readonly trafficIds = new Map<string, number>();
  private readonly trafficMeet = new IntPairMap();
  private readonly pairTraffic: PairTraffic[] = [];
  private readonly pairMemo = new IntPairMap(1 << 16);
  private readonly pairOut = new IntList();
  private readonly pairIn = new IntList();
  private readonly pairTrafficId = new IntList();

  /** The interned decision for these leaves (equal content → the same decision), after dropping irrelevant variables. */
  intern(vars: readonly number[], leaves: readonly Leaf[], deciders: readonly Decider[]): Decision {
    const [v, l] = minimize(vars, leaves);
    const sortedDeciders = [...deciders].sort((a, b) => (deciderKey(a) < deciderKey(b) ? -1 : 1));
    const trafficKey = `${v.join(',')}|${l.map(leafKey).join('/')}`;
    const key = `${trafficKey}|${sortedDeciders.map(deciderKey).join(';')}`;
    const found = this.byKey.get(key);
    if (found) return found;
    const decision = this.add(v, l, sortedDeciders, trafficKey);
    this.byKey.set(key, decision);
    return decision;
  }

  private add(v: number[], l: Leaf[], deciders: readonly Decider[], trafficKey: string): Decision {
    let sure = l[0]!.allow;
    let possible = l[0]!.allow.union(l[0]!.unknown);
    for (let i = 1; i < l.length; i++) {
      sure = sure.intersect(l[i]!.allow);
      possible = possible.union(l[i]!.allow).union(l[i]!.unknown);
    }
    let traffic = this.trafficIds.get(trafficKey);
    if (traffic === undefined) {
      traffic = this.trafficIds.size;
      this.trafficIds.set(trafficKey, traffic);
    }
    const decision: Decision = {
      id: this.decisions.length,
      traffic,
      vars: v,
      leaves: l,
      deciders,
      sure,
      possible,
    };
    this.decisions.push(decision);
    return decision;
  }

  /** A decision with no unknowns. */
  plain(allow: TrafficSet, unknown: TrafficSet, deciders: readonly Decider[]): Decision {
    return this.intern([], [{ allow, unknown }], deciders);
  }

  /** How many distinct pair results exist so far. */
  get pairCount(): number {
    return this.pairOut.length;
  }

  /** The id of the pair result of two side decisions (see `meet`), without building an object. */
  meetId(out: Decision, inbound: Decision): number {
    let id = this.pairMemo.get(out.id, inbound.id);
    if (id >= 0) return id;
    let t = this.trafficMeet.get(out.traffic, inbound.traffic);
    if (t < 0) {
      t = this.pairTraffic.length;
      this.pairTraffic.push(meetTraffic(out, inbound));
      this.trafficMeet.set(out.traffic, inbound.traffic, t);
    }
    id = this.pairOut.length;
    this.pairOut.push(out.id);
    this.pairIn.push(inbound.id);
    this.pairTrafficId.push(t);
    this.pairMemo.set(out.id, inbound.id, id);
    return id;
  }

  /** What a pair result lets through (cheap: no object per pair). */
  trafficOf(pairId: number): PairTraffic {
    return this.pairTraffic[this.pairTrafficId.get(pairId)]!;
  }

  /** The pair result with this id. */
  pair(pairId: number): PairResult {
    const t = this.trafficOf(pairId);
    return {
      id: pairId,
      allow: t.allow,
      unknown: t.unknown,
      out: this.decisions[this.pairOut.get(pairId)]!,
      in: this.decisions[this.pairIn.get(pairId)]!,
    };
  }

  /**
   * Combines the source side's outbound decision with the destination side's inbound decision:
   * under each joint assignment of their unknowns a point is allowed iff both sides allow it.
   */
  meet(out: Decision, inbound: Decision): PairResult {
    return this.pair(this.meetId(out, inbound));
  }
}

function meetTraffic(out: Decision, inbound: Decision): PairTraffic {
  if (out.vars.length === 0 && inbound.vars.length === 0) {
    // Without variables, `sure` is the allowed traffic and `possible` adds the open part.
    const allow = out.sure.intersect(inbound.sure);
    if (out.leaves[0]!.unknown.isEmpty && inbound.leaves[0]!.unknown.isEmpty)
      return { allow, unknown: TrafficSet.none };
    return { allow, unknown: out.possible.intersect(inbound.possible).subtract(allow) };
  }
  const vars = [...new Set([...out.vars, ...inbound.vars])].sort((x, y) => x - y);
  const project = (own: readonly number[], mask: number) => {
    let m = 0;
    own.forEach((v, i) => {
      if (mask & (1 << vars.indexOf(v))) m |= 1 << i;
    });
    return m;
  };
  let allow = TrafficSet.all;
  let possible = TrafficSet.none;
  for (let mask = 0; mask < 1 << vars.length; mask++) {
    const a = out.leaves[project(out.vars, mask)]!;
    const b = inbound.leaves[project(inbound.vars, mask)]!;
    allow = allow.intersect(a.allow.intersect(b.allow));
    possible = possible.union(a.allow.union(a.unknown).intersect(b.allow.union(b.unknown)));
  }
  return { allow, unknown: possible.subtract(allow) };
}
