/**
 * `explain`: the verdict of Azure's policy for a query (from-set, to-set, protocol, port), like
 * Network Watcher's IP flow verify but offline and for sets. `allow` when every concrete flow (any
 * source port) is allowed, `deny` when none is, `partial` when some are, `unknown` when the answer
 * depends on something the snapshot does not resolve (docs/semantics.md §0).
 */
import { formatIpv4 } from '../net/address';
import {
  type Decider,
  type Decision,
  type FlowProtocol,
  type PairResult,
  type PolicyEngine,
  PortRegion,
  type TrafficSet,
} from '../policy';
import { IntervalSet, portDomain, type PortSet } from '../net/interval-set';
import { formatPortRange } from '../net/ports';
import { cellsBetween, sameLocation } from './cells';
import { EndpointError, type EndpointSet, type LocatedPart } from './endpoints';
import type { Direction } from '../model/snapshot';

export type Verdict = 'allow' | 'deny' | 'partial' | 'unknown';
export type Outcome = 'allow' | 'deny' | 'unknown';
export type QueryProtocol = FlowProtocol | '*';

export interface RuleInfo {
  name: string;
  priority: number;
  access: string;
  direction: string;
}

/** What one side's policy did with the queried traffic. */
export interface SideEntry {
  side: 'source' | 'destination';
  /** `avnm` = a security admin rule decided; `nsg` = an NSG rule; `none` = no policy on this side; `public-ports` = a public container group's port list; `unknown` = not in the snapshot. */
  policy: 'avnm' | 'nsg' | 'none' | 'public-ports' | 'unknown';
  /** The NSG (or admin rule collection) name, when a rule decided. */
  nsg: string | null;
  rule: RuleInfo | null;
  outcome: 'allow' | 'deny' | 'pass' | 'unknown';
  note?: string;
}

/** Destination ports with the source ports they are paired with (`*` = any). */
export interface PortPairs {
  destinationPorts: string[];
  sourcePorts: string[];
}

export interface ExplainPart {
  from: string[];
  to: string[];
  protocol: FlowProtocol;
  /** Port pairs of this part (absent for ICMP): destination ports, and the source ports they apply to. */
  ports?: PortPairs[];
  verdict: Outcome;
  sides: SideEntry[];
  unknowns?: string[];
}

export interface Explanation {
  verdict: Verdict;
  from: { text: string; description: string };
  to: { text: string; description: string };
  protocol: QueryProtocol;
  /** Destination port; null for ICMP queries (ICMP has no ports) and for port ranges (see `ports`). */
  port: number | null;
  /** Destination port ranges, when the query is about more than one port. */
  ports?: string[];
  sides: SideEntry[];
  /** The sub-ranges of addresses and ports and their verdicts, when they differ. */
  parts?: ExplainPart[];
  /** How many parts were left out of `parts` (at most MAX_PARTS are listed). */
  partsOmitted?: number;
  /** What the snapshot does not resolve, when the verdict depends on it. */
  unknowns?: string[];
}

/** At most this many parts are listed; the rest are counted. */
export const MAX_PARTS = 50;

const FULL_PORTS = IntervalSet.full(portDomain);

interface Piece {
  srcLo: number;
  srcHi: number;
  dstLo: number;
  dstHi: number;
  protocol: FlowProtocol;
  /** The (source port, destination port) pairs of this piece; null for ICMP. */
  region: PortRegion | null;
  outcome: Outcome;
  sides: SideEntry[];
  unknowns: string[];
}

/**
 * Explains a query over a set of destination ports (one port for `explain`, a range for intent
 * checks; null for ICMP-only queries). Throws EndpointError when the query holds no flow at all.
 */
export function explain(
  engine: PolicyEngine,
  from: EndpointSet,
  to: EndpointSet,
  protocol: QueryProtocol,
  ports: PortSet | null,
): Explanation {
  const protocols: FlowProtocol[] = protocol === '*' ? ['Tcp', 'Udp', 'Icmp'] : [protocol];
  if (protocols.some((p) => p !== 'Icmp') && (ports === null || ports.isEmpty)) {
    throw new EndpointError('a destination port (0–65535) is required for TCP and UDP queries');
  }
  const pieces: Piece[] = [];
  for (const src of from.parts) {
    for (const dst of to.parts) {
      const same = sameLocation(src, dst);
      for (const cell of cellsBetween(engine, src, dst)) {
        if (same && cell.srcLo === cell.srcHi && cell.dstLo === cell.dstHi && cell.srcLo === cell.dstLo)
          continue;
        // The rules at this cell's own addresses (decisions are shared by places that only agree in outcome).
        const outDeciders = decidersAtPart(engine, src, 'Outbound', cell.srcLo, cell.dstLo, cell.result.out);
        const inDeciders = decidersAtPart(engine, dst, 'Inbound', cell.dstLo, cell.srcLo, cell.result.in);
        for (const p of protocols)
          pieces.push(...piecesOf(engine, cell.result, outDeciders, inDeciders, p, ports, cell));
      }
    }
  }
  if (pieces.length === 0)
    throw new EndpointError(`no flow from ${from.text} to ${to.text}: they are the same single address`);

  const outcomes = new Set(pieces.map((p) => p.outcome));
  let verdict: Verdict =
    outcomes.has('allow') && outcomes.has('deny')
      ? 'partial'
      : outcomes.has('unknown')
        ? 'unknown'
        : outcomes.has('allow')
          ? 'allow'
          : 'deny';
  // One address among several, but which is not known: differing answers mean we cannot tell.
  if ((from.oneOf || to.oneOf) && outcomes.size > 1) verdict = 'unknown';

  const parts = mergePieces(pieces);
  const uniform = parts.length === 1;
  const unknowns = [...new Set(pieces.flatMap((p) => p.unknowns))].sort();
  const single =
    ports !== null && ports.intervalCount === 1 && ports.first() === ports.intervals()[0]![1]
      ? ports.first()!
      : null;
  const explanation: Explanation = {
    verdict,
    from: { text: from.text, description: from.description },
    to: { text: to.text, description: to.description },
    protocol,
    port: protocols.every((p) => p === 'Icmp') ? null : single,
    sides: uniform ? parts[0]!.sides : [],
  };
  if (ports !== null && single === null && protocols.some((p) => p !== 'Icmp'))
    explanation.ports = formatPorts(ports);
  if (!uniform) {
    explanation.parts = parts.slice(0, MAX_PARTS);
    if (parts.length > MAX_PARTS) explanation.partsOmitted = parts.length - MAX_PARTS;
  }
  if (unknowns.length > 0) explanation.unknowns = unknowns;
  return explanation;
}

function piecesOf(
  engine: PolicyEngine,
  result: PairResult,
  outDeciders: readonly Decider[],
  inDeciders: readonly Decider[],
  protocol: FlowProtocol,
  ports: PortSet | null,
  cell: { srcLo: number; srcHi: number; dstLo: number; dstHi: number },
): Piece[] {
  const regions: [Outcome, PortRegion | null][] = [];
  if (protocol === 'Icmp') {
    regions.push([result.allow.icmp ? 'allow' : result.unknown.icmp ? 'unknown' : 'deny', null]);
  } else {
    const query = PortRegion.of(FULL_PORTS, ports!);
    const allowed = result.allow.region(protocol).intersect(query);
    const unknown = result.unknown.region(protocol).intersect(query);
    const denied = query.subtract(allowed).subtract(unknown);
    if (!allowed.isEmpty) regions.push(['allow', allowed]);
    if (!unknown.isEmpty) regions.push(['unknown', unknown]);
    if (!denied.isEmpty) regions.push(['deny', denied]);
  }
  return regions.map(([outcome, region]) => ({
    ...cell,
    protocol,
    region,
    outcome,
    sides: [
      ...sideEntries(engine, 'source', outDeciders, protocol, region),
      ...sideEntries(engine, 'destination', inDeciders, protocol, region),
    ],
    unknowns: outcome === 'unknown' ? unknownLabels(engine, result, outDeciders, inDeciders) : [],
  }));
}

/**
 * The deciders of one side at a pair of addresses: recomputed there for a subnet side (a decision may
 * be shared by places where the rules split the traffic differently), the decision's own otherwise.
 */
export function decidersAtPart(
  engine: PolicyEngine,
  part: LocatedPart,
  direction: Direction,
  localIp: number,
  remoteIp: number,
  decision: Decision,
): readonly Decider[] {
  return part.kind === 'subnet'
    ? engine.decidersAt(part.subnet.id, direction, localIp, remoteIp)
    : decision.deciders;
}

/** The deciders of one side that cover part of `region` (null: the ICMP point). */
export function sideEntries(
  engine: PolicyEngine,
  side: 'source' | 'destination',
  deciders: readonly Decider[],
  protocol: FlowProtocol,
  region: PortRegion | null,
): SideEntry[] {
  return deciders
    .filter((d) =>
      region === null
        ? d.traffic.icmp
        : !d.traffic.region(protocol as 'Tcp' | 'Udp').intersect(region).isEmpty,
    )
    .map((d) => sideEntry(engine, side, d))
    .sort(
      (a, b) =>
        (a.rule?.priority ?? 0) - (b.rule?.priority ?? 0) ||
        (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0),
    );
}

export function sideEntry(engine: PolicyEngine, side: 'source' | 'destination', d: Decider): SideEntry {
  switch (d.kind) {
    case 'rule': {
      const ref = engine.ruleRef(d.ref);
      const entry: SideEntry = {
        side,
        policy: ref.layer === 'admin' ? 'avnm' : 'nsg',
        nsg: ref.ownerName,
        rule: { name: ref.name, priority: ref.priority, access: ref.access, direction: ref.direction },
        outcome: d.outcome,
      };
      if (d.maybe) {
        const on = ref.unknowns.map((u) => engine.unknownLabel(u));
        entry.note = `matches only if ${on.length > 0 ? on.join(' or ') : 'an unknown set'} holds the address`;
      }
      return entry;
    }
    case 'no-nsg':
      return { side, policy: 'none', nsg: null, rule: null, outcome: 'allow', note: 'the subnet has no NSG' };
    case 'no-policy':
      return {
        side,
        policy: 'none',
        nsg: null,
        rule: null,
        outcome: 'allow',
        note: 'no policy on this side (not inside a subnet of the snapshot)',
      };
    case 'dangling-nsg':
      return {
        side,
        policy: 'unknown',
        nsg: d.detail ?? null,
        rule: null,
        outcome: 'unknown',
        note: 'the subnet names an NSG that is not in the snapshot',
      };
    case 'unknown-location':
      return {
        side,
        policy: 'unknown',
        nsg: null,
        rule: null,
        outcome: 'unknown',
        note: 'the subnet of this end is not in the snapshot',
      };
    case 'public-ports': {
      // The decision's detail is the group's port list (groups with the same list share the decision).
      const ports = d.detail ?? 'none';
      return {
        side,
        policy: 'public-ports',
        nsg: null,
        rule: null,
        outcome: d.outcome,
        note: `public container group: admits exactly ports ${ports}`,
      };
    }
  }
}

/** Labels of the unknown sets a pair result depends on. */
export function unknownLabels(
  engine: PolicyEngine,
  result: PairResult,
  outDeciders: readonly Decider[],
  inDeciders: readonly Decider[],
): string[] {
  const labels = new Set<string>();
  for (const [d, deciders] of [
    [result.out, outDeciders],
    [result.in, inDeciders],
  ] as const) {
    // A rule that may or may not have matched counts where the result is open.
    addUnknownLabels(engine, labels, d, deciders, (x) => x.traffic.overlaps(result.unknown));
  }
  return [...labels].sort();
}

/** Labels of the unknown sets one side's decision depends on (anywhere in its traffic). */
export function decisionUnknownLabels(
  engine: PolicyEngine,
  decision: Decision,
  deciders: readonly Decider[],
): string[] {
  const labels = new Set<string>();
  addUnknownLabels(engine, labels, decision, deciders, () => true);
  return [...labels].sort();
}

function addUnknownLabels(
  engine: PolicyEngine,
  labels: Set<string>,
  decision: Decision,
  deciders: readonly Decider[],
  maybeCounts: (rule: Decider) => boolean,
): void {
  for (const v of decision.vars) labels.add(engine.unknownLabel(v >> 1));
  for (const x of deciders) {
    if (x.kind === 'dangling-nsg') labels.add(`NSG ${x.detail} (not in the snapshot)`);
    if (x.kind === 'unknown-location') labels.add('a subnet that is not in the snapshot');
    if (x.kind === 'rule' && x.maybe && maybeCounts(x)) {
      for (const u of engine.ruleRef(x.ref).unknowns) labels.add(engine.unknownLabel(u));
    }
  }
}

/** An address range as people write it: `10.0.0.4`, a CIDR when it is exactly one, else `first-last`. */
export function formatRange(lo: number, hi: number): string {
  // One CIDR block exactly when the size is a power of two and `lo` is aligned to it (no CIDR split:
  // large estates format millions of ranges).
  const size = hi - lo + 1;
  let block = 1;
  let length = 32;
  while (block < size) {
    block *= 2;
    length--;
  }
  if (block === size && lo % size === 0)
    return length === 32 ? formatIpv4(lo) : `${formatIpv4(lo)}/${length}`;
  return `${formatIpv4(lo)}-${formatIpv4(hi)}`;
}

/** Port ranges as people write them (`*`, `80`, `8000-8100`). */
export function formatPorts(ports: PortSet): string[] {
  return ports.intervals().map(([lo, hi]) => formatPortRange({ lo, hi }));
}

/** The layers of a port region as (destination ports, source ports) pairs. */
export function portPairs(region: PortRegion): PortPairs[] {
  return region.layers.map(([src, dst]) => ({
    destinationPorts: formatPorts(dst),
    sourcePorts: formatPorts(src),
  }));
}

/** Merges pieces that differ only in address ranges, for a compact list of parts. */
function mergePieces(pieces: Piece[]): ExplainPart[] {
  const groups = new Map<string, { piece: Piece; src: [number, number][]; dst: [number, number][] }>();
  for (const p of pieces) {
    const key = JSON.stringify([
      p.protocol,
      p.region?.key() ?? '',
      p.outcome,
      p.sides,
      p.unknowns,
      p.srcLo,
      p.srcHi,
    ]);
    const g = groups.get(key);
    if (g) g.dst.push([p.dstLo, p.dstHi]);
    else groups.set(key, { piece: p, src: [[p.srcLo, p.srcHi]], dst: [[p.dstLo, p.dstHi]] });
  }
  // Second pass: same destinations, different sources.
  const merged = new Map<string, { piece: Piece; src: [number, number][]; dst: [number, number][] }>();
  for (const g of groups.values()) {
    const dstKey = g.dst.map((r) => r.join('-')).join(',');
    const key = JSON.stringify([
      g.piece.protocol,
      g.piece.region?.key() ?? '',
      g.piece.outcome,
      g.piece.sides,
      g.piece.unknowns,
      dstKey,
    ]);
    const m = merged.get(key);
    if (m) m.src.push(...g.src);
    else merged.set(key, { ...g, src: [...g.src] });
  }
  return [...merged.values()].map(({ piece, src, dst }) => {
    const part: ExplainPart = {
      from: IntervalSetOfRanges(src).map(([lo, hi]) => formatRange(lo, hi)),
      to: IntervalSetOfRanges(dst).map(([lo, hi]) => formatRange(lo, hi)),
      protocol: piece.protocol,
      verdict: piece.outcome,
      sides: piece.sides,
    };
    if (piece.region !== null) part.ports = portPairs(piece.region);
    if (piece.unknowns.length > 0) part.unknowns = piece.unknowns;
    return part;
  });
}

function IntervalSetOfRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** The deciders of a side that opened (allowed, passed or left open) part of `traffic`. */
export function openingEntries(
  engine: PolicyEngine,
  side: 'source' | 'destination',
  deciders: readonly Decider[],
  traffic: TrafficSet,
): SideEntry[] {
  return deciders
    .filter((d) => d.outcome !== 'deny' && !d.traffic.intersect(traffic).isEmpty)
    .map((d) => sideEntry(engine, side, d))
    .sort(
      (a, b) =>
        (a.rule?.priority ?? 0) - (b.rule?.priority ?? 0) ||
        (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0),
    );
}
