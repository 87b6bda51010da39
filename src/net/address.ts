/**
 * Strict parsing of IPv4 and IPv6 addresses and prefixes as Azure writes them.
 * Only canonical text is accepted: dotted-quad decimal without leading zeros for IPv4 (no `127.1`,
 * no hex, no octal), RFC 4291 text for IPv6, prefix lengths in range, no spaces. Host bits set
 * (`10.0.0.5/24`) parse, flagged, as their network.
 */
import { IPV4_MAX, IPV6_MAX } from './interval-set';

export interface Ipv4Prefix {
  family: 4;
  /** First and last address, as unsigned 32-bit integers. */
  start: number;
  end: number;
  length: number;
  /** `a.b.c.d/n`, with host bits cleared. */
  canonical: string;
  /** True when the text had bits set below the prefix length. */
  hostBitsSet: boolean;
}

export interface Ipv6Prefix {
  family: 6;
  start: bigint;
  end: bigint;
  length: number;
  canonical: string;
  hostBitsSet: boolean;
}

export type IpPrefix = Ipv4Prefix | Ipv6Prefix;

const PREFIX_LEN = /^(0|[1-9]\d?\d?)$/;

/**
 * Parses a dotted-quad IPv4 address to an unsigned 32-bit integer; null when not strictly valid:
 * four decimal octets 0–255, each `0` or without a leading zero. Read character by character: flow
 * logs hold millions of addresses, and a split with a pattern per octet cost several times more.
 */
export function parseIpv4(text: string): number | null {
  const length = text.length;
  if (length < 7 || length > 15) return null;
  let value = 0;
  let octets = 0;
  let i = 0;
  while (i < length) {
    const first = text.charCodeAt(i) - ZERO;
    if (first < 0 || first > 9) return null;
    let n = first;
    let digits = 1;
    i++;
    for (; i < length && digits < 4; i++, digits++) {
      const d = text.charCodeAt(i) - ZERO;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    // Four digits make more than 255 or a leading zero.
    if (n > 255 || (first === 0 && digits > 1)) return null;
    value = value * 256 + n;
    octets++;
    if (i === length) break;
    if (octets === 4 || text.charCodeAt(i) !== DOT) return null;
    i++;
    if (i === length) return null;
  }
  return octets === 4 ? value : null;
}

const ZERO = 48;
const DOT = 46;

/** Formats an unsigned 32-bit integer as a dotted quad. */
export function formatIpv4(value: number): string {
  return `${(value >>> 24) & 255}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** Parses an IPv6 address (RFC 4291 text, optional embedded IPv4 tail) to a 128-bit bigint; null when invalid. */
export function parseIpv6(text: string): bigint | null {
  if (text.length === 0 || text.length > 45 || /[^0-9A-Fa-f:.]/.test(text)) return null;
  let head = text;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === null || lastColon < 0) return null;
    tail = [(v4 >>> 16) & 0xffff, v4 & 0xffff];
    head = text.slice(0, lastColon + 1);
    // "::1.2.3.4" leaves "::"; "a::1.2.3.4" leaves "a::"; "a:b:1.2.3.4" leaves "a:b:" (strip the colon).
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groupsWanted = 8 - tail.length;
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  if (halves.length === 2) {
    const left = parseGroups(halves[0] as string);
    const right = parseGroups(halves[1] as string);
    if (left === null || right === null) return null;
    const missing = groupsWanted - left.length - right.length;
    if (missing < 1) return null;
    groups = [...left, ...new Array<number>(missing).fill(0), ...right];
  } else {
    const all = parseGroups(head);
    if (all === null || all.length !== groupsWanted) return null;
    groups = all;
  }
  let value = 0n;
  for (const g of [...groups, ...tail]) value = (value << 16n) | BigInt(g);
  return value;
}

/** Formats a 128-bit value the RFC 5952 way: lower case, longest zero run (length ≥ 2) as `::`. */
export function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/**
 * Parses `address` or `address/length` for either family. Returns null for anything not strictly
 * valid (malformed address, length out of range, spaces, leading zeros in the length).
 */
export function parsePrefix(text: string): IpPrefix | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const lenText = slash < 0 ? null : text.slice(slash + 1);
  if (lenText !== null && !PREFIX_LEN.test(lenText)) return null;
  if (!addr.includes(':')) {
    const ip = parseIpv4(addr);
    if (ip === null) return null;
    const length = lenText === null ? 32 : Number(lenText);
    if (length > 32) return null;
    const size = 2 ** (32 - length);
    const start = Math.floor(ip / size) * size;
    const end = start + size - 1;
    return {
      family: 4,
      start,
      end: Math.min(end, IPV4_MAX),
      length,
      canonical: `${formatIpv4(start)}/${length}`,
      hostBitsSet: start !== ip,
    };
  }
  const ip = parseIpv6(addr);
  if (ip === null) return null;
  const length = lenText === null ? 128 : Number(lenText);
  if (length > 128) return null;
  const hostMask = (1n << BigInt(128 - length)) - 1n;
  const start = ip & (IPV6_MAX ^ hostMask);
  return {
    family: 6,
    start,
    end: start | hostMask,
    length,
    canonical: `${formatIpv6(start)}/${length}`,
    hostBitsSet: start !== ip,
  };
}

/**
 * Splits an inclusive IPv4 range into the fewest CIDR blocks that cover it exactly, in ascending order.
 */
export function ipv4RangeToCidrs(start: number, end: number): string[] {
  const out: string[] = [];
  let cur = start;
  while (cur <= end) {
    let size = cur === 0 ? 2 ** 32 : 2 ** Math.min(32, countTrailingZeros(cur));
    while (cur + size - 1 > end) size /= 2;
    out.push(`${formatIpv4(cur)}/${32 - Math.log2(size)}`);
    cur += size;
  }
  return out;
}

function countTrailingZeros(x: number): number {
  let n = 0;
  while (n < 32 && Math.floor(x / 2 ** n) % 2 === 0) n++;
  return n;
}
