/**
 * The shape of a pack rule and what it is given. A rule is pure: it reads the context and returns
 * finding drafts; the runner (index.ts) fingerprints, sorts and applies acceptances.
 */
import type { Snapshot } from '../../model/snapshot';
import type { PolicyEngine } from '../../policy';
import type { Acceptance } from '../accept';
import type { IntentEntry } from '../intent';
import type { PairTest, Reachability } from '../reachability';
import type { ReachabilityView } from '../results';
import type { Finding, FindingsWindow, RuleMeta } from '../findings';

/**
 * An observed flow as the rules read it: the flow-log reader's ObservedFlow (src/collect/flows) has
 * this shape, restated here because analyze may not import collect.
 */
export interface ObservedFlowInput {
  source: string;
  destination: string;
  protocol: string;
  destinationPort: number | null;
  direction: 'Inbound' | 'Outbound';
  decision: 'allow' | 'deny';
  tuples: number;
  flowsStarted: number;
  firstSeen: string;
  lastSeen: string;
  /** The rule name as logged (`UserRule_…`, `DefaultRule_…`), when the log names one. */
  rule?: string | null;
  /** The NSG or ACL resource ID that logged the flow, when the log names one. */
  evaluatedBy?: string | null;
}

export interface ObservedFlowsInput {
  flows: readonly ObservedFlowInput[];
  window: FindingsWindow;
}

/** Tunables, each a documented `analyze` default (README "Rule catalogue"). */
export interface RuleSettings {
  /** ACI004: an allow rule whose source or destination prefix is wider than this (a /N) is over-broad. */
  broadPrefixLength: number;
  /** ACI004: an allow rule opening more than this many destination ports is a wide range. */
  widePortRange: number;
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = { broadPrefixLength: 16, widePortRange: 1024 };

export interface RuleContext {
  snapshot: Snapshot;
  engine: PolicyEngine;
  /** All-pairs reachability and its view, computed once on first use and shared by every rule. */
  reachability(): { reach: Reachability; view: ReachabilityView };
  /**
   * Intent entries (`require`/`forbid`) when `--intent` is given; `accept`: its accepted-risk entries
   * (ACI015 reports the expired ones; the runner's caller applies the others, src/analyze/accept.ts).
   */
  intent: { file: string; entries: readonly IntentEntry[]; accept?: readonly Acceptance[] } | null;
  observed: ObservedFlowsInput | null;
  /** YYYY-MM-DD: decides expiry (the CLI passes the current date; tests pass a fixed one). */
  today: string;
  settings: RuleSettings;
  /**
   * `keys`: the caller reads only what identifies and orders the findings (identity, severity, risk),
   * as the plan's effect does when it compares fingerprints before and after. Rules may then skip
   * the rest (deciding rules, flows, messages: keyDraft); a test holds the keys equal to a full run's.
   */
  detail?: 'full' | 'keys';
}

/** A finding with only its keys (identity, severity, risk), for a context whose `detail` is `keys`. */
export function keyDraft(
  identity: string[],
  severity: Finding['severity'] | undefined,
  risk: number | undefined,
): FindingDraft {
  return {
    ...(severity === undefined ? {} : { severity }),
    ...(risk === undefined ? {} : { risk }),
    message: '',
    resources: [],
    flows: [],
    flowsOmitted: 0,
    rules: [],
    explain: null,
    location: null,
    identity,
  };
}

/** A finding before the runner completes it: no fingerprint, no acceptance, metadata from the rule. */
export type FindingDraft = Omit<
  Finding,
  'ruleId' | 'fingerprint' | 'accepted' | 'controls' | 'remediation' | 'title' | 'severity'
> &
  Partial<Pick<Finding, 'severity' | 'title' | 'remediation'>> & {
    /** Content parts that identify the finding (see findingFingerprint). */
    identity: string[];
  };

export interface PackRule {
  meta: RuleMeta;
  /**
   * True when the rule reads only `snapshot`, `engine` and `settings` (never reachability, flow logs,
   * intent or the date): `analyze` may then run it on a worker thread with its own engine while the
   * main thread computes reachability (src/cli/standalone-rules.ts). A test holds each to it.
   */
  standalone?: boolean;
  /**
   * Which paths of the pair matrix the rule reads, by the path's two side decisions (outbound,
   * inbound), when both ends have a policy (paths from or to addresses without one, the Internet
   * among them, are always computed): `all`, `none`, or a test. `analyze` keeps only the paths some
   * rule of the run reads (on the typical estate about a third of them). Without it, a rule that is
   * not standalone reads every path. A test holds each rule's findings equal to a run with every path.
   */
  pairPaths?(context: RuleContext): PairPaths;
  run(context: RuleContext): FindingDraft[];
}

/** See PackRule.pairPaths. */
export type PairPaths = 'all' | 'none' | PairTest;
