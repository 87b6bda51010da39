/**
 * The envelope every JSON output of aciseg starts with: what the document is (`kind`), which version
 * of that kind's shape it follows (`schemaVersion`), and which aciseg wrote it (`generator`).
 */
import { VERSION } from '../version';

export type JsonKind =
  | 'aciseg.findings'
  | 'aciseg.reachability'
  | 'aciseg.summary'
  | 'aciseg.explanation'
  | 'aciseg.check'
  | 'aciseg.plan';

/** The current shape version of each kind (bumped when a field changes meaning or goes away). */
export const SCHEMA_VERSIONS: Record<JsonKind, number> = {
  'aciseg.findings': 2,
  'aciseg.reachability': 3,
  'aciseg.summary': 1,
  'aciseg.explanation': 1,
  'aciseg.check': 1,
  'aciseg.plan': 1,
};

export interface Envelope<K extends JsonKind = JsonKind> {
  kind: K;
  schemaVersion: number;
  generator: { name: 'aciseg'; version: string };
}

/** The envelope fields of `kind`. */
export function envelope<K extends JsonKind>(kind: K): Envelope<K> {
  return { kind, schemaVersion: SCHEMA_VERSIONS[kind], generator: { name: 'aciseg', version: VERSION } };
}

/** `body` behind the envelope of `kind` (the envelope's fields come first in the JSON text). */
export function enveloped<K extends JsonKind, T extends object>(kind: K, body: T): Envelope<K> & T {
  return { ...envelope(kind), ...body };
}
