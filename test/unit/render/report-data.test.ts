/** The report data built from engine results: topology nodes, external endpoints, edges with their rules. */
import { reportDataOf, reportEstate } from '../../support/report-estate';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';
import type { ReportData } from '../../../src/render/report-model';
import { decodeEdges, edgeRisk } from '../../../viz/src/shape';
import { makeSnapshot, makeSubnet, makeVnet } from '../../support/builders';

const nodeId = (data: ReportData, name: string) => data.nodes.findIndex((n) => n.name === name);

describe('buildReportData', () => {
  const data = reportDataOf(reportEstate());

  it('nests VNet → subnet → container group, with the Internet as an external node', () => {
    const kinds = data.nodes.map(
      (n) => `${n.kind}:${n.name}:${n.parent < 0 ? '-' : data.nodes[n.parent]!.name}`,
    );
    expect(kinds).toEqual([
      'vnet:vnet-a:-',
      'subnet:snet-ops:vnet-a',
      'containerGroup:ops-1:snet-ops',
      'subnet:snet-web:vnet-a',
      'containerGroup:web-1:snet-web',
      'containerGroup:web-admin:snet-web',
      'external:Internet:-',
      'external:Azure platform:-',
    ]);
    expect(data.nodes[nodeId(data, 'snet-web')]!.details).toEqual(['10.0.1.0/24', 'NSG nsg-web']);
  });

  it('an edge from the Internet to the web subnet carries its traffic and the deciding rules', () => {
    const edge = decodeEdges(data, data.views.before).find(
      (e) => e.from === nodeId(data, 'Internet') && e.to === nodeId(data, 'snet-web'),
    )!;
    expect(edge.status).toBe('same');
    const parts = data.bundles[edge.bundle]!;
    const traffic = new Set<string>();
    const rules = new Set<string>();
    for (let k = 0; k < parts.length; k += 5) {
      traffic.add(data.traffic[parts[k + 2]!]!.allow);
      for (const [rule] of data.sides[parts[k + 4]!]!.entries)
        if (rule >= 0) rules.add(`${data.rules[rule]!.nsg}/${data.rules[rule]!.name}`);
    }
    expect([...traffic].sort()).toEqual(['tcp 22, 443', 'tcp 443']);
    expect(rules).toContain('nsg-web/allow-https');
    expect(rules).toContain('nsg-web/allow-ssh-admin');
  });

  it('splits a subnet into classes whose members are its container groups', () => {
    const web = nodeId(data, 'snet-web');
    const members = data.classes
      .filter((c) => c.node === web)
      .map((c) => c.members.map((m) => data.nodes[m]!.name));
    expect(members).toContainEqual(['web-admin']);
    expect(members.flat().sort()).toEqual(['web-1', 'web-admin']);
  });

  it('marks management ports and all ports in the traffic flags', () => {
    const ssh = data.traffic.find((t) => t.allow === 'tcp 22, 443')!;
    expect(ssh.flags & 2).toBe(2);
    expect(ssh.ports).toEqual([22, 22, 443, 443]);
    expect(data.traffic.some((t) => (t.flags & 1) === 1)).toBe(true);
  });

  it('shows the hub-spoke peering and the route through the firewall', () => {
    const hub = reportDataOf(hubSpokeSnapshot());
    const names = hub.peerings.map((p) => `${hub.nodes[p.from]!.name}->${hub.nodes[p.to]!.name}`);
    expect(names.sort()).toEqual(['vnet-app->vnet-hub', 'vnet-hub->vnet-app']);
    const routes = hub.applianceRoutes.map(
      (r) => `${hub.nodes[r.subnet]!.name} via ${r.nextHop} in ${hub.nodes[r.nextHopSubnet]?.name}`,
    );
    expect(routes).toContain('snet-aci-web via 10.100.0.4 in AzureFirewallSubnet');
  });

  it('compresses edges into runs: consecutive destinations with the same parts share one run', () => {
    const vnet = makeVnet({ name: 'vnet-flat', addressPrefixes: ['10.9.0.0/16'] });
    const subnets = [1, 2, 3, 4, 5].map((k) =>
      makeSubnet(vnet, { name: `snet-${k}`, addressPrefixes: [`10.9.${k}.0/24`] }),
    );
    const flat = reportDataOf(
      makeSnapshot({ virtualNetworks: [vnet], subnets }),
      undefined,
      undefined,
      'runs',
    );
    const runs = flat.views.before.runs!;
    const edges = decodeEdges(flat, flat.views.before);
    expect(runs.length / 5).toBeLessThan(edges.length);
    expect(flat.summary.edges).toBe(edges.length);
    expect(edges.length).toBeGreaterThanOrEqual(25);
  });

  it('stores the same edges as runs or as a matrix', () => {
    for (const snapshot of [reportEstate(), hubSpokeSnapshot()]) {
      const runs = reportDataOf(snapshot, undefined, undefined, 'runs');
      const matrix = reportDataOf(snapshot, undefined, undefined, 'matrix');
      expect(matrix.views.before.runs).toBeUndefined();
      expect(matrix.views.before.matrix).toHaveLength(matrix.endpoints.length);
      expect(decodeEdges(matrix, matrix.views.before)).toEqual(decodeEdges(runs, runs.views.before));
    }
  });

  it('over the class-pair budget keeps every edge and its rules, without classes', () => {
    const coarse = reportDataOf(reportEstate(), 0);
    expect(coarse.classDetail).toBe(false);
    const pairs = (d: ReportData) =>
      decodeEdges(d, d.views.before).map((e) => {
        const parts = d.bundles[e.bundle]!;
        const results = new Set<string>();
        for (let k = 0; k < parts.length; k += 5)
          results.add(`${d.traffic[parts[k + 2]!]!.allow}|${JSON.stringify(d.sides[parts[k + 4]!])}`);
        return `${d.nodes[e.from]!.id}>${d.nodes[e.to]!.id}:${[...results].sort().join(';')}`;
      });
    expect(pairs(coarse)).toEqual(pairs(data));
    for (const b of coarse.bundles)
      for (let k = 0; k < b.length; k += 5) expect([b[k], b[k + 1]]).toEqual([-1, -1]);
  });

  it('within a small detail budget embeds the rules of the riskiest edges first, and the risk of all', () => {
    const full = decodeEdges(data, data.views.before);
    const none = reportDataOf(reportEstate(), undefined, 0);
    expect(none.summary.detailedEdges).toBe(0);
    expect(none.bundles).toEqual([]);
    const noneEdges = decodeEdges(none, none.views.before);
    expect(noneEdges.map((e) => [e.from, e.to, e.flags])).toEqual(full.map((e) => [e.from, e.to, e.flags]));
    // A budget that holds a few edges: every detailed edge is at least as risky as every other.
    const some = reportDataOf(reportEstate(), undefined, 1500);
    const someEdges = decodeEdges(some, some.views.before);
    expect(some.summary.detailedEdges).toBeGreaterThan(0);
    expect(some.summary.detailedEdges).toBeLessThan(someEdges.length);
    const level = (e: (typeof someEdges)[number]) => edgeRisk(some, e).level;
    const detailed = someEdges.filter((e) => e.bundle >= 0).map(level);
    const bare = someEdges.filter((e) => e.bundle < 0).map(level);
    expect(Math.min(...detailed)).toBeGreaterThanOrEqual(Math.max(...bare));
  });

  it('is the same for the same input', () => {
    expect(JSON.stringify(reportDataOf(reportEstate()))).toBe(JSON.stringify(data));
  });
});
