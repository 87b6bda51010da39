/**
 * Lookup tables over a snapshot (by lower-cased id), built once and shared by the later stages.
 * Pure and read-only: it never changes the snapshot.
 */
import type {
  ContainerGroup,
  NetworkGroup,
  NetworkSecurityGroup,
  RouteTable,
  SecurityAdminRule,
  SecurityAdminRuleCollection,
  Snapshot,
  Subnet,
  VirtualNetwork,
  VirtualNetworkPeering,
  ApplicationSecurityGroup,
} from './snapshot';

export interface SnapshotIndex {
  snapshot: Snapshot;
  virtualNetworks: ReadonlyMap<string, VirtualNetwork>;
  subnets: ReadonlyMap<string, Subnet>;
  subnetsByVnet: ReadonlyMap<string, readonly Subnet[]>;
  peeringsByVnet: ReadonlyMap<string, readonly VirtualNetworkPeering[]>;
  networkSecurityGroups: ReadonlyMap<string, NetworkSecurityGroup>;
  routeTables: ReadonlyMap<string, RouteTable>;
  applicationSecurityGroups: ReadonlyMap<string, ApplicationSecurityGroup>;
  containerGroups: ReadonlyMap<string, ContainerGroup>;
  networkGroups: ReadonlyMap<string, NetworkGroup>;
  adminRuleCollections: ReadonlyMap<string, SecurityAdminRuleCollection>;
  adminRulesByCollection: ReadonlyMap<string, readonly SecurityAdminRule[]>;
}

function byId<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) if (!map.has(item.id)) map.set(item.id, item);
  return map;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** Builds the lookup tables of a snapshot. */
export function indexSnapshot(snapshot: Snapshot): SnapshotIndex {
  return {
    snapshot,
    virtualNetworks: byId(snapshot.virtualNetworks),
    subnets: byId(snapshot.subnets),
    subnetsByVnet: groupBy(snapshot.subnets, (s) => s.virtualNetworkId),
    peeringsByVnet: groupBy(snapshot.virtualNetworkPeerings, (p) => p.virtualNetworkId),
    networkSecurityGroups: byId(snapshot.networkSecurityGroups),
    routeTables: byId(snapshot.routeTables),
    applicationSecurityGroups: byId(snapshot.applicationSecurityGroups),
    containerGroups: byId(snapshot.containerGroups),
    networkGroups: byId(snapshot.networkGroups),
    adminRuleCollections: byId(snapshot.securityAdminRuleCollections),
    adminRulesByCollection: groupBy(snapshot.securityAdminRules, (r) => r.ruleCollectionId),
  };
}

/** The delegation service name that marks a subnet as holding container groups. */
export const ACI_DELEGATION = 'microsoft.containerinstance/containergroups';

/** Whether a subnet is delegated to Azure Container Instances. */
export function isAciSubnet(subnet: Subnet): boolean {
  return subnet.delegations.some((d) => d.toLowerCase() === ACI_DELEGATION);
}
