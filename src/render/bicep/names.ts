/**
 * Bicep names and text rules shared by the printers: what an identifier is, which words are
 * reserved, how a wanted name becomes a valid one (`nsg-aci app` → `nsgAciApp`, `1st` → `_1st`, a
 * keyword gets `_`, collisions are numbered `nsgAciApp2` in declaration order), and which
 * characters are spelled `\u{…}` so that no string or comment can hide or break text.
 */
import { SyntaxTreeError } from './syntax';

/** Words that cannot be symbol names: Bicep keywords and its two namespaces. */
const RESERVED = new Set([
  'true',
  'false',
  'null',
  'metadata',
  'targetScope',
  'param',
  'var',
  'resource',
  'module',
  'output',
  'import',
  'using',
  'type',
  'func',
  'existing',
  'if',
  'for',
  'in',
  'with',
  'as',
  'extends',
  'assert',
  'az',
  'sys',
]);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** True when `name` is a Bicep identifier (ASCII letters, digits, `_`; not starting with a digit). */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** True when `key` must be quoted as an object key (`true`, `false` and `null` are not identifiers there). */
export function needsQuotedKey(key: string): boolean {
  return !IDENTIFIER.test(key) || key === 'true' || key === 'false' || key === 'null';
}

/** Characters printed as `\u{…}` in strings and comments: controls, separators, bidi overrides, BOM. */
export function isHiddenChar(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff
  );
}

/** `\u{1F}` for a code point. */
export function unicodeEscape(code: number): string {
  return `\\u{${code.toString(16).toUpperCase()}}`;
}

/** Replaces hidden characters and lone surrogates with `\u{…}` text (for comments). */
export function spellHidden(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    out += isHiddenChar(code) || (code >= 0xd800 && code <= 0xdfff) ? unicodeEscape(code) : ch;
  }
  return out;
}

/** Comment lines: split at line breaks, hidden characters spelled out, trailing blanks removed. */
export function commentLines(comments: readonly string[] | undefined): string[] {
  if (comments === undefined) return [];
  return comments.flatMap((c) => c.split(/\r\n|\r|\n/).map((line) => spellHidden(line).trimEnd()));
}

/** A valid identifier spelled like `wanted` (camelCase across the characters that are dropped). */
export function toIdentifier(wanted: string): string {
  const parts = wanted.split(/[^A-Za-z0-9_]+/).filter((p) => p !== '');
  let id = parts.map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1))).join('');
  if (id === '') id = 'symbol';
  if (/^[0-9]/.test(id)) id = `_${id}`;
  if (RESERVED.has(id)) id = `${id}_`;
  return id;
}

/** Assigns printed names to wanted names: valid free names first, then the rest in order. */
export function assignNames(
  wanted: readonly string[],
  taken: Set<string>,
  what: string,
): Map<string, string> {
  const result = new Map<string, string>();
  for (const w of wanted) {
    if (result.has(w)) throw new SyntaxTreeError(`two ${what} declarations are named "${w}"`);
    result.set(w, '');
  }
  for (const w of wanted) {
    if (isIdentifier(w) && !RESERVED.has(w) && !taken.has(w)) {
      result.set(w, w);
      taken.add(w);
    }
  }
  for (const w of wanted) {
    if (result.get(w) !== '') continue;
    const base = toIdentifier(w);
    let name = base;
    for (let n = 2; taken.has(name) || RESERVED.has(name); n++) name = `${base}${n}`;
    result.set(w, name);
    taken.add(name);
  }
  return result;
}
