/**
 * The seam between reading files and normalizing: a raw resource is one Azure resource object exactly
 * as some input file held it (REST, az CLI, Resource Graph, SDK or ARM-template shape), with where it
 * came from. `src/collect/files` produces them; `normalize` turns them into snapshot records.
 */

/** A JSON object as `JSON.parse` returns it (own enumerable data properties only). */
export type JsonObject = { [key: string]: unknown };

export interface TemplateOrigin {
  /** The resource's full name (`nsg/rule` for children), or null when its name is not a string. */
  fullName: string | null;
  /** JSON path of the name, for diagnostics. */
  namePath: string;
  /**
   * The first template-only construct that makes the resource's identity or existence unknown (an
   * expression in its name, a `copy` loop, a `condition`): where it is and why it matters; else null.
   */
  unresolved: { path: string; reason: string } | null;
}

export interface RawResource {
  /** The input file as the user named it. */
  file: string;
  /** JSON path of the resource object inside the file. */
  path: string;
  value: JsonObject;
  /** The resource ID as given (original case), synthesized for template resources; null when absent. */
  id: string | null;
  /** The full resource type as given (original case), or null (then inferred from the ID). */
  type: string | null;
  /** Set when the resource comes from an ARM template (values may be template expressions). */
  template: TemplateOrigin | null;
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a property only when the object holds it itself. Input keys such as `constructor` must never
 * resolve to what `Object.prototype` holds.
 */
export function own(obj: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}
