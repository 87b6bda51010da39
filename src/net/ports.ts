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
  if (ranges.length === 1) {
    // Most fields hold one value: no interval list to sort and merge.
    const r = parsePortRange(ranges[0]!);
    if (r === null) throw new RangeError(`invalid port range ${JSON.stringify(ranges[0])}`);
    return IntervalSet.range(portDomain, r.lo, r.hi);
  }
  // Flat bounds, sorted by low end (insertion sort: a field holds a few values), then merged.
  const bounds: number[] = [];
  for (const text of ranges) {
    const r = parsePortRange(text);
    if (r === null) throw new RangeError(`invalid port range ${JSON.stringify(text)}`);
    let at = bounds.length;
    bounds.push(r.lo, r.hi);
    for (; at > 0 && bounds[at - 2]! > r.lo; at -= 2) {
      bounds[at] = bounds[at - 2]!;
      bounds[at + 1] = bounds[at - 1]!;
    }
    bounds[at] = r.lo;
    bounds[at + 1] = r.hi;
  }
  const merged: number[] = [];
  for (let i = 0; i < bounds.length; i += 2) {
    const lo = bounds[i]!;
    const hi = bounds[i + 1]!;
    const last = merged.length - 1;
    // Overlapping or touching the previous interval: one interval.
    if (last > 0 && lo <= merged[last]! + 1) merged[last] = Math.max(merged[last]!, hi);
    else merged.push(lo, hi);
  }
  return IntervalSet.fromCanonicalBounds(portDomain, merged);
}
