/**
 * The plan as JSON (`kind: aciseg.plan`, README "Plan JSON"): the proposed rule sets with their
 * provenance, the proof, the effect, the required flows and what was left out. The proposed snapshot
 * itself is not repeated (apply the rule sets, or use the library's `planSegmentation`).
 */
import type { PlanResult } from '../plan/model';
import { enveloped } from './envelope';

export function planJson(result: PlanResult): object {
  return enveloped('aciseg.plan', {
    ok: result.proof.ok,
    proof: result.proof,
    effect: result.effect,
    nsgs: result.nsgs,
    required: result.required,
    excluded: result.excluded ?? [],
    notes: result.notes ?? [],
  });
}
