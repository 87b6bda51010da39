/**
 * Multi-valued fields: address prefixes and port ranges that Azure spreads over a singular and a
 * plural property (`sourceAddressPrefix` / `sourceAddressPrefixes`). They are merged into one list in
 * input order (singular first) without duplicates, each value in canonical form.
 */
import { jsonPath } from '../../diagnostics';
import type { JsonObject } from './raw';
import type { Reader } from './reader';
import { canonicalPortRange, classifyPrefix } from './values';

export type PrefixKind = 'cidr' | 'prefix-or-tag';

/** The JSON path of `base` + `key` (a property name, an array index, or nothing) + `index`; built only for diagnostics. */
export function pathOf(base: string, key: string | number | null, index: number | null = null): string {
  const at = key === null ? base : typeof key === 'number' ? `${base}[${key}]` : jsonPath(base, key);
  return index === null ? at : `${at}[${index}]`;
}

/**
 * Canonical form of one address value; fatal INVALID_PREFIX when malformed, HOST_BITS_SET warning when
 * host bits are set, UNKNOWN_SERVICE_TAG warning (once per file and tag) for a word no published tag has.
 */
export function prefixValue(
  rd: Reader,
  text: string,
  kind: PrefixKind,
  base: string,
  key: string | number | null,
  index: number | null = null,
): string {
  const outcome = classifyPrefix(text);
  if (!outcome.ok) return rd.fatal('INVALID_PREFIX', outcome.message, pathOf(base, key, index));
  if (kind === 'cidr' && !outcome.isAddress) {
    return rd.fatal(
      'INVALID_PREFIX',
      `${JSON.stringify(text)} is not an IP address or CIDR prefix`,
      pathOf(base, key, index),
    );
  }
  if (outcome.unknownTag && rd.log.firstTime(`tag\u0000${rd.file}\u0000${text.toLowerCase()}`)) {
    rd.warn(
      'UNKNOWN_SERVICE_TAG',
      `${JSON.stringify(text)} is not a service tag name Azure publishes (nor a regional form of one); it is kept as an unresolved tag, so verdicts that depend on it are unknown. Check the spelling (later uses in this file are not reported again)`,
      pathOf(base, key, index),
    );
  }
  if (outcome.hostBitsSet) {
    rd.warn(
      'HOST_BITS_SET',
      `${JSON.stringify(text)} has host bits set; read as ${outcome.value} (the network Azure applies)`,
      pathOf(base, key, index),
    );
  }
  return outcome.value;
}

/** Canonical port range text; fatal INVALID_PORT when malformed, out of range or reversed. */
export function portValue(
  rd: Reader,
  text: string,
  base: string,
  key: string | number | null,
  index: number | null = null,
): string {
  const value = canonicalPortRange(text);
  if (value === null) {
    return rd.fatal(
      'INVALID_PORT',
      `${JSON.stringify(text)} is not a valid port range (expected *, a port 0-65535, or low-high with low ≤ high)`,
      pathOf(base, key, index),
    );
  }
  return value;
}

type Canonical = 'prefix' | 'cidr' | 'port';

function canonicalValue(
  rd: Reader,
  how: Canonical,
  text: string,
  base: string,
  key: string,
  index: number | null,
): string {
  if (how === 'port') return portValue(rd, text, base, key, index);
  return prefixValue(rd, text, how === 'cidr' ? 'cidr' : 'prefix-or-tag', base, key, index);
}

/**
 * Merges a singular and a plural address field. Both set with different contents: the union, with a
 * CONFLICTING_FIELDS warning (Azure itself lets only one of them be set).
 */
export function mergedPrefixes(
  rd: Reader,
  obj: JsonObject,
  singularKey: string | null,
  pluralKey: string,
  base: string,
  kind: PrefixKind,
): string[] {
  return mergeField(rd, obj, singularKey, pluralKey, base, kind === 'cidr' ? 'cidr' : 'prefix');
}

/** Merges a singular and a plural port-range field into canonical ranges; INVALID_PORT when malformed. */
export function mergedPortRanges(
  rd: Reader,
  obj: JsonObject,
  singularKey: string | null,
  pluralKey: string,
  base: string,
): string[] {
  return mergeField(rd, obj, singularKey, pluralKey, base, 'port');
}

/** Appends `value` unless present: a linear scan while short, a set once long (a rule side may hold 4,000 prefixes). */
function addUnique(out: string[], seen: Set<string> | null, value: string): Set<string> | null {
  if (seen === null) {
    if (out.length < 16) {
      for (let i = 0; i < out.length; i++) if (out[i] === value) return null;
      out.push(value);
      return null;
    }
    seen = new Set(out);
  }
  if (!seen.has(value)) {
    seen.add(value);
    out.push(value);
  }
  return seen;
}

function mergeField(
  rd: Reader,
  obj: JsonObject,
  singularKey: string | null,
  pluralKey: string,
  base: string,
  how: Canonical,
): string[] {
  const out: string[] = [];
  let single: string | null = null;
  if (singularKey !== null) {
    const text = rd.text(obj, singularKey, base);
    if (text !== null) {
      single = canonicalValue(rd, how, text, base, singularKey, null);
      out.push(single);
    }
  }
  const plural = rd.list(obj, pluralKey, base);
  if (plural.length === 0) return exactSize(out);
  let seen: Set<string> | null = null;
  let pluralSet = false;
  let differs = false;
  for (let i = 0; i < plural.length; i++) {
    const item = plural[i];
    if (item === null || item === '') continue;
    const text =
      typeof item === 'string' && item.charCodeAt(0) !== 91
        ? item
        : rd.itemText(item, jsonPath(base, pluralKey), i);
    if (text === null) continue;
    const value = canonicalValue(rd, how, text, base, pluralKey, i);
    pluralSet = true;
    if (value !== single) differs = true;
    seen = addUnique(out, seen, value);
  }
  if (single !== null && pluralSet && differs && singularKey !== null) {
    rd.warn(
      'CONFLICTING_FIELDS',
      `both ${singularKey} and ${pluralKey} are set and differ; using their union ${JSON.stringify(out)}`,
      jsonPath(base, singularKey),
    );
  }
  return exactSize(out);
}

/**
 * A copy of a list grown by `push` without its spare capacity: V8 grows a pushed array to 17 slots,
 * and a snapshot holds four such lists per rule (2 million rules on large estates).
 */
export function exactSize<T>(list: T[]): T[] {
  return list.slice();
}
