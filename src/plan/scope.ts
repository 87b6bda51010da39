/**
 * What the plan writes: every NSG attached to a subnet that holds Azure Container Instances (delegated
 * to ACI, or named by a container group), and a new NSG for each such subnet that has none. An NSG
 * shared with other subnets governs them too, so they are in its scope (the proof covers them).
 */
import type { NetworkSecurityGroup, Subnet } from '../model/snapshot';
import type { SnapshotIndex } from '../model/snapshot-index';
import { diagnostic } from '../diagnostics';
import { InputError } from '../errors';

export const ACI_DELEGATION = 'microsoft.containerinstance/containergroups';

export interface PlannedNsg {
  id: string;
  name: string;
  resourceGroup: string | null;
  subscriptionId: string | null;
  location: string | null;
  /** The NSG as it is today; null for a new one. */
  existing: NetworkSecurityGroup | null;
  /** Subnets it governs after the change, sorted by id. */
  subnets: Subnet[];
}

/** True for a subnet that holds (or may hold) container groups. */
export function isAciSubnet(subnet: Subnet, groupSubnets: ReadonlySet<string>): boolean {
  return groupSubnets.has(subnet.id) || subnet.delegations.some((d) => d.toLowerCase() === ACI_DELEGATION);
}

/** The NSGs the plan writes, by id; an input error when the snapshot has no ACI subnet. */
export function plannedNsgs(index: SnapshotIndex, file = 'snapshot'): PlannedNsg[] {
  const { snapshot } = index;
  const groupSubnets = new Set(snapshot.containerGroups.flatMap((g) => g.subnetIds));
  const aci = snapshot.subnets.filter((s) => isAciSubnet(s, groupSubnets));
  if (aci.length === 0)
    throw new InputError('nothing to plan: the snapshot has no subnet that holds container groups', [
      diagnostic(
        'EMPTY_INPUT',
        'no subnet is delegated to Microsoft.ContainerInstance/containerGroups or named by a container group, so there is no NSG to plan',
        file,
        '$.subnets',
      ),
    ]);
  const byNsg = new Map<string, PlannedNsg>();
  const taken = new Set(snapshot.networkSecurityGroups.map((n) => n.id));
  const takenNames = new Set(snapshot.networkSecurityGroups.map((n) => n.name.toLowerCase()));
  for (const subnet of aci) {
    if (subnet.networkSecurityGroupId !== null) {
      const id = subnet.networkSecurityGroupId;
      if (byNsg.has(id)) continue;
      const existing = index.networkSecurityGroups.get(id) ?? null;
      if (existing === null) continue; // a dangling reference: the engine treats that side as unknown
      byNsg.set(id, {
        id,
        name: existing.name,
        resourceGroup: existing.resourceGroup,
        subscriptionId: existing.subscriptionId,
        location: existing.location,
        existing,
        subnets: snapshot.subnets.filter((s) => s.networkSecurityGroupId === id),
      });
      continue;
    }
    const vnet = index.virtualNetworks.get(subnet.virtualNetworkId);
    let name = `nsg-${subnet.name}`;
    for (let n = 2; takenNames.has(name.toLowerCase()); n++) name = `nsg-${subnet.name}-${n}`;
    takenNames.add(name.toLowerCase());
    const rgPath = subnet.resourceGroup ?? vnet?.resourceGroup ?? null;
    const sub = subnet.subscriptionId ?? vnet?.subscriptionId ?? null;
    const id = (
      sub && rgPath
        ? `/subscriptions/${sub}/resourcegroups/${rgPath}/providers/microsoft.network/networksecuritygroups/${name}`
        : `/aciseg/plan/networksecuritygroups/${name}`
    ).toLowerCase();
    if (taken.has(id)) throw new Error(`new NSG id ${id} collides with an existing one`);
    taken.add(id);
    byNsg.set(id, {
      id,
      name,
      resourceGroup: rgPath,
      subscriptionId: sub,
      location: vnet?.location ?? null,
      existing: null,
      subnets: [subnet],
    });
  }
  return [...byNsg.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Planned NSG by subnet id. */
export function nsgBySubnet(planned: readonly PlannedNsg[]): Map<string, PlannedNsg> {
  const out = new Map<string, PlannedNsg>();
  for (const p of planned) for (const s of p.subnets) out.set(s.id, p);
  return out;
}
