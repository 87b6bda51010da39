/**
 * A small hand-made estate for rule tests: vnet-app (10.1.0.0/16) with an ACI subnet snet-aci
 * (10.1.1.0/24, group `web` at 10.1.1.4) and a plain subnet snet-vm (10.1.2.0/24), each with an NSG
 * whose custom rules the test gives (the six default rules always follow).
 */
import type { NetworkSecurityGroup, SecurityRule, Snapshot } from '../../../../src/model/snapshot';
import {
  ACI_DELEGATION,
  makeContainerGroup,
  makeNsg,
  makeRoute,
  makeRouteTable,
  makeRule,
  makeSnapshot,
  makeSubnet,
  makeVnet,
  type RuleOptions,
} from '../../../support/builders';

export interface EstateOptions {
  aciRules?: SecurityRule[];
  vmRules?: SecurityRule[];
  /** Routes on a route table attached to snet-aci. */
  routes?: ReturnType<typeof makeRoute>[];
  /** false: snet-aci has no NSG. */
  aciNsg?: boolean;
  extraNsgs?: NetworkSecurityGroup[];
  publicGroups?: { name: string; ip: string; ports: number[] }[];
}

export const rule = (options: RuleOptions): SecurityRule => makeRule(options);

/** Custom denies at 4000 that override AllowVnetInBound / AllowVnetOutBound / AllowInternetOutBound. */
export const LOCKDOWN: SecurityRule[] = [
  makeRule({ name: 'DenyAllIn', priority: 4000, access: 'Deny', protocol: '*' }),
  makeRule({ name: 'DenyAllOut', priority: 4000, direction: 'Outbound', access: 'Deny', protocol: '*' }),
];

export function estate(options: EstateOptions = {}): Snapshot {
  const vnet = makeVnet({ name: 'vnet-app', addressPrefixes: ['10.1.0.0/16'] });
  const nsgAci = makeNsg({ name: 'nsg-aci', rules: options.aciRules ?? [] });
  const nsgVm = makeNsg({ name: 'nsg-vm', rules: options.vmRules ?? [] });
  const rt = options.routes ? makeRouteTable({ name: 'rt-aci', routes: options.routes }) : null;
  const aci = makeSubnet(vnet, {
    name: 'snet-aci',
    addressPrefixes: ['10.1.1.0/24'],
    nsg: options.aciNsg === false ? null : nsgAci,
    routeTable: rt,
    delegations: [ACI_DELEGATION],
  });
  const vm = makeSubnet(vnet, { name: 'snet-vm', addressPrefixes: ['10.1.2.0/24'], nsg: nsgVm });
  const groups = [
    makeContainerGroup({ name: 'web', subnet: aci, ip: '10.1.1.4', ports: [80] }),
    ...(options.publicGroups ?? []).map((g) =>
      makeContainerGroup({ name: g.name, ip: g.ip, ports: g.ports }),
    ),
  ];
  return makeSnapshot({
    virtualNetworks: [vnet],
    subnets: [aci, vm],
    networkSecurityGroups: [
      ...(options.aciNsg === false ? [] : [nsgAci]),
      nsgVm,
      ...(options.extraNsgs ?? []),
    ],
    routeTables: rt ? [rt] : [],
    containerGroups: groups,
  });
}

export { makeNsg, makeRoute, makeRule };
