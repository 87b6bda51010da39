/**
 * Parsing input files as JSON. `JSON.parse` does the work; when it fails, a small strict scanner
 * finds where and why, so the error names a line and column on every Node version and never echoes
 * file content (which may hold secrets).
 */
import { diagnostic, type Diagnostic } from '../../diagnostics';
import { stripBom } from '../../model/snapshot-codec';

export type JsonParse = { ok: true; value: unknown } | { ok: false; diagnostic: Diagnostic };

/** Parses one document; a leading byte-order mark is accepted. */
export function parseJsonDocument(text: string, file: string): JsonParse {
  const body = stripBom(text);
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (e) {
    return { ok: false, diagnostic: diagnostic('NOT_JSON', jsonErrorMessage(body, e), file, null) };
  }
}

function jsonErrorMessage(text: string, error: unknown): string {
  if (text.trim() === '') return 'the file is empty (expected JSON)';
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
