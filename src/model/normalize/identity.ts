/**
 * The identity every snapshot record carries: lower-cased ID, name as given, resource group and
 * subscription parsed from the original-case ID (null for template placeholders).
 */
import { jsonPath } from '../../diagnostics';
import type { JsonObject, RawResource } from './raw';
import type { Reader } from './reader';
import { isTemplateScoped, parseResourceId } from './resource-id';

export interface Identity {
  id: string;
  name: string;
  resourceGroup: string | null;
  subscriptionId: string | null;
}

/** Identity from an original-case ID and a name. */
export function identityFromId(originalId: string, name: string): Identity {
  if (isTemplateScoped(originalId))
    return { id: originalId.toLowerCase(), name, resourceGroup: null, subscriptionId: null };
  const parsed = parseResourceId(originalId);
  return {
    id: trimSlashes(originalId).toLowerCase(),
    name,
    resourceGroup: parsed?.resourceGroup ?? null,
    subscriptionId: parsed?.subscriptionId ?? null,
  };
}

function trimSlashes(id: string): string {
  let t = id;
  while (t.length > 1 && t.endsWith('/')) t = t.slice(0, -1);
  return t;
}

/** Identity of a top-level raw resource; checks the az CLI's `resourceGroup` field against the ID. */
export function resourceIdentity(rd: Reader, raw: RawResource): Identity {
  const value = raw.value;
  if (raw.template !== null) {
    const fullName = raw.template.fullName as string;
    if (raw.id === null) {
      rd.fatal(
        'INVALID_VALUE',
        `template resource name ${JSON.stringify(fullName)} does not have one segment per level of its type ${JSON.stringify(raw.type)}`,
        raw.template.namePath,
      );
    }
    return identityFromId(raw.id, fullName.slice(fullName.lastIndexOf('/') + 1));
  }
  if (raw.id === null) rd.fatal('MISSING_FIELD', 'the resource has no id', jsonPath(raw.path, 'id'));
  const parsed = parseResourceId(raw.id);
  const name = rd.text(value, 'name', raw.path) ?? parsed?.names[parsed.names.length - 1] ?? null;
  if (name === null) rd.fatal('MISSING_FIELD', 'the resource has no name', jsonPath(raw.path, 'name'));
  const identity = identityFromId(raw.id, name);
  checkResourceGroupField(rd, value, raw.path, identity);
  return identity;
}

/**
 * The az CLI (and Resource Graph, lower-cased) add a `resourceGroup` field; it must name the ID's
 * resource group. The ID wins; a disagreement is worth a warning because one of them is stale.
 */
function checkResourceGroupField(rd: Reader, value: JsonObject, path: string, identity: Identity): void {
  const field = value['resourceGroup'];
  if (typeof field !== 'string' || field === '' || identity.resourceGroup === null) return;
  if (field.toLowerCase() !== identity.resourceGroup.toLowerCase()) {
    rd.warn(
      'CONFLICTING_FIELDS',
      `resourceGroup ${JSON.stringify(field)} disagrees with the id's resource group ${JSON.stringify(identity.resourceGroup)}; using the id`,
      jsonPath(path, 'resourceGroup'),
    );
  }
}

/**
 * Identity of an inline child (a subnet inside a VNet): its own `id` when given, else built from the
 * parent's ID, which is how Azure names it.
 */
export function childIdentity(
  rd: Reader,
  item: JsonObject,
  path: string,
  parentOriginalId: string,
  childType: string,
): Identity {
  const ownId = rd.template ? null : rd.text(item, 'id', path);
  let name = rd.text(item, 'name', path);
  if (name === null && ownId !== null) {
    const parsed = parseResourceId(ownId);
    name = parsed?.names[parsed.names.length - 1] ?? null;
  }
  if (name === null) rd.fatal('MISSING_FIELD', `the ${childType} entry has no name`, jsonPath(path, 'name'));
  const originalId = ownId ?? `${trimSlashes(parentOriginalId)}/${childType}/${name}`;
  const identity = identityFromId(originalId, name);
  checkResourceGroupField(rd, item, path, identity);
  return identity;
}
