/**
 * Parsing input files as JSON, through the one JSON reader (src/util/json-text.ts). Inputs are strict
 * about duplicate keys: `"access": "Deny", "access": "Allow"` would otherwise import as Allow.
 */
import { parseJsonText, type JsonTextParse } from '../../util/json-text';

export type JsonParse = JsonTextParse;

/** Parses one document; a leading byte-order mark is accepted, a duplicate key is an error. */
export function parseJsonDocument(text: string, file: string): JsonParse {
  return parseJsonText(text, file, { duplicateKeys: true });
}
