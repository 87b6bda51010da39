/** Observed volume per report edge: the sample's flow logs joined to subnets by address. */
import * as path from 'node:path';
import { computeReachability } from '../../../src/analyze/reachability';
import { readFlowLogs } from '../../../src/collect/flows';
import { compilePolicy } from '../../../src/policy/engine';
import { buildReportData } from '../../../src/render/report-data';
import { observedGroupEdges } from '../../../src/render/report-observed';
import type { ReportData } from '../../../src/render/report-model';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';

const FLOWS = path.resolve(__dirname, '../../../samples/hub-spoke-flow-logs');

async function sampleReport(): Promise<ReportData> {
  const read = await readFlowLogs([FLOWS], { since: null, until: null, cwd: process.cwd() });
  const flows = [...read.flows];
  const engine = compilePolicy(hubSpokeSnapshot());
  return buildReportData({
    snapshot: engine.index.snapshot,
    before: { engine, reach: computeReachability(engine) },
    observed: { flows, window: { ...read.window, files: 8, tuples: 0 } },
    title: 't',
  });
}

describe('observed volume per edge', () => {
  let data: ReportData;
  beforeAll(async () => {
    data = await sampleReport();
  });
  const node = (vnet: string, name: string) =>
    data.nodes.findIndex((n) => n.name === name && (vnet === '' || data.nodes[n.parent]?.name === vnet));
  const edge = (from: number, to: number) => data.observedEdges!.find((e) => e.from === from && e.to === to);

  it('sums the application gateway → web tier tuples (tcp 80/443 from 10.100.1.10/11 to 10.1.1.4)', () => {
    // Counted from the files: 336 tuples, 168 of them flow starts (state B), 09:00:08.497 to 10:57:59.623.
    expect(edge(node('vnet-hub', 'snet-appgw'), node('vnet-app', 'snet-aci-web'))).toEqual({
      from: node('vnet-hub', 'snet-appgw'),
      to: node('vnet-app', 'snet-aci-web'),
      tuples: 336,
      flows: 168,
      first: '2026-11-30T09:00:08.497Z',
      last: '2026-11-30T10:57:59.623Z',
    });
  });

  it('per container group: the application gateway subnet → the web container group at 10.1.1.4', () => {
    const web4 = data.nodes.findIndex(
      (n) => n.kind === 'containerGroup' && n.details.some((d) => d.includes(' IP 10.1.1.4')),
    );
    expect(web4).toBeGreaterThanOrEqual(0);
    const groups = data.observedGroupEdges!;
    expect(groups.find((e) => e.from === node('vnet-hub', 'snet-appgw') && e.to === web4)).toMatchObject({
      tuples: 336,
      flows: 168,
    });
    // Every pair names a container group at one end at least; subnet pairs stay in observedEdges.
    const isGroup = (n: number) => data.nodes[n]!.kind === 'containerGroup';
    expect(groups.every((e) => isGroup(e.from) || isGroup(e.to))).toBe(true);
    expect(data.summary.observedGroupEdgesOmitted).toBeUndefined();
  });

  it('keeps the busiest container-group pairs within its limit and counts the others', async () => {
    const read = await readFlowLogs([FLOWS], { since: null, until: null, cwd: process.cwd() });
    const engine = compilePolicy(hubSpokeSnapshot());
    const nodeIndex = new Map(data.nodes.map((n, i) => [n.id, i]));
    const observed = { flows: [...read.flows], window: { ...read.window, files: 8, tuples: 0 } };
    const all = observedGroupEdges(observed, engine.index, nodeIndex, 1000);
    expect(all.omitted).toBe(0);
    expect(all.edges.length).toBeGreaterThan(1);
    const one = observedGroupEdges(observed, engine.index, nodeIndex, 1);
    expect(one.omitted).toBe(all.edges.length - 1);
    expect(one.edges[0]!.tuples).toBe(Math.max(...all.edges.map((e) => e.tuples)));
  });

  it('has no volume from the Internet to the web tier, and none without flow logs', () => {
    const internet = data.nodes.findIndex((n) => n.id === 'external:internet');
    expect(internet).toBeGreaterThanOrEqual(0);
    expect(edge(internet, node('vnet-app', 'snet-aci-web'))).toBeUndefined();
    const engine = compilePolicy(hubSpokeSnapshot());
    const without = buildReportData({
      snapshot: engine.index.snapshot,
      before: { engine, reach: computeReachability(engine) },
      title: 't',
    });
    expect(without.observedEdges).toBeUndefined();
  });

  it('counts only allowed flows, and keeps edges sorted', async () => {
    const keys = data.observedEdges!.map((e) => e.from * data.nodes.length + e.to);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
    const denied = {
      source: '10.100.1.10',
      destination: '10.1.1.4',
      protocol: 'tcp',
      destinationPort: 22,
      direction: 'Inbound' as const,
      decision: 'deny' as const,
      tuples: 5,
      flowsStarted: 5,
      firstSeen: '2026-11-30T08:00:00.000Z',
      lastSeen: '2026-11-30T08:00:00.000Z',
    };
    const engine = compilePolicy(hubSpokeSnapshot());
    const withDenied = buildReportData({
      snapshot: engine.index.snapshot,
      before: { engine, reach: computeReachability(engine) },
      observed: {
        flows: [denied],
        window: { first: null, last: null, since: null, until: null, files: 1, tuples: 5 },
      },
      title: 't',
    });
    expect(withDenied.observedEdges).toEqual([]);
    expect(data.observedEdges!.length).toBeGreaterThan(3);
  });
});
