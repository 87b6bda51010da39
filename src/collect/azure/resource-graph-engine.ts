/**
 * The Resource Graph engine, for large estates: one Kusto query over up to 1,000 subscriptions at a
 * time (the service's limit per request), 1,000 rows a page, following `$skipToken` to the end.
 * A batch that Azure refuses (403) is split in halves until the refused subscriptions are found, so
 * one unreadable subscription never hides the others. Network manager children are not in Resource
 * Graph; they are walked with ARM calls (see network-managers.ts).
 */
import { NetworkManagementClient } from '@azure/arm-network';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { EnvironmentError } from '../../errors';
import type { JsonObject } from '../../model/normalize';
import { isObject } from '../../model/normalize/raw';
import {
  isSubscriptionRefusal,
  plural,
  refusal,
  requestFailure,
  subscriptionOf,
  type EngineInput,
  type EngineOutput,
  type SubscriptionFailure,
} from './engine';
import { mapLimited } from './limit';
import { collectNetworkManager } from './network-managers';
import { armClientOptions, restClientOptions } from './pipeline';

/** The most subscriptions one Resource Graph request may name. */
export const SUBSCRIPTIONS_PER_QUERY = 1000;
/** Rows per page (the service's maximum `$top`). */
export const ROWS_PER_PAGE = 1000;

const NETWORK_MANAGER = 'microsoft.network/networkmanagers';

/** Which of the requested subscriptions Resource Graph shows (it silently drops unreadable ones). */
export const VISIBLE_SUBSCRIPTIONS =
  "resourcecontainers | where type =~ 'microsoft.resources/subscriptions' | project id, subscriptionId | order by id asc";
const INVISIBLE = 'Resource Graph does not show it (no read access to it, or no such subscription)';

/** The resource types read from the `resources` table (network managers only to find their children). */
export const GRAPH_TYPES = [
  'microsoft.network/virtualnetworks',
  'microsoft.network/networksecuritygroups',
  'microsoft.network/routetables',
  'microsoft.network/applicationsecuritygroups',
  'microsoft.network/networkprofiles',
  'microsoft.containerinstance/containergroups',
  NETWORK_MANAGER,
] as const;

/** The Kusto query; resource group names were validated (letters, digits, `_-.()`), so quoting is safe. */
export function graphQuery(resourceGroups: readonly string[]): string {
  const types = GRAPH_TYPES.map((t) => `'${t}'`).join(', ');
  const groups =
    resourceGroups.length === 0
      ? ''
      : `| where resourceGroup in~ (${resourceGroups.map((g) => `'${g}'`).join(', ')}) `;
  return (
    `resources | where type in~ (${types}) ${groups}` +
    '| project id, name, type, location, resourceGroup, subscriptionId, properties | order by id asc'
  );
}

export async function collectWithResourceGraph(input: EngineInput): Promise<EngineOutput> {
  const client = new ResourceGraphClient(input.credential, restClientOptions(input.target, input.transport));
  const query = graphQuery(input.resourceGroups);
  const rows: JsonObject[] = [];
  const failures: SubscriptionFailure[] = [];

  const runBatch = async (batch: readonly string[]): Promise<void> => {
    const got: JsonObject[] = [];
    const shown: JsonObject[] = [];
    try {
      await queryAllPages(client, VISIBLE_SUBSCRIPTIONS, batch, shown, input, null);
      await queryAllPages(client, query, batch, got, input, 'Resource Graph');
    } catch (e) {
      const f = requestFailure(e);
      if (f === null || !isSubscriptionRefusal(f)) throw e;
      if (batch.length === 1) {
        const subscriptionId = batch[0] as string;
        failures.push(refusal(subscriptionId, f));
        input.events.progress(`${subscriptionId}: skipped (HTTP ${f.status} ${f.code ?? ''})`.trimEnd());
        return;
      }
      const half = Math.ceil(batch.length / 2);
      input.events.progress(
        `Resource Graph refused a batch of ${batch.length} subscriptions (HTTP ${f.status}); splitting it to find which`,
      );
      await runBatch(batch.slice(0, half));
      await runBatch(batch.slice(half));
      return;
    }
    // Resource Graph leaves out what the identity cannot read without saying so: name those subscriptions.
    const visible = new Set(shown.map((r) => String(r['subscriptionId']).toLowerCase()));
    for (const subscriptionId of batch) {
      if (visible.has(subscriptionId)) continue;
      failures.push({ subscriptionId, reason: INVISIBLE });
      input.events.progress(`${subscriptionId}: skipped (not visible to Resource Graph)`);
    }
    for (const r of got) if (visible.has(subscriptionOf(r['id']) ?? '')) rows.push(r);
  };
  for (let i = 0; i < input.subscriptions.length; i += SUBSCRIPTIONS_PER_QUERY)
    await runBatch(input.subscriptions.slice(i, i + SUBSCRIPTIONS_PER_QUERY));

  const resources: JsonObject[] = [];
  const managers: string[] = [];
  for (const row of rows) {
    if (typeof row['type'] === 'string' && row['type'].toLowerCase() === NETWORK_MANAGER) {
      if (typeof row['id'] === 'string') managers.push(row['id']);
    } else resources.push(row);
  }
  await walkManagers(input, managers, resources, failures);
  return { resources, failures };
}

async function queryAllPages(
  client: ResourceGraphClient,
  query: string,
  subscriptions: readonly string[],
  into: JsonObject[],
  input: EngineInput,
  /** Progress label, or null for no progress lines. */
  label: string | null,
): Promise<void> {
  let skipToken: string | undefined;
  let pages = 0;
  do {
    const response = await client.resources(
      {
        query,
        subscriptions: [...subscriptions],
        options: { top: ROWS_PER_PAGE, resultFormat: 'objectArray', ...(skipToken ? { skipToken } : {}) },
      },
      { abortSignal: input.signal },
    );
    pages++;
    const data: unknown = response.data;
    if (!Array.isArray(data))
      throw new EnvironmentError('Resource Graph answered without a row array (data)');
    for (const row of data) if (isObject(row)) into.push(row);
    skipToken = response.skipToken === '' ? undefined : response.skipToken;
    if (skipToken === undefined && String(response.resultTruncated) === 'true')
      throw new EnvironmentError('Resource Graph truncated the result without a $skipToken to continue from');
    if (label !== null)
      input.events.progress(
        `${label}: ${plural(subscriptions.length, 'subscription')}, page ${pages}: ${plural(into.length, 'row')} so far` +
          (skipToken ? '' : ` (of ${response.totalRecords})`),
      );
  } while (skipToken !== undefined);
}

/** Walks each network manager's children with ARM; a refusal drops that manager's subscription. */
async function walkManagers(
  input: EngineInput,
  managers: readonly string[],
  resources: JsonObject[],
  failures: SubscriptionFailure[],
): Promise<void> {
  const options = armClientOptions(input.target, input.transport);
  await mapLimited(managers, input.concurrency, async (id) => {
    const subscriptionId = subscriptionOf(id) as string;
    const found: JsonObject[] = [];
    const client = new NetworkManagementClient(input.credential, subscriptionId, options);
    try {
      await collectNetworkManager(id, { client, signal: input.signal, onItem: (i) => found.push(i) });
    } catch (e) {
      const f = requestFailure(e);
      if (f === null || !isSubscriptionRefusal(f)) throw e;
      failures.push(refusal(subscriptionId, f));
      return;
    }
    for (const r of found) resources.push(r);
    input.events.progress(
      `${subscriptionId}: network manager ${id.split('/').pop()}: ${plural(found.length, 'AVNM resource')}`,
    );
  });
}
