/** Small read helpers over the topology graph, typed by edge kind. */
import type { EdgeKind, TopologyEdgeAttributes, TopologyGraph, TopologyNodeAttributes } from './attributes';
import { compareCodeUnits } from './build';

/** One edge seen from a node: the edge key, the node at the other end, and the edge's attributes. */
export interface Neighbour<K extends EdgeKind> {
  edge: string;
  node: string;
  nodeAttributes: TopologyNodeAttributes;
  attributes: Extract<TopologyEdgeAttributes, { kind: K }>;
}

/**
 * Returns the edges of `kind` leaving (`out`) or entering (`in`) `node`, sorted by the other
 * node's label, then its key, then the edge key (deterministic).
 */
export function neighbours<K extends EdgeKind>(
  graph: TopologyGraph,
  node: string,
  direction: 'out' | 'in',
  kind: K,
): Neighbour<K>[] {
  const keys = direction === 'out' ? graph.outEdges(node) : graph.inEdges(node);
  const out: Neighbour<K>[] = [];
  for (const edge of keys) {
    const attributes = graph.getEdgeAttributes(edge);
    if (attributes.kind !== kind) continue;
    const other = direction === 'out' ? graph.target(edge) : graph.source(edge);
    out.push({
      edge,
      node: other,
      nodeAttributes: graph.getNodeAttributes(other),
      attributes: attributes as Extract<TopologyEdgeAttributes, { kind: K }>,
    });
  }
  return out.sort(
    (a, b) =>
      compareCodeUnits(a.nodeAttributes.label, b.nodeAttributes.label) ||
      compareCodeUnits(a.node, b.node) ||
      compareCodeUnits(a.edge, b.edge),
  );
}

/** Returns the keys of all nodes of `kind`, in the graph's (sorted) order. */
export function nodesOfKind(graph: TopologyGraph, kind: TopologyNodeAttributes['kind']): string[] {
  return graph.filterNodes((_node, attributes) => attributes.kind === kind);
}
