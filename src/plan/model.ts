/**
 * The plan's result as data: the proposed NSG rule sets, why each rule exists, the proof, the effect,
 * and the snapshot with the proposal applied. `plan` renders it (bicep, arm, json, markdown), `report`
 * draws `proposed` as its After view and `diff` compares a snapshot with `proposed`.
 */
import type { Snapshot, SecurityRule } from '../model/snapshot';
import type { FindingFlow } from '../analyze/findings';

/** Why a proposed rule exists (every rule has at least one; Bicep `@description` and comments carry them). */
export type ProvenanceKind =
  /** Allows flows seen allowed in the flow logs. */
  | 'observed'
  /** Allows an intent `require` entry. */
  | 'intent'
  /** Allows ports the container groups declare (`--include-declared-ports`). */
  | 'declared-port'
  /** Keeps traffic the ACI platform needs (DNS to 168.63.129.16, image pulls, monitoring). */
  | 'platform'
  /** Denies what a broad default (AllowVnetInBound, AllowInternetOutBound) would otherwise allow. */
  | 'default-deny'
  /** An existing rule kept as it is (same name and priority). */
  | 'kept';

export interface RuleProvenance {
  kind: ProvenanceKind;
  /** One line for people: "observed 1,204 flows 2026-11-30T00:00Z – 2026-11-30T23:59Z", "intent require web-to-api". */
  text: string;
  /** The intent entry's name (kind `intent`). */
  entry?: string;
  /** Observed flows behind the rule (kind `observed`). */
  observed?: { flows: number; tuples: number; firstSeen: string; lastSeen: string };
  /** Names of existing rules this one replaces. */
  replaces?: string[];
}

export interface ProposedRule {
  /** The rule as it will be deployed (snapshot shape: canonical prefixes, one address and port form per side when printed). */
  rule: SecurityRule;
  /** `kept`: identical to an existing rule; `changed`: an existing name with other content; `added`: new. */
  status: 'kept' | 'changed' | 'added';
  provenance: RuleProvenance[];
  /** For `changed`: the existing rule of that name as it is today. Added by issue 11. */
  previous?: SecurityRule;
}

/** The proposed rule set of one NSG (an existing one, or a new one for an ACI subnet that has none). */
export interface ProposedNsg {
  /** Lower-cased resource ID (for a new NSG: the ID it will have). */
  id: string;
  name: string;
  resourceGroup: string | null;
  subscriptionId: string | null;
  location: string | null;
  isNew: boolean;
  /** Subnets (IDs) the NSG is, or will be, associated with. */
  subnets: string[];
  /** The full custom rule set after the change, by direction then priority. */
  rules: ProposedRule[];
  /** Existing custom rules the proposal drops. */
  removed: SecurityRule[];
}

/** A flow the proposal must keep allowed, and where the need comes from. */
export interface RequiredFlow {
  source: 'observed' | 'intent' | 'declared-port';
  flow: FindingFlow;
  /** The intent entry's name (source `intent`). */
  entry?: string;
}

/** One failed proof obligation: the flow, and the words that say what is wrong. */
export interface ProofFailure {
  flow: FindingFlow;
  entry?: string;
  detail: string;
}

export interface ProofCheck {
  ok: boolean;
  /** Obligations checked (required flows, paths, forbid entries). */
  checked: number;
  failures: ProofFailure[];
}

/**
 * The proof, computed with the engine on the proposed snapshot: (a) every required flow is allowed;
 * (b) nothing is allowed that was not before, except what `require` entries demand (listed in
 * `widening`); (c) every `forbid` entry is denied.
 */
export interface PlanProof {
  ok: boolean;
  required: ProofCheck;
  noWidening: ProofCheck & { widening: RequiredFlow[] };
  forbidden: ProofCheck;
}

/** What the proposal closes: flows per endpoint pair, in total, findings and rule counts. */
export interface PlanEffect {
  /** Endpoint pairs whose allowed traffic shrinks: what was open before and is closed after. */
  closed: FindingFlow[];
  /** How many endpoint pairs shrink; `closed` lists the 1,000 that shrink most (added by issue 11). */
  closedPairs?: number;
  /** Closed (source address, destination address, protocol, destination port) tuples, as a decimal integer. */
  closedFlowSpace: string;
  /** Fingerprints of findings present before and absent on the proposed snapshot. */
  findingsResolved: string[];
  findingsRemaining: string[];
  rules: { nsg: string; name: string; before: number; after: number }[];
}

export interface PlanResult {
  nsgs: ProposedNsg[];
  required: RequiredFlow[];
  proof: PlanProof;
  effect: PlanEffect;
  /** The input snapshot with every ProposedNsg applied (rules replaced, new NSGs added and associated). */
  proposed: Snapshot;
  /** Observed or declared flows left out because a `forbid` entry covers them (forbid wins). Added by issue 11. */
  excluded?: { flow: FindingFlow; entry?: string; detail: string }[];
  /** What the planner chose not to do, for people (e.g. a platform rule that would widen). Added by issue 11. */
  notes?: string[];
}
