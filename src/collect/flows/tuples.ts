/**
 * Flow tuples, the comma-separated strings inside `flowTuples` (Network Watcher documentation):
 *   NSG version 1:  time(s),src,dst,srcPort,dstPort,T|U,I|O,A|D
 *   NSG version 2:  … ,A|D,B|C|E,packets→,bytes→,packets←,bytes←
 *   VNet version 4: time(ms),src,dst,srcPort,dstPort,IANA protocol,I|O,B|C|E|D,encryption,packets→,bytes→,packets←,bytes←
 * Parsed in place, straight from the bytes of the JSON (a day of logs is billions of fields: no
 * string per tuple, no split).
 */
import { isIP } from 'node:net';

/** Which tuple layout a record uses. 0 for NSG records without `Version`: told from the field count. */
export type TupleLayout = 0 | 1 | 2 | 4;

/** One parsed tuple; reused between tuples. Offsets index the buffer the tuple was parsed from. */
export class ParsedTuple {
  layout: 1 | 2 | 4 = 1;
  /** Unix epoch milliseconds. */
  time = 0;
  /** Either address is IPv6. */
  ipv6 = false;
  /** The IPv4 addresses as unsigned 32-bit numbers (when not ipv6). */
  src4 = 0;
  dst4 = 0;
  srcStart = 0;
  /** End of the source address; the destination starts one later. */
  srcEnd = 0;
  dstEnd = 0;
  /** Null for ICMP and other port-less protocols logged without ports. */
  dstPort: number | null = 0;
  /** IANA protocol number. */
  protocol = 0;
  outbound = false;
  denied = false;
  /** B, C or E (char code), 0 when the layout has no state (version 1) or the flow was denied (version 4). */
  state = 0;
  /** Encryption field of version 4 (`X`, `NX`, `NX_…`), else null. */
  encryption: string | null = null;
  /** packets and bytes, source→destination and back; -1 when the tuple leaves them empty or has none. */
  packetsOut = -1;
  bytesOut = -1;
  packetsIn = -1;
  bytesIn = -1;
}

const commas = new Int32Array(16);

const encryptions = new Map<string, string>();

/** Parses the tuple in `t[start, end)` into `out`; returns null, or why the tuple is malformed. */
export function parseTuple(
  t: Buffer,
  start: number,
  end: number,
  layout: TupleLayout,
  out: ParsedTuple,
): string | null {
  let fields = 1;
  for (let i = start; i < end; i++) {
    if (t[i] === 44) {
      if (fields === 14) return `${fieldCount(t, start, end)} fields; at most 13 are defined`;
      commas[fields - 1] = i;
      fields++;
    }
  }
  commas[fields - 1] = end;
  let actual: 1 | 2 | 4;
  if (layout === 0) {
    if (fields === 8) actual = 1;
    else if (fields === 13) actual = 2;
    else return `${fields} fields; NSG flow log tuples have 8 (version 1) or 13 (version 2)`;
  } else {
    actual = layout;
    const expected = layout === 1 ? 8 : 13;
    if (fields !== expected) {
      const what = layout === 4 ? 'VNet flow log (version 4)' : `NSG flow log version ${layout}`;
      return `${fields} fields; ${what} tuples have ${expected}`;
    }
  }
  out.layout = actual;
  const c = commas;
  const time = uint(t, start, c[0]!);
  if (time < 0) return 'the timestamp is not a whole number';
  // Version 4 samples are in milliseconds, NSG logs in seconds: 1e11 s is the year 5138.
  out.time = time >= 1e11 ? time : time * 1000;
  out.srcStart = c[0]! + 1;
  out.srcEnd = c[1]!;
  out.dstEnd = c[2]!;
  const srcFamily = addressFamily(t, c[0]! + 1, c[1]!);
  if (srcFamily === 0) return 'the source is not an IP address';
  out.src4 = lastIpv4;
  const dstFamily = addressFamily(t, c[1]! + 1, c[2]!);
  if (dstFamily === 0) return 'the destination is not an IP address';
  out.dst4 = lastIpv4;
  out.ipv6 = srcFamily === 6 || dstFamily === 6;
  const protocol = protocolOf(t, c[4]! + 1, c[5]!, actual);
  if (protocol < 0) {
    return actual === 4
      ? 'the protocol is not an IANA protocol number (6 TCP, 17 UDP, 1 ICMP)'
      : 'the protocol is not T (TCP) or U (UDP)';
  }
  out.protocol = protocol;
  const portless = protocol !== 6 && protocol !== 17;
  const srcPort = uint(t, c[2]! + 1, c[3]!);
  const dstPort = uint(t, c[3]! + 1, c[4]!);
  if (portless && (srcPort === EMPTY || dstPort === EMPTY)) out.dstPort = null;
  else {
    if (srcPort < 0 || srcPort > 65535) return 'the source port is not a number in 0–65535';
    if (dstPort < 0 || dstPort > 65535) return 'the destination port is not a number in 0–65535';
    out.dstPort = dstPort;
  }
  const direction = single(t, c[5]! + 1, c[6]!);
  if (direction !== 73 && direction !== 79) return 'the direction is not I or O';
  out.outbound = direction === 79;
  const f8 = single(t, c[6]! + 1, c[7]!);
  out.encryption = null;
  if (actual === 4) {
    // B begin, C continuing, E end; D denied (version 4 has no separate decision field).
    if (f8 !== 66 && f8 !== 67 && f8 !== 69 && f8 !== 68) return 'the flow state is not B, C, E or D';
    out.denied = f8 === 68;
    out.state = out.denied ? 0 : f8;
    const enc = encryption(t, c[7]! + 1, c[8]!);
    if (enc === null) return 'the encryption field is not X, NX or NX_…';
    out.encryption = enc;
  } else {
    if (f8 !== 65 && f8 !== 68) return 'the decision is not A or D';
    out.denied = f8 === 68;
    out.state = 0;
    if (actual === 2) {
      const state = single(t, c[7]! + 1, c[8]!);
      if (state !== 66 && state !== 67 && state !== 69) return 'the flow state is not B, C or E';
      out.state = state;
    }
  }
  out.packetsOut = out.bytesOut = out.packetsIn = out.bytesIn = -1;
  if (actual !== 1) {
    out.packetsOut = uint(t, c[8]! + 1, c[9]!);
    out.bytesOut = uint(t, c[9]! + 1, c[10]!);
    out.packetsIn = uint(t, c[10]! + 1, c[11]!);
    out.bytesIn = uint(t, c[11]! + 1, c[12]!);
    if (out.packetsOut === BAD || out.bytesOut === BAD || out.packetsIn === BAD || out.bytesIn === BAD) {
      return 'a packet or byte count (fields 10–13) is not a whole number';
    }
  }
  return null;
}

function fieldCount(t: Buffer, start: number, end: number): number {
  let n = 1;
  for (let i = start; i < end; i++) if (t[i] === 44) n++;
  return n;
}

/** The encryption word, interned (`NX` nearly always): no string made per tuple. */
function encryption(t: Buffer, s: number, e: number): string | null {
  if (e === s + 2 && t[s] === 78 && t[s + 1] === 88) return 'NX';
  if (e === s + 1 && t[s] === 88) return 'X';
  const text = t.toString('latin1', s, e);
  if (!/^[A-Z][A-Z0-9_]*$/.test(text)) return null;
  let interned = encryptions.get(text);
  if (interned === undefined) {
    interned = text;
    if (encryptions.size < 64) encryptions.set(text, text);
  }
  return interned;
}

const EMPTY = -1;
const BAD = -2;

/** A decimal whole number in t[s, e): its value, EMPTY for no digits, BAD otherwise. */
function uint(t: Buffer, s: number, e: number): number {
  if (s === e) return EMPTY;
  if (e - s > 15) return BAD;
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = t[i]! - 48;
    if (d < 0 || d > 9) return BAD;
    v = v * 10 + d;
  }
  return v;
}

function single(t: Buffer, s: number, e: number): number {
  return e === s + 1 ? t[s]! : -1;
}

function protocolOf(t: Buffer, s: number, e: number, layout: 1 | 2 | 4): number {
  if (layout !== 4) {
    const letter = single(t, s, e);
    if (letter === 84) return 6;
    if (letter === 85) return 17;
    return -1;
  }
  const v = uint(t, s, e);
  return v >= 0 && v <= 255 ? v : -1;
}

/** The value of the last IPv4 address `addressFamily` accepted. */
let lastIpv4 = 0;

/** 4 for IPv4 in canonical dotted form (no leading zeros), 6 for IPv6, 0 for neither. */
function addressFamily(t: Buffer, s: number, e: number): 0 | 4 | 6 {
  let parts = 0;
  let address = 0;
  let digits = 0;
  let value = 0;
  let first = 0;
  for (let i = s; i < e; i++) {
    const ch = t[i]!;
    if (ch === 46) {
      if (digits === 0 || parts === 3) return 0;
      address = address * 256 + value;
      parts++;
      digits = 0;
      value = 0;
      continue;
    }
    const d = ch - 48;
    if (d < 0 || d > 9 || (digits > 0 && first === 0)) return ipv6(t, s, e);
    if (digits === 0) first = d;
    value = value * 10 + d;
    digits++;
    if (value > 255) return ipv6(t, s, e);
  }
  if (parts !== 3 || digits === 0) return 0;
  lastIpv4 = address * 256 + value;
  return 4;
}

function ipv6(t: Buffer, s: number, e: number): 0 | 6 {
  if (t.indexOf(58, s) < 0) return 0;
  const text = t.toString('latin1', s, e);
  return isIP(text) === 6 ? 6 : 0;
}
