/**
 * One findings run, as `aciseg analyze` and the library's `findings()` do it: the rule context (with
 * all-pairs reachability computed on first use and shared by every rule), the pack, then the intent
 * file's acceptances. Pure: the caller reads the files and supplies the date.
 */
import type { PolicyEngine } from '../policy';
import { applyAcceptances, type Acceptance } from './accept';
import type { FindingsResult } from './findings';
import type { IntentEntry } from './intent';
import { computeReachability, type Reachability } from './reachability';
import { ReachabilityView } from './results';
import { DEFAULT_RULE_SETTINGS, RULES, pairPathsRead, runRules } from './rules';
import type { ObservedFlowsInput, PackRule, RuleContext, RuleSettings } from './rules';

export interface FindingsInput {
  engine: PolicyEngine;
  /** The intent file (`require`/`forbid` entries and `accept` entries), when one is given. */
  intent?: { file: string; entries: readonly IntentEntry[]; accept: readonly Acceptance[] } | null;
  observed?: ObservedFlowsInput | null;
  /** YYYY-MM-DD: decides which acceptances have expired. */
  today: string;
  settings?: Partial<RuleSettings>;
  /** The pack (default: every rule, RULES). */
  rules?: readonly PackRule[];
  /** Progress of the reachability phase (long on large estates). */
  progress?: (message: string) => void;
}

export interface FindingsRun {
  result: FindingsResult;
  /** Acceptances in force that matched no finding: the caller warns about each. */
  unmatched: Acceptance[];
}

/** Runs the pack on one snapshot and applies the acceptances. */
export function computeFindings(input: FindingsInput): FindingsRun {
  const run = runRules(findingsContext(input), input.rules ?? RULES);
  return accepted(run, input);
}

/** The acceptances of the input's intent file applied to a pack's result. */
export function accepted(run: FindingsResult, input: FindingsInput): FindingsRun {
  return applyAcceptances(run, input.intent?.accept ?? [], input.today);
}

/** The rule context of a findings run (reachability computed on first use). */
export function findingsContext(input: FindingsInput): RuleContext {
  const { engine } = input;
  // The pack names the deciding rules of each finding at one address pair: keep what that replays.
  engine.keepCompiledRules();
  let reachability: { reach: Reachability; view: ReachabilityView } | null = null;
  const context: RuleContext = {
    snapshot: engine.index.snapshot,
    engine,
    reachability: () => {
      if (reachability === null) {
        // Only the paths the run's rules read: most pairs of subnets interest none of them.
        const keepPair = pairPathsRead(context, input.rules ?? RULES);
        const progress = input.progress ? { progress: input.progress } : {};
        const reach = computeReachability(engine, { ...progress, keepPair });
        reachability = { reach, view: new ReachabilityView(engine, reach) };
      }
      return reachability;
    },
    intent: input.intent ?? null,
    observed: input.observed ?? null,
    today: input.today,
    settings: { ...DEFAULT_RULE_SETTINGS, ...input.settings },
  };
  return context;
}
