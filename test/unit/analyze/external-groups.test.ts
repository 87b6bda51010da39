/**
 * Labels and ranking of groups outside every subnet (issue 8): a label says what the group is made of
 * (Internet, the platform address, a VNet's unassigned space, on-premises or other private space), stays
 * short with many VNets, and a group that is only the platform address or unassigned VNet space never
 * outranks a path from the Internet, however much it opens.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { computeReachability } from '../../../src/analyze/reachability';
import { ReachabilityView } from '../../../src/analyze/results';
import type { Snapshot } from '../../../src/model/snapshot';
import { compilePolicy } from '../../../src/policy/engine';
import {
  ACI_DELEGATION,
  makeContainerGroup,
  makeNsg,
  makePeering,
  makeRule,
  makeSnapshot,
  makeSubnet,
  makeVnet,
} from '../../support/builders';
import { arbEstate } from '../../support/arbitraries';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';

function viewOf(snapshot: Snapshot): ReachabilityView {
  const engine = compilePolicy(snapshot);
  return new ReachabilityView(engine, computeReachability(engine));
}

/** Labels of the external groups that are the source of some path, with the highest risk of their paths. */
function externalSources(view: ReachabilityView): Map<string, number> {
  const risks = new Map<string, number>();
  for (let i = 0; i < view.reach.paths.count; i++) {
    const ends = view.pathEnds(i);
    for (const c of ends.from) {
      if (view.reach.classes[c]!.kind !== 'external') continue;
      const label = view.label(c).label;
      risks.set(label, Math.max(risks.get(label) ?? 0, ends.risk));
    }
  }
  return risks;
}

/** One VNet: `web` admits only https from the Internet, `db` only the default rules (VNet and load balancer, every port). */
function oneVnet(): Snapshot {
  const vnet = makeVnet({ name: 'vnet-a', addressPrefixes: ['10.0.0.0/16'] });
  const webNsg = makeNsg({
    name: 'nsg-web',
    rules: [makeRule({ priority: 100, source: 'Internet', destinationPorts: '443' })],
  });
  const dbNsg = makeNsg({ name: 'nsg-db' });
  const web = makeSubnet(vnet, {
    name: 'web',
    addressPrefixes: ['10.0.1.0/24'],
    nsg: webNsg,
    delegations: [ACI_DELEGATION],
  });
  const db = makeSubnet(vnet, {
    name: 'db',
    addressPrefixes: ['10.0.2.0/24'],
    nsg: dbNsg,
    delegations: [ACI_DELEGATION],
  });
  return makeSnapshot({
    virtualNetworks: [vnet],
    subnets: [web, db],
    networkSecurityGroups: [webNsg, dbNsg],
    containerGroups: [
      makeContainerGroup({ name: 'web-1', subnet: web, ip: '10.0.1.4', ports: [443] }),
      makeContainerGroup({ name: 'db-1', subnet: db, ip: '10.0.2.4', ports: [5432] }),
    ],
  });
}

describe('external groups: labels say what they are', () => {
  it('names the Internet, and the platform address with the VNet’s unassigned space (the VirtualNetwork tag holds both)', () => {
    const labels = [...externalSources(viewOf(oneVnet())).keys()].sort();
    expect(labels).toEqual(['Azure platform address 168.63.129.16 + unassigned space of vnet-a', 'Internet']);
  });

  it('counts VNets past two in the label and lists them all in the JSON composition', () => {
    const hub = makeVnet({ name: 'vnet-0', addressPrefixes: ['10.0.0.0/16'] });
    const spokes = [1, 2, 3, 4].map((n) =>
      makeVnet({ name: `vnet-${n}`, addressPrefixes: [`10.${n}.0.0/16`] }),
    );
    const nsg = makeNsg({ name: 'nsg-hub' });
    const subnet = makeSubnet(hub, { name: 'snet', addressPrefixes: ['10.0.1.0/24'], nsg });
    const spokeSubnets = spokes.map((v, i) =>
      makeSubnet(v, { name: 'snet', addressPrefixes: [`10.${i + 1}.1.0/24`] }),
    );
    const view = viewOf(
      makeSnapshot({
        virtualNetworks: [hub, ...spokes],
        subnets: [subnet, ...spokeSubnets],
        networkSecurityGroups: [nsg],
        virtualNetworkPeerings: spokes.map((v) => makePeering(hub, v, { name: `to-${v.name}` })),
      }),
    );
    const index = view.reach.classes.findIndex(
      (_, c) => view.label(c).label === 'Azure platform address 168.63.129.16 + unassigned space of 5 VNets',
    );
    expect(index).toBeGreaterThanOrEqual(0);
    const position = Array.from({ length: view.groupCount }, (_, n) => n).find(
      (n) => view.group(n).label === 'Azure platform address 168.63.129.16 + unassigned space of 5 VNets',
    )!;
    const group = view.group(position);
    const vnets = group.composition!.filter((p) => p.kind === 'unassignedVnetSpace');
    expect(vnets.map((p) => p.name)).toEqual(['vnet-0', 'vnet-1', 'vnet-2', 'vnet-3', 'vnet-4']);
    expect(group.composition!.every((p) => p.whole)).toBe(true);
    // Held whole, named spaces are the key: the same space in another snapshot has the same key.
    // (Past 200 characters the text is hashed.)
    const text = `platform:168.63.129.16+${vnets.map((p) => `unassigned:${p.id}`).join('+')}`;
    expect(text.length).toBeGreaterThan(200);
    expect(group.key).toBe(`external:sha256:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`);
  });

  it('on hub-spoke, every external label is made of named spaces (no "except" lists)', () => {
    const labels = [...externalSources(viewOf(hubSpokeSnapshot())).keys()];
    expect(labels.length).toBeGreaterThan(3);
    const part =
      /^(Internet|part of the Internet \(.*\)|Azure platform address 168\.63\.129\.16|address of public container group [\w-]+|(part of the )?unassigned space of [\w-]+(, [\w-]+)?|on-premises or other private space|part of the on-premises or other private space \(.*\))$/;
    for (const label of labels) {
      if (label === "anywhere outside the snapshot's subnets (Internet included)") continue;
      for (const p of label.split(' + ')) expect(p).toMatch(part);
    }
    expect(labels).toContain('Azure platform address 168.63.129.16');
  });
});

describe('external groups: risk follows what the Internet reaches', () => {
  it('the platform address with unassigned space opens every port to db yet ranks below Internet → web on 443', () => {
    const view = viewOf(oneVnet());
    const risks = externalSources(view);
    const internet = risks.get('Internet')!;
    const platform = risks.get('Azure platform address 168.63.129.16 + unassigned space of vnet-a')!;
    expect(platform).toBeGreaterThan(90); // every port, a database port among them
    expect(internet).toBeGreaterThan(platform);
    const top = view.pathEnds(view.riskiest(1)[0]!);
    expect(top.from.map((c) => view.label(c).label)).toEqual(['Internet']);
  });

  it('on hub-spoke, every path from a group holding Internet addresses outranks every other path', () => {
    const view = viewOf(hubSpokeSnapshot());
    let lowestInternet = Infinity;
    let highestOther = -Infinity;
    for (let i = 0; i < view.reach.paths.count; i++) {
      const ends = view.pathEnds(i);
      if (ends.from.some((c) => view.label(c).internet)) lowestInternet = Math.min(lowestInternet, ends.risk);
      else highestOther = Math.max(highestOther, ends.risk);
    }
    expect(lowestInternet).toBeGreaterThan(highestOther);
  });
});

describe('external groups: the Internet test without the label', () => {
  it('isInternet agrees with the label on every class of random estates, asked before the label or after', () => {
    let internet = 0;
    fc.assert(
      fc.property(arbEstate(), fc.boolean(), (snapshot, labelFirst) => {
        const view = viewOf(snapshot);
        const fresh = viewOf(snapshot);
        view.reach.classes.forEach((_, c) => {
          if (labelFirst) view.label(c);
          expect(view.isInternet(c)).toBe(fresh.label(c).internet);
          if (view.isInternet(c)) internet++;
        });
      }),
      { seed: 20261202, numRuns: 60 },
    );
    expect(internet).toBeGreaterThan(0);
  });
});
