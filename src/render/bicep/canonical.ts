/**
 * Canonical trees: `canonicalize(file)` checks a tree and returns the tree both printers print.
 * - Symbol names become valid, unique Bicep identifiers (names.ts) and every reference follows
 *   its symbol. A name that is already valid and free keeps its spelling.
 * - Comments become one entry per line with control and bidirectional characters spelled
 *   `\u{…}`, so a comment can never end early or hide text.
 * - Interpolations merge adjacent text and drop empty text; one with no expression is a string.
 * Anything no printer could print (a dangling reference, a cycle, a duplicate key, a fractional
 * number, an object inside `${…}`…) throws a SyntaxTreeError naming the problem.
 */
import { assignNames, commentLines } from './names';
import {
  children,
  SyntaxTreeError,
  type BicepFile,
  type Decorator,
  type Expr,
  type Item,
  type Property,
  type Statement,
} from './syntax';

/** A function or decorator name: an identifier, optionally namespace-qualified (`az.resourceGroup`). */
const FUNCTION_NAME = /^(?:[A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*$/;
const API_VERSION = /^\d{4}-\d{2}-\d{2}(?:-[A-Za-z0-9]+)?$/;
const RESOURCE_TYPE = /^[A-Za-z0-9.]+(?:\/[A-Za-z0-9.-]+)+$/;
/** Keys the resource printer places itself; a body must not set them. */
const PLACED_KEYS = ['parent', 'scope', 'dependsOn'];

type SymbolKind = 'param' | 'var' | 'resource' | 'module';

interface Scope {
  names: Map<string, string>;
  kinds: Map<string, SymbolKind>;
}

/** Returns the checked, canonical form of `file` (see the module comment); never mutates it. */
export function canonicalize(file: BicepFile): BicepFile {
  const symbols = file.statements.filter(
    (s): s is Extract<Statement, { kind: SymbolKind }> =>
      s.kind === 'param' || s.kind === 'var' || s.kind === 'resource' || s.kind === 'module',
  );
  // A symbol named like a function the file calls would shadow it (`resourceGroup()` would break).
  const taken = new Set<string>();
  for (const s of file.statements) collectFunctionNames(s, taken);
  const scope: Scope = {
    names: assignNames(
      symbols.map((s) => s.name),
      taken,
      'symbol',
    ),
    kinds: new Map(symbols.map((s) => [s.name, s.kind])),
  };
  const outputs = assignNames(
    file.statements.filter((s) => s.kind === 'output').map((s) => s.name),
    new Set(),
    'output',
  );
  const metadata = assignNames(
    file.statements.filter((s) => s.kind === 'metadata').map((s) => s.name),
    new Set(),
    'metadata',
  );
  rejectCycles(symbols);
  let targetScopes = 0;
  const statements = file.statements.map((s): Statement => {
    const comments = commentLines(s.comments);
    const c = comments.length > 0 ? { comments } : {};
    switch (s.kind) {
      case 'metadata':
        return { kind: 'metadata', ...c, name: metadata.get(s.name)!, value: expr(s.value, scope) };
      case 'targetScope':
        if (++targetScopes > 1) throw new SyntaxTreeError('a file has at most one targetScope');
        return { kind: 'targetScope', ...c, scope: s.scope };
      case 'param':
        return {
          kind: 'param',
          ...c,
          name: scope.names.get(s.name)!,
          type: s.type,
          decorators: decorators(s.decorators, scope),
          ...(s.defaultValue === undefined ? {} : { defaultValue: expr(s.defaultValue, scope) }),
        };
      case 'var':
        return { kind: 'var', ...c, name: scope.names.get(s.name)!, value: expr(s.value, scope) };
      case 'resource': {
        if (s.type.includes('@') || !RESOURCE_TYPE.test(s.type))
          throw new SyntaxTreeError(`resource "${s.name}": "${s.type}" is not a resource type`);
        if (!API_VERSION.test(s.apiVersion))
          throw new SyntaxTreeError(`resource "${s.name}": "${s.apiVersion}" is not an API version`);
        if (!s.body.some((p) => p.key === 'name'))
          throw new SyntaxTreeError(`resource "${s.name}" has no name property`);
        if (s.parent !== undefined && scope.kinds.get(s.parent) !== 'resource')
          throw new SyntaxTreeError(`resource "${s.name}": parent "${s.parent}" is not a resource`);
        return {
          kind: 'resource',
          ...c,
          name: scope.names.get(s.name)!,
          type: s.type,
          apiVersion: s.apiVersion,
          existing: s.existing,
          ...(s.parent === undefined ? {} : { parent: scope.names.get(s.parent)! }),
          ...(s.scope === undefined ? {} : { scope: expr(s.scope, scope) }),
          body: body(s.body, scope, `resource "${s.name}"`),
          ...dependsOn(s.dependsOn, scope, s.name),
        };
      }
      case 'module':
        return {
          kind: 'module',
          ...c,
          name: scope.names.get(s.name)!,
          path: s.path,
          ...(s.scope === undefined ? {} : { scope: expr(s.scope, scope) }),
          body: body(s.body, scope, `module "${s.name}"`),
          ...dependsOn(s.dependsOn, scope, s.name),
        };
      case 'output':
        return {
          kind: 'output',
          ...c,
          name: outputs.get(s.name)!,
          type: s.type,
          decorators: decorators(s.decorators, scope),
          value: expr(s.value, scope),
        };
    }
  });
  return { statements };
}

function dependsOn(
  names: readonly string[] | undefined,
  scope: Scope,
  owner: string,
): { dependsOn?: string[] } {
  if (names === undefined) return {};
  return {
    dependsOn: names.map((n) => {
      const kind = scope.kinds.get(n);
      if (kind !== 'resource' && kind !== 'module')
        throw new SyntaxTreeError(`"${owner}" depends on "${n}", which is not a resource or module`);
      return scope.names.get(n)!;
    }),
  };
}

function body(properties: readonly Property[], scope: Scope, owner: string): Property[] {
  for (const key of PLACED_KEYS) {
    if (properties.some((p) => p.key === key))
      throw new SyntaxTreeError(`${owner}: set "${key}" with its own field, not in the body`);
  }
  return objectProperties(properties, scope, owner);
}

function decorators(list: readonly Decorator[], scope: Scope): Decorator[] {
  return list.map((d) => {
    if (!FUNCTION_NAME.test(d.name)) throw new SyntaxTreeError(`"${d.name}" is not a decorator name`);
    return { name: d.name, args: d.args.map((a) => expr(a, scope)) };
  });
}

function objectProperties(properties: readonly Property[], scope: Scope, owner: string): Property[] {
  const seen = new Set<string>();
  return properties.map((p) => {
    if (seen.has(p.key)) throw new SyntaxTreeError(`${owner}: the key "${p.key}" appears twice`);
    seen.add(p.key);
    const comments = commentLines(p.comments);
    return { key: p.key, value: expr(p.value, scope), ...(comments.length > 0 ? { comments } : {}) };
  });
}

function expr(e: Expr, scope: Scope): Expr {
  switch (e.kind) {
    case 'string':
    case 'bool':
    case 'null':
      return e;
    case 'int':
      if (!Number.isSafeInteger(e.value))
        throw new SyntaxTreeError(`${e.value} is not a whole number Bicep can print`);
      return { kind: 'int', value: e.value === 0 ? 0 : e.value };
    case 'object':
      return { kind: 'object', properties: objectProperties(e.properties, scope, 'an object') };
    case 'array':
      return {
        kind: 'array',
        items: e.items.map((i): Item => {
          const comments = commentLines(i.comments);
          return { value: expr(i.value, scope), ...(comments.length > 0 ? { comments } : {}) };
        }),
      };
    case 'ref': {
      const name = scope.names.get(e.name);
      if (name === undefined) throw new SyntaxTreeError(`"${e.name}" is referenced but never declared`);
      return { kind: 'ref', name };
    }
    case 'member':
      return { kind: 'member', object: expr(e.object, scope), property: e.property };
    case 'call':
      if (!FUNCTION_NAME.test(e.name)) throw new SyntaxTreeError(`"${e.name}" is not a function name`);
      return { kind: 'call', name: e.name, args: e.args.map((a) => expr(a, scope)) };
    case 'interp': {
      const parts: (string | Expr)[] = [];
      for (const part of e.parts) {
        if (typeof part === 'string') {
          if (part === '') continue;
          const last = parts[parts.length - 1];
          if (typeof last === 'string') parts[parts.length - 1] = last + part;
          else parts.push(part);
        } else {
          // A line break inside `${…}` ends a Bicep string, and printed objects span lines.
          if (spansLines(part))
            throw new SyntaxTreeError('an interpolation cannot hold a non-empty object or array');
          parts.push(expr(part, scope));
        }
      }
      if (parts.every((p) => typeof p === 'string')) return { kind: 'string', value: parts.join('') };
      return { kind: 'interp', parts };
    }
    case 'ternary':
      return {
        kind: 'ternary',
        condition: expr(e.condition, scope),
        whenTrue: expr(e.whenTrue, scope),
        whenFalse: expr(e.whenFalse, scope),
      };
  }
}

/** Throws when a symbol refers to itself, directly or through others (Bicep rejects such files too). */
function rejectCycles(symbols: readonly Extract<Statement, { kind: SymbolKind }>[]): void {
  const edges = new Map<string, string[]>();
  for (const s of symbols) {
    const refs: string[] = [];
    const visit = (e: Expr): void => {
      if (e.kind === 'ref') refs.push(e.name);
      else children(e).forEach(visit);
    };
    if (s.kind === 'param') {
      if (s.defaultValue !== undefined) visit(s.defaultValue);
    } else if (s.kind === 'var') visit(s.value);
    else {
      if (s.scope !== undefined) visit(s.scope);
      s.body.forEach((p) => visit(p.value));
      refs.push(...(s.dependsOn ?? []));
      if (s.kind === 'resource' && s.parent !== undefined) refs.push(s.parent);
    }
    edges.set(s.name, refs);
  }
  const done = new Set<string>();
  const path: string[] = [];
  const walk = (name: string): void => {
    if (done.has(name)) return;
    const at = path.indexOf(name);
    if (at >= 0)
      throw new SyntaxTreeError(`"${name}" refers to itself: ${[...path.slice(at), name].join(' → ')}`);
    path.push(name);
    for (const next of edges.get(name) ?? []) walk(next);
    path.pop();
    done.add(name);
  };
  for (const name of edges.keys()) walk(name);
}

/** True when `e` contains a non-empty object or array (printed over several lines). */
function spansLines(e: Expr): boolean {
  if (e.kind === 'object') return e.properties.length > 0;
  if (e.kind === 'array') return e.items.length > 0;
  return children(e).some(spansLines);
}

/** Adds the unqualified names of every function and decorator used in `s` to `into`. */
function collectFunctionNames(s: Statement, into: Set<string>): void {
  const visit = (e: Expr): void => {
    if (e.kind === 'call' && !e.name.includes('.')) into.add(e.name);
    children(e).forEach(visit);
  };
  const decorate = (ds: readonly Decorator[]) =>
    ds.forEach((d) => {
      if (!d.name.includes('.')) into.add(d.name);
      d.args.forEach(visit);
    });
  switch (s.kind) {
    case 'metadata':
    case 'var':
      visit(s.value);
      return;
    case 'targetScope':
      return;
    case 'param':
      decorate(s.decorators);
      if (s.defaultValue !== undefined) visit(s.defaultValue);
      return;
    case 'output':
      decorate(s.decorators);
      visit(s.value);
      return;
    case 'resource':
    case 'module':
      if (s.scope !== undefined) visit(s.scope);
      s.body.forEach((p) => visit(p.value));
      return;
  }
}
