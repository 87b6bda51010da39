/**
 * ARM templates: each declared resource becomes a raw resource with its full type and name resolved
 * (nested children have relative types and names; top-level children are written `nsg/rule`) and a
 * placeholder ID, or its real ID when a nested deployment it sits in names its subscription and
 * resource group literally (`subscriptionId`, `resourceGroup`; a group without a subscription keeps
 * the enclosing deployment's). Templates are not evaluated: whether an expression matters is
 * decided by normalization, which skips a resource whose identity or modelled fields are expressions.
 */
import { diagnostic, jsonPath } from '../../diagnostics';
import { isObject, own, type JsonObject, type TemplateOrigin } from '../../model/normalize/raw';
import { isTemplateExpression } from '../../model/normalize/reader';
import { templateResourceId, typeKey } from '../../model/normalize/resource-id';
import type { WalkSink } from './shape';

/** How deep templates, deployments and child resources may nest before the input is refused. */
export const TEMPLATE_NESTING_LIMIT = 64;

const WRAPPERS = new Set(['microsoft.blueprint/blueprints/artifacts', 'microsoft.resources/deployments']);

/** True for resource types that carry a whole template in `properties.template`. */
export function isTemplateWrapper(type: string): boolean {
  return WRAPPERS.has(typeKey(type));
}

interface Parent {
  fullType: string;
  fullName: string | null;
  unresolved: TemplateOrigin['unresolved'];
}

/** Where a template's resources are deployed, as far as literal nested deployments tell (null: unknown). */
export interface TemplateScope {
  subscriptionId: string | null;
  resourceGroup: string | null;
}

const UNKNOWN_SCOPE: TemplateScope = { subscriptionId: null, resourceGroup: null };

/** Walks the `resources` of a template (an array, or an object keyed by symbolic name). */
export function walkTemplate(
  template: JsonObject,
  path: string,
  file: string,
  sink: WalkSink,
  depth: number,
  scope: TemplateScope = UNKNOWN_SCOPE,
): void {
  if (depth > TEMPLATE_NESTING_LIMIT) {
    sink.report(diagnostic('UNRECOGNISED_SHAPE', 'templates are nested too deeply', file, path));
    return;
  }
  walkResources(template['resources'], jsonPath(path, 'resources'), file, sink, depth, null, scope);
}

function walkResources(
  resources: unknown,
  path: string,
  file: string,
  sink: WalkSink,
  depth: number,
  parent: Parent | null,
  scope: TemplateScope,
): void {
  if (resources === undefined || resources === null) return;
  if (Array.isArray(resources)) {
    for (let i = 0; i < resources.length; i++)
      walkResource(resources[i], `${path}[${i}]`, file, sink, depth, parent, scope);
    return;
  }
  if (isObject(resources)) {
    // languageVersion 2.0 templates key resources by symbolic name.
    for (const key of Object.keys(resources))
      walkResource(resources[key], jsonPath(path, key), file, sink, depth, parent, scope);
    return;
  }
  sink.report(
    diagnostic(
      'UNRECOGNISED_SHAPE',
      'template "resources" must be an array or an object of resources',
      file,
      path,
    ),
  );
}

function walkResource(
  res: unknown,
  path: string,
  file: string,
  sink: WalkSink,
  depth: number,
  parent: Parent | null,
  scope: TemplateScope,
): void {
  if (depth > TEMPLATE_NESTING_LIMIT) {
    sink.report(diagnostic('UNRECOGNISED_SHAPE', 'template resources are nested too deeply', file, path));
    return;
  }
  if (!isObject(res)) {
    sink.report(diagnostic('UNRECOGNISED_SHAPE', 'a template resource must be an object', file, path));
    return;
  }
  // `existing` resources are references to resources deployed elsewhere, not declarations.
  if (res['existing'] === true) return;
  const type = res['type'];
  if (typeof type !== 'string' || type === '') {
    sink.report(
      diagnostic('MISSING_FIELD', 'the template resource has no type', file, jsonPath(path, 'type')),
    );
    return;
  }
  const namePath = jsonPath(path, 'name');
  if (isTemplateExpression(type)) {
    sink.resource({
      file,
      path,
      value: res,
      id: null,
      type,
      template: {
        fullName: null,
        namePath,
        unresolved: { path: jsonPath(path, 'type'), reason: 'its type is a template expression' },
      },
    });
    return;
  }
  if (isTemplateWrapper(type)) {
    const props = res['properties'];
    if (isObject(props) && isObject(props['template'])) {
      walkTemplate(
        props['template'],
        jsonPath(jsonPath(path, 'properties'), 'template'),
        file,
        sink,
        depth + 1,
        nestedScope(res, type, scope),
      );
      return;
    }
  }
  const fullType = parent !== null && !type.includes('/') ? `${parent.fullType}/${type}` : type;
  // A child of an unresolved parent is unresolved too: its ID depends on the parent's name.
  let unresolved =
    parent?.unresolved == null
      ? null
      : { path: parent.unresolved.path, reason: `its parent is skipped: ${parent.unresolved.reason}` };
  const name = res['name'];
  let fullName: string | null = null;
  if (typeof name === 'string' && name !== '') {
    if (isTemplateExpression(name)) {
      unresolved ??= { path: namePath, reason: 'its name is a template expression' };
    }
    const literal = name.startsWith('[[') ? name.slice(1) : name;
    const segmentsWanted = fullType.split('/').length - 1;
    const relative = parent !== null && literal.split('/').length < segmentsWanted;
    fullName = relative ? (parent.fullName === null ? null : `${parent.fullName}/${literal}`) : literal;
  }
  if (res['copy'] !== undefined) {
    unresolved ??= {
      path: jsonPath(path, 'copy'),
      reason: 'it is a copy loop (one declaration for many resources)',
    };
  }
  if (res['condition'] !== undefined && res['condition'] !== true) {
    unresolved ??= {
      path: jsonPath(path, 'condition'),
      reason: 'it is deployed only when its condition holds',
    };
  }
  const id =
    fullName !== null && unresolved === null
      ? templateResourceId(fullType, fullName, scopePrefix(scope))
      : null;
  sink.resource({ file, path, value: res, id, type: fullType, template: { fullName, namePath, unresolved } });
  const children = res['resources'];
  if (children !== undefined) {
    walkResources(
      children,
      jsonPath(path, 'resources'),
      file,
      sink,
      depth + 1,
      { fullType, fullName, unresolved },
      scope,
    );
  }
}

/**
 * The scope of a nested deployment's template: its literal `subscriptionId` and `resourceGroup`
 * (absent: the enclosing one's; a subscription alone targets the subscription, not a group). An
 * expression, or a value that cannot be an ID segment, makes it unknown (placeholder IDs).
 */
function nestedScope(res: JsonObject, type: string, outer: TemplateScope): TemplateScope {
  if (typeKey(type) !== 'microsoft.resources/deployments') return UNKNOWN_SCOPE;
  const sub = scopeField(res, 'subscriptionId');
  const rg = scopeField(res, 'resourceGroup');
  if (sub === null || rg === null) return UNKNOWN_SCOPE;
  if (sub === undefined && rg === undefined) return outer;
  if (sub !== undefined && rg === undefined) return { subscriptionId: sub, resourceGroup: null };
  return { subscriptionId: sub ?? outer.subscriptionId, resourceGroup: rg ?? null };
}

/** A literal ID segment; undefined when the field is absent, null when it is not usable. */
function scopeField(res: JsonObject, key: string): string | null | undefined {
  const value = own(res, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || isTemplateExpression(value)) return null;
  const literal = value.startsWith('[[') ? value.slice(1) : value;
  return literal === '' || /[/\s]/.test(literal) ? null : literal;
}

function scopePrefix(scope: TemplateScope): string | undefined {
  if (scope.subscriptionId === null || scope.resourceGroup === null) return undefined;
  return `/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroup}`;
}
