/** The report data built from engine results: topology nodes, external endpoints, edges with their rules. */
import {
  hubSpokeProposal,
  reportDataOf,
  reportDataWithAfter,
  reportEstate,
} from '../../support/report-estate';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';
import type { FindingsResult } from '../../../src/analyze/findings';
import { computeReachability } from '../../../src/analyze/reachability';
import { compilePolicy } from '../../../src/policy/engine';
import { buildReportData } from '../../../src/render/report-data';
import type { ReportData } from '../../../src/render/report-model';
import { changesOf, decodeEdges, edgeRisk, viewEdges } from '../../../viz/src/shape';
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
    expect(edge.status).toBe('unchanged');
    const parts = data.views.before.bundles[edge.bundle]!;
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
    const members = data.views.before.classes
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
    expect(flat.views.before.edges).toBe(edges.length);
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
    expect(coarse.views.before.classDetail).toBe(false);
    const pairs = (d: ReportData) =>
      decodeEdges(d, d.views.before).map((e) => {
        const parts = d.views.before.bundles[e.bundle]!;
        const results = new Set<string>();
        for (let k = 0; k < parts.length; k += 5)
          results.add(`${d.traffic[parts[k + 2]!]!.allow}|${JSON.stringify(d.sides[parts[k + 4]!])}`);
        return `${d.nodes[e.from]!.id}>${d.nodes[e.to]!.id}:${[...results].sort().join(';')}`;
      });
    expect(pairs(coarse)).toEqual(pairs(data));
    for (const b of coarse.views.before.bundles)
      for (let k = 0; k < b.length; k += 5) expect([b[k], b[k + 1]]).toEqual([-1, -1]);
  });

  it('within a small detail budget embeds the rules of the riskiest edges first, and the risk of all', () => {
    const full = decodeEdges(data, data.views.before);
    const none = reportDataOf(reportEstate(), undefined, 0);
    expect(none.views.before.detailedEdges).toBe(0);
    expect(none.views.before.bundles).toEqual([]);
    const noneEdges = decodeEdges(none, none.views.before);
    expect(noneEdges.map((e) => [e.from, e.to, e.flags])).toEqual(full.map((e) => [e.from, e.to, e.flags]));
    // A budget that holds a few edges: every detailed edge is at least as risky as every other.
    const some = reportDataOf(reportEstate(), undefined, 700);
    const someEdges = decodeEdges(some, some.views.before);
    expect(some.views.before.detailedEdges).toBeGreaterThan(0);
    expect(some.views.before.detailedEdges).toBeLessThan(someEdges.length);
    const level = (e: (typeof someEdges)[number]) => edgeRisk(some, e).level;
    const detailed = someEdges.filter((e) => e.bundle >= 0).map(level);
    const bare = someEdges.filter((e) => e.bundle < 0).map(level);
    expect(Math.min(...detailed)).toBeGreaterThanOrEqual(Math.max(...bare));
  });

  it('is the same for the same input', () => {
    expect(JSON.stringify(reportDataOf(reportEstate()))).toBe(JSON.stringify(data));
  });
});

describe('buildReportData with a proposal (After and Diff)', () => {
  const hub = hubSpokeSnapshot();
  const data = reportDataWithAfter(hub, hubSpokeProposal(hub));
  const web = data.nodes.findIndex((n) => n.name === 'snet-aci-web');
  const internet = data.nodes.findIndex((n) => n.id === 'external:internet');
  const name = (e: { from: number; to: number }) => `${data.nodes[e.from]!.name}->${data.nodes[e.to]!.name}`;

  it('closes Internet → web: a closed edge of the After data with what it no longer lets through', () => {
    const after = decodeEdges(data, data.views.after!);
    const edge = after.find((e) => e.from === internet && e.to === web)!;
    expect(edge.status).toBe('closed');
    const change = changesOf(data).get(`${internet},${web}`)!;
    expect(change.removed).toBe('tcp all ports; udp all ports; icmp');
    expect(change.added).toBe('nothing');
    expect(data.summary.diff!.closed).toBeGreaterThanOrEqual(1);
    expect(data.summary.groupPairsClosed).toBeGreaterThan(0);
    // The After view leaves it out, the Diff view draws it.
    expect(viewEdges(data, 'after').edges.map(name)).not.toContain('Internet->snet-aci-web');
    expect(viewEdges(data, 'diff').edges.map(name)).toContain('Internet->snet-aci-web');
  });

  it('keeps the App Gateway → web edge open, narrowed to its ports', () => {
    const after = decodeEdges(data, data.views.after!);
    const appgw = data.nodes.findIndex((n) => n.name === 'snet-appgw');
    const edge = after.find((e) => e.from === appgw && e.to === web)!;
    expect(edge.status).toBe('narrowed');
    expect(changesOf(data).get(`${appgw},${web}`)!.added).toBe('nothing');
  });

  it('marks nothing changed where the proposal changes nothing', () => {
    const before = decodeEdges(data, data.views.before);
    expect(new Set(before.map((e) => e.status))).toEqual(new Set(['unchanged']));
    const api = data.nodes.findIndex((n) => n.name === 'snet-aci-api');
    const after = decodeEdges(data, data.views.after!);
    expect(after.filter((e) => e.to === api).map((e) => e.status)).toEqual(
      after.filter((e) => e.to === api).map(() => 'unchanged'),
    );
  });

  it('over the diff budget draws the proposal without comparing it', () => {
    const engine = compilePolicy(hub, {});
    const afterEngine = compilePolicy(hubSpokeProposal(hub), {});
    const skipped = buildReportData({
      snapshot: hub,
      before: { engine, reach: computeReachability(engine) },
      after: { engine: afterEngine, reach: computeReachability(afterEngine) },
      diffCellPairBudget: 0,
      title: 't',
    });
    expect(skipped.summary.diffSkipped).toBeGreaterThan(0);
    expect(skipped.summary.diff).toBeUndefined();
    const after = decodeEdges(skipped, skipped.views.after!);
    expect(after.length).toBeGreaterThan(0);
    expect(new Set(after.map((e) => e.status))).toEqual(new Set(['unchanged']));
  });

  it('before-only data has no After view and no change texts', () => {
    const plain = reportDataOf(hub);
    expect(plain.views.after).toBeUndefined();
    expect(plain.changeTexts).toEqual([]);
    expect(plain.summary.diff).toBeUndefined();
  });

  it('is the same for the same input', () => {
    expect(JSON.stringify(reportDataWithAfter(hub, hubSpokeProposal(hub)))).toBe(JSON.stringify(data));
  });
});

describe('buildReportData with findings', () => {
  const snapshot = reportEstate();
  const web = snapshot.subnets.find((s) => s.name === 'snet-web')!;
  const meta = {
    id: 'ACI002',
    name: 'internet-inbound',
    title: 'Internet inbound',
    severity: 'high' as const,
    description: 'd',
    remediation: 'close it',
    controls: { mcsb: [], cis: [] },
  };
  const finding = (n: number, severity: 'critical' | 'low'): FindingsResult['findings'][number] => ({
    ruleId: 'ACI002',
    severity,
    title: 'Internet inbound',
    message: `finding ${n}`,
    resources: [{ kind: 'subnet', id: web.id, name: web.name }],
    flows: [
      {
        from: 'Internet',
        to: 'vnet-a/snet-web',
        fromKey: 'external:internet',
        toKey: `subnet:${web.id}`,
        protocol: 'tcp',
        ports: '22',
        verdict: 'allow',
      },
    ],
    flowsOmitted: 0,
    rules: [],
    remediation: n === 2 ? 'a remediation of its own' : 'close it',
    explain: null,
    controls: meta.controls,
    fingerprint: String(n).padStart(32, '0'),
    location: null,
    accepted: null,
  });
  const result: FindingsResult = {
    findings: [finding(1, 'critical'), finding(2, 'low')],
    counts: { critical: 1, high: 0, medium: 0, low: 1, info: 0 },
    accepted: 0,
    rules: [meta],
    window: null,
  };
  const build = (findingsBudget?: number) => {
    const engine = compilePolicy(snapshot, {});
    return buildReportData({
      snapshot,
      before: { engine, reach: computeReachability(engine) },
      findings: result,
      findingsBudget,
      title: 't',
    });
  };

  it('names the nodes and the edge each finding concerns, and keeps title and remediation once per rule', () => {
    const data = build();
    const internet = data.nodes.findIndex((n) => n.id === 'external:internet');
    const subnet = data.nodes.findIndex((n) => n.id === web.id);
    expect(data.findings.map((f) => [f.nodes, f.edges])).toEqual([
      [[subnet], [[internet, subnet]]],
      [[subnet], [[internet, subnet]]],
    ]);
    expect(data.findingRules).toEqual([{ id: 'ACI002', title: 'Internet inbound', remediation: 'close it' }]);
    expect(data.findings[0]!.title).toBeUndefined();
    expect(data.findings[0]!.remediation).toBeUndefined();
    expect(data.findings[1]!.remediation).toBe('a remediation of its own');
    expect(data.summary.findings).toEqual(result.counts);
    expect(data.summary.findingsOmitted).toBe(0);
  });

  it('within its budget embeds the most severe findings and counts the rest', () => {
    const data = build(JSON.stringify(build().findings[0]).length + 10);
    expect(data.findings.map((f) => f.message)).toEqual(['finding 1']);
    expect(data.summary.findingsOmitted).toBe(1);
  });
});
