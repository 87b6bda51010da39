/**
 * Decisions: what one side's policy does with the traffic between a pair of address slices, as a
 * function of the unknown memberships it depends on. Decisions are hash-consed (equal content → the
 * same object and id), so comparing and memoizing them is cheap.
 */
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

/** The result for a pair of sides: certainly allowed traffic, and traffic whose verdict is unknown. */
export interface PairResult {
  id: number;
  allow: TrafficSet;
  unknown: TrafficSet;
  out: Decision;
  in: Decision;
}

function leafKey(l: Leaf): string {
  return `${l.allow.key()}#${l.unknown.key()}`;
}

export function deciderKey(d: Decider): string {
  return `${d.kind}:${d.ref}:${d.outcome}:${d.detail ?? ''}:${d.traffic.key()}`;
}

/** Interns decisions and memoizes pair results. */
export class DecisionStore {
  readonly decisions: Decision[] = [];
  readonly pairs: PairResult[] = [];
  private readonly byKey = new Map<string, Decision>();
  private readonly pairMemo = new Map<number, PairResult>();

  /** The interned decision for these leaves, after dropping variables it does not depend on. */
  intern(vars: readonly number[], leaves: readonly Leaf[], deciders: readonly Decider[]): Decision {
    const v = [...vars];
    let l = [...leaves];
    for (let i = v.length - 1; i >= 0; i--) {
      const bit = 1 << i;
      let irrelevant = true;
      for (let m = 0; m < l.length && irrelevant; m++) {
        if (m & bit) continue;
        if (leafKey(l[m]!) !== leafKey(l[m | bit]!)) irrelevant = false;
      }
      if (!irrelevant) continue;
      const next: Leaf[] = [];
      for (let m = 0; m < l.length; m++) {
        if (m & bit) continue;
        // Re-pack the index without bit i.
        next[(m & (bit - 1)) | ((m >> (i + 1)) << i)] = l[m]!;
      }
      v.splice(i, 1);
      l = next;
    }
    const sortedDeciders = [...deciders].sort((a, b) => (deciderKey(a) < deciderKey(b) ? -1 : 1));
    const key = `${v.join(',')}|${l.map(leafKey).join('/')}|${sortedDeciders.map(deciderKey).join(';')}`;
    const found = this.byKey.get(key);
    if (found) return found;
    let sure = TrafficSet.all;
    let possible = TrafficSet.none;
    for (const leaf of l) {
      sure = sure.intersect(leaf.allow);
      possible = possible.union(leaf.allow).union(leaf.unknown);
    }
    const decision: Decision = {
      id: this.decisions.length,
      vars: v,
      leaves: l,
      deciders: sortedDeciders,
      sure,
      possible,
    };
    this.decisions.push(decision);
    this.byKey.set(key, decision);
    return decision;
  }

  /** A decision with no unknowns. */
  plain(allow: TrafficSet, unknown: TrafficSet, deciders: readonly Decider[]): Decision {
    return this.intern([], [{ allow, unknown }], deciders);
  }

  /**
   * Combines the source side's outbound decision with the destination side's inbound decision:
   * under each joint assignment of their unknowns a point is allowed iff both sides allow it.
   */
  meet(out: Decision, inbound: Decision): PairResult {
    const memoKey = out.id * 4294967296 + inbound.id;
    const memo = this.pairMemo.get(memoKey);
    if (memo) return memo;
    let allow: TrafficSet;
    let possible: TrafficSet;
    if (out.vars.length === 0 && inbound.vars.length === 0) {
      const a = out.leaves[0]!;
      const b = inbound.leaves[0]!;
      allow = a.allow.intersect(b.allow);
      possible = a.allow.union(a.unknown).intersect(b.allow.union(b.unknown));
    } else {
      const vars = [...new Set([...out.vars, ...inbound.vars])].sort((x, y) => x - y);
      const project = (own: readonly number[], mask: number) => {
        let m = 0;
        own.forEach((v, i) => {
          if (mask & (1 << vars.indexOf(v))) m |= 1 << i;
        });
        return m;
      };
      allow = TrafficSet.all;
      possible = TrafficSet.none;
      for (let mask = 0; mask < 1 << vars.length; mask++) {
        const a = out.leaves[project(out.vars, mask)]!;
        const b = inbound.leaves[project(inbound.vars, mask)]!;
        allow = allow.intersect(a.allow.intersect(b.allow));
        possible = possible.union(a.allow.union(a.unknown).intersect(b.allow.union(b.unknown)));
      }
    }
    const result: PairResult = { id: this.pairs.length, allow, unknown: possible.subtract(allow), out, in: inbound };
    this.pairs.push(result);
    this.pairMemo.set(memoKey, result);
    return result;
  }
}
