/**
 * Tuples → observed flows. One entry per (log layout, evaluating NSG or ACL, rule, source,
 * destination, protocol, destination port, direction, decision, encryption): memory grows with the
 * number of distinct flows, never with the number of tuples.
 */
import type { FlowProtocol } from '../../policy/flow';
import type { ParsedTuple } from './tuples';

export type FlowLogLayout = 'nsg-v1' | 'nsg-v2' | 'vnet-v4';

/** Where a tuple was logged: the layout, who evaluated it and the rule that decided. */
export interface TupleContext {
  log: FlowLogLayout;
  /** The NSG's resource ID (NSG flow logs: the record's `resourceId`) or the `aclID` (VNet flow logs). */
  evaluatedBy: string | null;
  /** The rule name as logged (`UserRule_…`, `DefaultRule_…`, an admin rule name), or null when absent. */
  rule: string | null;
}

/** An observed flow: tuples with one key, counted. */
export interface ObservedFlow extends TupleContext {
  source: string;
  destination: string;
  /** `Tcp`, `Udp`, `Icmp`, or another IANA protocol number as text. */
  protocol: FlowProtocol | `${number}`;
  /** Null for ICMP (and other protocols logged without ports). */
  destinationPort: number | null;
  /** The direction of the NSG side that logged it (a flow between two logged NICs appears once per side). */
  direction: 'Inbound' | 'Outbound';
  decision: 'allow' | 'deny';
  /** VNet flow logs: `X` encrypted, `NX…` not; null for NSG flow logs. */
  encryption: string | null;
  /** Tuples aggregated. */
  tuples: number;
  /** Connections begun: tuples with state B (and D, denied, in VNet logs); in version 1 every tuple. */
  flowsStarted: number;
  /** Sums of the count fields (NSG version 2, VNet version 4); null for version 1, which has none. */
  packets: { sourceToDestination: number; destinationToSource: number } | null;
  bytes: { sourceToDestination: number; destinationToSource: number } | null;
  firstSeen: string;
  lastSeen: string;
}

interface Entry {
  context: TupleContext;
  source: string;
  destination: string;
  protocol: number;
  destinationPort: number | null;
  outbound: boolean;
  denied: boolean;
  encryption: string | null;
  tuples: number;
  flowsStarted: number;
  packetsOut: number;
  bytesOut: number;
  packetsIn: number;
  bytesIn: number;
  first: number;
  last: number;
}

/** The observed window: requested bounds and the first and last tuple kept (ISO times, null when none). */
export interface ObservedWindow {
  since: string | null;
  until: string | null;
  first: string | null;
  last: string | null;
}

export class FlowAggregator {
  /** IPv4 source → destination → the flows between them, by a number packing the rest of the key. */
  private readonly ipv4 = new Map<number, Map<number, Map<number | string, Entry>>>();
  /** The same for pairs with an IPv6 address, by their text. */
  private readonly ipv6 = new Map<string, Map<number | string, Entry>>();
  private readonly encryptions = new Map<string | null, number>([[null, 0]]);
  private count = 0;
  private readonly contexts = new Map<string, number>();
  private readonly contextList: TupleContext[] = [];
  private first = Infinity;
  private last = -Infinity;

  /** `since` inclusive, `until` exclusive, in epoch milliseconds. */
  constructor(
    private readonly since: number | null = null,
    private readonly until: number | null = null,
  ) {}

  /** A small integer naming a context, so keys do not repeat long resource IDs. */
  contextId(context: TupleContext): number {
    const key = `${context.log}\n${context.evaluatedBy ?? ''}\n${context.rule ?? ''}`;
    let id = this.contexts.get(key);
    if (id === undefined) {
      id = this.contextList.length;
      this.contexts.set(key, id);
      this.contextList.push(context);
    }
    return id;
  }

  inWindow(time: number): boolean {
    return (this.since === null || time >= this.since) && (this.until === null || time < this.until);
  }

  /** Adds one parsed tuple (already inside the window), parsed from `buf`, under context `contextId`. */
  add(contextId: number, buf: Buffer, p: ParsedTuple): void {
    const flows = p.ipv6
      ? this.ipv6Flows(buf.toString('latin1', p.srcStart, p.dstEnd))
      : this.ipv4Flows(p.src4, p.dst4);
    let enc = this.encryptions.get(p.encryption);
    if (enc === undefined) {
      enc = this.encryptions.size;
      this.encryptions.set(p.encryption, enc);
    }
    const port = p.dstPort ?? 65536;
    const rest = (port * 256 + p.protocol) * 4 + (p.outbound ? 2 : 0) + (p.denied ? 1 : 0);
    // 2^20 contexts × 2^17 ports × 2^8 protocols × 4 × 2^6 encryptions fit a double exactly.
    const key: number | string =
      contextId < 1 << 20 && enc < 64
        ? (contextId * (1 << 27) + rest) * 64 + enc
        : `${contextId},${rest},${enc}`;
    let e = flows.get(key);
    if (e === undefined) {
      const text = (s: number, end: number) => {
        const t = buf.toString('latin1', s, end);
        return p.ipv6 ? t.toLowerCase() : t;
      };
      e = {
        context: this.contextList[contextId]!,
        source: text(p.srcStart, p.srcEnd),
        destination: text(p.srcEnd + 1, p.dstEnd),
        protocol: p.protocol,
        destinationPort: p.dstPort,
        outbound: p.outbound,
        denied: p.denied,
        encryption: p.encryption,
        tuples: 0,
        flowsStarted: 0,
        packetsOut: 0,
        bytesOut: 0,
        packetsIn: 0,
        bytesIn: 0,
        first: p.time,
        last: p.time,
      };
      flows.set(key, e);
      this.count++;
    }
    e.tuples++;
    // Version 1 has no state: each tuple is one flow. B begins a connection; version 4 logs D per attempt.
    if (p.layout === 1 || p.state === 66 || (p.layout === 4 && p.denied)) e.flowsStarted++;
    if (p.packetsOut > 0) e.packetsOut += p.packetsOut;
    if (p.bytesOut > 0) e.bytesOut += p.bytesOut;
    if (p.packetsIn > 0) e.packetsIn += p.packetsIn;
    if (p.bytesIn > 0) e.bytesIn += p.bytesIn;
    if (p.time < e.first) e.first = p.time;
    if (p.time > e.last) e.last = p.time;
    if (p.time < this.first) this.first = p.time;
    if (p.time > this.last) this.last = p.time;
  }

  private ipv4Flows(src: number, dst: number): Map<number | string, Entry> {
    let bySource = this.ipv4.get(src);
    if (bySource === undefined) {
      bySource = new Map();
      this.ipv4.set(src, bySource);
    }
    let flows = bySource.get(dst);
    if (flows === undefined) {
      flows = new Map();
      bySource.set(dst, flows);
    }
    return flows;
  }

  private ipv6Flows(pair: string): Map<number | string, Entry> {
    let flows = this.ipv6.get(pair.toLowerCase());
    if (flows === undefined) {
      flows = new Map();
      this.ipv6.set(pair.toLowerCase(), flows);
    }
    return flows;
  }

  get size(): number {
    return this.count;
  }

  window(): ObservedWindow {
    return {
      since: this.since === null ? null : iso(this.since),
      until: this.until === null ? null : iso(this.until),
      first: this.first === Infinity ? null : iso(this.first),
      last: this.last === -Infinity ? null : iso(this.last),
    };
  }

  /** The observed flows, sorted (deterministic whatever the order the files were read in). */
  flows(): ObservedFlow[] {
    const flows: ObservedFlow[] = [];
    for (const e of this.entries()) {
      const counted = e.context.log !== 'nsg-v1';
      flows.push({
        log: e.context.log,
        evaluatedBy: e.context.evaluatedBy,
        rule: e.context.rule,
        source: e.source,
        destination: e.destination,
        protocol: protocolName(e.protocol),
        destinationPort: e.destinationPort,
        direction: e.outbound ? 'Outbound' : 'Inbound',
        decision: e.denied ? 'deny' : 'allow',
        encryption: e.encryption,
        tuples: e.tuples,
        flowsStarted: e.flowsStarted,
        packets: counted ? { sourceToDestination: e.packetsOut, destinationToSource: e.packetsIn } : null,
        bytes: counted ? { sourceToDestination: e.bytesOut, destinationToSource: e.bytesIn } : null,
        firstSeen: iso(e.first),
        lastSeen: iso(e.last),
      });
    }
    const keyed = flows.map((f) => ({ f, s: addressOrder(f.source), d: addressOrder(f.destination) }));
    keyed.sort((a, b) => compareText(a.s, b.s) || compareText(a.d, b.d) || compareFlows(a.f, b.f));
    return keyed.map((k) => k.f);
  }

  private *entries(): Generator<Entry> {
    for (const bySource of this.ipv4.values()) for (const flows of bySource.values()) yield* flows.values();
    for (const flows of this.ipv6.values()) yield* flows.values();
  }
}

export function protocolName(n: number): ObservedFlow['protocol'] {
  return n === 6 ? 'Tcp' : n === 17 ? 'Udp' : n === 1 ? 'Icmp' : `${n}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A text that orders addresses numerically (IPv4 before IPv6), so 10.0.0.9 sorts before 10.0.0.10. */
export function addressOrder(a: string): string {
  const parts = a.split('.');
  if (parts.length === 4) return `4${parts.map((p) => p.padStart(3, '0')).join('.')}`;
  return `6${a.toLowerCase()}`;
}

function compareText(a: string | null, b: string | null): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareFlows(a: ObservedFlow, b: ObservedFlow): number {
  return (
    compareText(a.protocol, b.protocol) ||
    (a.destinationPort ?? -1) - (b.destinationPort ?? -1) ||
    compareText(a.direction, b.direction) ||
    compareText(a.decision, b.decision) ||
    compareText(a.encryption, b.encryption) ||
    compareText(a.log, b.log) ||
    compareText(a.evaluatedBy, b.evaluatedBy) ||
    compareText(a.rule, b.rule)
  );
}
