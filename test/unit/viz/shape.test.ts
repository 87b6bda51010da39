/** The page's data shaping, without a browser: risk, filters, aggregation, expansion, layout. */
import type { ReportData } from '../../../src/render/report-model';
import {
  changesOf,
  classesByNode,
  findingsByNode,
  findingsOfEdge,
  mergeStatus,
  viewEdges,
  decodeEdges,
  drawEdges,
  edgeAt,
  edgeRisk,
  expandEdge,
  filterEdges,
  layout,
  searchTexts,
  volumeOf,
  volumeWidth,
  type Box,
  type ReportEdge,
} from '../../../viz/src/shape';
import {
  hubSpokeProposal,
  reportDataOf,
  reportDataWithAfter,
  reportEstate,
} from '../../support/report-estate';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';

const data = reportDataOf(reportEstate());
const edges = decodeEdges(data, data.views.before);
const node = (name: string) => data.nodes.findIndex((n) => n.name === name);
const edge = (from: string, to: string) => edges.find((e) => e.from === node(from) && e.to === node(to))!;

describe('edgeAt', () => {
  it('finds every edge of a view by its ends (edges come in node order), and -1 for a pair with none', () => {
    expect(edges.length).toBeGreaterThan(3);
    edges.forEach((e, i) => expect(edgeAt(edges, e.from, e.to)).toBe(i));
    const last = edges[edges.length - 1]!;
    expect(edgeAt(edges, last.from, last.to + 1)).toBe(-1);
    expect(edgeAt(edges, -1, 0)).toBe(-1);
    expect(edgeAt([], 0, 0)).toBe(-1);
  });
});

describe('edgeRisk', () => {
  it('Internet to a management port is the top level; inside the VNet all ports is level 1', () => {
    expect(edgeRisk(data, edge('Internet', 'snet-web'))).toMatchObject({
      internet: true,
      management: true,
      level: 3,
    });
    expect(edgeRisk(data, edge('snet-ops', 'snet-web'))).toMatchObject({
      internet: false,
      allPorts: true,
      level: 1,
    });
  });
});

describe('filterEdges', () => {
  const texts = searchTexts(data);
  const all = { text: '', port: null, minRisk: 0 as const };
  const names = (ids: number[]) =>
    ids.map((i) => `${data.nodes[edges[i]!.from]!.name}->${data.nodes[edges[i]!.to]!.name}`);

  it('keeps everything with an empty filter', () => {
    expect(filterEdges(data, data.views.before, edges, all, texts)).toHaveLength(edges.length);
  });

  it('finds edges by the name of a container group inside a subnet', () => {
    const found = names(filterEdges(data, data.views.before, edges, { ...all, text: 'WEB-ADMIN' }, texts));
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) expect(f).toMatch(/snet-web/);
  });

  it('keeps only edges that open a port, and only the riskiest', () => {
    const https = names(filterEdges(data, data.views.before, edges, { ...all, port: 443 }, texts));
    expect(https).toContain('Internet->snet-web');
    const rdp = names(filterEdges(data, data.views.before, edges, { ...all, port: 3389 }, texts));
    expect(rdp).not.toContain('Internet->snet-web');
    // snet-ops has no NSG: the Internet reaches it on every port.
    expect(names(filterEdges(data, data.views.before, edges, { ...all, minRisk: 3 }, texts))).toEqual([
      'Internet->snet-ops',
      'Internet->snet-web',
    ]);
  });
});

describe('drawEdges', () => {
  const all = edges.map((_, i) => i);

  it('draws one line per subnet pair within the budget', () => {
    const drawn = drawEdges(data, edges, all, 1000);
    expect(drawn.level).toBe('subnet');
    expect(drawn.edges).toHaveLength(edges.length);
  });

  it('merges into one line per top-level pair over the budget, keeping the highest risk', () => {
    const drawn = drawEdges(data, edges, all, 1);
    expect(drawn.level).toBe('vnet');
    const internet = drawn.edges.find((d) => d.from === node('Internet') && d.to === node('vnet-a'))!;
    expect(internet.risk.level).toBe(3);
    expect(drawn.edges.reduce((n, d) => n + d.members.length, 0)).toBe(edges.length);
  });
});

describe('expandEdge', () => {
  it('expands classes to their container groups, each with its own traffic', () => {
    const { flows, omitted } = expandEdge(
      data.views.before,
      classesByNode(data, data.views.before),
      edge('Internet', 'snet-web'),
      100,
    );
    expect(omitted).toBe(0);
    const seen = flows.map((f) => `${data.nodes[f.to]!.name}: ${data.traffic[f.traffic]!.allow}`).sort();
    expect(seen).toEqual(['web-1: tcp 443', 'web-admin: tcp 22, 443']);
  });

  it('expands nothing when the report keeps no class detail', () => {
    const coarse = reportDataOf(reportEstate(), 0);
    const e = decodeEdges(coarse, coarse.views.before)[0]!;
    expect(expandEdge(coarse.views.before, classesByNode(coarse, coarse.views.before), e, 100)).toEqual({
      flows: [],
      omitted: 0,
    });
  });

  it('stops at the limit and counts the rest', () => {
    const e: ReportEdge = edge('snet-ops', 'snet-web');
    const { flows, omitted } = expandEdge(data.views.before, classesByNode(data, data.views.before), e, 1);
    expect(flows).toHaveLength(1);
    expect(omitted).toBe(1);
  });
});

function inside(inner: Box, outer: Box): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.w <= outer.x + outer.w &&
    inner.y + inner.h <= outer.y + outer.h
  );
}

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** A synthetic estate of `vnets` VNets × `subnets` subnets × `groups` groups, data only. */
function bigEstate(vnets: number, subnets: number, groups: number): ReportData {
  const small = reportDataOf(reportEstate());
  const nodes: ReportData['nodes'] = [
    { id: 'external:internet', kind: 'external', name: 'Internet', parent: -1, details: [] },
  ];
  for (let v = 0; v < vnets; v++) {
    const vi = nodes.push({ id: `v${v}`, kind: 'vnet', name: `vnet-${v}`, parent: -1, details: [] }) - 1;
    for (let s = 0; s < subnets; s++) {
      const si =
        nodes.push({ id: `v${v}s${s}`, kind: 'subnet', name: `snet-${s}`, parent: vi, details: [] }) - 1;
      for (let g = 0; g < groups; g++)
        nodes.push({
          id: `v${v}s${s}g${g}`,
          kind: 'containerGroup',
          name: `cg-${g}`,
          parent: si,
          details: [],
        });
    }
  }
  return { ...small, nodes, peerings: [], applianceRoutes: [] };
}

describe('layout', () => {
  it('puts every node inside its parent, siblings apart, and is the same every time', () => {
    for (const d of [data, reportDataOf(hubSpokeSnapshot()), bigEstate(3, 7, 11)]) {
      const { boxes } = layout(d);
      d.nodes.forEach((n, i) => {
        if (n.parent >= 0) expect(inside(boxes[i]!, boxes[n.parent]!)).toBe(true);
        d.nodes.forEach((m, j) => {
          if (j > i && m.parent === n.parent && d.nodes.length < 500)
            expect(overlap(boxes[i]!, boxes[j]!)).toBe(false);
        });
      });
      expect(layout(d)).toEqual(layout(d));
    }
  });

  it('lays out 2,000 subnets and 20,000 container groups in well under a second', () => {
    const d = bigEstate(20, 100, 10);
    const start = performance.now();
    const { boxes, width, height } = layout(d);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(boxes).toHaveLength(1 + 20 * (1 + 100 * 11));
    expect(width).toBeGreaterThan(0);
    // Roughly square: a picture, not a strip.
    expect(width / height).toBeLessThan(4);
    expect(height / width).toBeLessThan(4);
  });
});

describe('views, diff statuses and findings', () => {
  const hub = hubSpokeSnapshot();
  const withAfter = reportDataWithAfter(hub, hubSpokeProposal(hub));
  const at = (name: string) => withAfter.nodes.findIndex((n) => n.name === name || n.id === name);

  it('After leaves out what the proposal closes; Diff keeps every edge of either side', () => {
    const before = viewEdges(withAfter, 'before').edges;
    const after = viewEdges(withAfter, 'after').edges;
    const diff = viewEdges(withAfter, 'diff').edges;
    expect(after.every((e) => e.status !== 'closed')).toBe(true);
    expect(diff.filter((e) => e.status === 'closed').length).toBe(diff.length - after.length);
    // Every Before edge is in Diff (unchanged, narrowed or closed: this proposal opens nothing).
    const keys = new Set(diff.map((e) => `${e.from},${e.to}`));
    for (const e of before) expect(keys.has(`${e.from},${e.to}`)).toBe(true);
    expect(new Set(diff.map((e) => e.status))).toEqual(new Set(['unchanged', 'narrowed', 'closed']));
  });

  it('the Diff view filters by change status: only the closed, or only the narrowed', () => {
    const diff = viewEdges(withAfter, 'diff');
    const texts = searchTexts(withAfter);
    const only = (statuses: ReportEdge['status'][]) =>
      filterEdges(
        withAfter,
        diff.view,
        diff.edges,
        { text: '', port: null, minRisk: 0, statuses },
        texts,
      ).map((i) => diff.edges[i]!.status);
    const closed = only(['closed']);
    expect(closed.length).toBe(diff.edges.filter((e) => e.status === 'closed').length);
    expect(closed.length).toBeGreaterThan(0);
    expect(new Set(closed)).toEqual(new Set(['closed']));
    expect(new Set(only(['narrowed']))).toEqual(new Set(['narrowed']));
    expect(only(['opened', 'widened', 'changed'])).toEqual([]);
  });

  it('a view without a proposal falls back to Before', () => {
    const plain = reportDataOf(hub);
    expect(viewEdges(plain, 'diff').edges).toEqual(viewEdges(plain, 'before').edges);
  });

  it('what changed on an edge is keyed by its two nodes', () => {
    const change = changesOf(withAfter).get(`${at('external:internet')},${at('snet-aci-web')}`);
    expect(change).toEqual({ removed: 'tcp all ports; udp all ports; icmp', added: 'nothing' });
  });

  it('a line merging edges of different statuses takes their aggregate', () => {
    expect(mergeStatus('closed', 'closed')).toBe('closed');
    expect(mergeStatus('closed', 'unchanged')).toBe('narrowed');
    expect(mergeStatus('opened', 'unchanged')).toBe('widened');
    expect(mergeStatus('opened', 'closed')).toBe('changed');
  });

  it('findings concern the nodes they name and their ancestors, and the severity filter keeps their edges', () => {
    const withFindings: ReportData = {
      ...data,
      findings: [
        {
          ruleId: 'ACI002',
          severity: 'high',
          message: 'm',
          explain: null,
          fingerprint: 'f',
          accepted: false,
          rules: [],
          nodes: [node('snet-web')],
          edges: [[node('Internet'), node('snet-web')]],
        },
      ],
    };
    const byNode = findingsByNode(withFindings);
    expect(byNode[node('snet-web')]).toEqual([0]);
    expect(byNode[node('vnet-a')]).toEqual([0]);
    expect(byNode[node('snet-ops')]).toEqual([]);
    expect(findingsOfEdge(withFindings, byNode, node('Internet'), node('snet-web'))).toHaveLength(1);
    const texts = searchTexts(withFindings);
    const filter = { text: '', port: null, minRisk: 0 as const };
    const kept = (severity: number) =>
      filterEdges(withFindings, withFindings.views.before, edges, { ...filter, severity }, texts).map(
        (i) => `${data.nodes[edges[i]!.from]!.name}->${data.nodes[edges[i]!.to]!.name}`,
      );
    // high or worse: the edges touching the web subnet (the named node, and its container groups).
    expect(kept(1).length).toBeGreaterThan(0);
    for (const k of kept(1)) expect(k).toMatch(/snet-web/);
    // critical only: none.
    expect(kept(0)).toEqual([]);
  });
});

describe('observed volume of drawn edges', () => {
  const internetWeb = edges.indexOf(edge('Internet', 'snet-web'));
  const opsWeb = edges.indexOf(edge('snet-ops', 'snet-web'));
  const withFlows: ReportData = {
    ...data,
    observedEdges: [
      {
        from: node('snet-ops'),
        to: node('snet-web'),
        tuples: 40,
        flows: 20,
        first: '2026-11-30T09:00:00Z',
        last: '2026-11-30T10:00:00Z',
      },
      {
        from: node('Internet'),
        to: node('snet-web'),
        tuples: 2,
        flows: 1,
        first: '2026-11-30T08:00:00Z',
        last: '2026-11-30T08:30:00Z',
      },
    ],
  };

  it('is null without flow logs, zero for an open edge not seen, and sums merged members', () => {
    expect(volumeOf(data, edges, [opsWeb])).toBeNull();
    const unseen = edges.findIndex((_e, i) => i !== opsWeb && i !== internetWeb);
    expect(volumeOf(withFlows, edges, [unseen])).toEqual({ tuples: 0, flows: 0, first: null, last: null });
    expect(volumeOf(withFlows, edges, [opsWeb, internetWeb, unseen])).toEqual({
      tuples: 42,
      flows: 21,
      first: '2026-11-30T08:00:00Z',
      last: '2026-11-30T10:00:00Z',
    });
    const drawn = drawEdges(withFlows, edges, [opsWeb], 10).edges;
    expect(drawn[0]!.volume).toMatchObject({ tuples: 40 });
  });

  it('widths grow with the log of the tuples: 1 for none, 9 for the busiest', () => {
    expect(volumeWidth(0, 1000)).toBe(1);
    expect(volumeWidth(1000, 1000)).toBe(9);
    expect(volumeWidth(10, 1000)).toBeGreaterThan(volumeWidth(1, 1000));
    expect(volumeWidth(10, 1000)).toBeLessThan(volumeWidth(100, 1000));
    expect(volumeWidth(31, 1000)).toBeCloseTo(2 + (7 * Math.log(32)) / Math.log(1001), 10);
  });
});
