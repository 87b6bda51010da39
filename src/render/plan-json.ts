/**
 * The plan as JSON (`kind: aciseg.plan`, README "Plan JSON"): the proposed rule sets with their
 * provenance, the proof, the effect, the required flows and what was left out. The proposed snapshot
 * itself is not repeated (apply the rule sets, or use the library's `planSegmentation`). Written one
 * NSG, required flow, left-out flow or note per line (json-lines.ts): the typical estate's plan is
 * about 150 MB, which as one pretty-printed string had cost 10 s and 1 GB to write.
 */
import type { PlanResult } from '../plan/model';
import { envelope } from './envelope';
import { jsonDocumentLines, lines } from './json-lines';

/** The plan's JSON text, in chunks (fields: kind, schemaVersion, generator, ok, proof, effect, nsgs, required, excluded, notes). */
export function serializePlanJson(result: PlanResult): Generator<string> {
  return jsonDocumentLines(
    { ...envelope('aciseg.plan'), ok: result.proof.ok, proof: result.proof, effect: result.effect },
    [
      lines('nsgs', result.nsgs),
      lines('required', result.required),
      lines('excluded', result.excluded ?? []),
      lines('notes', result.notes ?? []),
    ],
  );
}
