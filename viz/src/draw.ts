/**
 * Drawing: data and layout → SVG. Styles are presentation attributes, not CSS classes, so an
 * exported SVG or PNG looks like the page. Every name goes in as text (d3 `.text`, which sets
 * textContent), never as markup.
 */
import { create, select, type Selection } from 'd3';
import type { ReportData } from '../../src/render/report-model';
import { RISK_NAMES, type Box, type DrawEdge, type GroupFlow } from './shape';

export const RISK_COLOURS = ['#7b8fb8', '#e0a526', '#f06c2c', '#c8102e'];
const RISK_WIDTHS = [1, 1.6, 2.2, 3];
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

const FILL = {
  vnet: '#eef3fb',
  subnet: '#ffffff',
  containerGroup: '#3b6fb6',
  publicGroup: '#c8102e',
  external: '#fff4f0',
};

type Svg = Selection<SVGSVGElement, undefined, null, undefined>;

export interface Drawing {
  svg: SVGSVGElement;
  /** The group that zoom and pan transform. */
  viewport: SVGGElement;
  edgeLayer: SVGGElement;
  flowLayer: SVGGElement;
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
  RISK_COLOURS.forEach((colour, level) => {
    defs
      .append('marker')
      .attr('id', `arrow-${level}`)
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
  for (const r of data.applianceRoutes) {
    const b = boxes[r.subnet]!;
    routeLayer
      .append('text')
      .attr('x', b.x + b.w - 6)
      .attr('y', b.y + b.h - 5)
      .attr('text-anchor', 'end')
      .attr('font-size', 10)
      .attr('fill', '#6a3d9a')
      .text(`via NVA ${clip(r.nextHop, 16)}`);
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
  drawLegend(svg);
  return {
    svg: svg.node()!,
    viewport: viewport.node()!,
    edgeLayer: edgeLayer.node()!,
    flowLayer: flowLayer.node()!,
  };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** Replaces the drawn edges. */
export function drawEdgeLayer(
  layer: SVGGElement,
  boxes: Box[],
  edges: DrawEdge[],
  selectedId: string | null,
): void {
  const g = select(layer);
  g.selectAll('*').remove();
  // Low risk first, so the red ones are on top.
  const ordered = edges.slice().sort((a, b) => a.risk.level - b.risk.level);
  for (const e of ordered) {
    const colour = RISK_COLOURS[e.risk.level]!;
    const selected = e.id === selectedId;
    g.append('path')
      .attr('data-edge-id', e.id)
      .attr('d', curve(boxes[e.from]!, boxes[e.to]!))
      .attr('fill', 'none')
      .attr('stroke', colour)
      .attr('stroke-opacity', selected ? 1 : [0.45, 0.6, 0.75, 0.85][e.risk.level]!)
      .attr(
        'stroke-width',
        RISK_WIDTHS[e.risk.level]! * (e.members.length > 1 ? 1.6 : 1) * (selected ? 1.8 : 1),
      )
      .attr('stroke-dasharray', e.risk.unknown && e.risk.level === 0 ? '4 3' : null)
      .attr('marker-end', `url(#arrow-${e.risk.level})`)
      .attr('cursor', 'pointer');
  }
}

/** Draws container-group level flows of one edge (thin lines between the dots). */
export function drawFlowLayer(layer: SVGGElement, boxes: Box[], flows: GroupFlow[], colour: string): void {
  const g = select(layer);
  g.selectAll('*').remove();
  for (const f of flows)
    g.append('path')
      .attr('data-flow', `${f.from}-${f.to}`)
      .attr('d', curve(boxes[f.from]!, boxes[f.to]!))
      .attr('fill', 'none')
      .attr('stroke', colour)
      .attr('stroke-width', 0.8)
      .attr('stroke-opacity', 0.9);
}

function drawLegend(svg: Svg): void {
  const g = svg.append('g').attr('class', 'legend').attr('transform', 'translate(16,16)');
  const items = RISK_NAMES.length;
  g.append('rect')
    .attr('width', 320)
    .attr('height', 34 + items * 18 + 54)
    .attr('rx', 6)
    .attr('fill', '#ffffff')
    .attr('fill-opacity', 0.92)
    .attr('stroke', '#c7d0df');
  g.append('text')
    .attr('x', 12)
    .attr('y', 20)
    .attr('font-size', 12)
    .attr('font-weight', 600)
    .text('Allowed flows');
  for (let level = RISK_NAMES.length - 1, row = 0; level >= 0; level--, row++) {
    const y = 36 + row * 18;
    g.append('line')
      .attr('x1', 12)
      .attr('x2', 44)
      .attr('y1', y)
      .attr('y2', y)
      .attr('stroke', RISK_COLOURS[level]!)
      .attr('stroke-width', RISK_WIDTHS[level]!);
    g.append('text')
      .attr('x', 52)
      .attr('y', y + 4)
      .attr('font-size', 11)
      .text(RISK_NAMES[level]!);
  }
  const y = 36 + items * 18;
  g.append('line')
    .attr('x1', 12)
    .attr('x2', 44)
    .attr('y1', y)
    .attr('y2', y)
    .attr('stroke', '#2e8b57')
    .attr('stroke-width', 6)
    .attr('stroke-opacity', 0.25);
  g.append('text')
    .attr('x', 52)
    .attr('y', y + 4)
    .attr('font-size', 11)
    .text('VNet peering');
  g.append('line')
    .attr('x1', 12)
    .attr('x2', 44)
    .attr('y1', y + 18)
    .attr('y2', y + 18)
    .attr('stroke', '#6a3d9a')
    .attr('stroke-width', 1.5)
    .attr('stroke-dasharray', '6 4');
  g.append('text')
    .attr('x', 52)
    .attr('y', y + 22)
    .attr('font-size', 11)
    .text('route through a virtual appliance');
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
