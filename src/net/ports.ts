/**
 * Strict parsing of NSG port fields: `*`, a port (`80`) or a range (`8000-8100`), 0–65535, low ≤ high.
 */
import { IntervalSet, PORT_MAX, portDomain, type PortSet } from './interval-set';

export interface PortRange {
  lo: number;
  hi: number;
}

/** Parses one port field value; returns null when malformed, out of range or reversed. */
export function parsePortRange(text: string): PortRange | null {
  if (text === '*') return { lo: 0, hi: PORT_MAX };
  // Scanned by hand, not by regular expression and slices: compiling a snapshot parses every
  // rule's ports (hundreds of thousands of values).
  const dash = text.indexOf('-');
  const lo = portNumber(text, 0, dash < 0 ? text.length : dash);
  const hi = dash < 0 ? lo : portNumber(text, dash + 1, text.length);
  if (lo < 0 || hi < 0 || lo > hi) return null;
  return { lo, hi };
}

/** The port written at text[from, to): 1–5 ASCII digits, no leading zero (but `0`), at most 65535; else -1. */
function portNumber(text: string, from: number, to: number): number {
  const n = to - from;
  if (n < 1 || n > 5 || (n > 1 && text.charCodeAt(from) === 48)) return -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value > PORT_MAX ? -1 : value;
}

/** Canonical text of a port range: `*` for everything, `80` for one port, `a-b` otherwise. */
export function formatPortRange(range: PortRange): string {
  if (range.lo === 0 && range.hi === PORT_MAX) return '*';
  return range.lo === range.hi ? String(range.lo) : `${range.lo}-${range.hi}`;
}

/** The set of ports named by a list of canonical port field values. */
export function portSetOf(ranges: readonly string[]): PortSet {
  const intervals: [number, number][] = [];
  for (const text of ranges) {
    const r = parsePortRange(text);
    if (r === null) throw new RangeError(`invalid port range ${JSON.stringify(text)}`);
    intervals.push([r.lo, r.hi]);
  }
  return IntervalSet.of(portDomain, intervals);
}
