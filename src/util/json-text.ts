/**
 * JSON text, for every reader of JSON files (import inputs, snapshots, service tags files): one
 * parse entry point and one syntax reporter. `JSON.parse` does the work; when it fails, a small
 * strict scanner finds where and why, so the error names a line and column on every Node version
 * and never echoes file content (which may hold secrets). A second scanner, run only on text that
 * parsed, finds duplicate object keys, which `JSON.parse` resolves silently (the last one wins).
 */
import { diagnostic, jsonPath, type Diagnostic } from '../diagnostics';

export type JsonTextParse = { ok: true; value: unknown } | { ok: false; diagnostic: Diagnostic };

/** Removes a leading byte-order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Parses one JSON document (a leading byte-order mark is accepted). With `duplicateKeys`, an object
 * holding one key twice is a DUPLICATE_KEY error: which of the two values counts would be a guess.
 */
export function parseJsonText(
  text: string,
  file: string,
  options: { duplicateKeys?: boolean } = {},
): JsonTextParse {
  const body = stripBom(text);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    return { ok: false, diagnostic: jsonSyntaxDiagnostic(body, e, file) };
  }
  if (options.duplicateKeys) {
    const duplicate = findDuplicateKey(body);
    if (duplicate !== null) return { ok: false, diagnostic: duplicateKeyDiagnostic(body, duplicate, file) };
  }
  return { ok: true, value };
}

/** The NOT_JSON diagnostic for text that `JSON.parse` rejected with `error`: where and why, as line and column. */
export function jsonSyntaxDiagnostic(text: string, error: unknown, file: string): Diagnostic {
  return diagnostic('NOT_JSON', jsonErrorMessage(stripBom(text), error), file, null);
}

const UTF16_HINT =
  'the file is UTF-16 text (the default of Windows PowerShell 5 redirection and Out-File); aciseg reads UTF-8. ' +
  "Convert it: in PowerShell 'Get-Content in.json | Set-Content -Encoding utf8 out.json', or 'iconv -f UTF-16 -t UTF-8 in.json > out.json'";

/** The message for a file whose bytes start with a UTF-16 byte-order mark, or null. */
export function utf16Message(bytes: Uint8Array): string | null {
  const [a, b] = bytes;
  return (a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff) ? UTF16_HINT : null;
}

function jsonErrorMessage(text: string, error: unknown): string {
  if (text.trim() === '') return 'the file is empty (expected JSON)';
  // UTF-16 without a byte-order mark decodes as UTF-8 with a NUL beside every ASCII character.
  if (text.charCodeAt(0) === 0 || text.charCodeAt(1) === 0) return UTF16_HINT;
  const found = locateJsonError(text);
  if (found === null) {
    // The scanner accepts it, so the engine gave up for another reason (for example nesting depth).
    return `not valid JSON: ${error instanceof RangeError ? 'nested too deeply to parse' : 'the JSON parser rejected it'}`;
  }
  const { line, column } = lineAndColumn(text, found.offset);
  return `not valid JSON at line ${line}, column ${column}: ${found.reason}`;
}

/** 1-based line and column (in UTF-16 code units) of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const TRUNCATED = 'the file ends before the JSON does (truncated?)';

/**
 * Finds the first RFC 8259 violation: its offset and a reason, or null when the text is valid JSON.
 * Iterative (an explicit stack), so hostile nesting cannot overflow the call stack.
 */
export function locateJsonError(text: string): { offset: number; reason: string } | null {
  const stack: number[] = []; // 123 = object, 91 = array
  let i = 0;
  const n = text.length;
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
      i++;
    }
  };
  const fail = (reason: string): { offset: number; reason: string } => ({ offset: Math.min(i, n), reason });
  // After `{` or `,` inside an object we need a key; after a key, a colon then a value.
  type State = 'value' | 'after-value' | 'key-or-end' | 'key';
  let state: State = 'value';
  let lastComma = 0;
  for (;;) {
    ws();
    if (state === 'value') {
      if (i >= n) return fail(TRUNCATED);
      const c = text.charCodeAt(i);
      if (c === 123) {
        stack.push(123);
        i++;
        state = 'key-or-end';
        continue;
      }
      if (c === 91) {
        stack.push(91);
        i++;
        ws();
        if (i < n && text.charCodeAt(i) === 93) {
          stack.pop();
          i++;
          state = 'after-value';
        }
        continue;
      }
      const error = c === 34 ? scanString() : c === 45 || (c >= 48 && c <= 57) ? scanNumber() : scanLiteral();
      if (error !== null) return error;
      state = 'after-value';
      continue;
    }
    if (state === 'key-or-end' || state === 'key') {
      if (i >= n) return fail(TRUNCATED);
      const c = text.charCodeAt(i);
      if (c === 125 && state === 'key-or-end') {
        stack.pop();
        i++;
        state = 'after-value';
        continue;
      }
      if (c === 125) return { offset: lastComma, reason: 'trailing comma before the end of an object' };
      if (c !== 34) return fail('expected a double-quoted property name');
      const error = scanString();
      if (error !== null) return error;
      ws();
      if (i >= n) return fail(TRUNCATED);
      if (text.charCodeAt(i) !== 58) return fail("expected ':' after a property name");
      i++;
      state = 'value';
      continue;
    }
    // after-value
    const top = stack[stack.length - 1];
    if (top === undefined) {
      return i >= n ? null : fail('unexpected text after the end of the JSON value');
    }
    if (i >= n) return fail(TRUNCATED);
    const c = text.charCodeAt(i);
    if (c === 44) {
      lastComma = i;
      i++;
      state = top === 123 ? 'key' : 'value';
      if (top === 91) {
        ws();
        if (i < n && text.charCodeAt(i) === 93)
          return { offset: lastComma, reason: 'trailing comma before the end of an array' };
      }
      continue;
    }
    if ((top === 123 && c === 125) || (top === 91 && c === 93)) {
      stack.pop();
      i++;
      continue;
    }
    return fail(
      top === 123
        ? "expected ',' or '}' after a property value"
        : "expected ',' or ']' after an array element",
    );
  }

  function scanString(): { offset: number; reason: string } | null {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return null;
      }
      if (c < 32) return fail('control character inside a string (escape it)');
      if (c === 92) {
        const e = text.charCodeAt(i + 1);
        if (e === 117) {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6)))
            return fail('invalid \\u escape in a string');
          i += 6;
          continue;
        }
        if (
          e === 34 ||
          e === 92 ||
          e === 47 ||
          e === 98 ||
          e === 102 ||
          e === 110 ||
          e === 114 ||
          e === 116
        ) {
          i += 2;
          continue;
        }
        if (i + 1 >= n) break;
        return fail('invalid escape in a string');
      }
      i++;
    }
    return fail(TRUNCATED);
  }

  function scanNumber(): { offset: number; reason: string } | null {
    const start = i;
    if (text.charCodeAt(i) === 45) i++;
    const digits = (): number => {
      const s = i;
      while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
      return i - s;
    };
    if (i < n && text.charCodeAt(i) === 48) i++;
    else if (digits() === 0) return fail(i >= n ? TRUNCATED : 'invalid number');
    if (i < n && text.charCodeAt(i) === 46) {
      i++;
      if (digits() === 0)
        return fail(i >= n ? TRUNCATED : 'invalid number (digits expected after the decimal point)');
    }
    if (i < n && (text.charCodeAt(i) === 101 || text.charCodeAt(i) === 69)) {
      i++;
      if (i < n && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) i++;
      if (digits() === 0)
        return fail(i >= n ? TRUNCATED : 'invalid number (digits expected in the exponent)');
    }
    return i > start ? null : fail('invalid number');
  }

  function scanLiteral(): { offset: number; reason: string } | null {
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return null;
      }
      if (n - i < word.length && word.startsWith(text.slice(i))) return fail(TRUNCATED);
    }
    return fail('expected a JSON value (object, array, string, number, true, false or null)');
  }
}

/** A key found twice in one object: where each occurrence starts (its opening quote) and the JSON path of the second. */
export interface DuplicateKey {
  key: string;
  firstOffset: number;
  offset: number;
  path: string;
}

/** Objects with more keys than this get a Set of their keys instead of a linear search. */
const LINEAR_KEYS = 24;

/**
 * Finds the first object key that repeats within its object, in text `JSON.parse` accepted (so the
 * scan can trust the syntax). Linear and allocation-light, because imports are hundreds of MB:
 * strings are skipped with `indexOf`, keys are compared by a hash of their text first, and only
 * the open objects' keys are kept. Keys are compared after unescaping (`"a"` and `"\u0061"` are one key).
 */
export function findDuplicateKey(text: string): DuplicateKey | null {
  const n = text.length;
  // Per open container: -1 for an array, else the index in `keyStart` where its keys begin.
  const frameBase: number[] = [];
  // Per open container, for the path of a duplicate: its current element index (arrays), and the
  // index in `keyStart` of the parent object's key that holds it (-1 when the parent is an array).
  const frameIndex: number[] = [];
  const frameKey: number[] = [];
  const frameSet: (Map<string, number> | null)[] = [];
  const keyHash: number[] = [];
  const keyStart: number[] = [];
  const keyEnd: number[] = [];
  let keyCount = 0;
  let expectKey = false;
  let nextBackslash = -1;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const start = i + 1;
      let end = text.indexOf('"', start);
      while (isEscaped(text, end)) end = text.indexOf('"', end + 1);
      i = end + 1;
      if (!expectKey) continue;
      expectKey = false;
      const base = frameBase[frameBase.length - 1] as number;
      // Where the next backslash is: found once per stretch of text, so escapes cost nothing to detect.
      if (nextBackslash < start) {
        nextBackslash = text.indexOf('\\', start);
        if (nextBackslash < 0) nextBackslash = n;
      }
      const escaped = nextBackslash < end;
      const h = escaped ? hashOf(decodeKey(text, start, end)) : hashAt(text, start, end);
      const top = frameBase.length - 1;
      let set = frameSet[top] as Map<string, number> | null;
      let first = -1;
      if (set !== null) {
        first = set.get(decodeKey(text, start, end)) ?? -1;
      } else {
        for (let k = base; k < keyCount; k++) {
          if (keyHash[k] === h && sameKey(text, keyStart[k] as number, keyEnd[k] as number, start, end)) {
            first = keyStart[k] as number;
            break;
          }
        }
      }
      if (first >= 0) {
        const key = decodeKey(text, start, end);
        return {
          key,
          firstOffset: first - 1,
          offset: start - 1,
          path: pathOf(text, frameIndex, frameKey, keyStart, keyEnd, key),
        };
      }
      keyHash[keyCount] = h;
      keyStart[keyCount] = start;
      keyEnd[keyCount] = end;
      keyCount++;
      if (set !== null) set.set(decodeKey(text, start, end), start);
      else if (keyCount - base > LINEAR_KEYS) {
        set = new Map();
        for (let k = base; k < keyCount; k++)
          set.set(decodeKey(text, keyStart[k] as number, keyEnd[k] as number), keyStart[k] as number);
        frameSet[top] = set;
      }
      continue;
    }
    if (c === 123 || c === 91) {
      const parent = frameBase.length - 1;
      // Inside an object, the newest key is the parent's (deeper objects' keys are dropped on close).
      frameKey.push(parent >= 0 && (frameBase[parent] as number) >= 0 ? keyCount - 1 : -1);
      frameBase.push(c === 123 ? keyCount : -1);
      frameIndex.push(0);
      frameSet.push(null);
      expectKey = c === 123;
    } else if (c === 125 || c === 93) {
      const base = frameBase.pop() as number;
      frameIndex.pop();
      frameKey.pop();
      frameSet.pop();
      if (base >= 0) keyCount = base;
      expectKey = false; // `{}` leaves it set; a value follows a closed container, never a key
    } else if (c === 44) {
      const top = frameBase.length - 1;
      if ((frameBase[top] as number) >= 0) expectKey = true;
      else frameIndex[top] = (frameIndex[top] as number) + 1;
    }
    i++;
  }
  return null;
}

/** True when the quote at `at` is escaped (preceded by an odd number of backslashes). */
function isEscaped(text: string, at: number): boolean {
  let k = at - 1;
  while (text.charCodeAt(k) === 92) k--;
  return (at - 1 - k) % 2 === 1;
}

function decodeKey(text: string, start: number, end: number): string {
  const raw = text.slice(start, end);
  return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
}

/** A cheap hash of a key: its length and three of its characters (a collision only costs a comparison). */
function hashAt(text: string, start: number, end: number): number {
  const len = end - start;
  if (len === 0) return 0;
  return (
    (len << 21) ^
    (text.charCodeAt(start) << 14) ^
    (text.charCodeAt(end - 1) << 7) ^
    text.charCodeAt(start + (len >> 1))
  );
}

function hashOf(s: string): number {
  return hashAt(s, 0, s.length);
}

function sameKey(text: string, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart === bEnd - bStart) {
    let k = 0;
    while (k < aEnd - aStart && text.charCodeAt(aStart + k) === text.charCodeAt(bStart + k)) k++;
    if (k === aEnd - aStart) return true;
  }
  // Different text may still be one key once escapes are decoded.
  if (!hasBackslash(text, aStart, aEnd) && !hasBackslash(text, bStart, bEnd)) return false;
  return decodeKey(text, aStart, aEnd) === decodeKey(text, bStart, bEnd);
}

function hasBackslash(text: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (text.charCodeAt(k) === 92) return true;
  return false;
}

/** The JSON path of the duplicate key, from the open containers (only built when one is found). */
function pathOf(
  text: string,
  frameIndex: readonly number[],
  frameKey: readonly number[],
  keyStart: readonly number[],
  keyEnd: readonly number[],
  key: string,
): string {
  let path = '$';
  for (let f = 1; f < frameKey.length; f++) {
    const k = frameKey[f] as number;
    path =
      k < 0
        ? jsonPath(path, frameIndex[f - 1] as number)
        : jsonPath(path, decodeKey(text, keyStart[k] as number, keyEnd[k] as number));
  }
  return jsonPath(path, key);
}

function duplicateKeyDiagnostic(text: string, dup: DuplicateKey, file: string): Diagnostic {
  const first = lineAndColumn(text, dup.firstOffset);
  const second = lineAndColumn(text, dup.offset);
  return diagnostic(
    'DUPLICATE_KEY',
    `the key ${JSON.stringify(dup.key)} appears twice in one object (line ${first.line}, column ${first.column} and line ${second.line}, column ${second.column}); ` +
      'JSON readers silently keep one of the two values, so remove the one that is wrong',
    file,
    dup.path,
  );
}
