/**
 * The oracle's own readers of address and port text, a few lines each and independent of the
 * engine's parsers (src/net/address, src/net/ports), so that a bug there cannot hide on both
 * sides of the differential tests. They read what a validated snapshot holds: IPv4 is parsed,
 * IPv6 only recognised (flows are IPv4, so an IPv6 prefix never contains a flow end).
 */

/** An IPv4 prefix as its first and last address; IPv6 as its family only. */
export type OraclePrefix = { family: 4; start: number; end: number } | { family: 6 };

const DECIMAL = /^(0|[1-9]\d*)$/; // no sign, no leading zero

/** `10.1.2.3` → its 32-bit value; anything else → null. */
export function oracleIpv4(text: string): number | null {
  const octets = text.split('.');
  if (octets.length !== 4 || !octets.every((o) => DECIMAL.test(o) && Number(o) <= 255)) return null;
  return octets.reduce((value, o) => value * 256 + Number(o), 0);
}

/** `10.1.0.0/16`, `10.1.2.3` (a /32) or an IPv6 address or prefix; anything else → null. */
export function oraclePrefix(text: string): OraclePrefix | null {
  const [address = '', length, extra] = text.split('/');
  if (extra !== undefined || (length !== undefined && !DECIMAL.test(length))) return null;
  if (address.includes(':')) {
    const ipv6 = /^[0-9a-f:.]+$/i.test(address) && address.split('::').length <= 2;
    return ipv6 && Number(length ?? 128) <= 128 ? { family: 6 } : null;
  }
  const ip = oracleIpv4(address);
  const bits = Number(length ?? 32);
  if (ip === null || bits > 32) return null;
  const size = 2 ** (32 - bits);
  const start = ip - (ip % size); // host bits cleared, as a snapshot's prefixes already are
  return { family: 4, start, end: start + size - 1 };
}

/** `*`, `80` or `8000-8100` → its first and last port; anything else → null. */
export function oraclePortRange(text: string): { lo: number; hi: number } | null {
  if (text === '*') return { lo: 0, hi: 65535 };
  const [loText = '', hiText = loText, extra] = text.split('-');
  if (extra !== undefined || !DECIMAL.test(loText) || !DECIMAL.test(hiText)) return null;
  const lo = Number(loText);
  const hi = Number(hiText);
  return lo <= hi && hi <= 65535 ? { lo, hi } : null;
}
