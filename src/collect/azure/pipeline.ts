/**
 * What every SDK client of a collection shares: the endpoint, the token scope, TLS trust, the retry
 * settings, and one pipeline policy that reports each attempt (for --verbose and throttling progress).
 *
 * Retries are the SDK's own (core-rest-pipeline's retry policy: its throttling strategy honours
 * Retry-After / retry-after-ms / x-ms-retry-after-ms on 429 and 503, its exponential strategy retries
 * other 5xx and connection errors). aciseg only raises the retry count, since a large estate is
 * throttled more than once, and caps the exponential delay.
 */
import type { CommonClientOptions } from '@azure/core-client';
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';
import type { AzureTarget } from './clouds';
import type { RetrySettings } from './settings';

/** One HTTP attempt as seen on the wire (no headers but the throttling ones, never a token or body). */
export interface AttemptRecord {
  method: string;
  /** Origin and path (the query is dropped: it carries only api-version and paging tokens). */
  url: string;
  status: number | null;
  ms: number;
  /** The server's Retry-After in milliseconds on a throttled or unavailable response. */
  retryAfterMs: number | null;
  /** `x-ms-ratelimit-remaining-*` headers, for --verbose. */
  rateLimit: string | null;
  error: string | null;
}

export interface TransportSettings {
  /** Extra CA certificates (PEM) to trust, e.g. for --ca-file. */
  ca?: string;
  retry: RetrySettings;
  onAttempt(record: AttemptRecord): void;
}

/** Options for a generated ARM client (arm-network, arm-containerinstance, subscriptions). */
export function armClientOptions(
  target: AzureTarget,
  transport: TransportSettings,
): CommonClientOptions & { endpoint: string; credentialScopes: string[] } {
  return {
    endpoint: target.armEndpoint,
    credentialScopes: [target.scope],
    ...sharedOptions(transport),
  };
}

/** Options for the Resource Graph client (a REST-level client: scopes go under `credentials`). */
export function restClientOptions(
  target: AzureTarget,
  transport: TransportSettings,
): CommonClientOptions & { endpoint: string; credentials: { scopes: string[] } } {
  return {
    endpoint: target.armEndpoint,
    credentials: { scopes: [target.scope] },
    ...sharedOptions(transport),
  };
}

function sharedOptions(transport: TransportSettings): CommonClientOptions {
  return {
    retryOptions: { ...transport.retry },
    ...(transport.ca === undefined ? {} : { tlsOptions: { ca: transport.ca } }),
    userAgentOptions: { userAgentPrefix: 'aciseg' },
    additionalPolicies: [{ policy: attemptPolicy(transport.onAttempt), position: 'perRetry' }],
  };
}

/** Reports every attempt, including the ones the retry policy is about to repeat. */
function attemptPolicy(onAttempt: (record: AttemptRecord) => void): PipelinePolicy {
  return {
    name: 'acisegAttemptReport',
    async sendRequest(request, next) {
      const started = Date.now();
      const url = stripQuery(request.url);
      try {
        const response = await next(request);
        onAttempt({
          method: request.method,
          url,
          status: response.status,
          ms: Date.now() - started,
          retryAfterMs: retryAfterMs(response),
          rateLimit: rateLimitHeaders(response),
          error: null,
        });
        return response;
      } catch (e) {
        const status = (e as { statusCode?: unknown }).statusCode;
        onAttempt({
          method: request.method,
          url,
          status: typeof status === 'number' ? status : null,
          ms: Date.now() - started,
          retryAfterMs: null,
          rateLimit: null,
          error: (e as Error).name ?? 'Error',
        });
        throw e;
      }
    },
  };
}

function stripQuery(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** The wait the server asks for, as the SDK's throttling strategy reads it. */
export function retryAfterMs(response: PipelineResponse): number | null {
  if (response.status !== 429 && response.status !== 503) return null;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = Number(response.headers.get(name));
    if (Number.isFinite(v) && v >= 0 && response.headers.get(name) !== undefined) return v;
  }
  const header = response.headers.get('retry-after');
  if (header === undefined) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

function rateLimitHeaders(response: PipelineResponse): string | null {
  const parts: string[] = [];
  for (const [name, value] of response.headers) {
    if (name.startsWith('x-ms-ratelimit-remaining-') || name === 'x-ms-user-quota-remaining')
      parts.push(`${name.replace(/^x-ms-(ratelimit-)?/, '')}=${value}`);
  }
  return parts.length > 0 ? parts.sort().join(' ') : null;
}
