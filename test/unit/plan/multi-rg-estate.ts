/**
 * A small estate whose ACI subnets sit in three resource groups of two subscriptions (one spoke per
 * group, as real estates are laid out): spoke A has an existing NSG that allows SSH from the
 * Internet, spoke B has no NSG (the plan adds one, in northeurope), spoke C is in another
 * subscription. Built from the tiny-estate helpers, then moved into its groups by rewriting IDs.
 */
import { parseIntent, type IntentEntry } from '../../../src/analyze/intent';
import type { Snapshot } from '../../../src/model/snapshot';
import { compilePolicy } from '../../../src/policy';
import { planSegmentation, type PlanResult } from '../../../src/plan';
import {
  ACI_DELEGATION,
  containerGroup,
  ids,
  nsg,
  peering,
  rule,
  snapshotOf,
  subnet,
  vnet,
} from '../../oracle/tiny-estate';

export const SUB_1 = '00000000-0000-0000-0000-000000000001';
export const SUB_2 = '00000000-0000-0000-0000-000000000002';
const HOME = `/subscriptions/${SUB_1}/resourcegroups/rg/providers/`;

/** Where each resource (by the id part after `providers/`) moves: [subscription, resource group]. */
export interface Placement {
  a: [string, string];
  b: [string, string];
  c: [string, string];
}

export const DEFAULT_PLACEMENT: Placement = {
  a: [SUB_1, 'rg-spoke-a'],
  b: [SUB_1, 'rg-spoke-b'],
  c: [SUB_2, 'rg-spoke-c'],
};

/** The estate, spoke `x` in `placement[x]`. */
export function multiGroupEstate(placement: Placement = DEFAULT_PLACEMENT): Snapshot {
  const s = snapshotOf({
    virtualNetworks: [
      vnet('vnet-a', ['10.1.0.0/16']),
      vnet('vnet-b', ['10.2.0.0/16'], { location: 'northeurope' }),
      vnet('vnet-c', ['10.3.0.0/16']),
    ],
    subnets: [
      subnet('vnet-a', 'snet-a', ['10.1.1.0/24'], {
        delegations: [ACI_DELEGATION],
        networkSecurityGroupId: ids.nsg('nsg-a'),
      }),
      subnet('vnet-b', 'snet-b', ['10.2.1.0/24'], { delegations: [ACI_DELEGATION] }),
      subnet('vnet-c', 'snet-c', ['10.3.1.0/24'], {
        delegations: [ACI_DELEGATION],
        networkSecurityGroupId: ids.nsg('nsg-c'),
      }),
    ],
    virtualNetworkPeerings: [
      peering('vnet-a', 'vnet-b'),
      peering('vnet-b', 'vnet-a'),
      peering('vnet-a', 'vnet-c'),
      peering('vnet-c', 'vnet-a'),
    ],
    networkSecurityGroups: [
      nsg('nsg-a', [
        rule({
          name: 'ssh-from-internet',
          priority: 100,
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          src: ['Internet'],
          dst: ['*'],
          dstPorts: ['22'],
        }),
      ]),
      nsg('nsg-c'),
    ],
    containerGroups: [
      containerGroup('web', '10.1.1.4', [{ port: 443, protocol: 'TCP' }], ids.subnet('vnet-a', 'snet-a')),
      containerGroup('api', '10.2.1.4', [{ port: 8080, protocol: 'TCP' }], ids.subnet('vnet-b', 'snet-b')),
      containerGroup('db', '10.3.1.4', [{ port: 5432, protocol: 'TCP' }], ids.subnet('vnet-c', 'snet-c')),
    ],
  });
  let text = JSON.stringify(s);
  const move = (part: string, [sub, rg]: [string, string]) => {
    text = text
      .split(`${HOME}${part}`)
      .join(`/subscriptions/${sub}/resourcegroups/${rg.toLowerCase()}/providers/${part}`);
  };
  for (const spoke of ['a', 'b', 'c'] as const) {
    move(`microsoft.network/virtualnetworks/vnet-${spoke}`, placement[spoke]);
    move(`microsoft.network/networksecuritygroups/nsg-${spoke}`, placement[spoke]);
  }
  move('microsoft.containerinstance/containergroups/web', placement.a);
  move('microsoft.containerinstance/containergroups/api', placement.b);
  move('microsoft.containerinstance/containergroups/db', placement.c);
  const moved = JSON.parse(text) as Snapshot;
  const where = (id: string): { resourceGroup: string; subscriptionId: string } => {
    for (const spoke of ['a', 'b', 'c'] as const) {
      const [sub, rg] = placement[spoke];
      if (id.startsWith(`/subscriptions/${sub}/resourcegroups/${rg.toLowerCase()}/`))
        return { subscriptionId: sub, resourceGroup: rg };
    }
    throw new Error(`unplaced ${id}`);
  };
  const place = <T extends { id: string }>(r: T): T => ({ ...r, ...where(r.id) });
  return {
    ...moved,
    virtualNetworks: moved.virtualNetworks.map(place),
    subnets: moved.subnets.map(place),
    virtualNetworkPeerings: moved.virtualNetworkPeerings.map(place),
    networkSecurityGroups: moved.networkSecurityGroups.map(place),
    containerGroups: moved.containerGroups.map(place),
  };
}

/** Web calls the API (8080) and the database (5432); the database may not be reached from the Internet. */
export const MULTI_GROUP_INTENT = `require:
  - name: web-to-api
    from: 10.1.1.4
    to: 10.2.1.4
    protocol: tcp
    ports: "8080"
    reason: the storefront calls the order API
  - name: web-to-db
    from: 10.1.1.4
    to: 10.3.1.4
    protocol: tcp
    ports: "5432"
forbid:
  - name: db-not-from-internet
    from: Internet
    to: 10.3.1.0/24
    protocol: tcp
    ports: "5432"
`;

export function multiGroupIntent(): IntentEntry[] {
  const parsed = parseIntent(MULTI_GROUP_INTENT, 'intent.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  return [...parsed.entries];
}

/** The plan of `snapshot` with the intent above (no flow logs). */
export function multiGroupPlan(snapshot: Snapshot): PlanResult {
  return planSegmentation({
    snapshot,
    engine: compilePolicy(snapshot),
    observed: null,
    intent: { file: 'intent.yaml', entries: multiGroupIntent() },
    today: '2026-12-01',
  });
}
