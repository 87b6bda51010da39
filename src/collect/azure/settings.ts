/**
 * The collector's settings that the command line needs before it runs: kept apart from the modules
 * that import the Azure SDK, so commands other than `collect` never load it (about 200 ms and 27 MB).
 */

/** Above this many subscriptions, `collect` uses Resource Graph unless `--engine` says otherwise. */
export const RESOURCE_GRAPH_ABOVE = 10;

/** The environment variable holding a bearer token (what `az account get-access-token` prints). */
export const TOKEN_VARIABLE = 'ACISEG_ACCESS_TOKEN';

export interface RetrySettings {
  maxRetries: number;
  retryDelayInMs: number;
  maxRetryDelayInMs: number;
}

export const DEFAULT_RETRY: RetrySettings = {
  maxRetries: 8,
  retryDelayInMs: 1000,
  maxRetryDelayInMs: 60_000,
};
