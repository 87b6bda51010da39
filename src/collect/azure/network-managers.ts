/**
 * Azure Virtual Network Manager: network groups with their static members, and security admin
 * configurations with their rule collections and rules. These are child resources that neither a
 * subscription-wide list nor Resource Graph returns, so both engines walk them with ARM list calls.
 */
import type { NetworkManagementClient } from '@azure/arm-network';
import type { JsonObject } from '../../model/normalize';
import { drain, resourceGroupAndName } from './engine';

export interface ManagerWalk {
  client: NetworkManagementClient;
  signal: AbortSignal;
  onItem(item: JsonObject): void;
}

/** Collects everything aciseg models under one network manager; returns how many resources it found. */
export async function collectNetworkManager(managerId: string, walk: ManagerWalk): Promise<number> {
  const where = resourceGroupAndName(managerId);
  if (where === null) return 0;
  const { resourceGroup: rg, name: nm } = where;
  const { client, signal, onItem } = walk;
  const options = { abortSignal: signal };
  let found = 0;
  const keep = (item: JsonObject): void => {
    found++;
    onItem(item);
  };
  const groups: string[] = [];
  await drain(client.networkGroups.list(rg, nm, options).byPage(), (g) => {
    keep(g);
    if (typeof g['name'] === 'string') groups.push(g['name']);
  });
  for (const group of groups) await drain(client.staticMembers.list(rg, nm, group, options).byPage(), keep);

  const configurations: string[] = [];
  await drain(client.securityAdminConfigurations.list(rg, nm, options).byPage(), (c) => {
    if (typeof c['name'] === 'string') configurations.push(c['name']);
  });
  for (const configuration of configurations) {
    const collections: string[] = [];
    await drain(client.adminRuleCollections.list(rg, nm, configuration, options).byPage(), (c) => {
      keep(c);
      if (typeof c['name'] === 'string') collections.push(c['name']);
    });
    for (const collection of collections)
      await drain(client.adminRules.list(rg, nm, configuration, collection, options).byPage(), keep);
  }
  return found;
}
