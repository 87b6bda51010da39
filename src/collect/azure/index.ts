/** Live collection from Azure: the only code that imports `@azure/*`. */
export { collectAzure, type CollectRequest, type CollectResult } from './collect';
export { azureTarget, normalizeEndpoint, CLOUD_NAMES, type AzureTarget, type CloudName } from './clouds';
export { chooseCredential, staticTokenCredential, signInFailure, AuthenticationFailure } from './credential';
export type { CollectEvents, EngineName, SubscriptionFailure } from './engine';
export type { AttemptRecord, TransportSettings } from './pipeline';
export { DEFAULT_RETRY, RESOURCE_GRAPH_ABOVE, TOKEN_VARIABLE, type RetrySettings } from './settings';
export {
  SUBSCRIPTIONS_PER_QUERY,
  ROWS_PER_PAGE,
  VISIBLE_SUBSCRIPTIONS,
  graphQuery,
} from './resource-graph-engine';
