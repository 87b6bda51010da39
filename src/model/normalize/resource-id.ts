/**
 * ARM resource IDs: `/subscriptions/{sub}/resourceGroups/{rg}/providers/{Namespace}/{type}/{name}[/{type}/{name}]…`.
 * Parsing is by segments (no regular expressions over the whole ID) and case-insensitive for the
 * fixed words, keeping the case of everything else.
 */

export interface ParsedResourceId {
  subscriptionId: string | null;
  resourceGroup: string | null;
  /** Full type in the ID's case, e.g. `Microsoft.Network/virtualNetworks/subnets`. */
  type: string;
  /** One name per type segment after the namespace. */
  names: string[];
}

/** Parses an ARM resource ID; null when it is not one (no provider part, odd type/name pairs, empty segments). */
export function parseResourceId(id: string): ParsedResourceId | null {
  if (!id.startsWith('/')) return null;
  let text = id;
  while (text.length > 1 && text.endsWith('/')) text = text.slice(0, -1);
  const segments = text.split('/');
  let providers = -1;
  for (let i = segments.length - 1; i >= 1; i--) {
    if ((segments[i] as string).toLowerCase() === 'providers') {
      providers = i;
      break;
    }
  }
  if (providers < 0) return null;
  const namespace = segments[providers + 1];
  const rest = segments.slice(providers + 2);
  if (namespace === undefined || namespace === '' || rest.length === 0 || rest.length % 2 !== 0) return null;
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    const t = rest[i] as string;
    const n = rest[i + 1] as string;
    if (t === '' || n === '') return null;
    types.push(t);
    names.push(n);
  }
  let subscriptionId: string | null = null;
  let resourceGroup: string | null = null;
  if ((segments[1] ?? '').toLowerCase() === 'subscriptions' && providers >= 3) {
    subscriptionId = segments[2] || null;
    if ((segments[3] ?? '').toLowerCase() === 'resourcegroups' && providers >= 5) {
      resourceGroup = segments[4] || null;
    }
  }
  return { subscriptionId, resourceGroup, type: `${namespace}/${types.join('/')}`, names };
}

/** The ID of the parent resource (`…/virtualNetworks/v` for `…/virtualNetworks/v/subnets/s`); null for top-level resources. */
export function parentResourceId(id: string): string | null {
  const parsed = parseResourceId(id);
  if (parsed === null || parsed.names.length < 2) return null;
  let text = id;
  while (text.endsWith('/')) text = text.slice(0, -1);
  const lastSlash = text.lastIndexOf('/');
  const typeSlash = text.lastIndexOf('/', lastSlash - 1);
  return text.slice(0, typeSlash);
}

/** A resource type in the form used for comparisons: lower case, without trailing slashes. */
export function typeKey(type: string): string {
  let t = type.toLowerCase();
  while (t.endsWith('/')) t = t.slice(0, -1);
  return t;
}

/** A resource type for display: as written, without trailing slashes. */
export function typeDisplay(type: string): string {
  let t = type;
  while (t.endsWith('/')) t = t.slice(0, -1);
  return t;
}

/** The placeholder scope given to template resources, which carry no real IDs. Clearly not a real subscription. */
export const TEMPLATE_SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/template';

/**
 * Builds the ID of a template resource from its full type and full name
 * (`Microsoft.Network/networkSecurityGroups/securityRules` + `nsg/rule`) in `scope` (the placeholder
 * scope unless a nested deployment names the real one); null when the segment counts differ.
 */
export function templateResourceId(
  fullType: string,
  fullName: string,
  scope = TEMPLATE_SCOPE,
): string | null {
  const typeParts = typeDisplay(fullType).split('/');
  const nameParts = fullName.split('/');
  if (typeParts.length < 2 || nameParts.length !== typeParts.length - 1) return null;
  if (nameParts.some((n) => n === '')) return null;
  let id = `${scope}/providers/${typeParts[0] as string}`;
  for (let i = 0; i < nameParts.length; i++) id += `/${typeParts[i + 1] as string}/${nameParts[i] as string}`;
  return id;
}

/** True when the ID lies in the template placeholder scope (so it names no real resource group). */
export function isTemplateScoped(id: string): boolean {
  return id.toLowerCase().startsWith(`${TEMPLATE_SCOPE.toLowerCase()}/`);
}
