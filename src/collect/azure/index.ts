/** Live collection from Azure: the only code that imports `@azure/*`. */
export { collectAzure, RESOURCE_GRAPH_ABOVE, type CollectRequest, type CollectResult } from './collect';
export { azureTarget, normalizeEndpoint, CLOUD_NAMES, type AzureTarget, type CloudName } from './clouds';
export {
  chooseCredential,
  staticTokenCredential,
  signInFailure,
  AuthenticationFailure,
  TOKEN_VARIABLE,
} from './credential';
export type { CollectEvents, EngineName, SubscriptionFailure } from './engine';
export { DEFAULT_RETRY, type AttemptRecord, type RetrySettings, type TransportSettings } from './pipeline';
export {
  SUBSCRIPTIONS_PER_QUERY,
  ROWS_PER_PAGE,
  VISIBLE_SUBSCRIPTIONS,
  graphQuery,
} from './resource-graph-engine';
