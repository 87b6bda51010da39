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
  /** Embedded form only: the position of the ID's prefix in `ReportData.idPrefixes`. */
  p?: number;
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

/**
 * How an edge of the After view differs from Before (src/diff statuses); runs and matrix cells store
 * the index. Before's edges are all `unchanged`; After's include the edges it closes (status
 * `closed`, drawn in the Diff view only).
 */
export const DIFF_STATUSES = ['unchanged', 'opened', 'closed', 'narrowed', 'widened', 'changed'] as const;
export type DiffStatus = (typeof DIFF_STATUSES)[number];

/** Numbers per part of a bundle, per run of a view, and per change of the After view. */
export const PART_SIZE = 5;
export const RUN_SIZE = 6;
export const CHANGE_SIZE = 4;

/**
 * What can talk to what in one analysis, compressed for estates of thousands of subnets. An edge goes
 * between two endpoints (subnets, public container groups, external endpoints; `ReportData.endpoints`
 * maps them to nodes). Its bundle (in `bundles`) lists its parts, five numbers each: source class
 * rank, destination class rank (within their nodes' classes in `classes`), traffic, source side,
 * destination side. A run is six numbers: source endpoint, first destination endpoint, how many
 * consecutive destination endpoints, bundle (-1: the rules of these edges are not embedded), diff
 * status index, risk flags (TRAFFIC_* bits of everything the edge opens): every destination of a run
 * has the same bundle, status and flags.
 */
export interface ReportView {
  classes: ReportClass[];
  /**
   * Whether parts name classes. On estates with more open class pairs than the report keeps, part
   * ranks are -1 (the whole endpoint): the rules and traffic are exact, which container groups of
   * the two ends each part joins is left to `aciseg explain`.
   */
  classDetail: boolean;
  bundles: number[][];
  /** Edges of the view, and how many of them have their rules embedded (riskiest first). */
  edges: number;
  detailedEdges: number;
  runs?: number[];
  /**
   * The same edges as a matrix, when that is smaller (dense estates): one string per source endpoint,
   * one cell per destination endpoint: `.` for no edge, else MATRIX_CODES[status * 8 + flags]; a cell
   * followed by a decimal count stands for that many equal cells (`A120.3B`). The bundles of such
   * edges are in `matrixBundles`, three numbers each: source endpoint, destination endpoint, bundle;
   * edges not listed there have none (-1).
   */
  matrix?: string[];
  matrixBundles?: number[];
  /**
   * After view: what changed on changed edges, four numbers each: source endpoint, destination
   * endpoint, removed traffic, added traffic (positions in `ReportData.changeTexts`); at most
   * CHANGE_DETAIL edges, riskiest first (the others keep their status).
   */
  changes?: number[];
}

/** Cell codes of `ReportView.matrix`: 48 JSON-safe letters (6 statuses × 8 flag combinations). */
export const MATRIX_CODES = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv';

/** A finding as the page shows it; `nodes` and `edges` (node index pairs) are what its rows highlight. */
export interface ReportFinding {
  ruleId: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  /** Only where the finding has its own; else its rule's (`ReportData.findingRules`). */
  title?: string;
  message: string;
  remediation?: string;
  explain: string | null;
  fingerprint: string;
  accepted: boolean;
  /** `nsg/rule (priority)` of each responsible rule. */
  rules: string[];
  nodes: number[];
  edges: [number, number][];
}

/** A rule of the plan's proposal: added, changed, removed (kept rules are not listed). */
export interface ReportProposedRule {
  nsg: string;
  status: 'added' | 'changed' | 'removed';
  name: string;
  priority: number;
  direction: string;
  access: string;
  protocol: string;
  source: string;
  destination: string;
  ports: string;
  /** Why the rule exists (the plan's provenance lines). */
  why: string[];
  /** The subnets (node indexes) the NSG governs: the rows highlight them. */
  nodes: number[];
}

export interface ReportSummary {
  vnets: number;
  subnets: number;
  containerGroups: number;
  publicContainerGroups: number;
  assumptions: string[];
  /** Unaccepted findings per severity (absent: findings were not computed). */
  findings?: Record<ReportFinding['severity'], number>;
  /** Findings left out of `ReportData.findings` by the report's size budget (the least severe). */
  findingsOmitted?: number;
  /** After view: endpoint pairs per diff status (the plan's effect as drawn). */
  diff?: Record<DiffStatus, number>;
  /** After view: open group pairs the plan closes (cell pairs of src/diff), and that it narrows. */
  groupPairsClosed?: number;
  groupPairsNarrowed?: number;
  /** Set when the report draws the proposal but no Diff: the cell pairs to compare (over the report's budget). */
  diffSkipped?: number;
  /** Proposed rules left out of `ReportData.proposedRules` by its size budget (removed rules before added or changed ones). */
  proposedRulesOmitted?: number;
  /** The proposal's proof verdict, when a plan is drawn. */
  proofOk?: boolean;
  /** Container-group pairs seen in the flow logs but left out of `observedGroupEdges` (the least busy). */
  observedGroupEdgesOmitted?: number;
  /** Observed flow window, when flow logs were given. */
  observed?: { first: string | null; last: string | null; files: number; tuples: number };
}

/** Allowed observed flows between two nodes (indexes), from the flow logs given to the report. */
export interface ReportObservedEdge {
  from: number;
  to: number;
  /** Flow-log tuples, and flows started, summed over what was logged between the two. */
  tuples: number;
  flows: number;
  first: string;
  last: string;
}

export interface ReportData {
  schemaVersion: 2;
  kind: 'aciseg.report';
  generator: { name: 'aciseg'; version: string };
  title: string;
  collectedAt: string | null;
  summary: ReportSummary;
  nodes: ReportNode[];
  peerings: ReportPeering[];
  applianceRoutes: ReportApplianceRoute[];
  /** Tables the views' bundles refer to (shared by Before and After, each entry listed once). */
  rules: ReportRule[];
  traffic: ReportTraffic[];
  sides: ReportSide[];
  /** Node index of each endpoint (an edge end): subnets, public container groups, external endpoints. */
  endpoints: number[];
  views: { before: ReportView; after?: ReportView };
  /** Traffic lines of `ReportView.changes`. */
  changeTexts: string[];
  findings: ReportFinding[];
  /** Title and remediation of each rule that has findings in `findings`. */
  findingRules: { id: string; title: string; remediation: string }[];
  proposedRules: ReportProposedRule[];
  /** Set when flow logs were given: observed volume per node pair (pairs with no allowed flow are absent). */
  observedEdges?: ReportObservedEdge[];
  /**
   * With flow logs: the same per container-group pair (a container group's node at one end at
   * least, the other end its node or the place's), for the lines *Show container groups* draws; the
   * busiest OBSERVED_GROUP_EDGES (`summary.observedGroupEdgesOmitted` counts the others).
   */
  observedGroupEdges?: ReportObservedEdge[];
  /**
   * Set only in the embedded form: node IDs are stored as `idPrefixes[p] + id` (resource IDs share
   * long prefixes); the page restores them first.
   */
  idPrefixes?: string[];
}
