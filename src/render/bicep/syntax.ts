/**
 * A small syntax tree of Bicep files: declarations (metadata, targetScope, param, var, resource,
 * module, output), expressions and `//` comments. It knows nothing about NSGs or any other resource
 * type. Domain code builds a tree with the constructors below; `printBicep` (print.ts) and
 * `printArmTemplate` (../arm) turn the same tree into text, so output is always well formed and
 * every string is escaped by the printer, never by the caller.
 *
 * Symbol names in the tree are the names the caller wants; the printers make them valid Bicep
 * identifiers and unique (names.ts, canonical.ts), and rewrite every reference to match.
 */

/** An expression: a literal, an object or array, or a reference built from parts (never raw text). */
export type Expr =
  | StringLit
  | IntLit
  | BoolLit
  | NullLit
  | ObjectExpr
  | ArrayExpr
  | RefExpr
  | MemberExpr
  | CallExpr
  | InterpExpr
  | TernaryExpr;

export interface StringLit {
  readonly kind: 'string';
  readonly value: string;
}
/** A whole number (Bicep has no fractional literals); must be a safe integer. */
export interface IntLit {
  readonly kind: 'int';
  readonly value: number;
}
export interface BoolLit {
  readonly kind: 'bool';
  readonly value: boolean;
}
export interface NullLit {
  readonly kind: 'null';
}
/** An object; keys are printed bare when they are identifiers, quoted otherwise. */
export interface ObjectExpr {
  readonly kind: 'object';
  readonly properties: readonly Property[];
}
export interface Property {
  readonly key: string;
  readonly value: Expr;
  /** `//` lines printed above the property (dropped in ARM JSON, which has no comments). */
  readonly comments?: readonly string[];
}
export interface ArrayExpr {
  readonly kind: 'array';
  readonly items: readonly Item[];
}
export interface Item {
  readonly value: Expr;
  readonly comments?: readonly string[];
}
/** A reference to a declared param, var, resource or module, by the name given at its declaration. */
export interface RefExpr {
  readonly kind: 'ref';
  readonly name: string;
}
/** `object.property` (or `object['property']` when the property is not an identifier). */
export interface MemberExpr {
  readonly kind: 'member';
  readonly object: Expr;
  readonly property: string;
}
/** A function call such as `resourceGroup()` or `uniqueString(resourceGroup().id)`. */
export interface CallExpr {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly Expr[];
}
/** `'text${expr}text'`: literal text and expressions in order. */
export interface InterpExpr {
  readonly kind: 'interp';
  readonly parts: readonly (string | Expr)[];
}
/** `condition ? whenTrue : whenFalse`. */
export interface TernaryExpr {
  readonly kind: 'ternary';
  readonly condition: Expr;
  readonly whenTrue: Expr;
  readonly whenFalse: Expr;
}

/** The types a param or output may declare. */
export type ValueType = 'string' | 'int' | 'bool' | 'object' | 'array';

/** A decorator such as `@description('…')`, `@secure()`, `@allowed([…])`, `@minValue(1)`. */
export interface Decorator {
  readonly name: string;
  readonly args: readonly Expr[];
}

export type TargetScope = 'resourceGroup' | 'subscription' | 'managementGroup' | 'tenant';

interface StatementBase {
  /** `//` lines printed above the statement. */
  readonly comments?: readonly string[];
}

export interface MetadataDecl extends StatementBase {
  readonly kind: 'metadata';
  readonly name: string;
  readonly value: Expr;
}
export interface TargetScopeDecl extends StatementBase {
  readonly kind: 'targetScope';
  readonly scope: TargetScope;
}
export interface ParamDecl extends StatementBase {
  readonly kind: 'param';
  readonly name: string;
  readonly type: ValueType;
  readonly decorators: readonly Decorator[];
  readonly defaultValue?: Expr;
}
export interface VarDecl extends StatementBase {
  readonly kind: 'var';
  readonly name: string;
  readonly value: Expr;
}
/**
 * `resource name 'type@apiVersion' [existing] = { parent, scope, …body, dependsOn }`. `parent`,
 * `scope` and `dependsOn` are fields of their own (the ARM printer treats them specially), so the
 * body must not contain keys with those names. The body must contain `name`.
 */
export interface ResourceDecl extends StatementBase {
  readonly kind: 'resource';
  readonly name: string;
  readonly type: string;
  readonly apiVersion: string;
  readonly existing: boolean;
  /** The symbol name of the parent resource. */
  readonly parent?: string;
  readonly scope?: Expr;
  readonly body: readonly Property[];
  /** Symbol names of resources or modules this one must wait for. */
  readonly dependsOn?: readonly string[];
}
/** `module name 'path' = { scope, …body, dependsOn }` (body: `name`, `params`, …). */
export interface ModuleDecl extends StatementBase {
  readonly kind: 'module';
  readonly name: string;
  readonly path: string;
  readonly scope?: Expr;
  readonly body: readonly Property[];
  readonly dependsOn?: readonly string[];
}
export interface OutputDecl extends StatementBase {
  readonly kind: 'output';
  readonly name: string;
  readonly type: ValueType;
  readonly decorators: readonly Decorator[];
  readonly value: Expr;
}

export type Statement =
  MetadataDecl | TargetScopeDecl | ParamDecl | VarDecl | ResourceDecl | ModuleDecl | OutputDecl;

/** One Bicep file: statements in the order they are printed. */
export interface BicepFile {
  readonly statements: readonly Statement[];
}

/** Thrown for a tree no printer can print (a dangling reference, a duplicate key, a fractional number…). */
export class SyntaxTreeError extends Error {
  override readonly name = 'SyntaxTreeError';
}

/** The expressions directly inside `e`, in print order (for walks over a tree). */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'object':
      return e.properties.map((p) => p.value);
    case 'array':
      return e.items.map((i) => i.value);
    case 'member':
      return [e.object];
    case 'call':
      return e.args;
    case 'interp':
      return e.parts.filter((p): p is Expr => typeof p !== 'string');
    case 'ternary':
      return [e.condition, e.whenTrue, e.whenFalse];
    default:
      return [];
  }
}

// ---------------------------------------------------------------------------------------------
// Constructors: short names so that trees read like the Bicep they print.
// ---------------------------------------------------------------------------------------------

export const str = (value: string): StringLit => ({ kind: 'string', value });
export const int = (value: number): IntLit => ({ kind: 'int', value });
export const bool = (value: boolean): BoolLit => ({ kind: 'bool', value });
export const nul: NullLit = { kind: 'null' };
export const ref = (name: string): RefExpr => ({ kind: 'ref', name });
export const call = (name: string, ...args: Expr[]): CallExpr => ({ kind: 'call', name, args });
export const interp = (...parts: (string | Expr)[]): InterpExpr => ({ kind: 'interp', parts });
export const ternary = (condition: Expr, whenTrue: Expr, whenFalse: Expr): TernaryExpr => ({
  kind: 'ternary',
  condition,
  whenTrue,
  whenFalse,
});
export const decorator = (name: string, ...args: Expr[]): Decorator => ({ name, args });
export const description = (text: string): Decorator => decorator('description', str(text));

/** `a.b.c` from `member(a, 'b', 'c')`. */
export function member(object: Expr, ...path: string[]): Expr {
  return path.reduce<Expr>((o, property) => ({ kind: 'member', object: o, property }), object);
}

/** An object from `[key, value]` pairs (or Property records, to attach comments). */
export function obj(...entries: (readonly [string, Expr] | Property)[]): ObjectExpr {
  return { kind: 'object', properties: entries.map(toProperty) };
}

/** An array of values (or Item records, to attach comments). */
export function arr(...items: (Expr | Item)[]): ArrayExpr {
  return { kind: 'array', items: items.map((i) => ('kind' in i ? { value: i } : i)) };
}

/** A body from `[key, value]` pairs, for resources and modules. */
export function props(...entries: (readonly [string, Expr] | Property)[]): Property[] {
  return entries.map(toProperty);
}

function toProperty(entry: readonly [string, Expr] | Property): Property {
  return Array.isArray(entry) ? { key: entry[0], value: entry[1] } : (entry as Property);
}
