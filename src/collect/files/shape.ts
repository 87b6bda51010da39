/**
 * Recognizing what an input document is and walking its envelopes down to resources:
 * - a resource object (ARM REST GET body, `az … show`, an SDK object) or an array of them (`az … list`,
 *   Resource Graph rows without envelope);
 * - a REST list page `{ value: [...], nextLink }`;
 * - Azure Resource Graph output `{ count, data: [...], skip_token, total_records }` (az) or
 *   `{ totalRecords, count, resultTruncated, $skipToken, data: [...] }` (REST);
 * - a REST-spec example `{ parameters, responses: { "200": { body } } }` (the request is ignored);
 * - an ARM template, also wrapped in a Blueprint artifact or a deployment (see template.ts).
 * Anything else is UNRECOGNISED_SHAPE, with a specific hint for files that are something else aciseg reads.
 */
import { diagnostic, jsonPath, type Diagnostic } from '../../diagnostics';
import { isObject, own, type JsonObject, type RawResource } from '../../model/normalize/raw';
import { describeType } from '../../model/normalize/reader';
import { walkTemplate, isTemplateWrapper, TEMPLATE_NESTING_LIMIT } from './template';

/** Where a walk delivers what it finds. */
export interface WalkSink {
  resource(raw: RawResource): void;
  report(d: Diagnostic): void;
}

const EXPECTED =
  'expected an Azure resource (an object with "id" or "type"), an array of resources, a REST list page ({"value": [...]}), ' +
  'Azure Resource Graph output ({"data": [...]}), an ARM template, or a REST API example ({"responses": {"200": {"body": ...}}})';

/**
 * Walks one parsed document, delivering its resources and any shape diagnostics to `sink`. A document
 * that is recognisably something else (a flow log, a snapshot, …) is an UNRECOGNISED_SHAPE error
 * saying what it is, or with `skipOthers` (files found while walking a directory) one SKIPPED_FILE warning.
 */
export function walkDocument(
  json: unknown,
  file: string,
  sink: WalkSink,
  options: { skipOthers?: boolean } = {},
): void {
  const other = describeNonResource(json);
  if (other !== null && options.skipOthers) {
    sink.report(
      diagnostic(
        'SKIPPED_FILE',
        `skipped: this looks like ${other.what}, not Azure resources (${other.advice})`,
        file,
        '$',
      ),
    );
    return;
  }
  if (other !== null) {
    sink.report(
      diagnostic('UNRECOGNISED_SHAPE', `this looks like ${other.what}; ${other.advice}`, file, '$'),
    );
    return;
  }
  walkNode(json, '$', file, sink, 0);
}

/** A kind of file that is not Azure resources, and what to do with it instead. */
export interface OtherFile {
  what: string;
  advice: string;
}

/** What a whole document is when it is recognisably not resources (something else Azure or aciseg writes); null otherwise. */
export function describeNonResource(node: unknown, depth = 0): OtherFile | null {
  if (!isObject(node)) return Array.isArray(node) ? describeComputedList(node) : null;
  // A resource is a resource, whatever else it holds (the Service Tag Discovery API answer has an id and a type).
  if (isResourceLike(node)) return null;
  const example = restExampleBody(node);
  if (example !== undefined)
    return example === null || depth > 0 ? null : describeNonResource(example.body, 1);
  if (Array.isArray(node['records'])) {
    return {
      what: 'an NSG/VNet flow log',
      advice: 'flow logs are read by --flows (analyze, plan, report), not import',
    };
  }
  if (Array.isArray(node['values']) && 'changeNumber' in node) {
    return {
      what: 'a service tags file (ServiceTags_Public)',
      advice: 'pass it with --service-tags, not import',
    };
  }
  const generator = node['generator'];
  if ('schemaVersion' in node && isObject(generator) && generator['name'] === 'aciseg') {
    return {
      what: 'an aciseg snapshot',
      advice: 'the other commands read snapshots directly; import reads Azure exports',
    };
  }
  if (typeof node['$schema'] === 'string' && /deploymentparameters\.json/i.test(node['$schema'])) {
    return {
      what: 'an ARM parameters file',
      advice: 'import the template or, better, the deployed resources',
    };
  }
  const value = node['value'];
  return Array.isArray(value) ? describeComputedList(value) : null;
}

/** Effective rules and effective routes: computed views of a NIC, lists whose elements are not resources. */
function describeComputedList(items: readonly unknown[]): OtherFile | null {
  const first = items.find((item) => item !== null);
  if (!isObject(first) || isResourceLike(first)) return null;
  if (Array.isArray(first['effectiveSecurityRules'])) {
    return {
      what: 'effective security rules (az network nic list-effective-nsg)',
      advice: 'a computed view rather than resources; import the NSGs themselves',
    };
  }
  if (typeof first['nextHopType'] === 'string' && ('source' in first || 'state' in first)) {
    return {
      what: 'effective routes (az network nic show-effective-route-table)',
      advice: 'a computed view rather than resources; import the route tables themselves',
    };
  }
  return null;
}

/** True when an object looks like an Azure resource: it has a string `id` or `type`. */
export function isResourceLike(value: unknown): value is JsonObject {
  return isObject(value) && (typeof value['id'] === 'string' || typeof value['type'] === 'string');
}

function walkNode(node: unknown, path: string, file: string, sink: WalkSink, depth: number): void {
  const unrecognised = (message: string, at = path): void =>
    sink.report(diagnostic('UNRECOGNISED_SHAPE', message, file, at));
  if (depth > TEMPLATE_NESTING_LIMIT) return unrecognised('documents are nested too deeply');
  if (Array.isArray(node)) return walkList(node, path, file, sink, depth);
  if (!isObject(node)) return unrecognised(`${EXPECTED}; found ${describeType(node)}`);

  const example = restExampleBody(node);
  if (example !== undefined) {
    if (example === null) {
      return unrecognised(
        'this REST API example has no 2xx response with a body, so it describes no resource',
      );
    }
    return walkNode(
      example.body,
      jsonPath(jsonPath(jsonPath(path, 'responses'), example.status), 'body'),
      file,
      sink,
      depth + 1,
    );
  }
  if (isTemplate(node)) return walkTemplate(node, path, file, sink, depth + 1);
  if (isResourceLike(node)) return walkResource(node, path, file, sink, depth);

  const value = node['value'];
  if (Array.isArray(value)) {
    warnIfMorePages(node, path, file, sink);
    return walkList(value, jsonPath(path, 'value'), file, sink, depth);
  }
  const data = node['data'];
  if (isResourceGraphEnvelope(node)) {
    if (Array.isArray(data)) {
      warnIfMorePages(node, path, file, sink);
      return walkList(data, jsonPath(path, 'data'), file, sink, depth);
    }
    return unrecognised(
      'this Resource Graph result is in table format ({"columns", "rows"}); export it with resultFormat objectArray (the az CLI default)',
      jsonPath(path, 'data'),
    );
  }
  // Nested inside an envelope (a whole document was described before walking).
  const other = describeNonResource(node, 1);
  return unrecognised(other === null ? EXPECTED : `this looks like ${other.what}; ${other.advice}`);
}

function walkList(
  items: readonly unknown[],
  path: string,
  file: string,
  sink: WalkSink,
  depth: number,
): void {
  let firstBad = -1;
  let bad = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (isResourceLike(item)) {
      walkResource(item, `${path}[${i}]`, file, sink, depth);
      // The document is ours and walked once: letting go of each resource once normalized keeps the
      // heap small on large exports (the normalized records are far smaller than the parsed JSON).
      (items as unknown[])[i] = null;
      continue;
    }
    if (Array.isArray(item) || (isObject(item) && isEnvelope(item))) {
      // Pages saved together as one array (`[page1, page2]`), or one array per query.
      walkNode(item, `${path}[${i}]`, file, sink, depth + 1);
      continue;
    }
    if (firstBad < 0) firstBad = i;
    bad++;
  }
  if (firstBad < 0) return;
  const item = items[firstBad];
  const more =
    bad > 1 ? ` (${bad - 1} more element${bad > 2 ? 's' : ''} of this list are not resources either)` : '';
  const other = describeComputedList([item]);
  const message =
    other !== null
      ? `this looks like ${other.what}; ${other.advice}`
      : `${EXPECTED}; this list element is ${isObject(item) ? 'an object without "id" or "type"' : describeType(item)}`;
  sink.report(diagnostic('UNRECOGNISED_SHAPE', message + more, file, `${path}[${firstBad}]`));
}

/** An envelope that may appear inside a list: a list page, Resource Graph output, a template or a REST example. */
function isEnvelope(node: JsonObject): boolean {
  return (
    Array.isArray(node['value']) ||
    isResourceGraphEnvelope(node) ||
    isTemplate(node) ||
    restExampleBody(node) !== undefined
  );
}

function walkResource(node: JsonObject, path: string, file: string, sink: WalkSink, depth: number): void {
  const type = node['type'];
  if (typeof type === 'string' && isTemplateWrapper(type)) {
    const props = node['properties'];
    if (isObject(props) && isObject(props['template'])) {
      return walkTemplate(
        props['template'],
        jsonPath(jsonPath(path, 'properties'), 'template'),
        file,
        sink,
        depth + 1,
      );
    }
  }
  const id = node['id'];
  sink.resource({
    file,
    path,
    value: node,
    id: typeof id === 'string' && id !== '' ? id : null,
    type: typeof type === 'string' && type !== '' ? type : null,
    template: null,
  });
}

/**
 * For a REST-spec example file, the response body to use: 200, else 201, else the first other 2xx
 * (by status code); null when none has a body; undefined when the object is not an example.
 */
function restExampleBody(node: JsonObject): { status: string; body: unknown } | null | undefined {
  const responses = node['responses'];
  if (!isObject(responses) || !isObject(node['parameters'])) return undefined;
  const statuses = Object.keys(responses).filter((k) => /^\d{3}$/.test(k));
  if (statuses.length === 0) return undefined;
  const order = [
    '200',
    '201',
    ...statuses.filter((s) => s.startsWith('2') && s !== '200' && s !== '201').sort(),
  ];
  for (const status of order) {
    const response = own(responses, status);
    if (isObject(response) && response['body'] !== undefined && response['body'] !== null) {
      return { status, body: response['body'] };
    }
  }
  return null;
}

function isTemplate(node: JsonObject): boolean {
  const schema = node['$schema'];
  const resources = node['resources'];
  const hasResources = Array.isArray(resources) || isObject(resources);
  if (typeof schema === 'string') return /deploymenttemplate\.json/i.test(schema) && hasResources;
  return hasResources && typeof node['contentVersion'] === 'string';
}

function isResourceGraphEnvelope(node: JsonObject): boolean {
  if (!('data' in node)) return false;
  for (const key of [
    'count',
    'totalRecords',
    'total_records',
    'skip_token',
    '$skipToken',
    'resultTruncated',
    'facets',
  ]) {
    if (key in node) return true;
  }
  return false;
}

/**
 * A page that says more follow means the file holds part of a list. It is worth a warning (not an
 * error: the other pages may be in other files), because a missing page silently hides resources.
 */
function warnIfMorePages(node: JsonObject, path: string, file: string, sink: WalkSink): void {
  for (const key of ['nextLink', '$skipToken', 'skip_token']) {
    const token = node[key];
    if (typeof token === 'string' && token !== '') {
      sink.report(
        diagnostic(
          'INCOMPLETE_LIST',
          `this list says more results follow (${key}); import every page, or the snapshot misses resources`,
          file,
          jsonPath(path, key),
        ),
      );
      return;
    }
  }
  const truncated = node['resultTruncated'];
  if (truncated === true || truncated === 'true') {
    sink.report(
      diagnostic(
        'INCOMPLETE_LIST',
        'this Resource Graph result is truncated (resultTruncated); page through it and import every page',
        file,
        jsonPath(path, 'resultTruncated'),
      ),
    );
  }
}
