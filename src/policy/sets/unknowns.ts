/**
 * Sets whose members the snapshot does not tell (docs/semantics.md decision 7): unresolved service tags,
 * application security groups, on-premises prefixes behind a gateway, address spaces of peerings or
 * route tables that are not in the snapshot. Whether a given address belongs to one is a yes/no
 * unknown; the engine keeps those unknowns as variables so that verdicts stay exact.
 */
import type { Ipv4Set } from '../../net/interval-set';

export type UnknownKind = 'tag' | 'asg' | 'onprem' | 'peer' | 'routes' | 'vnet';

export interface UnknownSet {
  index: number;
  /** Stable identity, e.g. `tag:storage`, `asg:/subscriptions/…`, `onprem:/subscriptions/…/virtualnetworks/hub`. */
  id: string;
  kind: UnknownKind;
  /** What to tell a person, e.g. `service tag Storage (no service tags file)`. */
  label: string;
  /** Addresses that may belong to the set; every other address certainly does not. */
  domain: Ipv4Set;
}

/** Interns unknown sets by id so the same unknown is the same variable everywhere. */
export class UnknownRegistry {
  private readonly byId = new Map<string, UnknownSet>();
  readonly all: UnknownSet[] = [];

  intern(id: string, kind: UnknownKind, label: string, domain: Ipv4Set): UnknownSet {
    const found = this.byId.get(id);
    if (found) return found;
    const set: UnknownSet = { index: this.all.length, id, kind, label, domain };
    this.byId.set(id, set);
    this.all.push(set);
    return set;
  }
}

/** Which address of the flow a membership question is about. */
export const SRC = 0;
export const DST = 1;
export type Role = typeof SRC | typeof DST;

/** A variable "the flow's <role> address is in unknown set <u>". */
export function variable(unknown: number, role: Role): number {
  return unknown * 2 + role;
}

/**
 * Whether an address is in a symbolic set, as a formula over unknown memberships of that address:
 * `any` = in at least one of these unknown sets; `none` groups = in none of the group's sets.
 * The formula is `OR(any) ∨ OR_g(NOT OR(g))`; TRUE and FALSE are separate constants.
 */
export interface MembershipFormula {
  any: readonly number[];
  none: readonly (readonly number[])[];
}

export const TRUE = 'T' as const;
export const FALSE = 'F' as const;
export type Membership = typeof TRUE | typeof FALSE | MembershipFormula;

/** A stable text key for a membership value (used to intern conditions). */
export function membershipKey(m: Membership): string {
  if (m === TRUE || m === FALSE) return m;
  return `${m.any.join(',')};${m.none.map((g) => g.join(',')).join('|')}`;
}
