/**
 * The report page: reads the embedded data, draws the Before, After or Diff view, and wires the view
 * switch, search and filters, zoom, the side panel, the findings and proposed-rules tables, and
 * export. All text goes in through textContent.
 */
import { select, zoom, zoomIdentity, type ZoomBehavior } from 'd3';
import {
  PART_SIZE,
  type DiffStatus,
  type ReportData,
  type ReportFinding,
  type ReportProposedRule,
} from '../../src/render/report-model';
import {
  RISK_COLOURS,
  STATUS_STYLE,
  drawEdgeLayer,
  drawFlowLayer,
  drawHighlights,
  drawLegend,
  drawTopology,
} from './draw';
import {
  SEVERITY_NAMES,
  changesOf,
  childrenOf,
  classesByNode,
  decodeEdges,
  edgeAt,
  drawEdges,
  edgeKey,
  expandEdge,
  expandIds,
  filterEdges,
  findingsByNode,
  findingsOfEdge,
  layout,
  partsOf,
  riskCounts,
  searchTexts,
  viewEdges,
  type DrawEdge,
  type GroupFlow,
  type Filter,
  type ReportEdge,
  type RiskLevel,
  type ViewName,
} from './shape';

/** At most this many edges are drawn one per subnet pair; above it they merge per VNet pair. */
const EDGE_BUDGET = 1500;
const FLOW_LIMIT = 400;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  cls?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/** The Diff view's change filter: statuses drawn (empty: all), and how the choice reads. */
const CHANGE_FILTERS: [string, string][] = [
  ['', 'every flow, changed or not'],
  ['opened,widened,changed', 'new access: opened, widened, changed'],
  ['closed', 'closed by the proposal'],
  ['narrowed', 'narrowed by the proposal'],
  ['opened,closed,narrowed,widened,changed', 'every change (not unchanged)'],
];

/** 3676449 → 3,676,449 (fixed, not the browser's locale). */
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const plural = (n: number, word: string) => `${thousands(n)} ${word}${n === 1 ? '' : 's'}`;

function main(): void {
  const data = expandIds(JSON.parse(document.getElementById('report-data')!.textContent!) as ReportData);
  const hasAfter = data.views.after !== undefined;
  const texts = searchTexts(data);
  const { boxes, width, height } = layout(data);
  const children = childrenOf(data);
  const findingsOfNode = findingsByNode(data);
  const changes = changesOf(data);
  const ruleMeta = new Map(data.findingRules.map((r) => [r.id, r]));
  const titleOf = (f: ReportFinding) => f.title ?? ruleMeta.get(f.ruleId)?.title ?? f.ruleId;
  const beforeEdges = decodeEdges(data, data.views.before);

  // Decoding a view's edges costs a pass over millions of cells on large estates: once per view.
  const decoded = new Map<ViewName, ReturnType<typeof viewEdges>>([
    ['before', { view: data.views.before, edges: beforeEdges }],
  ]);
  const edgesOf = (name: ViewName) => {
    let v = decoded.get(name);
    if (!v) decoded.set(name, (v = viewEdges(data, name)));
    return v;
  };
  let viewName: ViewName = 'before';
  let current = edgesOf(viewName);

  // The page: header (summary and controls), the drawing and side panel, the tables.
  const header = el('header');
  const h1 = el('h1', data.title);
  const counts = riskCounts(data, beforeEdges);
  const summary = el(
    'p',
    `${plural(data.summary.vnets, 'VNet')} · ${plural(data.summary.subnets, 'subnet')} · ` +
      `${plural(data.summary.containerGroups, 'container group')} (${data.summary.publicContainerGroups} public) · ` +
      `${thousands(beforeEdges.length)} allowed subnet-level flows today: ${thousands(counts[3]!)} from the Internet to management or all ports, ` +
      `${thousands(counts[2]!)} other from the Internet, ${thousands(counts[1]!)} internal to management or all ports` +
      (data.collectedAt ? ` · collected ${data.collectedAt}` : ''),
    'summary',
  );
  const facts = el('p', undefined, 'facts');
  const findingCounts = data.summary.findings;
  const findingsFact = el('span', undefined, 'fact');
  findingsFact.id = 'summary-findings';
  if (!findingCounts) findingsFact.textContent = 'Findings: not computed';
  else {
    findingsFact.append(el('b', 'Findings: '));
    SEVERITY_NAMES.forEach((s, i) => {
      const chip = el('span', `${findingCounts[s]} ${s}`, findingCounts[s] > 0 ? `sev sev-${s}` : 'sev');
      chip.dataset.severity = s;
      findingsFact.append(chip);
      if (i < SEVERITY_NAMES.length - 1) findingsFact.append(' ');
    });
  }
  if (data.summary.findingsOmitted)
    findingsFact.append(
      ` (the table lists the ${data.findings.length} most severe; aciseg analyze lists all)`,
    );
  facts.append(findingsFact);
  const diffCounts = data.summary.diff;
  if (diffCounts) {
    const plan = el('span', undefined, 'fact');
    plan.id = 'summary-plan';
    plan.append(el('b', 'Proposal: '));
    const newAccess = diffCounts.opened + diffCounts.widened + diffCounts.changed;
    plan.append(
      `closes ${thousands(diffCounts.closed)} subnet-level paths and narrows ${thousands(diffCounts.narrowed)} ` +
        `(${thousands(data.summary.groupPairsClosed ?? 0)} endpoint-group pairs closed, ${thousands(data.summary.groupPairsNarrowed ?? 0)} narrowed)` +
        (newAccess > 0
          ? `; opens ${thousands(diffCounts.opened)}, widens ${thousands(diffCounts.widened)}, changes ${thousands(diffCounts.changed)} (Diff: new access)`
          : '; opens nothing') +
        (data.summary.proofOk === undefined ? '' : data.summary.proofOk ? '; proof holds' : '; proof FAILS'),
    );
    facts.append(plan);
  }
  if (data.summary.diffSkipped !== undefined)
    facts.append(
      el(
        'span',
        `Proposal drawn (After) but not compared: over ${thousands(data.summary.diffSkipped)} endpoint-group pairs to compare, more than a report holds`,
        'fact',
      ),
    );
  if (data.summary.observed) {
    const o = data.summary.observed;
    facts.append(
      el(
        'span',
        `Observed: ${o.tuples} tuples in ${plural(o.files, 'file')} (${o.first ?? '?'} – ${o.last ?? '?'})`,
        'fact',
      ),
    );
  }

  const controls = el('div', undefined, 'controls');
  const views = el('div', undefined, 'views');
  views.setAttribute('role', 'group');
  const viewButtons = new Map<ViewName, HTMLButtonElement>();
  for (const [name, label] of [
    ['before', 'Before'],
    ['after', 'After'],
    ['diff', 'Diff'],
  ] as const) {
    const b = el('button', label, 'view');
    b.dataset.view = name;
    const skipped = name === 'diff' && data.summary.diffSkipped !== undefined;
    b.disabled = (name !== 'before' && !hasAfter) || skipped;
    if (skipped)
      b.title = `too large to compare in a report (${data.summary.diffSkipped} endpoint-group pairs and more)`;
    else if (b.disabled)
      b.title = 'no proposal in this report (--flows or --intent for a plan, or --proposed)';
    views.append(b);
    viewButtons.set(name, b);
  }
  const search = el('input');
  search.type = 'search';
  search.placeholder = 'Search name, subnet, VNet…';
  search.id = 'search';
  const port = el('input');
  port.type = 'number';
  port.min = '0';
  port.max = '65535';
  port.placeholder = 'port';
  port.id = 'port';
  const risk = el('select');
  risk.id = 'risk';
  [
    'all flows',
    'management or all ports, and riskier',
    'from the Internet',
    'from the Internet to management or all ports',
  ].forEach((label, i) => {
    const o = el('option', label);
    o.value = String(i);
    risk.append(o);
  });
  const severity = el('select');
  severity.id = 'severity';
  [
    ['', 'any flow, with or without findings'],
    ...SEVERITY_NAMES.map((s, i) => [String(i), `with ${s} findings${i < 4 ? ' or worse' : ''}`]),
  ].forEach(([value, label]) => {
    const o = el('option', label);
    o.value = value!;
    severity.append(o);
  });
  // Diff view: which changes to draw (new access is a handful of lines among millions closed).
  const change = el('select');
  change.id = 'change';
  for (const [value, label] of CHANGE_FILTERS) {
    const o = el('option', label);
    o.value = value;
    change.append(o);
  }
  change.hidden = true;
  // Stroke width by risk, or by observed volume: offered when the report has flow logs.
  const widthSelect = el('select');
  widthSelect.id = 'width';
  for (const [value, label] of [
    ['risk', 'width: by risk'],
    ['volume', 'width: by observed volume'],
  ]) {
    const o = el('option', label);
    o.value = value!;
    widthSelect.append(o);
  }
  widthSelect.hidden = !data.observedEdges;
  const widthMode = () => (widthSelect.value === 'volume' ? 'volume' : 'risk');
  const reset = el('button', 'Reset');
  const exportSvg = el('button', 'Export SVG');
  const exportPng = el('button', 'Export PNG');
  const status = el('span', '', 'status');
  controls.append(
    views,
    search,
    port,
    risk,
    severity,
    change,
    widthSelect,
    reset,
    exportSvg,
    exportPng,
    status,
  );
  header.append(h1, summary, facts, controls);
  const main = el('main');
  const stage = el('div', undefined, 'stage');
  const panel = el('aside');
  panel.id = 'panel';
  panel.hidden = true;
  main.append(stage, panel);
  const tables = el('section', undefined, 'tables');
  document.body.append(header, main, tables);

  const drawing = drawTopology(data, boxes, width, height);
  stage.append(drawing.svg);
  const viewport = select(drawing.viewport);
  const zoomer: ZoomBehavior<SVGSVGElement, unknown> = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.02, 8])
    .on('zoom', (ev) => {
      viewport.attr('transform', ev.transform.toString());
      zoomScale = ev.transform.k;
    })
    // Line widths keep a least screen width: redrawn when a zoom ends at another scale.
    .on('end', () => {
      if (Math.abs(zoomScale - drawnScale) > drawnScale * 0.2) redraw();
    });
  let zoomScale = 1;
  let drawnScale = 1;
  const svgSel = select<SVGSVGElement, unknown>(drawing.svg);
  svgSel.call(zoomer);
  // Fit the picture beside the legend (top left), so neither hides the other.
  const LEGEND = 350;
  const fit = () => {
    const w = stage.clientWidth || 1200;
    const h = stage.clientHeight || 800;
    const left = w > 2 * LEGEND ? LEGEND : 0;
    const k = Math.min((w - left - 24) / width, (h - 24) / height, 1.5);
    const x = left + (w - left - width * k) / 2;
    svgSel.call(zoomer.transform, zoomIdentity.translate(x, (h - height * k) / 2).scale(k));
  };

  let selectedNode: number | null = null;
  let selectedEdge: string | null = null;
  let shown: DrawEdge[] = [];
  let highlighted = new Set<string>();

  // Observed tuples per container-group pair, for the expanded lines when the width is by volume.
  let groupVolume: Map<string, number> | null = null;
  const flowTuples = (flows: GroupFlow[]): (number | null)[] | null => {
    if (widthMode() !== 'volume' || !data.observedGroupEdges) return null;
    groupVolume ??= new Map(data.observedGroupEdges.map((e) => [`${e.from},${e.to}`, e.tuples]));
    // A pair the report left out (over its limit) has no count: not drawn as unseen.
    const unseen = data.summary.observedGroupEdgesOmitted ? null : 0;
    return flows.map((f) => groupVolume!.get(`${f.from},${f.to}`) ?? unseen);
  };
  const nodeIndex = new Map(data.nodes.map((n, i) => [n.id, i]));
  const touches = (e: ReportEdge, n: number) => {
    for (const end of [e.from, e.to])
      for (let p = end; p >= 0; p = data.nodes[p]!.parent) if (p === n) return true;
    return false;
  };

  const redraw = () => {
    const portValue = port.value.trim() === '' ? null : Number(port.value);
    const filter: Filter = {
      text: search.value,
      port: portValue !== null && Number.isInteger(portValue) ? portValue : null,
      minRisk: Number(risk.value) as RiskLevel,
      severity: severity.value === '' ? null : Number(severity.value),
      statuses: viewName === 'diff' && change.value !== '' ? (change.value.split(',') as DiffStatus[]) : null,
    };
    const { view, edges } = current;
    let selected = filterEdges(data, view, edges, filter, texts);
    if (selectedNode !== null) selected = selected.filter((i) => touches(edges[i]!, selectedNode!));
    const drawn = drawEdges(data, edges, selected, EDGE_BUDGET);
    shown = drawn.edges;
    drawEdgeLayer(
      drawing.edgeLayer,
      boxes,
      shown,
      selectedEdge,
      viewName === 'diff' ? 'diff' : 'risk',
      highlighted,
      widthMode(),
      zoomScale,
    );
    drawnScale = zoomScale;
    status.textContent =
      `${viewName === 'before' ? 'Before' : viewName === 'after' ? 'After' : 'Diff'}: ${selected.length} of ${edges.length} flows` +
      (drawn.level === 'vnet'
        ? `, merged into ${shown.length} VNet-level lines (filter or click a subnet for detail)`
        : '');
  };

  const setView = (name: ViewName) => {
    viewName = name;
    current = edgesOf(name);
    document.body.dataset.view = name;
    change.hidden = name !== 'diff';
    for (const [n, b] of viewButtons) b.setAttribute('aria-pressed', String(n === name));
    drawLegend(drawing.legend, name === 'diff' ? 'diff' : 'risk', widthMode());
    drawFlowLayer(drawing.flowLayer, boxes, [], '');
    selectedEdge = null;
    panel.hidden = true;
    redraw();
  };

  const clearPanel = () => {
    panel.replaceChildren();
    delete panel.dataset.shows;
    const close = el('button', '×', 'close');
    close.title = 'Close';
    close.addEventListener('click', () => {
      panel.hidden = true;
      selectedNode = null;
      selectedEdge = null;
      drawFlowLayer(drawing.flowLayer, boxes, [], '');
      redraw();
    });
    panel.append(close);
    panel.hidden = false;
  };

  const sideTable = (title: string, side: number) => {
    const wrap = el('div', undefined, 'side');
    wrap.append(el('h4', title));
    const table = el('table');
    const head = el('tr');
    for (const c of ['NSG / policy', 'rule', 'priority', 'outcome', 'traffic']) head.append(el('th', c));
    table.append(head);
    for (const [rule, outcome, traffic, policy, note] of data.sides[side]!.entries) {
      const r = rule >= 0 ? data.rules[rule]! : null;
      const row = el('tr');
      row.append(
        el('td', r ? r.nsg : policy === 'none' ? 'no policy on this side' : policy),
        el('td', r ? r.name : note || '—', 'rule-name'),
        el('td', r ? String(r.priority) : ''),
        el('td', outcome, `outcome-${outcome}`),
        el('td', traffic),
      );
      table.append(row);
    }
    wrap.append(table);
    return wrap;
  };

  const findingList = (title: string, list: ReportFinding[]) => {
    if (list.length === 0) return;
    panel.append(el('h4', `${title} (${list.length})`));
    const ul = el('ul', undefined, 'findings');
    for (const f of list.slice(0, 50)) {
      const li = el('li');
      li.append(el('span', f.severity, `sev sev-${f.severity}`), ` ${f.ruleId} ${titleOf(f)}: ${f.message}`);
      if (f.accepted) li.append(el('span', ' (accepted)', 'accepted'));
      ul.append(li);
    }
    panel.append(ul);
  };

  /** Proposed rules of the NSGs governing these nodes (subnets, or the subnets of a VNet or group). */
  const proposedFor = (nodesOf: number[], direction?: string) => {
    const wanted = new Set<number>();
    for (const n of nodesOf) {
      wanted.add(n);
      for (let p = data.nodes[n]!.parent; p >= 0; p = data.nodes[p]!.parent) wanted.add(p);
      for (const c of children[n]!) wanted.add(c);
    }
    return data.proposedRules.filter(
      (r) => (direction === undefined || r.direction === direction) && r.nodes.some((n) => wanted.has(n)),
    );
  };

  const proposedList = (list: ReportProposedRule[]) => {
    if (list.length === 0) return;
    panel.append(el('h4', `Proposed rules that change it (${list.length})`));
    const ul = el('ul', undefined, 'proposed');
    for (const r of list.slice(0, 50))
      ul.append(
        el(
          'li',
          `${r.status}: ${r.nsg}/${r.name} (${r.priority}, ${r.direction} ${r.access} ${r.protocol} ${r.source} → ${r.destination} ports ${r.ports})`,
        ),
      );
    panel.append(ul);
  };

  const showEdge = (d: DrawEdge) => {
    selectedEdge = d.id;
    clearPanel();
    panel.dataset.shows = d.id;
    panel.append(el('h3', `${data.nodes[d.from]!.name} → ${data.nodes[d.to]!.name}`));
    panel.append(el('p', d.id, 'ids'));
    if (viewName !== 'before') {
      const st = el('p', STATUS_STYLE[d.status].label, 'status-badge');
      st.dataset.status = d.status;
      st.style.borderLeftColor = STATUS_STYLE[d.status].colour;
      panel.append(st);
      const change = changes.get(`${d.from},${d.to}`);
      if (change && d.members.length === 1) {
        if (change.removed !== 'nothing')
          panel.append(el('p', `no longer allowed: ${change.removed}`, 'removed'));
        if (change.added !== 'nothing') panel.append(el('p', `newly allowed: ${change.added}`, 'added'));
      }
    }
    const flags = [
      d.risk.internet ? 'from the Internet' : '',
      d.risk.management ? 'management ports' : '',
      d.risk.allPorts ? 'all ports' : '',
      d.risk.unknown ? 'some traffic unknown' : '',
    ].filter(Boolean);
    const badge = el('p', flags.length ? flags.join(' · ') : 'narrow', 'risk');
    badge.style.borderLeftColor = RISK_COLOURS[d.risk.level]!;
    panel.append(badge);
    if (d.volume) {
      const seen =
        d.volume.tuples === 0
          ? 'observed: no allowed flow in the flow-log window'
          : `observed: ${d.volume.tuples} allowed tuples, ${d.volume.flows} flows started, ${d.volume.first} to ${d.volume.last}`;
      panel.append(el('p', seen, 'observed'));
      const w = data.summary.observed;
      if (w) panel.append(el('p', `flow-log window: ${w.first ?? '?'} to ${w.last ?? '?'}`, 'observed'));
    }
    findingList('Findings', findingsOfEdge(data, findingsOfNode, d.from, d.to));
    proposedList([...proposedFor([d.from], 'Outbound'), ...proposedFor([d.to], 'Inbound')]);
    if (d.members.length > 1) {
      panel.append(el('h4', `${d.members.length} subnet-level flows`));
      const list = el('ul');
      for (const i of d.members.slice(0, 200)) {
        const e = current.edges[i]!;
        const li = el('li');
        const a = el('button', `${data.nodes[e.from]!.name} → ${data.nodes[e.to]!.name}`, 'link');
        a.addEventListener('click', () => {
          selectedNode = e.from;
          redraw();
          const single = shown.find((s) => s.id === edgeKey(data, e.from, e.to));
          if (single) showEdge(single);
        });
        li.append(a);
        list.append(li);
      }
      panel.append(list);
      redraw();
      return;
    }
    // A closed edge has no rules in the proposal: show what decided it before.
    let edge = current.edges[d.members[0]!]!;
    let view = current.view;
    if (edge.status === 'closed') {
      const before = edgeAt(beforeEdges, edge.from, edge.to);
      if (before >= 0) {
        edge = beforeEdges[before]!;
        view = data.views.before;
        panel.append(el('h4', 'Before the proposal'));
      }
    }
    const parts = partsOf(view, edge);
    // One block per distinct (traffic, source side, destination side).
    const seen = new Set<string>();
    for (let k = 0; k < parts.length; k += PART_SIZE) {
      const key = parts.slice(k + 2, k + 5).join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      const t = data.traffic[parts[k + 2]!]!;
      const block = el('section');
      block.append(el('p', `allowed: ${t.allow}`, 'allow'));
      if (t.unknown !== 'nothing') block.append(el('p', `unknown: ${t.unknown}`, 'unknown'));
      block.append(sideTable('source side (outbound)', parts[k + 3]!));
      block.append(sideTable('destination side (inbound)', parts[k + 4]!));
      panel.append(block);
    }
    if (!view.classDetail || edge.bundle < 0) {
      const hint = (n: number) => {
        const node = data.nodes[n]!;
        return node.kind === 'subnet' && node.parent >= 0
          ? `${data.nodes[node.parent]!.name}/${node.name}`
          : node.name;
      };
      panel.append(
        el(
          'p',
          edge.bundle < 0
            ? `This estate is large: the report embeds the rules of the ${view.detailedEdges} riskiest flows only; this one keeps its risk. For its rules, run:`
            : 'This estate is large: the report keeps the rules of each subnet pair but not which container groups each joins. For one pair, run:',
          'hint',
        ),
        el('code', `aciseg explain <snapshot> --from ${hint(edge.from)} --to ${hint(edge.to)} --port <port>`),
      );
      redraw();
      return;
    }
    const expand = el('button', 'Show container groups', 'expand');
    const expandView = view;
    const expandEdgeOf = edge;
    expand.addEventListener('click', () => {
      const { flows, omitted } = expandEdge(
        expandView,
        classesByNode(data, expandView),
        expandEdgeOf,
        FLOW_LIMIT,
      );
      const tuples = flowTuples(flows);
      drawFlowLayer(drawing.flowLayer, boxes, flows, RISK_COLOURS[d.risk.level]!, tuples);
      const list = el('ul', undefined, 'flows');
      flows.slice(0, 100).forEach((f, k) => {
        const seen = tuples?.[k];
        const volume =
          seen === undefined || seen === null
            ? ''
            : seen === 0
              ? ' (not seen in the flow-log window)'
              : ` (${thousands(seen)} tuples observed)`;
        list.append(
          el(
            'li',
            `${data.nodes[f.from]!.name} → ${data.nodes[f.to]!.name}: ${data.traffic[f.traffic]!.allow}${volume}`,
          ),
        );
      });
      const more = flows.length - Math.min(flows.length, 100) + omitted;
      if (more > 0) list.append(el('li', `… and ${more} more`));
      expand.replaceWith(list);
    });
    panel.append(expand);
    redraw();
  };

  const showNode = (i: number) => {
    const n = data.nodes[i]!;
    selectedNode = n.kind === 'containerGroup' && !n.public ? n.parent : i;
    selectedEdge = null;
    drawFlowLayer(drawing.flowLayer, boxes, [], '');
    clearPanel();
    panel.dataset.shows = n.id;
    panel.append(el('h3', n.name), el('p', n.id, 'ids'), el('p', n.kind, 'kind'));
    for (const d of n.details) panel.append(el('p', d));
    findingList(
      'Findings',
      findingsOfNode[i]!.map((f) => data.findings[f]!),
    );
    proposedList(proposedFor([i]));
    redraw();
    panel.append(el('p', `${status.textContent}; click a line for its rules.`));
  };

  // Tables: findings and proposed rules; a row highlights what it concerns.
  const highlight = (nodes: number[], edges: [number, number][], row: HTMLElement) => {
    for (const r of tables.querySelectorAll('tr.lit')) r.classList.remove('lit');
    row.classList.add('lit');
    highlighted = new Set(edges.map(([a, b]) => edgeKey(data, a, b)));
    drawHighlights(drawing.highlightLayer, boxes, nodes);
    redraw();
  };
  const tabs = el('div', undefined, 'tabs');
  const body = el('div', undefined, 'table-body');
  const makeTable = (heads: string[]) => {
    const table = el('table');
    const tr = el('tr');
    for (const h of heads) tr.append(el('th', h));
    table.append(tr);
    return table;
  };
  const buildFindings = () => {
    const findingsTable = makeTable([
      'severity',
      'rule',
      'finding',
      'remediation',
      'rules responsible',
      'evidence',
    ]);
    findingsTable.id = 'findings-table';
    for (const f of data.findings) {
      const tr = el('tr');
      tr.dataset.fingerprint = f.fingerprint;
      const sev = el('td');
      sev.append(el('span', f.accepted ? `${f.severity} (accepted)` : f.severity, `sev sev-${f.severity}`));
      tr.append(
        sev,
        el('td', f.ruleId),
        el('td', `${titleOf(f)}: ${f.message}`),
        el('td', f.remediation ?? ruleMeta.get(f.ruleId)?.remediation ?? ''),
        el('td', f.rules.join(', ')),
        el('td', f.explain ?? '', 'code'),
      );
      tr.addEventListener('click', () => highlight(f.nodes, f.edges, tr));
      findingsTable.append(tr);
    }
    return findingsTable;
  };
  const buildRules = () => {
    const rulesTable = makeTable([
      'NSG',
      'change',
      'rule',
      'priority',
      'direction',
      'access',
      'protocol',
      'source',
      'destination',
      'ports',
      'why',
    ]);
    rulesTable.id = 'proposed-table';
    if (rulesOmitted > 0)
      rulesTable.createCaption().textContent =
        `Added and changed rules first, then removed ones, as the report's size allows: ` +
        `${thousands(rulesOmitted)} more rules are not listed (aciseg plan lists every rule).`;
    for (const r of data.proposedRules) {
      const tr = el('tr');
      tr.dataset.rule = `${r.nsg}/${r.name}`;
      tr.append(
        el('td', r.nsg),
        el('td', r.status, `change-${r.status}`),
        el('td', r.name),
        el('td', String(r.priority)),
        el('td', r.direction),
        el('td', r.access),
        el('td', r.protocol),
        el('td', r.source),
        el('td', r.destination),
        el('td', r.ports),
        el('td', r.why.join('; ')),
      );
      tr.addEventListener('click', () => highlight(r.nodes, [], tr));
      rulesTable.append(tr);
    }
    return rulesTable;
  };
  // Tables are built when first opened (thousands of rows on large estates).
  const tabFor = (label: string, build: () => HTMLTableElement, empty: string) => {
    let table: HTMLTableElement | null = null;
    const b = el('button', label, 'tab');
    b.addEventListener('click', () => {
      const open = b.getAttribute('aria-pressed') === 'true';
      for (const t of tabs.querySelectorAll('button')) t.setAttribute('aria-pressed', 'false');
      body.replaceChildren();
      if (open) {
        body.hidden = true;
        return;
      }
      b.setAttribute('aria-pressed', 'true');
      body.hidden = false;
      table ??= build();
      body.append(table.rows.length > 1 ? table : el('p', empty, 'empty'));
    });
    tabs.append(b);
    return b;
  };
  const findingsTab = tabFor(
    `Findings (${data.findings.length})`,
    buildFindings,
    data.summary.findings ? 'No findings.' : 'Findings were not computed for this report.',
  );
  const rulesOmitted = data.summary.proposedRulesOmitted ?? 0;
  const rulesTab = tabFor(
    rulesOmitted > 0
      ? `Proposed rules (${thousands(data.proposedRules.length)} of ${thousands(data.proposedRules.length + rulesOmitted)})`
      : `Proposed rules (${thousands(data.proposedRules.length)})`,
    buildRules,
    hasAfter
      ? 'The proposal names no rule changes (a proposed snapshot without a plan).'
      : 'No proposal in this report.',
  );
  findingsTab.id = 'tab-findings';
  rulesTab.id = 'tab-proposed';
  body.hidden = true;
  tables.append(tabs, body);

  drawing.svg.addEventListener('click', (ev) => {
    const target = ev.target as Element;
    const edgeEl = target.closest('[data-edge-id]');
    if (edgeEl) {
      const d = shown.find((s) => s.id === edgeEl.getAttribute('data-edge-id'));
      if (d) showEdge(d);
      return;
    }
    const nodeEl = target.closest('[data-node-id]');
    if (nodeEl) {
      const i = nodeIndex.get(nodeEl.getAttribute('data-node-id')!);
      if (i !== undefined) showNode(i);
    }
  });
  for (const [name, b] of viewButtons) b.addEventListener('click', () => setView(name));
  for (const input of [search, port, risk, severity, change]) input.addEventListener('input', redraw);
  widthSelect.addEventListener('input', () => {
    drawLegend(drawing.legend, viewName === 'diff' ? 'diff' : 'risk', widthMode());
    redraw();
  });
  reset.addEventListener('click', () => {
    search.value = '';
    port.value = '';
    risk.value = '0';
    severity.value = '';
    change.value = '';
    selectedNode = null;
    selectedEdge = null;
    highlighted = new Set();
    for (const r of tables.querySelectorAll('tr.lit')) r.classList.remove('lit');
    drawHighlights(drawing.highlightLayer, boxes, []);
    panel.hidden = true;
    drawFlowLayer(drawing.flowLayer, boxes, [], '');
    redraw();
    fit();
  });
  exportSvg.addEventListener('click', () =>
    download(new Blob([svgText(drawing.svg)], { type: 'image/svg+xml' }), 'svg'),
  );
  exportPng.addEventListener('click', () => exportAsPng(drawing.svg));

  setView('before');
  fit();
  document.body.dataset.ready = 'true';
}

function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const box = svg.getBoundingClientRect();
  copy.setAttribute('width', String(Math.round(box.width)));
  copy.setAttribute('height', String(Math.round(box.height)));
  copy.setAttribute('style', 'background:#f7f9fc');
  return new XMLSerializer().serializeToString(copy);
}

function download(blob: Blob, ext: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `aciseg-report.${ext}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function exportAsPng(svg: SVGSVGElement): void {
  const box = svg.getBoundingClientRect();
  const scale = 2;
  const image = new Image();
  const url = URL.createObjectURL(new Blob([svgText(svg)], { type: 'image/svg+xml' }));
  image.onload = () => {
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(box.width * scale);
    canvas.height = Math.round(box.height * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#f7f9fc';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(scale, scale);
    ctx.drawImage(image, 0, 0);
    URL.revokeObjectURL(url);
    canvas.toBlob((blob) => {
      if (blob) download(blob, 'png');
    }, 'image/png');
  };
  image.src = url;
}

main();
