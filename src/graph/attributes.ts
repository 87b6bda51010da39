/**
 * The attribute types of the topology graph. Nodes are keyed by lower-cased ARM resource id (the
 * snapshot's ids), plus `external:internet` for the Internet; edges are keyed `kind:source->target`
 * (peerings: `peers:<peering id>`). graphology needs object type aliases here, not interfaces.
 */
import type { MultiDirectedGraph } from 'graphology';
import type { Diagnostic } from '../diagnostics';
import type { ContainerPort, PeeringFlags } from '../model/snapshot';

/** The node key of the Internet. */
export const INTERNET_NODE = 'external:internet';

export type NodeKind =
  'virtualNetwork' | 'subnet' | 'networkSecurityGroup' | 'routeTable' | 'containerGroup' | 'external';

export type TopologyNodeAttributes = {
  kind: NodeKind;
  /** The resource name (for a placeholder: the last segment of its id). */
  name: string;
  /** What to show people: the name, or `vnet/subnet` for a subnet, `Internet` for the Internet. */
  label: string;
  /** True for a resource that is referenced but not in the snapshot. */
  placeholder: boolean;
};

export type EdgeKind = 'contains' | 'secures' | 'routes' | 'peers' | 'exposes';

/** VNet → subnet, subnet → container group. */
export type ContainsEdgeAttributes = { kind: 'contains' };
/** NSG → subnet it is associated with. */
export type SecuresEdgeAttributes = { kind: 'secures' };
/** Route table → subnet it is associated with. */
export type RoutesEdgeAttributes = { kind: 'routes' };

/** Local VNet → remote VNet, one edge per peering resource (each direction is its own peering). */
/** `remoteAddressPrefixes`: the prefixes the peering reports as peered; null when the input had none. */
export type PeersEdgeAttributes = {
  kind: 'peers';
  peeringId: string;
  name: string;
} & PeeringFlags;

/** Internet → public container group, with the ports it exposes (sorted by protocol, then port). */
export type ExposesEdgeAttributes = { kind: 'exposes'; ports: ContainerPort[] };

export type TopologyEdgeAttributes =
  | ContainsEdgeAttributes
  | SecuresEdgeAttributes
  | RoutesEdgeAttributes
  | PeersEdgeAttributes
  | ExposesEdgeAttributes;

/** A directed multigraph, so that odd input (two peerings between the same VNets) never collides. */
export type TopologyGraph = MultiDirectedGraph<TopologyNodeAttributes, TopologyEdgeAttributes>;

/** The graph with the warnings found while building it (dangling references, duplicate ids). */
export interface Topology {
  graph: TopologyGraph;
  diagnostics: Diagnostic[];
}
