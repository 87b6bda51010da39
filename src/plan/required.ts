/**
 * Required flows: what the proposal must keep allowed. Observed allowed flows (flow logs) ∪ intent
 * `require` entries (∪ declared container ports with `--include-declared-ports`); intent `forbid`
 * entries must stay denied. A `require` that overlaps a `forbid` is a contradiction (input error);
 * an observed or declared flow that a `forbid` covers is left out and listed, because forbid wins.
 */
import { resolveEndpoint, type LocatedPart } from '../analyze/endpoints';
import type { FindingFlow } from '../analyze/findings';
import type { IntentEntry } from '../analyze/intent';
import type { ObservedFlowsInput } from '../analyze/rules';
import { diagnostic, jsonPath, type Diagnostic } from '../diagnostics';
import { InputError } from '../errors';
import type { SnapshotIndex } from '../model/snapshot-index';
import { formatIpv4, parseIpv4 } from '../net/address';
import { IntervalSet, ipv4Domain, portDomain, type PortSet } from '../net/interval-set';
import { formatPortRange } from '../net/ports';
import { ipv4SetOf, subnetSpace, TrafficSet } from '../policy';
import type { RequiredFlow } from './model';
import { isAciSubnet } from './scope';
import { rangesOf, type SubnetLocator } from './space';

export type NeedProtocol = 'Tcp' | 'Udp' | 'Icmp' | '*';

export type NeedOrigin =
  | { kind: 'observed'; flows: number; tuples: number; firstSeen: string; lastSeen: string }
  | { kind: 'intent'; entry: IntentEntry }
  | { kind: 'declared-port'; group: string };

/** A required flow with its address sets located and its traffic as a set. */
export interface Need {
  required: RequiredFlow;
  src: LocatedPart[];
  dst: LocatedPart[];
  protocol: NeedProtocol;
  /** Destination ports; null for ICMP. */
  ports: PortSet | null;
  traffic: TrafficSet;
  origin: NeedOrigin;
}

/** A forbid entry, located. */
export interface Guard {
  entry: IntentEntry;
  src: LocatedPart[];
  dst: LocatedPart[];
  traffic: TrafficSet;
}

/** A flow left out of the required set, and why. */
export interface Excluded {
  flow: FindingFlow;
  entry?: string;
  detail: string;
}

export interface RequiredSet {
  needs: Need[];
  guards: Guard[];
  excluded: Excluded[];
  /** Observed flows not used: denied, not IPv4, or a protocol NSGs cannot name. */
  skippedObserved: number;
}

const FULL = IntervalSet.full(portDomain);

export function trafficOf(protocol: NeedProtocol, ports: PortSet | null): TrafficSet {
  return TrafficSet.forRule(protocol, FULL, protocol === 'Icmp' ? FULL : (ports ?? FULL));
}

export function portsText(protocol: NeedProtocol, ports: PortSet | null): string {
  if (protocol === 'Icmp') return '-';
  if (ports === null || ports.isFull) return '*';
  return ports
    .intervals()
    .map(([lo, hi]) => formatPortRange({ lo, hi }))
    .join(',');
}

function flowProtocol(p: NeedProtocol): FindingFlow['protocol'] {
  return p === '*' ? '*' : (p.toLowerCase() as 'tcp' | 'udp' | 'icmp');
}

/** Labels for addresses, for people: group names, `vnet/subnet`, Internet. */
export class Labels {
  private readonly groupByIp = new Map<string, string>();
  private readonly subnetLabels = new Map<string, string>();
  constructor(private readonly index: SnapshotIndex) {
    for (const g of index.snapshot.containerGroups)
      if (g.ipAddress?.ip) this.groupByIp.set(g.ipAddress.ip, g.name);
  }

  subnet(subnetId: string): string {
    let label = this.subnetLabels.get(subnetId);
    if (label === undefined) {
      const s = this.index.subnets.get(subnetId);
      const vnet = s && this.index.virtualNetworks.get(s.virtualNetworkId);
      label = s ? `${vnet?.name ?? '?'}/${s.name}` : subnetId;
      this.subnetLabels.set(subnetId, label);
    }
    return label;
  }

  part(p: LocatedPart): string {
    // One address: one interval of size 1.
    const single = p.ranges.intervalCount === 1 && p.ranges.size() === 1;
    if (p.kind === 'publicContainerGroup' || p.kind === 'unknownLocation') return p.group.name;
    if (p.kind === 'subnet') {
      const where = this.subnet(p.subnet.id);
      if (single) {
        const ip = formatIpv4(p.ranges.first()!);
        const group = this.groupByIp.get(ip);
        return group ? `${group} (${ip})` : `${ip} in ${where}`;
      }
      return p.ranges.equals(subnetSpace(p.subnet)) ? where : `${cidrText(p)} in ${where}`;
    }
    return single
      ? `${formatIpv4(p.ranges.first()!)} (outside every subnet)`
      : `${cidrText(p)} (outside every subnet)`;
  }

  parts(parts: readonly LocatedPart[]): string {
    if (parts.length <= 3) return parts.map((p) => this.part(p)).join(' + ');
    return `${parts.length} places (${parts
      .slice(0, 2)
      .map((p) => this.part(p))
      .join(', ')}, …)`;
  }
}

function cidrText(p: LocatedPart): string {
  const iv = p.ranges.intervals();
  if (iv.length === 1) return `${formatIpv4(iv[0]![0])}-${formatIpv4(iv[0]![1])}`;
  return `${iv.length} ranges`;
}

function endpointParts(
  index: SnapshotIndex,
  entry: IntentEntry,
  field: 'from' | 'to',
  file: string,
  problems: Diagnostic[],
): LocatedPart[] | null {
  const r = resolveEndpoint(index, entry[field]);
  if (!r.ok) {
    problems.push({
      ...r.diagnostic,
      message: `${JSON.stringify(entry.name)}: ${r.diagnostic.message}`,
      file,
      path: jsonPath(entry.path, field),
    });
    return null;
  }
  const unknown = r.endpoint.parts.find((p) => p.kind === 'unknownLocation');
  if (unknown) {
    problems.push(
      diagnostic(
        'ENDPOINT_INVALID',
        `${JSON.stringify(entry.name)}: ${r.endpoint.description}: its subnet is not in the snapshot, so no rule the plan writes can be proven for it`,
        file,
        jsonPath(entry.path, field),
      ),
    );
    return null;
  }
  return r.endpoint.parts;
}

export interface RequiredInput {
  index: SnapshotIndex;
  locator: SubnetLocator;
  labels: Labels;
  observed: ObservedFlowsInput | null;
  intent: { file: string; entries: readonly IntentEntry[] } | null;
  includeDeclaredPorts: boolean;
  today: string;
}

/** Builds the required set; throws InputError for bad intent entries and contradictions. */
export function requiredFlows(input: RequiredInput): RequiredSet {
  const { index, locator, labels } = input;
  const needs: Need[] = [];
  const guards: Guard[] = [];
  const problems: Diagnostic[] = [];
  const file = input.intent?.file ?? 'intent';

  // Intent entries in force (an expired entry no longer gates, as in `check`).
  for (const entry of input.intent?.entries ?? []) {
    if (entry.expires !== null && entry.expires < input.today) continue;
    const src = endpointParts(index, entry, 'from', file, problems);
    const dst = endpointParts(index, entry, 'to', file, problems);
    if (src === null || dst === null) continue;
    const traffic = trafficOf(entry.protocol, entry.ports);
    if (entry.kind === 'forbid') {
      guards.push({ entry, src, dst, traffic });
      continue;
    }
    needs.push({
      required: {
        source: 'intent',
        entry: entry.name,
        flow: {
          from: entry.from,
          to: entry.to,
          fromKey: null,
          toKey: null,
          protocol: flowProtocol(entry.protocol),
          ports: entry.protocol === 'Icmp' ? '-' : entry.portsText,
          verdict: 'allow',
        },
      },
      src,
      dst,
      protocol: entry.protocol,
      ports: entry.ports,
      traffic,
      origin: { kind: 'intent', entry },
    });
  }

  // A require that a forbid covers in part cannot be planned: say which two, with their paths.
  for (const need of needs) {
    for (const g of guards) {
      if (overlaps(need, g))
        problems.push(
          diagnostic(
            'INVALID_VALUE',
            `require ${JSON.stringify(need.required.entry)} contradicts forbid ${JSON.stringify(g.entry.name)} (${g.entry.path}): some flow is both required and forbidden`,
            file,
            (need.origin as { entry: IntentEntry }).entry.path,
          ),
        );
    }
  }
  if (problems.length > 0) throw new InputError(`the intent file ${file} cannot be planned`, problems);

  const derived: Need[] = [];
  let skippedObserved = 0;
  if (input.observed) {
    const merged = new Map<
      string,
      {
        src: number;
        dst: number;
        protocol: 'Tcp' | 'Udp' | 'Icmp';
        port: number | null;
        flows: number;
        tuples: number;
        first: string;
        last: string;
      }
    >();
    for (const f of input.observed.flows) {
      const src = parseIpv4(f.source);
      const dst = parseIpv4(f.destination);
      const protocol =
        f.protocol === 'Tcp' || f.protocol === 'Udp' || f.protocol === 'Icmp' ? f.protocol : null;
      if (f.decision !== 'allow' || src === null || dst === null || protocol === null || src === dst) {
        skippedObserved++;
        continue;
      }
      const port = protocol === 'Icmp' ? null : f.destinationPort;
      if (protocol !== 'Icmp' && port === null) {
        skippedObserved++;
        continue;
      }
      // A flow between two logged sides is logged once per side: one required flow.
      const key = `${src}|${dst}|${protocol}|${port ?? ''}`;
      const m = merged.get(key);
      if (!m)
        merged.set(key, {
          src,
          dst,
          protocol,
          port,
          flows: f.flowsStarted,
          tuples: f.tuples,
          first: f.firstSeen,
          last: f.lastSeen,
        });
      else {
        m.flows = Math.max(m.flows, f.flowsStarted);
        m.tuples = Math.max(m.tuples, f.tuples);
        if (f.firstSeen < m.first) m.first = f.firstSeen;
        if (f.lastSeen > m.last) m.last = f.lastSeen;
      }
    }
    // Flows share their ends (100,000 flows of the typical estate have 19,000 addresses): each address
    // is located and labelled once, its parts shared by its needs (never changed in place).
    const ends = new Map<number, { parts: LocatedPart[]; label: string }>();
    const end = (ip: number) => {
      let e = ends.get(ip);
      if (e === undefined) {
        const parts = locator.locate(IntervalSet.range(ipv4Domain, ip, ip));
        ends.set(ip, (e = { parts, label: labels.parts(parts) }));
      }
      return e;
    };
    for (const m of merged.values()) {
      const from = end(m.src);
      const to = end(m.dst);
      const src = from.parts;
      const dst = to.parts;
      const ports = m.port === null ? null : IntervalSet.range(portDomain, m.port, m.port);
      derived.push({
        required: {
          source: 'observed',
          flow: {
            from: from.label,
            to: to.label,
            fromKey: null,
            toKey: null,
            protocol: flowProtocol(m.protocol),
            ports: m.port === null ? '-' : String(m.port),
            verdict: 'allow',
            observed: { tuples: m.tuples, flowsStarted: m.flows, firstSeen: m.first, lastSeen: m.last },
          },
        },
        src,
        dst,
        protocol: m.protocol,
        ports,
        traffic: trafficOf(m.protocol, ports),
        origin: { kind: 'observed', flows: m.flows, tuples: m.tuples, firstSeen: m.first, lastSeen: m.last },
      });
    }
  }

  if (input.includeDeclaredPorts) derived.push(...declaredPortNeeds(index, locator, labels));

  // Forbid wins over what was merely seen or declared: such flows are left out, and listed.
  const excluded: Excluded[] = [];
  for (const need of derived) {
    const guard = guards.find((g) => overlaps(need, g));
    if (guard) {
      excluded.push({
        flow: need.required.flow,
        entry: guard.entry.name,
        detail: `left out: forbid ${guard.entry.name} covers it`,
      });
      continue;
    }
    needs.push(need);
  }
  return { needs, guards, excluded, skippedObserved };
}

/** The ports container groups declare, required from within their own VNet. */
function declaredPortNeeds(index: SnapshotIndex, locator: SubnetLocator, labels: Labels): Need[] {
  const out: Need[] = [];
  const groupSubnets = new Set(index.snapshot.containerGroups.flatMap((g) => g.subnetIds));
  for (const g of index.snapshot.containerGroups) {
    const ip = g.ipAddress?.ip ? parseIpv4(g.ipAddress.ip) : null;
    const subnet = g.subnetIds
      .map((id) => index.subnets.get(id))
      .find((s) => s && isAciSubnet(s, groupSubnets));
    if (!subnet) continue; // public groups: their ports are already all they admit
    const vnet = index.virtualNetworks.get(subnet.virtualNetworkId);
    if (!vnet) continue;
    const byProtocol = new Map<'Tcp' | 'Udp', number[]>();
    for (const p of [...(g.ipAddress?.ports ?? []), ...g.containers.flatMap((c) => c.ports)]) {
      const protocol = p.protocol === 'TCP' ? 'Tcp' : 'Udp';
      byProtocol.set(protocol, [...(byProtocol.get(protocol) ?? []), p.port]);
    }
    const dstSet = ip === null ? subnetSpace(subnet) : IntervalSet.range(ipv4Domain, ip, ip);
    const src = locator.locate(ipv4SetOf(vnet.addressPrefixes));
    const dst = locator.locate(dstSet);
    for (const [protocol, list] of [...byProtocol].sort()) {
      const ports = IntervalSet.of(
        portDomain,
        list.map((p) => [p, p] as [number, number]),
      );
      out.push({
        required: {
          source: 'declared-port',
          flow: {
            from: vnet.name,
            to: labels.parts(dst),
            fromKey: null,
            toKey: null,
            protocol: flowProtocol(protocol),
            ports: portsText(protocol, ports),
            verdict: 'allow',
          },
        },
        src,
        dst,
        protocol,
        ports,
        traffic: trafficOf(protocol, ports),
        origin: { kind: 'declared-port', group: g.name },
      });
    }
  }
  return out;
}

/** Whether a need and a guard share a flow (a flow from an address to itself is none). */
function overlaps(need: { src: LocatedPart[]; dst: LocatedPart[]; traffic: TrafficSet }, g: Guard): boolean {
  if (!need.traffic.overlaps(g.traffic)) return false;
  const src = rangesOf(need.src).intersect(rangesOf(g.src));
  const dst = rangesOf(need.dst).intersect(rangesOf(g.dst));
  if (src.isEmpty || dst.isEmpty) return false;
  const one = (s: typeof src) => s.intervalCount === 1 && s.intervals()[0]![0] === s.intervals()[0]![1];
  return !(one(src) && one(dst) && src.equals(dst));
}
