/** A small estate for the report tests: one VNet, a web subnet whose NSG singles out one group, an ops subnet without NSG. */
import type { Snapshot } from '../../src/model/snapshot';
import { compilePolicy } from '../../src/policy/engine';
import { computeReachability } from '../../src/analyze/reachability';
import { buildReportData } from '../../src/render/report-data';
import type { ReportData } from '../../src/render/report-model';
import {
  ACI_DELEGATION,
  makeContainerGroup,
  makeNsg,
  makeRule,
  makeSnapshot,
  makeSubnet,
  makeVnet,
} from './builders';

export function reportEstate(): Snapshot {
  const vnet = makeVnet({ name: 'vnet-a', addressPrefixes: ['10.0.0.0/16'] });
  const nsg = makeNsg({
    name: 'nsg-web',
    rules: [
      makeRule({ name: 'allow-https', priority: 100, source: 'Internet', destinationPorts: '443' }),
      makeRule({
        name: 'allow-ssh-admin',
        priority: 110,
        source: 'Internet',
        destination: '10.0.1.4/32',
        destinationPorts: '22',
      }),
    ],
  });
  const web = makeSubnet(vnet, {
    name: 'snet-web',
    addressPrefixes: ['10.0.1.0/24'],
    nsg,
    delegations: [ACI_DELEGATION],
  });
  const ops = makeSubnet(vnet, {
    name: 'snet-ops',
    addressPrefixes: ['10.0.2.0/24'],
    delegations: [ACI_DELEGATION],
  });
  return makeSnapshot({
    virtualNetworks: [vnet],
    subnets: [web, ops],
    networkSecurityGroups: [nsg],
    containerGroups: [
      makeContainerGroup({ name: 'web-admin', subnet: web, ip: '10.0.1.4', ports: [443] }),
      makeContainerGroup({ name: 'web-1', subnet: web, ip: '10.0.1.5', ports: [443] }),
      makeContainerGroup({ name: 'ops-1', subnet: ops, ip: '10.0.2.4', ports: [8080] }),
    ],
  });
}

export function reportDataOf(
  snapshot: Snapshot,
  classPairBudget?: number,
  detailBudget?: number,
  viewForm?: 'runs' | 'matrix',
): ReportData {
  const engine = compilePolicy(snapshot, {});
  return buildReportData({
    snapshot,
    before: { engine, reach: computeReachability(engine) },
    title: 'test',
    classPairBudget,
    detailBudget,
    viewForm,
  });
}

/** A copy of the snapshot without the named NSG security rules (a proposal made by hand). */
export function withoutRules(snapshot: Snapshot, ...names: string[]): Snapshot {
  const copy = structuredClone(snapshot);
  for (const nsg of copy.networkSecurityGroups)
    nsg.securityRules = nsg.securityRules.filter((r) => !names.includes(r.name));
  return copy;
}

/** Report data with an After view: `after` is the proposed snapshot (no plan result). */
export function reportDataWithAfter(snapshot: Snapshot, after: Snapshot, detailBudget?: number): ReportData {
  const engine = compilePolicy(snapshot, {});
  const afterEngine = compilePolicy(after, {});
  return buildReportData({
    snapshot,
    before: { engine, reach: computeReachability(engine) },
    after: { engine: afterEngine, reach: computeReachability(afterEngine) },
    title: 'test',
    detailBudget,
  });
}

/**
 * A proposal for the hub-spoke estate made by hand, as the planner would shape it: the web NSG loses
 * SSH from the Internet and the wide VNet high ports, and gains a deny-all inbound below the rules it
 * keeps (the subnet's 0.0.0.0/0 route makes VirtualNetwork every address, so AllowVnetInBound would
 * otherwise still let the Internet in).
 */
export function hubSpokeProposal(snapshot: Snapshot): Snapshot {
  const copy = withoutRules(snapshot, 'AllowSshFromInternet', 'AllowVnetHighPorts');
  const web = copy.networkSecurityGroups.find((n) => n.name === 'nsg-aci-web')!;
  web.securityRules.push(
    makeRule({ name: 'DenyAllOtherInbound', priority: 4000, access: 'Deny', protocol: '*', source: '*' }),
  );
  return copy;
}
