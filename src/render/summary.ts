/**
 * The readable summary of a snapshot (the facts come from `analyze/summary-facts`): counts, the
 * VNet → subnet → container group tree, what faces the Internet, what is associated with nothing.
 */
import type { Topology } from '../graph/attributes';
import type { ContainerPort, Route, Snapshot } from '../model/snapshot';
import {
  summarize,
  type NetworkSecurityGroupEntry,
  type PeeringEntry,
  type RouteTableEntry,
  type SubnetEntry,
  type SummaryData,
  type ContainerGroupEntry,
} from '../analyze/summary-facts';
import { printable } from '../util/escape';
import { enveloped } from './envelope';

export * from '../analyze/summary-facts';

// ---------------------------------------------------------------------------------------------
// The text form

/** At most this many routes are shown per route table; the rest are counted. */
const ROUTES_SHOWN = 3;

/** Returns the summary as text for people (ends with a newline). */
export function renderSummary(snapshot: Snapshot, topology: Topology): string {
  return renderSummaryText(summarize(snapshot, topology));
}

/** Returns the summary as pretty-printed JSON (the `SummaryData` contract, ends with a newline). */
export function renderSummaryJson(snapshot: Snapshot, topology: Topology): string {
  return `${JSON.stringify(enveloped('aciseg.summary', summarize(snapshot, topology)), null, 2)}\n`;
}

/** A node of the printed tree: its line and its children. */
interface TreeNode {
  text: string;
  children: TreeNode[];
}

/** Returns the text form of summary data (ends with a newline). */
export function renderSummaryText(data: SummaryData): string {
  const c = data.counts;
  const lines: string[] = [];
  const source =
    data.source.kind === 'collect' && data.source.collectedAt !== null
      ? `collected ${printable(data.source.collectedAt)}`
      : data.source.kind === 'collect'
        ? 'collected'
        : 'imported';
  lines.push(
    `Snapshot ${source}, schema ${data.source.schemaVersion}, written by aciseg ${printable(data.source.generatorVersion)}`,
  );
  lines.push('');
  lines.push(
    [
      `VNets ${c.virtualNetworks}`,
      `subnets ${c.subnets}`,
      `peerings ${c.peerings}`,
      `NSGs ${c.networkSecurityGroups} (${plural(c.customRules, 'custom rule')})`,
      `route tables ${c.routeTables} (${plural(c.routes, 'route')})`,
      `ASGs ${c.applicationSecurityGroups}`,
    ].join(' · '),
  );
  const groupKinds = [`${c.privateContainerGroups} private`, `${c.publicContainerGroups} public`];
  if (c.otherContainerGroups > 0) groupKinds.push(`${c.otherContainerGroups} without IP`);
  lines.push(
    [
      `Container groups ${c.containerGroups} (${groupKinds.join(', ')})`,
      `admin rules ${c.adminRules}`,
      `skipped types ${c.skippedResourceTypes}`,
      `warnings ${c.warnings}`,
      `missing references ${c.missingReferences}`,
    ].join(' · '),
  );
  if (data.skippedResourceTypes.length > 0) {
    lines.push(
      `skipped: ${data.skippedResourceTypes.map((s) => `${printable(s.type)} ×${s.count}`).join(', ')}`,
    );
  }
  if (data.warningsByCode.length > 0) {
    lines.push(`warnings: ${data.warningsByCode.map((w) => `${printable(w.code)} ×${w.count}`).join(', ')}`);
  }

  lines.push('');
  lines.push('Virtual networks');
  if (data.virtualNetworks.length === 0) lines.push('(none)');
  data.virtualNetworks.forEach((vnet, i) => {
    if (i > 0) lines.push('');
    const head = vnet.missing
      ? `${printable(vnet.name)} (missing)`
      : joinParts([
          printable(vnet.name),
          vnet.addressPrefixes.map(printable).join(', ') || 'no address space',
          placement(vnet.resourceGroup, vnet.location),
        ]);
    lines.push(head);
    const children: TreeNode[] = [
      ...vnet.peerings.map((p) => ({ text: peeringText(p), children: [] })),
      ...vnet.subnets.map(subnetTree),
    ];
    drawTree(lines, children);
  });

  if (data.subnetsOutsideKnownVirtualNetworks.length > 0) {
    lines.push('');
    lines.push('Subnets outside any known virtual network');
    drawTree(lines, data.subnetsOutsideKnownVirtualNetworks.map(subnetTree));
  }
  if (data.containerGroupsOutsideKnownSubnets.length > 0) {
    lines.push('');
    lines.push('Container groups outside any known subnet');
    drawTree(
      lines,
      data.containerGroupsOutsideKnownSubnets.map((g) => ({ text: groupText(g), children: [] })),
    );
  }

  lines.push('');
  lines.push('Internet-facing');
  if (data.internetFacing.length === 0) lines.push('(none)');
  drawTree(
    lines,
    data.internetFacing.map((g) => ({ text: groupText(g), children: [] })),
  );

  const unattached: TreeNode[] = [
    ...data.unattachedNetworkSecurityGroups.map((n) => ({ text: nsgText(n), children: [] })),
    ...data.unattachedRouteTables.map((r) => ({ text: routeTableText(r), children: [] })),
  ];
  if (unattached.length > 0) {
    lines.push('');
    lines.push('Not associated with any subnet');
    drawTree(lines, unattached);
  }
  return `${lines.join('\n')}\n`;
}

function subnetTree(s: SubnetEntry): TreeNode {
  const head = s.missing
    ? `subnet ${printable(s.name)} (missing)`
    : joinParts([`subnet ${printable(s.name)}`, s.addressPrefixes.map(printable).join(', ') || 'no prefix']);
  const children: TreeNode[] = [];
  if (!s.missing) {
    children.push({
      text: s.networkSecurityGroup ? nsgText(s.networkSecurityGroup) : 'no NSG',
      children: [],
    });
    if (s.routeTable) children.push({ text: routeTableText(s.routeTable), children: [] });
    if (s.natGatewayId !== null) {
      children.push({ text: `NAT gateway ${printable(lastSegment(s.natGatewayId))}`, children: [] });
    }
    if (s.delegations.length > 0) {
      children.push({ text: `delegated to ${s.delegations.map(printable).join(', ')}`, children: [] });
    }
  }
  for (const g of s.containerGroups) children.push({ text: groupText(g), children: [] });
  return { text: head, children };
}

function nsgText(n: NetworkSecurityGroupEntry): string {
  if (n.missing) return `NSG ${printable(n.name)} (missing)`;
  return `NSG ${printable(n.name)}: ${n.inboundRules} inbound, ${n.outboundRules} outbound custom ${
    (n.inboundRules ?? 0) + (n.outboundRules ?? 0) === 1 ? 'rule' : 'rules'
  }`;
}

function routeTableText(r: RouteTableEntry): string {
  if (r.missing) return `route table ${printable(r.name)} (missing)`;
  if (r.routes.length === 0) return `route table ${printable(r.name)}: no routes`;
  const shown = notableRoutes(r.routes).slice(0, ROUTES_SHOWN);
  const more = r.routes.length - shown.length;
  const text = shown.map(routeText).join(', ');
  return `route table ${printable(r.name)}: ${text}${more > 0 ? ` (+${more} more)` : ''}`;
}

/**
 * Orders routes for display: default routes first (they widen the VirtualNetwork tag to everything
 * and steer all egress), then routes to an appliance or nowhere, then the rest; stable otherwise.
 */
function notableRoutes(routes: readonly Route[]): Route[] {
  const rank = (r: Route): number => {
    if (r.addressPrefix === '0.0.0.0/0' || r.addressPrefix === '::/0') return 0;
    const hop = r.nextHopType.toLowerCase();
    if (hop === 'virtualappliance' || hop === 'none') return 1;
    return 2;
  };
  return routes
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
    .map((x) => x.r);
}

function routeText(r: Route): string {
  const hop = r.nextHopIpAddress ? `${r.nextHopType} ${r.nextHopIpAddress}` : r.nextHopType;
  return `${printable(r.addressPrefix)} → ${printable(hop)}`;
}

function peeringText(p: PeeringEntry): string {
  const remote =
    p.remote === null
      ? '(no remote network)'
      : `${printable(p.remote.name)}${p.remote.missing ? ' (missing)' : ''}`;
  const state = [p.peeringState, p.peeringSyncLevel].filter((s): s is string => s !== null).map(printable);
  const flags: string[] = [];
  if (!p.allowVirtualNetworkAccess) flags.push('no VNet access');
  if (p.allowForwardedTraffic) flags.push('forwarded traffic');
  if (p.allowGatewayTransit) flags.push('gateway transit');
  if (p.useRemoteGateways) flags.push('uses remote gateways');
  return joinParts([
    `peering ${printable(p.name)} → ${remote}`,
    state.length > 0 ? state.join('/') : 'state unknown',
    p.remoteAddressPrefixes === null
      ? ''
      : `peers ${p.remoteAddressPrefixes.map(printable).join(', ') || 'nothing'}`,
    flags.join(', '),
  ]);
}

function groupText(g: ContainerGroupEntry): string {
  const ip = g.ipType === null ? 'no IP' : (g.ip ?? `${g.ipType.toLowerCase()} IP not assigned`);
  const containers =
    plural(g.containers, 'container') + (g.initContainers > 0 ? ` + ${g.initContainers} init` : '');
  return joinParts([
    `container group ${printable(g.name)}`,
    printable(ip),
    g.fqdn === null ? '' : printable(g.fqdn),
    formatPorts(g.ports),
    containers,
  ]);
}

/** `TCP 80, 443 · UDP 53`, or `no ports` (ports arrive sorted by protocol, then number). */
export function formatPorts(ports: readonly ContainerPort[]): string {
  if (ports.length === 0) return 'no ports';
  const byProtocol = new Map<string, number[]>();
  for (const p of ports) {
    const list = byProtocol.get(p.protocol) ?? [];
    list.push(p.port);
    byProtocol.set(p.protocol, list);
  }
  return [...byProtocol.entries()].map(([proto, list]) => `${proto} ${list.join(', ')}`).join(' · ');
}

function placement(resourceGroup: string | null, location: string | null): string {
  const parts = [resourceGroup, location].filter((p): p is string => p !== null && p !== '').map(printable);
  return parts.length > 0 ? `(${parts.join(', ')})` : '';
}

function joinParts(parts: readonly string[]): string {
  return parts.filter((p) => p !== '').join('  ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function lastSegment(id: string): string {
  const parts = id.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? id;
}

/** Appends children to `out` with `├─`/`└─` connectors and `│` rails, depth first (no spread: lists can be huge). */
function drawTree(out: string[], nodes: readonly TreeNode[], indent = ''): void {
  nodes.forEach((node, i) => {
    const last = i === nodes.length - 1;
    out.push(`${indent}${last ? '└─ ' : '├─ '}${node.text}`);
    drawTree(out, node.children, `${indent}${last ? '   ' : '│  '}`);
  });
}

/** Moved to src/util/escape.ts (shared with stderr); re-exported for the renderers that import it here. */
export { printable };
