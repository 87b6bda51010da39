/**
 * Snapshot → topology graph. Pure. References to resources the snapshot does not hold become
 * placeholder nodes and DANGLING_REFERENCE warnings, never a crash, so a partial export still
 * draws. Nodes and edges are inserted in sorted key order, so the graph (and `graph.export()`)
 * is the same for the same snapshot.
 */
import { MultiDirectedGraph } from 'graphology';
import { diagnostic, jsonPath, type Diagnostic } from '../diagnostics';
import type { ContainerPort, Snapshot } from '../model/snapshot';
import {
  INTERNET_NODE,
  type NodeKind,
  type Topology,
  type TopologyEdgeAttributes,
  type TopologyGraph,
  type TopologyNodeAttributes,
} from './attributes';

/** How each node kind reads in a message. */
const KIND_WORDS: Record<NodeKind, string> = {
  virtualNetwork: 'virtual network',
  subnet: 'subnet',
  networkSecurityGroup: 'network security group',
  routeTable: 'route table',
  containerGroup: 'container group',
  external: 'external endpoint',
};

interface PendingEdge {
  key: string;
  source: string;
  target: string;
  attributes: TopologyEdgeAttributes;
}

/** Compares strings by UTF-16 code units: locale-independent, so output is the same on every machine. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The last segment of a resource id (what a placeholder is called). */
function lastSegment(id: string): string {
  const parts = id.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? id;
}

/** `vnet/subnet` read from a subnet id, or the last segment when the id has another shape. */
function subnetLabelFromId(id: string): string {
  const m = /\/virtualnetworks\/([^/]+)\/subnets\/([^/]+)$/i.exec(id);
  return m ? `${m[1]}/${m[2]}` : lastSegment(id);
}

/** Returns the topology graph of a snapshot and the warnings found building it; never throws on odd input. */
export function buildTopology(snapshot: Snapshot): Topology {
  const nodes = new Map<string, TopologyNodeAttributes>();
  const edges = new Map<string, PendingEdge>();
  const diagnostics: Diagnostic[] = [];

  nodes.set(INTERNET_NODE, { kind: 'external', name: 'Internet', label: 'Internet', placeholder: false });

  /** Adds a node for a resource; returns false (and warns) when its id is already taken. */
  const addResource = (path: string, id: string, attributes: TopologyNodeAttributes): boolean => {
    const existing = nodes.get(id);
    if (existing) {
      diagnostics.push(
        diagnostic(
          'DUPLICATE_RESOURCE',
          `${KIND_WORDS[attributes.kind]} ${attributes.label} has the id ${JSON.stringify(id)}, already used by ${KIND_WORDS[existing.kind]} ${existing.label}; it is left out of the topology`,
          null,
          jsonPath(path, 'id'),
        ),
      );
      return false;
    }
    nodes.set(id, attributes);
    return true;
  };

  const vnetNames = new Map<string, string>();
  for (const vnet of snapshot.virtualNetworks) vnetNames.set(vnet.id, vnet.name);

  /** Adds every resource of one snapshot list, labelled by name unless `label` says otherwise. */
  const addAll = <T extends { id: string; name: string }>(
    list: readonly T[],
    path: string,
    kind: NodeKind,
    label: (r: T) => string = (r) => r.name,
  ): boolean[] =>
    list.map((r, i) =>
      addResource(jsonPath(path, i), r.id, { kind, name: r.name, label: label(r), placeholder: false }),
    );
  // 1. Every resource the snapshot holds, before any reference is resolved, so a reference to a
  //    resource listed later never makes a placeholder.
  addAll(snapshot.virtualNetworks, '$.virtualNetworks', 'virtualNetwork');
  const subnetOk = addAll(
    snapshot.subnets,
    '$.subnets',
    'subnet',
    (s) => `${vnetNames.get(s.virtualNetworkId) ?? subnetLabelFromId(s.id).split('/')[0]}/${s.name}`,
  );
  addAll(snapshot.networkSecurityGroups, '$.networkSecurityGroups', 'networkSecurityGroup');
  addAll(snapshot.routeTables, '$.routeTables', 'routeTable');
  const groupOk = addAll(snapshot.containerGroups, '$.containerGroups', 'containerGroup');

  /**
   * Resolves a reference to a node of `kind`: an absent target becomes a placeholder (with a
   * warning for every reference to it); a target of another kind is reported and yields null.
   */
  const resolve = (path: string, from: string, targetId: string, kind: NodeKind): string | null => {
    const existing = nodes.get(targetId);
    if (existing && existing.kind !== kind) {
      diagnostics.push(
        diagnostic(
          'DANGLING_REFERENCE',
          `${from} refers to ${KIND_WORDS[kind]} ${JSON.stringify(targetId)}, but that id is ${KIND_WORDS[existing.kind]} ${existing.label}; the reference is left out of the topology`,
          null,
          path,
        ),
      );
      return null;
    }
    if (!existing || existing.placeholder) {
      if (!existing) {
        const name = lastSegment(targetId);
        const label = kind === 'subnet' ? subnetLabelFromId(targetId) : name;
        nodes.set(targetId, { kind, name, label, placeholder: true });
      }
      diagnostics.push(
        diagnostic(
          'DANGLING_REFERENCE',
          `${from} refers to ${KIND_WORDS[kind]} ${JSON.stringify(targetId)}, which is not in the snapshot; it is shown as missing`,
          null,
          path,
        ),
      );
    }
    return targetId;
  };

  const addEdge = (
    source: string,
    target: string,
    attributes: TopologyEdgeAttributes,
    key?: string,
  ): void => {
    const k = key ?? `${attributes.kind}:${source}->${target}`;
    if (!edges.has(k)) edges.set(k, { key: k, source, target, attributes });
  };

  // 2. Subnets: their VNet, NSG and route table.
  snapshot.subnets.forEach((subnet, i) => {
    if (!subnetOk[i]) return;
    const path = jsonPath('$.subnets', i);
    const from = `subnet ${nodes.get(subnet.id)?.label ?? subnet.name}`;
    const vnet = resolve(jsonPath(path, 'virtualNetworkId'), from, subnet.virtualNetworkId, 'virtualNetwork');
    if (vnet !== null) addEdge(vnet, subnet.id, { kind: 'contains' });
    if (subnet.networkSecurityGroupId !== null) {
      const nsg = resolve(
        jsonPath(path, 'networkSecurityGroupId'),
        from,
        subnet.networkSecurityGroupId,
        'networkSecurityGroup',
      );
      if (nsg !== null) addEdge(nsg, subnet.id, { kind: 'secures' });
    }
    if (subnet.routeTableId !== null) {
      const rt = resolve(jsonPath(path, 'routeTableId'), from, subnet.routeTableId, 'routeTable');
      if (rt !== null) addEdge(rt, subnet.id, { kind: 'routes' });
    }
  });

  // 3. Peerings: one edge per peering resource, from its VNet to the remote VNet.
  const seenPeerings = new Set<string>();
  snapshot.virtualNetworkPeerings.forEach((peering, i) => {
    const path = jsonPath('$.virtualNetworkPeerings', i);
    if (seenPeerings.has(peering.id)) {
      diagnostics.push(
        diagnostic(
          'DUPLICATE_RESOURCE',
          `peering ${peering.name} appears more than once (id ${JSON.stringify(peering.id)}); only the first is used`,
          null,
          jsonPath(path, 'id'),
        ),
      );
      return;
    }
    seenPeerings.add(peering.id);
    const from = `peering ${peering.name}`;
    const local = resolve(
      jsonPath(path, 'virtualNetworkId'),
      from,
      peering.virtualNetworkId,
      'virtualNetwork',
    );
    if (peering.remoteVirtualNetworkId === null) return;
    const remote = resolve(
      jsonPath(path, 'remoteVirtualNetworkId'),
      from,
      peering.remoteVirtualNetworkId,
      'virtualNetwork',
    );
    if (local === null || remote === null) return;
    addEdge(
      local,
      remote,
      {
        kind: 'peers',
        peeringId: peering.id,
        name: peering.name,
        peeringState: peering.peeringState,
        peeringSyncLevel: peering.peeringSyncLevel,
        remoteAddressPrefixes:
          peering.remoteAddressPrefixes === null ? null : [...peering.remoteAddressPrefixes],
        allowVirtualNetworkAccess: peering.allowVirtualNetworkAccess,
        allowForwardedTraffic: peering.allowForwardedTraffic,
        allowGatewayTransit: peering.allowGatewayTransit,
        useRemoteGateways: peering.useRemoteGateways,
      },
      `peers:${peering.id}`,
    );
  });

  // 4. Container groups: the subnets they are injected into, and the Internet for public ones.
  snapshot.containerGroups.forEach((group, i) => {
    if (!groupOk[i]) return;
    const path = jsonPath('$.containerGroups', i);
    const from = `container group ${group.name}`;
    group.subnetIds.forEach((subnetId, j) => {
      const subnet = resolve(jsonPath(jsonPath(path, 'subnetIds'), j), from, subnetId, 'subnet');
      if (subnet !== null) addEdge(subnet, group.id, { kind: 'contains' });
    });
    if (group.ipAddress?.type === 'Public') {
      addEdge(INTERNET_NODE, group.id, { kind: 'exposes', ports: sortPorts(group.ipAddress.ports) });
    }
  });

  const graph: TopologyGraph = new MultiDirectedGraph<TopologyNodeAttributes, TopologyEdgeAttributes>({
    allowSelfLoops: true,
  });
  for (const key of [...nodes.keys()].sort(compareCodeUnits)) graph.addNode(key, nodes.get(key));
  for (const key of [...edges.keys()].sort(compareCodeUnits)) {
    const e = edges.get(key) as PendingEdge;
    graph.addDirectedEdgeWithKey(e.key, e.source, e.target, e.attributes);
  }
  return { graph, diagnostics };
}

/** Returns ports sorted by protocol, then port number, without duplicates (a new array). */
export function sortPorts(ports: readonly ContainerPort[]): ContainerPort[] {
  const seen = new Set<string>();
  const out: ContainerPort[] = [];
  for (const p of [...ports].sort((a, b) => compareCodeUnits(a.protocol, b.protocol) || a.port - b.port)) {
    const key = `${p.protocol}/${p.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ port: p.port, protocol: p.protocol });
  }
  return out;
}
