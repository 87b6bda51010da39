/**
 * A live collection: subscriptions → engine → raw resources → the same normalizer `import` uses.
 * Raw resources are normalized in resource-ID order whatever order the service sent them in, so the
 * snapshot depends only on the estate (and equals `aciseg import` of the same JSON).
 */
import { diagnostic } from '../../diagnostics';
import { EnvironmentError } from '../../errors';
import { SnapshotBuilder, type ImportOutcome, type JsonObject } from '../../model/normalize';
import { collectWithArm } from './arm-engine';
import type { AzureTarget } from './clouds';
import { rejectedTokenFailure, AuthenticationFailure, type ChosenCredential } from './credential';
import {
  plural,
  requestFailure,
  subscriptionOf,
  type CollectEvents,
  type EngineInput,
  type EngineName,
  type SubscriptionFailure,
} from './engine';
import type { TransportSettings } from './pipeline';
import { collectWithResourceGraph } from './resource-graph-engine';
import { RESOURCE_GRAPH_ABOVE } from './settings';
import { listSubscriptions } from './subscriptions';

export interface CollectRequest {
  target: AzureTarget;
  credential: ChosenCredential;
  transport: TransportSettings;
  /** Subscription IDs to read; empty = every subscription the identity can read. */
  subscriptions: readonly string[];
  resourceGroups: readonly string[];
  engine?: EngineName;
  concurrency: number;
  signal: AbortSignal;
  events: CollectEvents;
  /** The collection time stored in the snapshot. */
  now(): Date;
}

export interface CollectResult {
  outcome: ImportOutcome;
  engine: EngineName;
  subscriptions: number;
  failures: SubscriptionFailure[];
}

export async function collectAzure(request: CollectRequest): Promise<CollectResult> {
  // One failure ends the run: stop the requests still under way instead of leaving them behind.
  const stop = new AbortController();
  const forward = (): void => stop.abort();
  request.signal.addEventListener('abort', forward);
  try {
    return await collect({ ...request, signal: stop.signal });
  } catch (e) {
    stop.abort();
    throw explain(e, request);
  } finally {
    request.signal.removeEventListener('abort', forward);
  }
}

async function collect(request: CollectRequest): Promise<CollectResult> {
  const { events } = request;
  let subscriptions = distinctSorted(request.subscriptions);
  if (subscriptions.length === 0) {
    const listed = await listSubscriptions(
      request.credential.credential,
      request.target,
      request.transport,
      request.signal,
    );
    subscriptions = distinctSorted(listed.readable);
    events.progress(
      `found ${plural(subscriptions.length, 'readable subscription')}` +
        (listed.skipped > 0 ? ` (${listed.skipped} disabled or deleted left out)` : ''),
    );
    if (subscriptions.length === 0)
      throw new EnvironmentError(
        `the signed-in identity (${request.credential.source}) can read no subscription; grant it Reader on the subscriptions to collect, or name them with --subscription`,
      );
  }
  const engine = request.engine ?? (subscriptions.length > RESOURCE_GRAPH_ABOVE ? 'resource-graph' : 'arm');
  events.progress(`collecting ${plural(subscriptions.length, 'subscription')} with the ${engine} engine`);
  const input: EngineInput = {
    target: request.target,
    credential: request.credential.credential,
    transport: request.transport,
    subscriptions,
    resourceGroups: request.resourceGroups,
    concurrency: request.concurrency,
    signal: request.signal,
    events,
  };
  const output = engine === 'arm' ? await collectWithArm(input) : await collectWithResourceGraph(input);
  const failures = [...output.failures].sort((a, b) => compare(a.subscriptionId, b.subscriptionId));
  const refused = new Set(failures.map((f) => f.subscriptionId));
  const keep = (r: JsonObject): boolean => !refused.has(subscriptionOf(r['id']) ?? '');
  const resources = output.resources.filter(keep).map((value) => ({ key: sortKey(value), value }));
  output.resources.length = 0; // only `resources` holds them now, so each can go once normalized
  resources.sort((a, b) => compare(a.key, b.key));

  const builder = new SnapshotBuilder();
  for (let i = 0; i < resources.length; i++) {
    const { value } = resources[i] as { value: JsonObject };
    const id = typeof value['id'] === 'string' && value['id'] !== '' ? value['id'] : null;
    const type = typeof value['type'] === 'string' && value['type'] !== '' ? value['type'] : null;
    builder.add({ file: id ?? 'azure', path: '$', value, id, type, template: null });
    (resources as unknown[])[i] = null; // let each raw resource go once normalized
  }
  for (const f of failures) {
    builder.report(
      diagnostic(
        'SUBSCRIPTION_UNREADABLE',
        `subscription ${f.subscriptionId} was not collected: ${f.reason}; ` +
          'the snapshot holds none of its resources (grant Reader on it, or name only the others with --subscription)',
        `/subscriptions/${f.subscriptionId}`,
        null,
      ),
    );
  }
  const outcome = builder.finish();
  if (outcome.snapshot !== undefined)
    outcome.snapshot.source = { kind: 'collect', collectedAt: request.now().toISOString() };
  return { outcome, engine, subscriptions: subscriptions.length, failures };
}

function sortKey(value: JsonObject): string {
  const id = value['id'];
  return typeof id === 'string' ? id.toLowerCase() : '';
}

function distinctSorted(ids: readonly string[]): string[] {
  return [...new Set(ids.map((s) => s.toLowerCase()))].sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Turns what the SDK threw into an error with an exit code and a message people can act on. */
function explain(e: unknown, request: CollectRequest): unknown {
  if (e instanceof EnvironmentError) return e;
  if ((e as Error)?.name === 'AbortError')
    return new EnvironmentError('collection interrupted; nothing was written');
  const f = requestFailure(e);
  if (f !== null && f.status === 401)
    return rejectedTokenFailure(request.credential.source, request.target, f.code ?? f.message);
  // The SDK may wrap what the credential threw; find our own message inside.
  const cause = (e as { cause?: unknown })?.cause;
  if (cause instanceof AuthenticationFailure) return cause;
  if (f !== null) {
    return new EnvironmentError(
      `an Azure request failed${f.status === null ? '' : ` with HTTP ${f.status}`}${f.code ? ` (${f.code})` : ''}` +
        ` after retries: ${f.message.split('\n', 1)[0]}`,
    );
  }
  return e;
}
