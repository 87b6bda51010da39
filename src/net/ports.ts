/**
 * Strict parsing of NSG port fields: `*`, a port (`80`) or a range (`8000-8100`), 0–65535, low ≤ high.
 */
import { IntervalSet, PORT_MAX, portDomain, type PortSet } from './interval-set';

export interface PortRange {
  lo: number;
  hi: number;
}

const PORT = /^(0|[1-9]\d{0,4})$/;

/** Parses one port field value; returns null when malformed, out of range or reversed. */
export function parsePortRange(text: string): PortRange | null {
  if (text === '*') return { lo: 0, hi: PORT_MAX };
  const dash = text.indexOf('-');
  const loText = dash < 0 ? text : text.slice(0, dash);
  const hiText = dash < 0 ? text : text.slice(dash + 1);
  if (!PORT.test(loText) || !PORT.test(hiText)) return null;
  const lo = Number(loText);
  const hi = Number(hiText);
  if (lo > PORT_MAX || hi > PORT_MAX || lo > hi) return null;
  return { lo, hi };
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
  const intervals: [number, number][] = [];
  for (const text of ranges) {
    const r = parsePortRange(text);
    if (r === null) throw new RangeError(`invalid port range ${JSON.stringify(text)}`);
    intervals.push([r.lo, r.hi]);
  }
  return IntervalSet.of(portDomain, intervals);
}
