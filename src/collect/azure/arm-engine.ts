/**
 * The ARM engine: per subscription, the list calls of @azure/arm-network and
 * @azure/arm-containerinstance (all pages), a bounded number of subscriptions at a time. Best for a
 * few subscriptions; it sends about eight requests per subscription (more with resource groups or
 * network managers).
 */
import { NetworkManagementClient } from '@azure/arm-network';
import { ContainerInstanceManagementClient } from '@azure/arm-containerinstance';
import type { JsonObject } from '../../model/normalize';
import {
  drain,
  isSubscriptionRefusal,
  isUnregisteredProvider,
  plural,
  refusal,
  requestFailure,
  type EngineInput,
  type EngineOutput,
  type SubscriptionFailure,
} from './engine';
import { mapLimited } from './limit';
import { collectNetworkManager } from './network-managers';
import { armClientOptions } from './pipeline';

type Pages = AsyncIterableIterator<unknown[]>;

/** The network operations that list over a subscription (`listAll`) or a resource group (`list`). */
interface Lists {
  listAll(options: { abortSignal: AbortSignal }): { byPage(): Pages };
  list(resourceGroup: string, options: { abortSignal: AbortSignal }): { byPage(): Pages };
}

interface ListCall {
  /** For progress lines, plural. */
  what: string;
  pages(resourceGroup: string | null): Pages;
}

export async function collectWithArm(input: EngineInput): Promise<EngineOutput> {
  const resources: JsonObject[] = [];
  const failures: SubscriptionFailure[] = [];
  await mapLimited(input.subscriptions, input.concurrency, async (subscriptionId) => {
    const found: JsonObject[] = [];
    try {
      await collectSubscription(input, subscriptionId, found);
    } catch (e) {
      const f = requestFailure(e);
      if (f === null || !isSubscriptionRefusal(f)) throw e;
      // Part of a subscription is worse than none: a missing NSG reads as "no NSG = allow".
      failures.push(refusal(subscriptionId, f));
      input.events.progress(`${subscriptionId}: skipped (HTTP ${f.status} ${f.code ?? ''})`.trimEnd());
      return;
    }
    for (const r of found) resources.push(r);
  });
  return { resources, failures };
}

async function collectSubscription(
  input: EngineInput,
  subscriptionId: string,
  found: JsonObject[],
): Promise<void> {
  const options = armClientOptions(input.target, input.transport);
  const network = new NetworkManagementClient(input.credential, subscriptionId, options);
  const aci = new ContainerInstanceManagementClient(input.credential, subscriptionId, options);
  const o = { abortSignal: input.signal };
  const listed = (what: string, ops: Lists): ListCall => ({
    what,
    pages: (rg) => (rg === null ? ops.listAll(o) : ops.list(rg, o)).byPage(),
  });
  const calls: ListCall[] = [
    listed('virtual network', network.virtualNetworks),
    listed('network security group', network.networkSecurityGroups),
    listed('route table', network.routeTables),
    listed('application security group', network.applicationSecurityGroups),
    listed('network profile', network.networkProfiles),
    {
      what: 'container group',
      pages: (rg) =>
        (rg === null ? aci.containerGroups.list(o) : aci.containerGroups.listByResourceGroup(rg, o)).byPage(),
    },
  ];
  const groups: (string | null)[] = input.resourceGroups.length === 0 ? [null] : [...input.resourceGroups];
  for (const call of calls) {
    let items = 0;
    let pages = 0;
    for (const rg of groups) {
      const n = await drainTolerant(call.pages(rg), (item) => found.push(item));
      items += n.items;
      pages += n.pages;
    }
    input.events.progress(`${subscriptionId}: ${plural(items, call.what)} (${plural(pages, 'page')})`);
  }

  const managers: string[] = [];
  for (const rg of groups) {
    const pages =
      rg === null
        ? network.networkManagers.listBySubscription(o).byPage()
        : network.networkManagers.list(rg, o).byPage();
    await drainTolerant(pages, (m) => {
      if (typeof m['id'] === 'string') managers.push(m['id']);
    });
  }
  let avnm = 0;
  for (const id of managers) {
    avnm += await collectNetworkManager(id, {
      client: network,
      signal: input.signal,
      onItem: (i) => found.push(i),
    });
  }
  if (managers.length > 0)
    input.events.progress(
      `${subscriptionId}: ${plural(managers.length, 'network manager')} (${plural(avnm, 'AVNM resource')})`,
    );
}

/** Drains a list, reading "resource provider not registered" as an empty list. */
async function drainTolerant(
  pages: Pages,
  onItem: (item: JsonObject) => void,
): Promise<{ items: number; pages: number }> {
  try {
    return await drain(pages, onItem);
  } catch (e) {
    const f = requestFailure(e);
    if (f !== null && isUnregisteredProvider(f)) return { items: 0, pages: 0 };
    throw e;
  }
}
