/**
 * Drawing: data and layout → SVG. Styles are presentation attributes, not CSS classes, so an
 * exported SVG or PNG looks like the page. Every name goes in as text (d3 `.text`, which sets
 * textContent), never as markup.
 */
import { create, select, type Selection } from 'd3';
import type { DiffStatus, ReportData } from '../../src/render/report-model';
import { RISK_NAMES, volumeWidth, type Box, type DrawEdge, type GroupFlow } from './shape';

export const RISK_COLOURS = ['#7b8fb8', '#e0a526', '#f06c2c', '#c8102e'];
const RISK_WIDTHS = [1, 1.6, 2.2, 3];

/** Diff view: colour, width and dash by status (closed dashed: it is no longer there). */
export const STATUS_STYLE: Record<
  DiffStatus,
  { colour: string; width: number; dash: string | null; label: string }
> = {
  closed: { colour: '#1b8a3c', width: 2.6, dash: '7 4', label: 'closed by the proposal' },
  narrowed: { colour: '#2f7fc1', width: 2.2, dash: null, label: 'narrowed: fewer ports or sources' },
  opened: { colour: '#c8102e', width: 2.6, dash: null, label: 'opened by the proposal' },
  widened: { colour: '#e0621b', width: 2.2, dash: null, label: 'widened' },
  changed: { colour: '#8e44ad', width: 2.2, dash: null, label: 'changed: some closed, some opened' },
  unchanged: { colour: '#b9c3d3', width: 1, dash: null, label: 'unchanged' },
};
const STATUS_ORDER: DiffStatus[] = ['unchanged', 'narrowed', 'widened', 'changed', 'closed', 'opened'];

export type EdgeMode = 'risk' | 'diff';
/** What stroke width stands for: the risk (or diff status), or the observed volume (with flow logs). */
export type WidthMode = 'risk' | 'volume';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

const FILL = {
  vnet: '#eef3fb',
  subnet: '#ffffff',
  containerGroup: '#3b6fb6',
  publicGroup: '#c8102e',
  external: '#fff4f0',
};

type Svg = Selection<SVGSVGElement, undefined, null, undefined>;

/** How a legend row draws its line sample. */
interface LegendLine {
  colour: string;
  width: number;
  dash?: string | null;
  opacity?: number;
}

export interface Drawing {
  svg: SVGSVGElement;
  /** The group that zoom and pan transform. */
  viewport: SVGGElement;
  edgeLayer: SVGGElement;
  flowLayer: SVGGElement;
  highlightLayer: SVGGElement;
  legend: SVGGElement;
}

function centre(b: Box): [number, number] {
  return [b.x + b.w / 2, b.y + b.h / 2];
}

/** Where the line from the centre of b towards (x, y) leaves b. */
function border(b: Box, x: number, y: number): [number, number] {
  const [cx, cy] = centre(b);
  const dx = x - cx;
  const dy = y - cy;
  if (dx === 0 && dy === 0) return [cx, cy];
  const t = Math.min(
    dx === 0 ? Infinity : b.w / 2 / Math.abs(dx),
    dy === 0 ? Infinity : b.h / 2 / Math.abs(dy),
    1,
  );
  return [cx + dx * t, cy + dy * t];
}

/** A gentle curve from the border of a to the border of b; the bend keeps the two directions of a pair apart. A loop when a is b. */
function curve(a: Box, b: Box): string {
  if (a === b) {
    const x = a.x + a.w - 18;
    const y = a.y;
    return `M${x},${y} C${x - 10},${y - 34} ${x + 28},${y - 34} ${x + 12},${y}`;
  }
  const [ax, ay] = centre(a);
  const [bx, by] = centre(b);
  const [x1, y1] = border(a, bx, by);
  const [x2, y2] = border(b, ax, ay);
  const mx = (x1 + x2) / 2;
  const my = (y1 + y2) / 2;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const bend = 0.15;
  return `M${x1},${y1} Q${mx - dy * bend},${my + dx * bend} ${x2},${y2}`;
}

/** The topology: boxes, dots, peerings and appliance routes. Edges are drawn by drawEdgeLayer. */
export function drawTopology(data: ReportData, boxes: Box[], width: number, height: number): Drawing {
  const svg: Svg = create('svg')
    .attr('xmlns', 'http://www.w3.org/2000/svg')
    .attr('width', '100%')
    .attr('height', '100%')
    .attr('font-family', FONT)
    .attr('data-extent', `${width}x${height}`);
  const defs = svg.append('defs');
  const markers = [
    ...RISK_COLOURS.map((colour, level) => ({ id: `arrow-${level}`, colour })),
    ...STATUS_ORDER.map((status) => ({ id: `arrow-${status}`, colour: STATUS_STYLE[status].colour })),
  ];
  markers.forEach(({ id, colour }) => {
    defs
      .append('marker')
      .attr('id', id)
      .attr('viewBox', '0 0 10 10')
      .attr('refX', 9)
      .attr('refY', 5)
      .attr('markerUnits', 'userSpaceOnUse')
      .attr('markerWidth', 9)
      .attr('markerHeight', 9)
      .attr('orient', 'auto-start-reverse')
      .append('path')
      .attr('d', 'M0,0 L10,5 L0,10 z')
      .attr('fill', colour);
  });
  const viewport = svg.append('g').attr('class', 'viewport');
  const boxLayer = viewport.append('g');
  const peerLayer = viewport.append('g');
  const routeLayer = viewport.append('g');
  const edgeLayer = viewport.append('g');
  const flowLayer = viewport.append('g');
  const highlightLayer = viewport.append('g').attr('class', 'highlights');

  data.nodes.forEach((n, i) => {
    const b = boxes[i]!;
    const g = boxLayer
      .append('g')
      .attr('data-node-id', n.id)
      .attr('data-kind', n.kind)
      .attr('cursor', 'pointer');
    if (n.kind === 'containerGroup' && n.parent >= 0) {
      g.append('rect')
        .attr('x', b.x)
        .attr('y', b.y)
        .attr('width', b.w)
        .attr('height', b.h)
        .attr('rx', 2)
        .attr('fill', n.public ? FILL.publicGroup : FILL.containerGroup);
      return;
    }
    const fill =
      n.kind === 'vnet'
        ? FILL.vnet
        : n.kind === 'external' || n.kind === 'group'
          ? FILL.external
          : n.kind === 'containerGroup'
            ? '#fdeaea'
            : FILL.subnet;
    const stroke =
      n.kind === 'external' || n.kind === 'group' ? '#c8102e' : n.kind === 'vnet' ? '#7d96c4' : '#a9b6cc';
    g.append('rect')
      .attr('x', b.x)
      .attr('y', b.y)
      .attr('width', b.w)
      .attr('height', b.h)
      .attr('rx', n.kind === 'vnet' ? 8 : 5)
      .attr('fill', fill)
      .attr('stroke', stroke)
      .attr('stroke-width', n.kind === 'vnet' ? 1.5 : 1);
    const title = n.kind === 'vnet' ? 14 : 12;
    g.append('text')
      .attr('x', b.x + 8)
      .attr('y', b.y + title + 4)
      .attr('font-size', title)
      .attr('font-weight', n.kind === 'subnet' ? 500 : 600)
      .attr('fill', '#1d2a3f')
      .text(clip(n.name, Math.floor((b.w - 12) / (title * 0.58))));
    g.append('text')
      .attr('x', b.x + 8)
      .attr('y', b.y + title + 18)
      .attr('font-size', 10)
      .attr('fill', '#5a6780')
      .text(clip(n.details[0] ?? '', Math.floor((b.w - 12) / 5.6)));
  });

  for (const p of data.peerings) {
    // One line per VNet pair: draw the peering from the lower index only.
    if (p.from > p.to && data.peerings.some((q) => q.from === p.to && q.to === p.from)) continue;
    const [x1, y1] = centre(boxes[p.from]!);
    const [x2, y2] = centre(boxes[p.to]!);
    peerLayer
      .append('line')
      .attr('data-peering', `${data.nodes[p.from]!.id} <-> ${data.nodes[p.to]!.id}`)
      .attr('x1', x1)
      .attr('y1', y1)
      .attr('x2', x2)
      .attr('y2', y2)
      .attr('stroke', p.state.toLowerCase() === 'connected' ? '#2e8b57' : '#999999')
      .attr('stroke-width', 6)
      .attr('stroke-opacity', 0.25)
      .attr('stroke-linecap', 'round');
  }
  // One label per subnet (its first appliance route; others are counted), one line per route.
  const hops = new Map<number, string[]>();
  for (const r of data.applianceRoutes) hops.set(r.subnet, [...(hops.get(r.subnet) ?? []), r.nextHop]);
  for (const [subnet, list] of hops) {
    const b = boxes[subnet]!;
    const more = new Set(list).size - 1;
    routeLayer
      .append('text')
      .attr('x', b.x + 8)
      .attr('y', b.y + 42)
      .attr('font-size', 10)
      .attr('fill', '#6a3d9a')
      .text(`via NVA ${clip(list[0]!, 16)}${more > 0 ? ` (+${more})` : ''}`);
  }
  for (const r of data.applianceRoutes) {
    const b = boxes[r.subnet]!;
    if (r.nextHopSubnet >= 0 && r.nextHopSubnet !== r.subnet)
      routeLayer
        .append('path')
        .attr('d', curve(b, boxes[r.nextHopSubnet]!))
        .attr('fill', 'none')
        .attr('stroke', '#6a3d9a')
        .attr('stroke-width', 1.5)
        .attr('stroke-dasharray', '6 4')
        .attr('data-route', `${data.nodes[r.subnet]!.id} via ${r.nextHop}`);
  }
  const legend = svg.append('g').attr('class', 'legend').attr('transform', 'translate(16,16)');
  drawLegend(legend.node()!, 'risk');
  return {
    svg: svg.node()!,
    viewport: viewport.node()!,
    edgeLayer: edgeLayer.node()!,
    flowLayer: flowLayer.node()!,
    highlightLayer: highlightLayer.node()!,
    legend: legend.node()!,
  };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** Replaces the drawn edges: coloured by risk (Before, After) or by diff status (Diff). */
export function drawEdgeLayer(
  layer: SVGGElement,
  boxes: Box[],
  edges: DrawEdge[],
  selectedId: string | null,
  mode: EdgeMode = 'risk',
  highlighted: Set<string> = new Set(),
  widthMode: WidthMode = 'risk',
  scale = 1,
): void {
  const g = select(layer);
  g.selectAll('*').remove();
  // Zoomed out over a large estate, lines would be hairlines: at least one screen pixel, and two
  // for what a proposal changes (`scale` is the zoom factor).
  const least = (changed: boolean) => (changed ? 2 : 1) / Math.max(scale, 1e-3);
  const byVolume = widthMode === 'volume' && edges.some((e) => e.volume !== null);
  const maxTuples = Math.max(0, ...edges.map((e) => e.volume?.tuples ?? 0));
  // Quiet lines first, so the red ones (risk) or the changed ones (diff) are on top.
  const rank = (e: DrawEdge) => (mode === 'risk' ? e.risk.level : STATUS_ORDER.indexOf(e.status));
  const ordered = edges.slice().sort((a, b) => rank(a) - rank(b));
  for (const e of ordered) {
    const selected = e.id === selectedId;
    const lit = highlighted.has(e.id);
    const style =
      mode === 'risk'
        ? {
            colour: RISK_COLOURS[e.risk.level]!,
            width: RISK_WIDTHS[e.risk.level]!,
            opacity: [0.45, 0.6, 0.75, 0.85][e.risk.level]!,
            dash: e.risk.unknown && e.risk.level === 0 ? '4 3' : null,
            marker: `arrow-${e.risk.level}`,
          }
        : {
            colour: STATUS_STYLE[e.status].colour,
            width: STATUS_STYLE[e.status].width,
            opacity: e.status === 'unchanged' ? 0.5 : 0.9,
            dash: STATUS_STYLE[e.status].dash,
            marker: `arrow-${e.status}`,
          };
    // By volume: the width is the observed tuples (log scale); open but not seen is a thin dotted line.
    const unseen = byVolume && e.volume !== null && e.volume.tuples === 0;
    const width = Math.max(
      byVolume
        ? volumeWidth(e.volume?.tuples ?? 0, maxTuples)
        : style.width * (e.members.length > 1 ? 1.6 : 1),
      least(mode === 'diff' && e.status !== 'unchanged'),
    );
    g.append('path')
      .attr('data-edge-id', e.id)
      .attr('data-status', e.status)
      .attr('data-risk', e.risk.level)
      .attr('data-volume', e.volume === null ? null : e.volume.tuples)
      .attr('d', curve(boxes[e.from]!, boxes[e.to]!))
      .attr('fill', 'none')
      .attr('stroke', lit ? HIGHLIGHT : style.colour)
      .attr('stroke-opacity', selected || lit ? 1 : style.opacity)
      .attr('stroke-width', width * (selected || lit ? 1.8 : 1))
      .attr('stroke-dasharray', unseen ? '1 3' : style.dash)
      .attr('marker-end', `url(#${style.marker})`)
      .attr('cursor', 'pointer');
  }
}

/** The colour of what a findings or proposed-rules row points at. */
export const HIGHLIGHT = '#d4148c';

/** Outlines the boxes of highlighted nodes (a findings or proposed-rules row). */
export function drawHighlights(layer: SVGGElement, boxes: Box[], nodes: number[]): void {
  const g = select(layer);
  g.selectAll('*').remove();
  for (const n of nodes) {
    const b = boxes[n]!;
    g.append('rect')
      .attr('data-highlight', n)
      .attr('x', b.x - 3)
      .attr('y', b.y - 3)
      .attr('width', b.w + 6)
      .attr('height', b.h + 6)
      .attr('rx', 6)
      .attr('fill', 'none')
      .attr('stroke', HIGHLIGHT)
      .attr('stroke-width', 3)
      .attr('pointer-events', 'none');
  }
}

/** Draws container-group level flows of one edge (thin lines between the dots). */
/**
 * The container-group level lines of an expanded edge. With `tuples` (width by observed volume),
 * each line is as wide as its observed tuples (log scale), thin and dotted when open but never
 * seen; null for a line the report has no count for (drawn plain).
 */
export function drawFlowLayer(
  layer: SVGGElement,
  boxes: Box[],
  flows: GroupFlow[],
  colour: string,
  tuples: (number | null)[] | null = null,
): void {
  const g = select(layer);
  g.selectAll('*').remove();
  const max = Math.max(0, ...(tuples ?? []).map((t) => t ?? 0));
  flows.forEach((f, k) => {
    const seen = tuples ? tuples[k]! : null;
    g.append('path')
      .attr('data-flow', `${f.from}-${f.to}`)
      .attr('data-volume', seen)
      .attr('d', curve(boxes[f.from]!, boxes[f.to]!))
      .attr('fill', 'none')
      .attr('stroke', colour)
      .attr('stroke-width', seen === null ? 0.8 : seen === 0 ? 0.8 : volumeWidth(seen, max) * 0.5)
      .attr('stroke-dasharray', seen === 0 ? '1 3' : null)
      .attr('stroke-opacity', 0.9);
  });
}

/** The legend for the current view: risk colours, or diff statuses; then the topology marks. */
export function drawLegend(layer: SVGGElement, mode: EdgeMode, widthMode: WidthMode = 'risk'): void {
  const g = select(layer);
  g.selectAll('*').remove();
  const volumeRows = widthMode === 'volume' ? 2 : 0;
  const lines =
    mode === 'risk'
      ? RISK_NAMES.map((label, level) => ({
          label,
          colour: RISK_COLOURS[level]!,
          width: RISK_WIDTHS[level]!,
          dash: null as string | null,
        })).reverse()
      : (['closed', 'narrowed', 'opened', 'widened', 'changed', 'unchanged'] as DiffStatus[]).map((s) => ({
          label: STATUS_STYLE[s].label,
          colour: STATUS_STYLE[s].colour,
          width: STATUS_STYLE[s].width,
          dash: STATUS_STYLE[s].dash,
        }));
  const items = lines.length;
  g.append('rect')
    .attr('width', 320)
    .attr('height', 34 + (items + volumeRows) * 18 + 54)
    .attr('rx', 6)
    .attr('fill', '#ffffff')
    .attr('fill-opacity', 0.94)
    .attr('stroke', '#c7d0df');
  g.append('text')
    .attr('x', 12)
    .attr('y', 20)
    .attr('font-size', 12)
    .attr('font-weight', 600)
    .text(mode === 'risk' ? 'Allowed flows, by risk' : 'What the proposal changes');
  const row = (y: number, label: string, line: LegendLine) => {
    g.append('line')
      .attr('x1', 12)
      .attr('x2', 44)
      .attr('y1', y)
      .attr('y2', y)
      .attr('stroke', line.colour)
      .attr('stroke-width', line.width)
      .attr('stroke-dasharray', line.dash ?? null)
      .attr('stroke-opacity', line.opacity ?? null);
    g.append('text')
      .attr('x', 52)
      .attr('y', y + 4)
      .attr('font-size', 11)
      .text(label);
  };
  lines.forEach((l, i) => row(36 + i * 18, l.label, l));
  if (volumeRows) {
    const v = 36 + items * 18;
    row(v, 'width: allowed tuples observed (log scale)', { colour: '#5b6b84', width: 7 });
    row(v + 18, 'open, not seen in the flow-log window', { colour: '#5b6b84', width: 1, dash: '1 3' });
  }
  const y = 36 + (items + volumeRows) * 18;
  row(y, 'VNet peering', { colour: '#2e8b57', width: 6, opacity: 0.25 });
  row(y + 18, 'route through a virtual appliance', { colour: '#6a3d9a', width: 1.5, dash: '6 4' });
  g.append('rect')
    .attr('x', 24)
    .attr('y', y + 32)
    .attr('width', 10)
    .attr('height', 10)
    .attr('fill', FILL.containerGroup);
  g.append('rect')
    .attr('x', 38)
    .attr('y', y + 32)
    .attr('width', 10)
    .attr('height', 10)
    .attr('fill', FILL.publicGroup);
  g.append('text')
    .attr('x', 52)
    .attr('y', y + 41)
    .attr('font-size', 11)
    .text('container group (red: public IP)');
}
