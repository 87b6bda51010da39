/** What the two collection engines share: their inputs, their output, and how a failed request is classified. */
import type { TokenCredential } from '@azure/core-auth';
import type { JsonObject } from '../../model/normalize';
import type { AzureTarget } from './clouds';
import type { TransportSettings } from './pipeline';

export type EngineName = 'arm' | 'resource-graph';

export interface CollectEvents {
  /** A progress line for people (per subscription and resource type, counts, throttling waits). */
  progress(line: string): void;
}

export interface EngineInput {
  target: AzureTarget;
  credential: TokenCredential;
  transport: TransportSettings;
  /** Subscription IDs, lower-cased, sorted, distinct. */
  subscriptions: readonly string[];
  /** Resource group names to keep (compared case-insensitively); empty = all. */
  resourceGroups: readonly string[];
  /** How many subscriptions (ARM) or network managers are read at once. */
  concurrency: number;
  signal: AbortSignal;
  events: CollectEvents;
}

/** A subscription left out of the snapshot because Azure refused to show (some of) it. */
export interface SubscriptionFailure {
  subscriptionId: string;
  /** Why, as a phrase: "Azure answered HTTP 403 (AuthorizationFailed)". */
  reason: string;
}

/** The failure record for a refused request. */
export function refusal(subscriptionId: string, f: RequestFailure): SubscriptionFailure {
  return {
    subscriptionId,
    reason: `Azure answered HTTP ${f.status} (${f.code ?? f.message.split('\n', 1)[0]})`,
  };
}

export interface EngineOutput {
  /** Raw resources as JSON (SDK objects serialized, or Resource Graph rows), in no particular order. */
  resources: JsonObject[];
  failures: SubscriptionFailure[];
}

/** The parts of an SDK RestError that decide what to do with it. */
export interface RequestFailure {
  status: number | null;
  code: string | null;
  message: string;
}

export function requestFailure(e: unknown): RequestFailure | null {
  if (typeof e !== 'object' || e === null || (e as Error).name !== 'RestError') return null;
  const { statusCode, code, message } = e as { statusCode?: unknown; code?: unknown; message?: unknown };
  return {
    status: typeof statusCode === 'number' ? statusCode : null,
    code: typeof code === 'string' ? code : null,
    message: typeof message === 'string' ? message : '',
  };
}

/** Refusals that concern one subscription (no access, gone): it is reported and the rest collected. */
export function isSubscriptionRefusal(f: RequestFailure): boolean {
  return f.status === 403 || (f.status === 404 && /subscription/i.test(`${f.code ?? ''} ${f.message}`));
}

/** A resource provider that is not registered in a subscription holds no resources of its types. */
export function isUnregisteredProvider(f: RequestFailure): boolean {
  return f.status === 409 && f.code === 'MissingSubscriptionRegistration';
}

/** The subscription ID in a resource ID (lower-cased), or null. */
export function subscriptionOf(id: unknown): string | null {
  if (typeof id !== 'string') return null;
  const m = /^\/subscriptions\/([^/]+)/i.exec(id);
  return m ? (m[1] as string).toLowerCase() : null;
}

/** `/subscriptions/s/resourceGroups/rg/providers/p/t/name[/…]` → resource group and name of the top resource. */
export function resourceGroupAndName(id: string): { resourceGroup: string; name: string } | null {
  const m = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/([^/]+)/i.exec(id);
  return m ? { resourceGroup: m[1] as string, name: m[2] as string } : null;
}

/** An SDK object as the JSON `import` would read for it: dates as text, no undefined members. */
export function asJson(value: unknown): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

/** Drains a paged SDK list; `onPage` sees each page's size (pages may be empty). */
export async function drain(
  pages: AsyncIterableIterator<unknown[]>,
  onItem: (item: JsonObject) => void,
): Promise<{ items: number; pages: number }> {
  let items = 0;
  let count = 0;
  for await (const page of pages) {
    count++;
    for (const item of page) {
      onItem(asJson(item));
      items++;
    }
  }
  return { items, pages: count };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
