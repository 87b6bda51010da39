/**
 * The data embedded in the HTML report (`aciseg.report`), shared by the renderer (src/render/report-data.ts
 * builds it) and the page (viz/ reads it). Tables are arrays referenced by index so that an estate of
 * 20,000 container groups stays a few megabytes; the page turns them into objects (viz/src/shape.ts).
 * Types only: nothing here touches the DOM, d3 or Node.
 */

/** `group`: the box that holds container groups outside every VNet (public ones). */
export type ReportNodeKind = 'vnet' | 'subnet' | 'containerGroup' | 'external' | 'group';

/** A box or dot of the topology: VNet → subnet → container group, or an external endpoint. */
export interface ReportNode {
  /** The resource ID (`external:<name>` for endpoints outside the snapshot). */
  id: string;
  kind: ReportNodeKind;
  name: string;
  /** Index of the enclosing node (VNet of a subnet, subnet of a container group), -1 at the top. */
  parent: number;
  /** One line each: address prefixes, NSG, route table, IP and ports, as plain text. */
  details: string[];
  /** True for container groups with a public IP (and the Internet endpoint). */
  public?: boolean;
}

/** A VNet peering as drawn: from VNet, to VNet (node indexes), state. */
export interface ReportPeering {
  from: number;
  to: number;
  name: string;
  state: string;
}

/** A subnet whose route table sends traffic to a virtual appliance. */
export interface ReportApplianceRoute {
  subnet: number;
  routeTable: string;
  route: string;
  prefix: string;
  nextHop: string;
  /** The subnet holding the next hop address, when it is in the snapshot, else -1. */
  nextHopSubnet: number;
}

/** A rule that decides traffic somewhere in the report. */
export interface ReportRule {
  policy: 'avnm' | 'nsg';
  /** The NSG, or the admin rule collection, holding the rule. */
  nsg: string;
  name: string;
  priority: number;
  access: string;
  direction: string;
}

/** Bit flags of a traffic set, for colour and filters. */
export const TRAFFIC_ALL_PORTS = 1;
export const TRAFFIC_MANAGEMENT = 2;
export const TRAFFIC_UNKNOWN = 4;

/** What a flow lets through: allowed and unknown traffic as one line each, ports for the filter. */
export interface ReportTraffic {
  allow: string;
  unknown: string;
  flags: number;
  /** Open destination port intervals (tcp and udp together) as [lo, hi] pairs, for the port filter. */
  ports: number[];
}

/** One rule (or other decider) of a side: [rule index or -1, outcome, traffic it decided, policy, note]. */
export type ReportSideEntry = [number, string, string, string, string];

/** The rules that decided one side (the source's outbound or the destination's inbound policy). */
export interface ReportSide {
  entries: ReportSideEntry[];
}

/**
 * Endpoints that every policy treats alike: a node and the container groups (node indexes) in it.
 * Listed by node, in node order, so a node's classes are contiguous; a class's rank is its position
 * among its node's classes.
 */
export interface ReportClass {
  node: number;
  members: number[];
}

/** How an edge differs between the views (After and Diff fill in the other values); runs store the index. */
export const DIFF_STATUSES = ['same', 'added', 'removed', 'changed'] as const;
export type DiffStatus = (typeof DIFF_STATUSES)[number];

/** Numbers per part of a bundle, and per run of a view. */
export const PART_SIZE = 5;
export const RUN_SIZE = 6;

/**
 * What can talk to what, compressed for estates of thousands of subnets. An edge goes between two
 * endpoints (subnets, public container groups, external endpoints; `endpoints` maps them to nodes).
 * Its bundle lists its parts, five numbers each: source class rank, destination class rank (within
 * their nodes), traffic, source side, destination side. A run is six numbers: source endpoint, first
 * destination endpoint, how many consecutive destination endpoints, bundle (-1: the rules of these
 * edges are not embedded, see `summary.detailedEdges`), diff status index, risk flags (TRAFFIC_*
 * bits of everything the edge opens): every destination of a run has the same bundle and flags.
 */
export interface ReportView {
  runs?: number[];
  /**
   * The same edges as a matrix, when that is smaller (dense estates): one string per source endpoint,
   * one character per destination endpoint: `.` for no edge, else MATRIX_CODES[status * 8 + flags].
   * The bundles of such edges are in `matrixBundles`, three numbers each: source endpoint,
   * destination endpoint, bundle; edges not listed there have none (-1).
   */
  matrix?: string[];
  matrixBundles?: number[];
}

/** Cell codes of `ReportView.matrix`: 32 JSON-safe characters. */
export const MATRIX_CODES = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef';

export interface ReportSummary {
  vnets: number;
  subnets: number;
  containerGroups: number;
  publicContainerGroups: number;
  edges: number;
  /** Edges whose rules and traffic are embedded (riskiest first, within the report's detail budget). */
  detailedEdges: number;
  assumptions: string[];
}

export interface ReportData {
  schemaVersion: 1;
  kind: 'aciseg.report';
  generator: { name: 'aciseg'; version: string };
  title: string;
  collectedAt: string | null;
  summary: ReportSummary;
  nodes: ReportNode[];
  peerings: ReportPeering[];
  applianceRoutes: ReportApplianceRoute[];
  rules: ReportRule[];
  traffic: ReportTraffic[];
  sides: ReportSide[];
  classes: ReportClass[];
  /** Node index of each endpoint (an edge end): subnets, public container groups, external endpoints. */
  endpoints: number[];
  bundles: number[][];
  /**
   * Whether parts name classes. On estates with more open class pairs than the report keeps, part
   * ranks are -1 (the whole endpoint): the rules and traffic are exact, which container groups of
   * the two ends each part joins is left to `aciseg explain`.
   */
  classDetail: boolean;
  views: { before: ReportView; after?: ReportView };
}
