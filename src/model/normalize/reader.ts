/**
 * Reading fields of one raw resource with diagnostics: every problem names the file and the JSON path
 * of the offending value. Paths are built only when a diagnostic needs them (imports hold hundreds of
 * thousands of rules).
 */
import { diagnostic, jsonPath, type Diagnostic, type DiagnosticCode } from '../../diagnostics';
import { isObject, type JsonObject } from './raw';
import { canonicalEnum } from './values';

/** Collects diagnostics and counts the fatal ones. */
export class DiagnosticLog {
  readonly list: Diagnostic[] = [];
  fatalCount = 0;
  private readonly seen = new Set<string>();

  /** True the first time `key` is asked about: for warnings given once per file and value. */
  firstTime(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  push(d: Diagnostic): void {
    this.list.push(d);
    if (d.severity === 'fatal') this.fatalCount++;
  }
}

/** Thrown after a fatal diagnostic was recorded: abandons the rule or resource being read. */
export class Rejected extends Error {
  override readonly name = 'Rejected';
}

/** Thrown when a template resource holds an expression where aciseg needs a literal value. */
export class TemplateExpressionFound extends Error {
  override readonly name = 'TemplateExpressionFound';
  constructor(readonly path: string) {
    super(`template expression at ${path}`);
  }
}

/** Describes a JSON value's type for messages, without echoing the value (it may be a secret). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

/** True for a template expression: a string starting with `[` that is not the `[[` escape. */
export function isTemplateExpression(value: unknown): boolean {
  return typeof value === 'string' && value.charCodeAt(0) === 91 && value.charCodeAt(1) !== 91;
}

/** Field access for one resource of one file. */
export class Reader {
  constructor(
    readonly log: DiagnosticLog,
    readonly file: string,
    /** Template mode: expressions are detected, `[[` escapes are unescaped. */
    readonly template: boolean,
  ) {}

  /** Records a fatal diagnostic and abandons the current rule or resource. */
  fatal(code: DiagnosticCode, message: string, path: string): never {
    this.log.push(diagnostic(code, message, this.file, path));
    throw new Rejected(message);
  }

  /** Records a warning. */
  warn(code: DiagnosticCode, message: string, path: string | null): void {
    this.log.push(diagnostic(code, message, this.file, path));
  }

  /** A literal string value in template mode: expressions abort the resource, `[[x` means `[x`. */
  literal(value: string, path: () => string): string {
    if (!this.template || value.charCodeAt(0) !== 91) return value;
    if (value.charCodeAt(1) === 91) return value.slice(1);
    throw new TemplateExpressionFound(path());
  }

  /** Throws TemplateExpressionFound when, in template mode, `value` is an expression standing for a whole non-string value. */
  private checkExpression(value: unknown, base: string, key: string): void {
    if (this.template && isTemplateExpression(value)) throw new TemplateExpressionFound(jsonPath(base, key));
  }

  /** A modelled string field; null when absent, null or empty. */
  text(obj: JsonObject, key: string, base: string): string | null {
    const v = obj[key];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v !== 'string')
      this.fatal('INVALID_VALUE', `expected a string, found ${describeType(v)}`, jsonPath(base, key));
    return this.template ? this.literal(v, () => jsonPath(base, key)) : v;
  }

  /** A modelled string field that must be present. */
  requiredText(obj: JsonObject, key: string, base: string, what: string): string {
    const v = this.text(obj, key, base);
    if (v === null) this.fatal('MISSING_FIELD', `${what} is missing`, jsonPath(base, key));
    return v;
  }

  /** A required string that must be one of `allowed` (compared case-insensitively; returned canonical). */
  requiredEnum<T extends string>(obj: JsonObject, key: string, base: string, allowed: readonly T[]): T {
    const text = this.requiredText(obj, key, base, key);
    const value = canonicalEnum(text, allowed);
    if (value === null) {
      this.fatal(
        'INVALID_VALUE',
        `${key} ${JSON.stringify(text)} is not one of ${allowed.join(', ')}`,
        jsonPath(base, key),
      );
    }
    return value;
  }

  /** An informational string (location, description…): anything but a literal string reads as null. */
  info(obj: JsonObject, key: string): string | null {
    const v = obj[key];
    if (typeof v !== 'string' || v === '') return null;
    if (this.template && v.charCodeAt(0) === 91) return v.charCodeAt(1) === 91 ? v.slice(1) : null;
    return v;
  }

  /** An array field; absent or null is empty. */
  list(obj: JsonObject, key: string, base: string): readonly unknown[] {
    const v = obj[key];
    if (v === undefined || v === null) return EMPTY;
    if (Array.isArray(v)) return v;
    this.checkExpression(v, base, key);
    this.fatal('INVALID_VALUE', `expected an array, found ${describeType(v)}`, jsonPath(base, key));
  }

  /** An object field; absent or null reads as null. */
  object(obj: JsonObject, key: string, base: string): JsonObject | null {
    const v = obj[key];
    if (v === undefined || v === null) return null;
    if (isObject(v)) return v;
    this.checkExpression(v, base, key);
    this.fatal('INVALID_VALUE', `expected an object, found ${describeType(v)}`, jsonPath(base, key));
  }

  /** A boolean field with a default for absent or null. */
  bool(obj: JsonObject, key: string, base: string, dflt: boolean): boolean {
    const v = obj[key];
    if (v === undefined || v === null) return dflt;
    if (typeof v === 'boolean') return v;
    this.checkExpression(v, base, key);
    this.fatal('INVALID_VALUE', `expected true or false, found ${describeType(v)}`, jsonPath(base, key));
  }

  /** A reference `{ "id": "…" }`: the lower-cased ID, or null when absent, null or empty. */
  ref(obj: JsonObject, key: string, base: string): string | null {
    const target = this.object(obj, key, base);
    if (target === null) return null;
    const id = this.text(target, 'id', jsonPath(base, key));
    return id === null ? null : id.toLowerCase();
  }

  /** A string inside an array (`items[i]`); null for null or empty. */
  itemText(value: unknown, base: string, index: number): string | null {
    if (value === null || value === '') return null;
    if (typeof value !== 'string')
      this.fatal('INVALID_VALUE', `expected a string, found ${describeType(value)}`, `${base}[${index}]`);
    return this.template ? this.literal(value, () => `${base}[${index}]`) : value;
  }

  /** An object inside an array (`items[i]`). */
  itemObject(value: unknown, base: string, index: number): JsonObject {
    if (isObject(value)) return value;
    if (this.template && isTemplateExpression(value)) throw new TemplateExpressionFound(`${base}[${index}]`);
    this.fatal('INVALID_VALUE', `expected an object, found ${describeType(value)}`, `${base}[${index}]`);
  }

  /**
   * The bag of modelled fields: `properties` in REST, Resource Graph and template shapes; the object
   * itself in the flattened az CLI and SDK shapes. Returns the bag and its JSON path.
   */
  props(obj: JsonObject, base: string): [JsonObject, string] {
    const p = obj['properties'];
    if (isObject(p)) return [p, `${base}.properties`];
    if (p !== undefined && p !== null) {
      this.checkExpression(p, base, 'properties');
      this.fatal('INVALID_VALUE', `expected an object, found ${describeType(p)}`, `${base}.properties`);
    }
    return [obj, base];
  }
}

const EMPTY: readonly unknown[] = Object.freeze([]);
