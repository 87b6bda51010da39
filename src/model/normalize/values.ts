/**
 * Canonical forms of the values NSG rules, routes and address spaces hold: address prefixes and
 * service tags, port ranges, protocols, access, direction. Address results are cached by input text
 * because large estates repeat the same values across hundreds of thousands of rules (the cache is
 * a pure memo: same text, same answer).
 */
import { parsePrefix } from '../../net/address';
import { PORT_MAX } from '../../net/interval-set';
import { formatPortRange, parsePortRange } from '../../net/ports';
import type { Protocol } from '../snapshot';
import { isKnownServiceTag } from '../service-tag-names';

export type PrefixOutcome =
  | {
      ok: true;
      value: string;
      isAddress: boolean;
      hostBitsSet: boolean;
      /** A tag-shaped word that is no service tag name Azure publishes (worth a warning). */
      unknownTag: boolean;
    }
  | { ok: false; message: string };

/** The tags whose meaning aciseg computes itself, by lower-case spelling → canonical spelling. */
const CANONICAL_TAGS: ReadonlyMap<string, string> = new Map([
  ['*', '*'],
  ['virtualnetwork', 'VirtualNetwork'],
  ['internet', 'Internet'],
  ['azureloadbalancer', 'AzureLoadBalancer'],
]);

/** Classic (ASM) tag spellings that ARM rejects; `INTERNET` is `Internet` in another case and is accepted. */
const CLASSIC_TAGS: ReadonlyMap<string, string> = new Map([
  ['virtual_network', 'VirtualNetwork'],
  ['azure_loadbalancer', 'AzureLoadBalancer'],
]);

/** Service-tag names: words separated by dots (`Storage.WestEurope`, `AzureCloud.centralfrance`). Linear, no backtracking. */
const TAG_NAME = /^[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/;

const prefixCache = new Map<string, PrefixOutcome>();

const TAG_OUTCOMES: ReadonlyMap<string, PrefixOutcome> = new Map(
  [...CANONICAL_TAGS.values()].map((tag) => [
    tag,
    { ok: true, value: tag, isAddress: false, hostBitsSet: false, unknownTag: false },
  ]),
);

/**
 * Classifies an address field value: a canonical CIDR (`10.0.0.4` → `10.0.0.4/32`), one of the four
 * tags aciseg understands in canonical case, another service tag as written, or an error message.
 */
export function classifyPrefix(text: string): PrefixOutcome {
  // The four tags in their usual spelling need no lookup in the (large) cache.
  const tag = TAG_OUTCOMES.get(text);
  if (tag !== undefined) return tag;
  let outcome = prefixCache.get(text);
  if (outcome === undefined) {
    outcome = classifyUncached(text);
    if (prefixCache.size > 1_000_000) prefixCache.clear();
    prefixCache.set(text, outcome);
  }
  return outcome;
}

function classifyUncached(text: string): PrefixOutcome {
  const lower = text.toLowerCase();
  const tag = CANONICAL_TAGS.get(lower);
  if (tag !== undefined)
    return { ok: true, value: tag, isAddress: false, hostBitsSet: false, unknownTag: false };
  if (lower === 'any') {
    // The portal labels `*` "Any"; ARM refuses the word itself ("invalid Address prefix. Value provided: any").
    return {
      ok: false,
      message: `${JSON.stringify(text)} is not an address prefix Azure accepts (the portal's "Any" is written "*"); write "*"`,
    };
  }
  const classic = CLASSIC_TAGS.get(lower);
  if (classic !== undefined) {
    return {
      ok: false,
      message: `${JSON.stringify(text)} is a classic (ASM) tag spelling that Azure Resource Manager rejects; write ${JSON.stringify(classic)}`,
    };
  }
  const first = text.charCodeAt(0);
  const looksLikeAddress = (first >= 48 && first <= 57) || text.includes(':') || text.includes('/');
  if (looksLikeAddress) {
    const parsed = parsePrefix(text);
    if (parsed === null) {
      const range = /^[0-9.]+-[0-9.]+$/.test(text)
        ? ' (address ranges are not supported; use CIDR prefixes)'
        : '';
      return {
        ok: false,
        message: `${JSON.stringify(text)} is not a valid IP address or CIDR prefix${range}`,
      };
    }
    return {
      ok: true,
      value: parsed.canonical,
      isAddress: true,
      hostBitsSet: parsed.hostBitsSet,
      unknownTag: false,
    };
  }
  if (TAG_NAME.test(text)) {
    return {
      ok: true,
      value: text,
      isAddress: false,
      hostBitsSet: false,
      unknownTag: !isKnownServiceTag(text),
    };
  }
  return {
    ok: false,
    message: `${JSON.stringify(text)} is not an IP address, a CIDR prefix or a service tag`,
  };
}

/**
 * Canonical port field text (`0-65535` → `*`, `80-80` → `80`), or null when invalid. Valid text is
 * already canonical except for those two forms (leading zeros are invalid), so it is returned as is.
 */
export function canonicalPortRange(text: string): string | null {
  if (text === '*') return '*';
  const range = parsePortRange(text);
  if (range === null) return null;
  if (range.lo === 0 && range.hi === PORT_MAX) return '*';
  return range.lo === range.hi && text.includes('-') ? formatPortRange(range) : text;
}

const PROTOCOLS: ReadonlyMap<string, Protocol> = new Map<string, Protocol>([
  ['tcp', 'Tcp'],
  ['udp', 'Udp'],
  ['icmp', 'Icmp'],
  ['esp', 'Esp'],
  ['ah', 'Ah'],
  ['*', '*'],
  ['any', '*'],
  ['all', '*'],
]);

/** The canonical protocol for an NSG or admin-rule protocol value (case-insensitive; `Any`/`All` → `*`), or null. */
export function canonicalProtocol(text: string): Protocol | null {
  // Exact spellings first: lower-casing allocates, and this runs for every rule.
  return PROTOCOLS.get(text) ?? EXACT_PROTOCOLS.get(text) ?? PROTOCOLS.get(text.toLowerCase()) ?? null;
}

const EXACT_PROTOCOLS: ReadonlyMap<string, Protocol> = new Map<string, Protocol>([
  ['Tcp', 'Tcp'],
  ['Udp', 'Udp'],
  ['Icmp', 'Icmp'],
  ['Esp', 'Esp'],
  ['Ah', 'Ah'],
  ['Any', '*'],
  ['All', '*'],
]);

/** Case-insensitive match of `text` against allowed spellings; returns the canonical one or null. */
export function canonicalEnum<T extends string>(text: string, allowed: readonly T[]): T | null {
  for (const a of allowed) if (a === text) return a;
  const lower = text.toLowerCase();
  for (const a of allowed) if (a.toLowerCase() === lower) return a;
  return null;
}
