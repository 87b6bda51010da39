/**
 * The ARM printer: the Bicep syntax tree (../bicep/syntax.ts) → an ARM template (JSON), so one
 * tree gives both outputs. It writes what `bicep build` writes for the same constructs, in the
 * classic (non-symbolic) form:
 * - params, vars and outputs become `parameters`, `variables` and `outputs` (decorators become
 *   `metadata.description`, `allowedValues`, `minValue`, …; `@secure()` becomes `securestring`);
 * - expressions become `[…]` strings: `param.x` → `parameters('param').x`, `res.id` →
 *   `resourceId('Type', 'name')`, `res.properties.x` → `reference(resourceId(…), 'version').x`,
 *   `'a${x}'` → `format('a{0}', x)`, `c ? a : b` → `if(c, a, b)`; string literals inside them
 *   double their `'`, and a literal JSON string that starts with `[` is written `[[…`;
 * - `existing` resources are not declared, only referenced; `parent` makes the full name
 *   `parent/child`; references to declared resources become `dependsOn` entries;
 * - comments above a resource become its `comments` field; other comments are dropped.
 * - a module becomes a nested `Microsoft.Resources/deployments` with its file's template inline
 *   (`expressionEvaluationOptions.scope: inner`, `mode: Incremental`, `params` as `parameters`,
 *   `scope: resourceGroup([sub,] rg)` as `subscriptionId` and `resourceGroup`), when the caller
 *   hands over the module files' trees by path.
 * What ARM cannot express (`scope` on a declared resource, decorators with no ARM equivalent, a
 * resource used without `.id`/`.name`/`.properties`, a module whose file is not given or that is
 * referenced) throws ArmUnsupportedError.
 */
import { canonicalize } from '../bicep/canonical';
import { needsQuotedKey } from '../bicep/names';
import { children } from '../bicep/syntax';
import type {
  BicepFile,
  Decorator,
  Expr,
  ModuleDecl,
  OutputDecl,
  ParamDecl,
  ResourceDecl,
  TargetScope,
} from '../bicep/syntax';

/** The API version `bicep build` writes for the nested deployment of a module. */
export const DEPLOYMENTS_API_VERSION = '2022-09-01';

/** The trees of the files modules name, by the path written in the module declaration. */
export type ModuleFiles = ReadonlyMap<string, BicepFile>;

/** A JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Thrown for a construct that has no ARM template equivalent; the message names it. */
export class ArmUnsupportedError extends Error {
  override readonly name = 'ArmUnsupportedError';
}

const SCHEMAS: Record<TargetScope, string> = {
  resourceGroup: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  subscription: 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#',
  managementGroup:
    'https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#',
  tenant: 'https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#',
};

interface Context {
  params: Set<string>;
  vars: Set<string>;
  resources: Map<string, ResourceDecl>;
  targetScope: TargetScope;
  modules: ModuleFiles;
  /** Module files being inlined, outermost first (a module that includes itself would never end). */
  inlining: readonly string[];
}

/** Returns the ARM template text of `file`: 2-space JSON with a final newline. */
export function printArmTemplate(file: BicepFile, modules: ModuleFiles = new Map()): string {
  return `${JSON.stringify(armTemplate(file, modules), null, 2)}\n`;
}

/** Returns the ARM template of `file` as a JSON object (keys in template order). */
export function armTemplate(file: BicepFile, modules: ModuleFiles = new Map()): { [key: string]: Json } {
  return template(file, modules, []);
}

function template(
  file: BicepFile,
  modules: ModuleFiles,
  inlining: readonly string[],
): { [key: string]: Json } {
  const statements = canonicalize(file).statements;
  const ctx: Context = {
    params: new Set(),
    vars: new Set(),
    resources: new Map(),
    targetScope: 'resourceGroup',
    modules,
    inlining,
  };
  for (const s of statements) {
    if (s.kind === 'param') ctx.params.add(s.name);
    else if (s.kind === 'var') ctx.vars.add(s.name);
    else if (s.kind === 'resource') ctx.resources.set(s.name, s);
    else if (s.kind === 'targetScope') ctx.targetScope = s.scope;
    else if (s.kind === 'module' && !modules.has(s.path))
      throw new ArmUnsupportedError(
        `module "${s.name}" cannot be printed as an ARM template without the tree of its file ${JSON.stringify(s.path)} (ARM inlines it as a nested deployment)`,
      );
  }
  const metadata: { [key: string]: Json } = {};
  const parameters: { [key: string]: Json } = {};
  const variables: { [key: string]: Json } = {};
  const resources: Json[] = [];
  const outputs: { [key: string]: Json } = {};
  for (const s of statements) {
    if (s.kind === 'metadata') metadata[s.name] = value(s.value, ctx);
    else if (s.kind === 'param') parameters[s.name] = parameter(s, ctx);
    else if (s.kind === 'var') variables[s.name] = value(s.value, ctx);
    else if (s.kind === 'resource' && !s.existing) resources.push(resource(s, ctx));
    else if (s.kind === 'module') resources.push(moduleDeployment(s, ctx));
    else if (s.kind === 'output') outputs[s.name] = output(s, ctx);
  }
  const template: { [key: string]: Json } = {
    $schema: SCHEMAS[ctx.targetScope],
    contentVersion: '1.0.0.0',
  };
  if (Object.keys(metadata).length > 0) template['metadata'] = metadata;
  if (Object.keys(parameters).length > 0) template['parameters'] = parameters;
  if (Object.keys(variables).length > 0) template['variables'] = variables;
  template['resources'] = resources;
  if (Object.keys(outputs).length > 0) template['outputs'] = outputs;
  return template;
}

// ---------------------------------------------------------------------------------------------
// Declarations
// ---------------------------------------------------------------------------------------------

function parameter(p: ParamDecl, ctx: Context): Json {
  let type: string = p.type;
  const fields: { [key: string]: Json } = {};
  const metadata: { [key: string]: Json } = {};
  for (const d of p.decorators) {
    const name = plainName(d.name);
    if (name === 'secure') {
      if (p.type !== 'string' && p.type !== 'object')
        throw new ArmUnsupportedError(`param "${p.name}": @secure() needs a string or object`);
      type = p.type === 'string' ? 'securestring' : 'secureObject';
    } else if (name === 'description') metadata['description'] = decoratorArg(d, p.name, ctx);
    else if (name === 'allowed') fields['allowedValues'] = decoratorArg(d, p.name, ctx);
    else if (name === 'minValue' || name === 'maxValue' || name === 'minLength' || name === 'maxLength')
      fields[name] = decoratorArg(d, p.name, ctx);
    else if (name === 'metadata') Object.assign(metadata, objectArg(d, p.name, ctx));
    else throw new ArmUnsupportedError(`param "${p.name}": @${d.name}() has no ARM template equivalent`);
  }
  const result: { [key: string]: Json } = { type };
  if (p.defaultValue !== undefined) result['defaultValue'] = value(p.defaultValue, ctx);
  Object.assign(result, fields);
  if (Object.keys(metadata).length > 0) result['metadata'] = metadata;
  return result;
}

function output(o: OutputDecl, ctx: Context): Json {
  const metadata: { [key: string]: Json } = {};
  for (const d of o.decorators) {
    const name = plainName(d.name);
    if (name === 'description') metadata['description'] = decoratorArg(d, o.name, ctx);
    else if (name === 'metadata') Object.assign(metadata, objectArg(d, o.name, ctx));
    else throw new ArmUnsupportedError(`output "${o.name}": @${d.name}() has no ARM template equivalent`);
  }
  const result: { [key: string]: Json } = { type: o.type, value: value(o.value, ctx) };
  if (Object.keys(metadata).length > 0) result['metadata'] = metadata;
  return result;
}

function decoratorArg(d: Decorator, owner: string, ctx: Context): Json {
  const [arg] = d.args;
  if (d.args.length !== 1 || arg === undefined)
    throw new ArmUnsupportedError(`"${owner}": @${d.name}() takes exactly one argument`);
  return value(arg, ctx);
}

function objectArg(d: Decorator, owner: string, ctx: Context): { [key: string]: Json } {
  const v = decoratorArg(d, owner, ctx);
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new ArmUnsupportedError(`"${owner}": @${d.name}() needs an object`);
  return v;
}

function resource(r: ResourceDecl, ctx: Context): Json {
  if (r.scope !== undefined)
    throw new ArmUnsupportedError(
      `resource "${r.name}" has a scope: ARM declares resources of another scope only through a nested deployment (a module)`,
    );
  for (let at = r.parent; at !== undefined; at = ctx.resources.get(at)!.parent) {
    if (ctx.resources.get(at)!.scope !== undefined)
      throw new ArmUnsupportedError(
        `resource "${r.name}" sits in "${at}", which has a scope: deploy it through a module in that scope`,
      );
  }
  const result: { [key: string]: Json } = { type: r.type, apiVersion: r.apiVersion, name: fullName(r, ctx) };
  for (const p of r.body) if (p.key !== 'name') result[p.key] = value(p.value, ctx);
  const deps = dependencies(r, ctx);
  if (deps.length > 0) result['dependsOn'] = deps.map((d) => `[${resourceId(ctx.resources.get(d)!, ctx)}]`);
  if (r.comments !== undefined && r.comments.length > 0) result['comments'] = literal(r.comments.join('\n'));
  return result;
}

/** A module as `bicep build` writes it: a nested deployment holding the module file's template. */
function moduleDeployment(m: ModuleDecl, ctx: Context): Json {
  if (ctx.inlining.includes(m.path))
    throw new ArmUnsupportedError(`module "${m.name}": ${JSON.stringify(m.path)} includes itself`);
  if (m.dependsOn !== undefined && m.dependsOn.length > 0)
    throw new ArmUnsupportedError(`module "${m.name}": dependsOn of a module is not printed as ARM`);
  const name = m.body.find((p) => p.key === 'name');
  if (name === undefined)
    throw new ArmUnsupportedError(`module "${m.name}" has no name (its deployment name)`);
  const result: { [key: string]: Json } = {
    type: 'Microsoft.Resources/deployments',
    apiVersion: DEPLOYMENTS_API_VERSION,
    name: value(name.value, ctx),
    ...moduleScope(m, ctx),
  };
  const parameters: { [key: string]: Json } = {};
  for (const p of m.body) {
    if (p.key === 'name') continue;
    if (p.key !== 'params' || p.value.kind !== 'object')
      throw new ArmUnsupportedError(
        `module "${m.name}": "${p.key}" is not printed as ARM (only name, params, scope)`,
      );
    for (const param of p.value.properties) parameters[param.key] = { value: value(param.value, ctx) };
  }
  const properties: { [key: string]: Json } = {
    expressionEvaluationOptions: { scope: 'inner' },
    mode: 'Incremental',
  };
  if (Object.keys(parameters).length > 0) properties['parameters'] = parameters;
  properties['template'] = template(ctx.modules.get(m.path)!, ctx.modules, [...ctx.inlining, m.path]);
  result['properties'] = properties;
  if (m.comments !== undefined && m.comments.length > 0) result['comments'] = literal(m.comments.join('\n'));
  return result;
}

/** `scope: resourceGroup([sub,] rg)` → subscriptionId and resourceGroup; no scope: the file's own. */
function moduleScope(m: ModuleDecl, ctx: Context): { [key: string]: Json } {
  const s = m.scope;
  if (s === undefined)
    return ctx.targetScope === 'resourceGroup' ? {} : { location: '[deployment().location]' };
  if (
    s.kind === 'call' &&
    plainName(s.name) === 'resourceGroup' &&
    s.args.length >= 1 &&
    s.args.length <= 2
  ) {
    if (ctx.targetScope !== 'resourceGroup' && ctx.targetScope !== 'subscription')
      throw new ArmUnsupportedError(
        `module "${m.name}": a ${ctx.targetScope}-scoped file cannot target a resource group`,
      );
    const [first, second] = s.args.map((a) => value(a, ctx));
    return second === undefined
      ? { resourceGroup: first! }
      : { subscriptionId: first!, resourceGroup: second };
  }
  throw new ArmUnsupportedError(`module "${m.name}": only scope: resourceGroup(…) is printed as ARM`);
}

/** The resource's full name `parent/child`: a literal when every segment is one, else format(). */
function fullName(r: ResourceDecl, ctx: Context): Json {
  const segments = nameSegments(r, ctx);
  if (r.parent === undefined) return value(nameOf(r), ctx);
  if (segments.every((s) => s.literal !== undefined))
    return literal(segments.map((s) => s.literal).join('/'));
  const holes = segments.map((_, i) => `{${i}}`).join('/');
  return `[format(${[armString(holes), ...segments.map((s) => s.expr)].join(', ')})]`;
}

interface Segment {
  /** The segment's text when it is a literal. */
  literal?: string;
  /** The segment as an ARM expression. */
  expr: string;
}

/** The name segments of `r`, its ancestors' first; a literal name with `/` gives several. */
function nameSegments(r: ResourceDecl, ctx: Context): Segment[] {
  const own = nameOf(r);
  const mine: Segment[] =
    own.kind === 'string'
      ? own.value.split('/').map((literal) => ({ literal, expr: armString(literal) }))
      : [{ expr: expr(own, ctx) }];
  if (r.parent === undefined) return mine;
  return [...nameSegments(ctx.resources.get(r.parent)!, ctx), ...mine];
}

function nameOf(r: ResourceDecl): Expr {
  return r.body.find((p) => p.key === 'name')!.value;
}

/** Declared resources `r` waits for: its parent and the resources it references, then dependsOn. */
function dependencies(r: ResourceDecl, ctx: Context): string[] {
  const found: string[] = [];
  const add = (name: string): void => {
    const target = ctx.resources.get(name);
    if (target === undefined)
      throw new ArmUnsupportedError(`resource "${r.name}" depends on module "${name}": ARM has no modules`);
    // An existing resource is not deployed; wait for whatever declared resource it sits in.
    if (target.existing) {
      if (target.parent !== undefined) add(target.parent);
      return;
    }
    if (name !== r.name && !found.includes(name)) found.push(name);
  };
  if (r.parent !== undefined) add(r.parent);
  const visit = (e: Expr): void => {
    if (e.kind === 'ref' && ctx.resources.has(e.name)) add(e.name);
    children(e).forEach(visit);
  };
  r.body.forEach((p) => visit(p.value));
  (r.dependsOn ?? []).forEach(add);
  return found;
}

/** `resourceId([subscription, group,] 'Type', 'name', …)` for a resource of this template. */
function resourceId(r: ResourceDecl, ctx: Context): string {
  let root = r;
  while (root.parent !== undefined) root = ctx.resources.get(root.parent)!;
  const scope = scopeArgs(root, ctx);
  if (scope === null && ctx.targetScope !== 'resourceGroup')
    throw new ArmUnsupportedError(
      `the ID of resource "${r.name}" in a ${ctx.targetScope}-scoped template: give it scope: resourceGroup(…)`,
    );
  const segments = nameSegments(r, ctx).map((s) => s.expr);
  return `resourceId(${[...(scope ?? []), armString(r.type), ...segments].join(', ')})`;
}

/** The leading resourceId() arguments for `scope: resourceGroup(…)`, or null without a scope. */
function scopeArgs(r: ResourceDecl, ctx: Context): string[] | null {
  if (r.scope === undefined) return null;
  const s = r.scope;
  if (s.kind === 'call' && plainName(s.name) === 'resourceGroup' && s.args.length <= 2)
    return s.args.map((a) => expr(a, ctx));
  throw new ArmUnsupportedError(
    `resource "${r.name}": only scope: resourceGroup(…) can be printed as an ARM resource ID`,
  );
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

/** A JSON position: literals stay JSON; anything computed becomes a `[…]` expression string. */
function value(e: Expr, ctx: Context): Json {
  switch (e.kind) {
    case 'string':
      return literal(e.value);
    case 'int':
    case 'bool':
      return e.value;
    case 'null':
      return null;
    case 'object': {
      const o: { [key: string]: Json } = {};
      for (const p of e.properties) o[p.key] = value(p.value, ctx);
      return o;
    }
    case 'array':
      return e.items.map((i) => value(i.value, ctx));
    case 'member': {
      // `res.name` of a literal name is that literal, as bicep build writes it.
      const target = e.object.kind === 'ref' ? ctx.resources.get(e.object.name) : undefined;
      const name = target === undefined ? undefined : nameOf(target);
      if (e.property === 'name' && name?.kind === 'string') return literal(name.value);
      return `[${expr(e, ctx)}]`;
    }
    default:
      return `[${expr(e, ctx)}]`;
  }
}

/** A literal JSON string; one starting with `[` is written `[[` so ARM does not evaluate it. */
function literal(text: string): string {
  return text.startsWith('[') ? `[${text}` : text;
}

/** An ARM string literal inside an expression: `'…'` with `'` doubled. */
export function armString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Inside an ARM expression. */
function expr(e: Expr, ctx: Context): string {
  switch (e.kind) {
    case 'string':
      return armString(e.value);
    case 'int':
      return String(e.value);
    case 'bool':
      return e.value ? 'true()' : 'false()';
    case 'null':
      return 'null()';
    case 'object':
      return `createObject(${e.properties.flatMap((p) => [armString(p.key), expr(p.value, ctx)]).join(', ')})`;
    case 'array':
      return `createArray(${e.items.map((i) => expr(i.value, ctx)).join(', ')})`;
    case 'ref':
      if (ctx.params.has(e.name)) return `parameters(${armString(e.name)})`;
      if (ctx.vars.has(e.name)) return `variables(${armString(e.name)})`;
      throw new ArmUnsupportedError(
        `resource "${e.name}" is used as a value: in ARM JSON use its .id, .name or .properties`,
      );
    case 'member':
      return memberExpr(e, ctx);
    case 'call':
      return `${plainName(e.name)}(${e.args.map((a) => expr(a, ctx)).join(', ')})`;
    case 'interp': {
      const args: string[] = [];
      const format = e.parts
        .map((p) => {
          if (typeof p === 'string') return p.replace(/[{}]/g, (b) => b + b);
          args.push(expr(p, ctx));
          return `{${args.length - 1}}`;
        })
        .join('');
      return `format(${[armString(format), ...args].join(', ')})`;
    }
    case 'ternary':
      return `if(${expr(e.condition, ctx)}, ${expr(e.whenTrue, ctx)}, ${expr(e.whenFalse, ctx)})`;
  }
}

function memberExpr(e: Expr & { kind: 'member' }, ctx: Context): string {
  const path: string[] = [];
  let base: Expr = e;
  while (base.kind === 'member') {
    path.unshift(base.property);
    base = base.object;
  }
  const target = base.kind === 'ref' ? ctx.resources.get(base.name) : undefined;
  if (target === undefined) return access(expr(base, ctx), path);
  const [first, ...rest] = path as [string, ...string[]];
  const id = resourceId(target, ctx);
  const version = armString(target.apiVersion);
  switch (first) {
    case 'id':
      return access(id, rest);
    case 'name':
      return access(expr(nameOf(target), ctx), rest);
    case 'type':
      return access(armString(target.type), rest);
    case 'apiVersion':
      return access(version, rest);
    case 'properties':
      return access(`reference(${id}, ${version})`, rest);
    default:
      return access(`reference(${id}, ${version}, 'full')`, path);
  }
}

function access(object: string, path: readonly string[]): string {
  return path.reduce((o, p) => (needsQuotedKey(p) ? `${o}[${armString(p)}]` : `${o}.${p}`), object);
}

/** `resourceGroup` for `az.resourceGroup` (ARM functions have no namespaces). */
function plainName(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(dot + 1);
}
