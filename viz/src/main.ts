/**
 * The report page: reads the embedded data, draws the Before view, and wires search, filters, zoom,
 * the side panel and export. All text goes in through textContent.
 */
import { select, zoom, zoomIdentity, type ZoomBehavior } from 'd3';
import { PART_SIZE, type ReportData } from '../../src/render/report-model';
import { RISK_COLOURS, drawEdgeLayer, drawFlowLayer, drawTopology } from './draw';
import {
  classesByNode,
  decodeEdges,
  drawEdges,
  edgeKey,
  expandEdge,
  filterEdges,
  layout,
  riskCounts,
  searchTexts,
  type DrawEdge,
  type Filter,
  partsOf,
  type ReportEdge,
  type RiskLevel,
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

function main(): void {
  const data = JSON.parse(document.getElementById('report-data')!.textContent!) as ReportData;
  const edges: ReportEdge[] = decodeEdges(data, data.views.before);
  const byNode = classesByNode(data);
  const texts = searchTexts(data);
  const { boxes, width, height } = layout(data);

  // The page: header (summary and controls), the drawing, the side panel.
  const header = el('header');
  const h1 = el('h1', data.title);
  const counts = riskCounts(data, edges);
  const summary = el(
    'p',
    `${data.summary.vnets} VNets · ${data.summary.subnets} subnets · ${data.summary.containerGroups} container groups ` +
      `(${data.summary.publicContainerGroups} public) · ${edges.length} allowed subnet-level flows: ` +
      `${counts[3]} from the Internet to management or all ports, ${counts[2]} other from the Internet, ${counts[1]} internal to management or all ports` +
      (data.summary.detailedEdges < edges.length
        ? ` · rules embedded for the ${data.summary.detailedEdges} riskiest (port filter searches those)`
        : '') +
      (data.collectedAt ? ` · collected ${data.collectedAt}` : ''),
    'summary',
  );
  const controls = el('div', undefined, 'controls');
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
  const reset = el('button', 'Reset');
  const exportSvg = el('button', 'Export SVG');
  const exportPng = el('button', 'Export PNG');
  const status = el('span', '', 'status');
  controls.append(search, port, risk, reset, exportSvg, exportPng, status);
  header.append(h1, summary, controls);
  const main = el('main');
  const stage = el('div', undefined, 'stage');
  const panel = el('aside');
  panel.id = 'panel';
  panel.hidden = true;
  main.append(stage, panel);
  document.body.append(header, main);

  const drawing = drawTopology(data, boxes, width, height);
  stage.append(drawing.svg);
  const viewport = select(drawing.viewport);
  const zoomer: ZoomBehavior<SVGSVGElement, unknown> = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.02, 8])
    .on('zoom', (ev) => viewport.attr('transform', ev.transform.toString()));
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
    };
    let selected = filterEdges(data, edges, filter, texts);
    if (selectedNode !== null) selected = selected.filter((i) => touches(edges[i]!, selectedNode!));
    const drawn = drawEdges(data, edges, selected, EDGE_BUDGET);
    shown = drawn.edges;
    drawEdgeLayer(drawing.edgeLayer, boxes, shown, selectedEdge);
    status.textContent =
      `${selected.length} of ${edges.length} flows` +
      (drawn.level === 'vnet'
        ? `, merged into ${shown.length} VNet-level lines (filter or click a subnet for detail)`
        : '');
  };

  const clearPanel = () => {
    panel.replaceChildren();
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

  const showEdge = (d: DrawEdge) => {
    selectedEdge = d.id;
    clearPanel();
    panel.dataset.edgeId = d.id;
    panel.append(el('h3', `${data.nodes[d.from]!.name} → ${data.nodes[d.to]!.name}`));
    panel.append(el('p', d.id, 'ids'));
    const flags = [
      d.risk.internet ? 'from the Internet' : '',
      d.risk.management ? 'management ports' : '',
      d.risk.allPorts ? 'all ports' : '',
      d.risk.unknown ? 'some traffic unknown' : '',
    ].filter(Boolean);
    const badge = el('p', flags.length ? flags.join(' · ') : 'narrow', 'risk');
    badge.style.borderLeftColor = RISK_COLOURS[d.risk.level]!;
    panel.append(badge);
    if (d.members.length > 1) {
      panel.append(el('h4', `${d.members.length} subnet-level flows`));
      const list = el('ul');
      for (const i of d.members.slice(0, 200)) {
        const e = edges[i]!;
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
    const edge = edges[d.members[0]!]!;
    const parts = partsOf(data, edge);
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
    if (!data.classDetail || edge.bundle < 0) {
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
            ? `This estate is large: the report embeds the rules of the ${data.summary.detailedEdges} riskiest flows only; this one keeps its risk. For its rules, run:`
            : 'This estate is large: the report keeps the rules of each subnet pair but not which container groups each joins. For one pair, run:',
          'hint',
        ),
        el('code', `aciseg explain <snapshot> --from ${hint(edge.from)} --to ${hint(edge.to)} --port <port>`),
      );
      redraw();
      return;
    }
    const expand = el('button', 'Show container groups', 'expand');
    expand.addEventListener('click', () => {
      const { flows, omitted } = expandEdge(data, byNode, edge, FLOW_LIMIT);
      drawFlowLayer(drawing.flowLayer, boxes, flows, RISK_COLOURS[d.risk.level]!);
      const list = el('ul', undefined, 'flows');
      for (const f of flows.slice(0, 100))
        list.append(
          el(
            'li',
            `${data.nodes[f.from]!.name} → ${data.nodes[f.to]!.name}: ${data.traffic[f.traffic]!.allow}`,
          ),
        );
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
    panel.dataset.nodeId = n.id;
    panel.append(el('h3', n.name), el('p', n.id, 'ids'), el('p', n.kind, 'kind'));
    for (const d of n.details) panel.append(el('p', d));
    redraw();
    panel.append(el('p', `${status.textContent}; click a line for its rules.`));
  };

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
  for (const input of [search, port, risk]) input.addEventListener('input', redraw);
  reset.addEventListener('click', () => {
    search.value = '';
    port.value = '';
    risk.value = '0';
    selectedNode = null;
    selectedEdge = null;
    panel.hidden = true;
    drawFlowLayer(drawing.flowLayer, boxes, [], '');
    redraw();
    fit();
  });
  exportSvg.addEventListener('click', () =>
    download(new Blob([svgText(drawing.svg)], { type: 'image/svg+xml' }), 'svg'),
  );
  exportPng.addEventListener('click', () => exportAsPng(drawing.svg));

  redraw();
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
