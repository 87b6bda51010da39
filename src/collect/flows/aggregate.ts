/**
 * Tuples → observed flows. One entry per (log layout, evaluating NSG or ACL, rule, source,
 * destination, protocol, destination port, direction, decision, encryption): memory grows with the
 * number of distinct flows, never with the number of tuples.
 */
import { FlowTable } from './flow-table';
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
  /** `Tcp`, `Udp`, `Icmp` (the spelling of src/policy's FlowProtocol), or another IANA protocol number as text. */
  protocol: 'Tcp' | 'Udp' | 'Icmp' | `${number}`;
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

/** The key of a flow whose addresses are not both IPv4 (or whose numbers overflow the packed key). */
interface TextKey {
  source: string;
  destination: string;
  contextId: number;
  rest: number;
  encryption: number;
}

/** The observed window: requested bounds and the first and last tuple kept (ISO times, null when none). */
export interface ObservedWindow {
  since: string | null;
  until: string | null;
  first: string | null;
  last: string | null;
}

export class FlowAggregator {
  /**
   * IPv4 flows are keyed by (source, destination, a number packing context, port, protocol,
   * direction, decision and encryption); the others by text, in `textRows`.
   */
  private readonly table = new FlowTable();
  private readonly textRows = new Map<string, number>();
  private readonly textKeys = new Map<number, TextKey>();
  private readonly encryptions = new Map<string | null, number>([[null, 0]]);
  private readonly encryptionList: (string | null)[] = [null];
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
    let enc = this.encryptions.get(p.encryption);
    if (enc === undefined) {
      enc = this.encryptionList.length;
      this.encryptions.set(p.encryption, enc);
      this.encryptionList.push(p.encryption);
    }
    const port = p.dstPort ?? 65536;
    const rest = (port * 256 + p.protocol) * 4 + (p.outbound ? 2 : 0) + (p.denied ? 1 : 0);
    const t = this.table;
    let row: number;
    // 2^20 contexts × 2^27 (port, protocol, direction, decision) × 2^6 encryptions fit a double exactly.
    if (!p.ipv6 && contextId < 1 << 20 && enc < 64) {
      row = t.find(p.src4, p.dst4, (contextId * (1 << 27) + rest) * 64 + enc);
    } else {
      const source = buf.toString('latin1', p.srcStart, p.srcEnd).toLowerCase();
      const destination = buf.toString('latin1', p.srcEnd + 1, p.dstEnd).toLowerCase();
      const text = `${source},${destination},${contextId},${rest},${enc}`;
      let found = this.textRows.get(text);
      if (found === undefined) {
        found = t.append();
        this.textRows.set(text, found);
        this.textKeys.set(found, { source, destination, contextId, rest, encryption: enc });
      }
      row = found;
    }
    t.tuples[row]!++;
    // Version 1 has no state: each tuple is one flow. B begins a connection; version 4 logs D per attempt.
    if (p.layout === 1 || p.state === 66 || (p.layout === 4 && p.denied)) t.started[row]!++;
    if (p.packetsOut > 0) t.packetsOut[row]! += p.packetsOut;
    if (p.bytesOut > 0) t.bytesOut[row]! += p.bytesOut;
    if (p.packetsIn > 0) t.packetsIn[row]! += p.packetsIn;
    if (p.bytesIn > 0) t.bytesIn[row]! += p.bytesIn;
    if (p.time < t.first[row]!) t.first[row] = p.time;
    if (p.time > t.last[row]!) t.last[row] = p.time;
    if (p.time < this.first) this.first = p.time;
    if (p.time > this.last) this.last = p.time;
  }

  get size(): number {
    return this.table.size;
  }

  window(): ObservedWindow {
    return {
      since: this.since === null ? null : iso(this.since),
      until: this.until === null ? null : iso(this.until),
      first: this.first === Infinity ? null : iso(this.first),
      last: this.last === -Infinity ? null : iso(this.last),
    };
  }

  /**
   * The observed flows in a fixed order (source, destination, protocol, port, direction, decision,
   * encryption, log, evaluator, rule; addresses numerically), made one at a time as they are iterated:
   * millions of distinct flows need not exist as objects all at once.
   */
  flows(): ObservedFlows {
    const t = this.table;
    const n = t.size;
    const context = new Int32Array(n);
    const rest = new Int32Array(n);
    const encryption = new Int32Array(n);
    const text = new Uint8Array(n);
    for (let row = 0; row < n; row++) {
      const key = this.textKeys.get(row);
      if (key === undefined) {
        const c = t.c[row]!;
        const enc = c % 64;
        const upper = (c - enc) / 64;
        encryption[row] = enc;
        rest[row] = upper % (1 << 27);
        context[row] = (upper - rest[row]!) / (1 << 27);
      } else {
        text[row] = 1;
        encryption[row] = key.encryption;
        rest[row] = key.rest;
        context[row] = key.contextId;
      }
    }
    const contextRank = ranks(
      this.contextList,
      (a, b) =>
        compareText(a.log, b.log) || compareText(a.evaluatedBy, b.evaluatedBy) || compareText(a.rule, b.rule),
    );
    const encryptionRank = ranks(this.encryptionList, compareText);
    const protocolRank = ranks(
      Array.from({ length: 256 }, (_, i) => protocolName(i)),
      compareText,
    );
    const addressOf = (row: number, side: 0 | 1): number | string => {
      if (text[row] === 0) return side === 0 ? t.a[row]! : t.b[row]!;
      const key = this.textKeys.get(row)!;
      return addressOrder(side === 0 ? key.source : key.destination);
    };
    const compareAddress = (x: number, y: number, side: 0 | 1): number => {
      const a = addressOf(x, side);
      const b = addressOf(y, side);
      if (typeof a === 'number' && typeof b === 'number') return a - b;
      return compareText(
        typeof a === 'number' ? addressOrder(ipv4Text(a)) : a,
        typeof b === 'number' ? addressOrder(ipv4Text(b)) : b,
      );
    };
    const portOf = (r: number): number => (r >= 65536 * 1024 ? -1 : Math.floor(r / 1024));
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort(
      (x, y) =>
        compareAddress(x, y, 0) ||
        compareAddress(x, y, 1) ||
        protocolRank[(rest[x]! >> 2) & 255]! - protocolRank[(rest[y]! >> 2) & 255]! ||
        portOf(rest[x]!) - portOf(rest[y]!) ||
        (rest[x]! & 2) - (rest[y]! & 2) ||
        (rest[x]! & 1) - (rest[y]! & 1) ||
        encryptionRank[encryption[x]!]! - encryptionRank[encryption[y]!]! ||
        contextRank[context[x]!]! - contextRank[context[y]!]!,
    );
    const flowAt = (row: number): ObservedFlow => {
      const key = this.textKeys.get(row);
      const c = this.contextList[context[row]!]!;
      const r = rest[row]!;
      const port = Math.floor(r / 1024);
      const counted = c.log !== 'nsg-v1';
      return {
        log: c.log,
        evaluatedBy: c.evaluatedBy,
        rule: c.rule,
        source: key ? key.source : ipv4Text(t.a[row]!),
        destination: key ? key.destination : ipv4Text(t.b[row]!),
        protocol: protocolName((r >> 2) & 255),
        destinationPort: port === 65536 ? null : port,
        direction: r & 2 ? 'Outbound' : 'Inbound',
        decision: r & 1 ? 'deny' : 'allow',
        encryption: this.encryptionList[encryption[row]!] ?? null,
        tuples: t.tuples[row]!,
        flowsStarted: t.started[row]!,
        packets: counted
          ? { sourceToDestination: t.packetsOut[row]!, destinationToSource: t.packetsIn[row]! }
          : null,
        bytes: counted
          ? { sourceToDestination: t.bytesOut[row]!, destinationToSource: t.bytesIn[row]! }
          : null,
        firstSeen: iso(t.first[row]!),
        lastSeen: iso(t.last[row]!),
      };
    };
    return {
      size: n,
      *[Symbol.iterator]() {
        for (const row of order) yield flowAt(row);
      },
    };
  }
}

/** Observed flows, iterable (each time in the same order); `size` of them. */
export interface ObservedFlows extends Iterable<ObservedFlow> {
  readonly size: number;
}

/** For each item, its rank in sorted order (equal items share a rank). */
function ranks<T>(items: readonly T[], compare: (a: T, b: T) => number): Int32Array {
  const order = items.map((_, i) => i).sort((a, b) => compare(items[a]!, items[b]!));
  const rank = new Int32Array(items.length);
  for (let k = 1; k < order.length; k++) {
    rank[order[k]!] =
      rank[order[k - 1]!]! + (compare(items[order[k]!]!, items[order[k - 1]!]!) === 0 ? 0 : 1);
  }
  return rank;
}

function ipv4Text(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
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
