/**
 * A streaming JSON scanner: bytes in, structural events out, each with its JSON path and line and
 * column. Memory is bounded by the nesting depth and the longest token, never by the document: a
 * PT1H.json blob is one document of up to hundreds of MB, and `JSON.parse` would need all of it.
 *
 * Several documents may follow each other (one per line, or concatenated). One leniency, reported
 * through `lenient`: a trailing comma before `]` or `}` (Microsoft's own samples have one). After a
 * syntax error the scanner skips to the next line that starts with `{` and starts a new document
 * there (raw newlines cannot occur inside JSON strings, so such a line is outside every string).
 */

export interface ScanEvents {
  openObject(): void;
  openArray(): void;
  /** The container just ended (the scanner's path names it). */
  closeContainer(): void;
  key(name: string): void;
  /** A string value: bytes `buf[start, end)` between the quotes; `escaped` when they hold a backslash. */
  string(buf: Buffer, start: number, end: number, escaped: boolean): void;
  scalar(value: number | boolean | null): void;
  lenient(message: string): void;
  /** The document is broken here; what follows up to the next line starting with `{` is skipped. */
  syntaxError(message: string): void;
  /** A new top-level document starts after a skip: whatever was open is gone. */
  reset(): void;
}

const OBJECT = 0;
const ARRAY = 1;

// What the scanner expects next.
const VALUE = 0; // a value (top level, or after `:`)
const VALUE_FIRST = 1; // a value or `]` (just after `[`)
const VALUE_NEXT = 2; // a value after `,` in an array (`]` here is a trailing comma)
const KEY_FIRST = 3; // a key or `}` (just after `{`)
const KEY_NEXT = 4; // a key after `,` in an object (`}` here is a trailing comma)
const COLON = 5;
const AFTER = 6; // `,` or a closing bracket, or (at top level) the next document
const SKIP = 7; // after a syntax error: looking for a line that starts with `{`

/** The longest token kept across chunk boundaries; flow-log tokens are well under 1 KB. */
const MAX_TOKEN = 1 << 20;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export class JsonScanner {
  private state = VALUE;
  private depth = 0;
  private readonly kinds: number[] = [];
  private readonly keys: (string | null)[] = [];
  private readonly indexes: number[] = [];
  private carry: Buffer | null = null;
  /** Absolute offset of the next byte `write` receives (after the carry). */
  private base = 0;
  private line = 1;
  private lineStart = 0;
  private tokenAt = 0;
  private atLineStart = true;
  private started = false;
  /** Top-level documents begun so far. */
  documents = 0;

  constructor(private readonly events: ScanEvents) {}

  /** The JSON path of the value the current event concerns (`$`, `$.records[3].time`, …). */
  path(): string {
    let p = '$';
    for (let d = 0; d < this.depth; d++) {
      if (this.kinds[d] === ARRAY) {
        const i = this.indexes[d]!;
        if (i >= 0) p += `[${i}]`;
      } else {
        const k = this.keys[d];
        if (k !== null && k !== undefined)
          p += /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
      }
    }
    return p;
  }

  /** The index of the current value in its array (-1 outside arrays). */
  arrayIndex(): number {
    return this.depth > 0 && this.kinds[this.depth - 1] === ARRAY ? this.indexes[this.depth - 1]! : -1;
  }

  /** 1-based line and column (in bytes) where the current event's token starts. */
  position(): { line: number; column: number } {
    return { line: this.line, column: this.tokenAt - this.lineStart + 1 };
  }

  /** Bytes consumed so far. */
  get offset(): number {
    return this.base;
  }

  write(chunk: Buffer): void {
    let buf = chunk;
    let bufBase = this.base;
    if (this.carry !== null) {
      buf = Buffer.concat([this.carry, chunk]);
      bufBase -= this.carry.length;
      this.carry = null;
    }
    this.base = bufBase + buf.length;
    let keep = this.scan(buf, bufBase, false, 0);
    while (keep < buf.length && buf.length - keep > MAX_TOKEN) {
      this.tokenAt = bufBase + keep;
      this.fail('a token longer than 1 MiB (not a flow log)');
      keep = this.scan(buf, bufBase, false, keep + 1);
    }
    if (keep < buf.length) this.carry = buf.subarray(keep);
  }

  /** The input ended: finishes a pending top-level token and reports a truncated document. */
  end(): void {
    if (this.carry !== null) {
      const buf = this.carry;
      this.carry = null;
      const bufBase = this.base - buf.length;
      if (this.scan(buf, bufBase, true, 0) < buf.length) {
        this.tokenAt = bufBase;
        this.fail('the input ends inside a string (truncated?)');
      }
    }
    if (this.state === SKIP) return;
    this.tokenAt = this.base;
    if (this.depth > 0 || this.state === COLON) {
      this.fail(`the input ends inside the document, ${this.depth} bracket(s) still open (truncated?)`);
    } else if (!this.started) this.fail('the input holds no JSON document (empty)');
  }

  private fail(message: string): void {
    this.events.syntaxError(message);
    this.state = SKIP;
    this.atLineStart = false;
  }

  /** Scans `buf` from `from`; returns the offset of an incomplete trailing token (or `buf.length`). */
  private scan(buf: Buffer, bufBase: number, final: boolean, from: number): number {
    const n = buf.length;
    const events = this.events;
    let i = from;
    if (bufBase === 0 && i === 0 && n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
    while (i < n) {
      const c = buf[i]!;
      if (this.state === SKIP) {
        if (c === 0x0a) {
          this.line++;
          this.lineStart = bufBase + i + 1;
          this.atLineStart = true;
        } else if (c === 0x7b && this.atLineStart) {
          this.depth = 0;
          this.state = VALUE;
          events.reset();
          continue;
        } else this.atLineStart = false;
        i++;
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        if (c === 0x0a) {
          this.line++;
          this.lineStart = bufBase + i + 1;
        }
        i++;
        continue;
      }
      this.tokenAt = bufBase + i;
      const state = this.state;
      if (state === AFTER) {
        if (this.depth === 0) {
          this.state = VALUE; // the next top-level document
          continue;
        }
        const kind = this.kinds[this.depth - 1];
        if (c === 0x2c) this.state = kind === ARRAY ? VALUE_NEXT : KEY_NEXT;
        else if ((c === 0x5d && kind === ARRAY) || (c === 0x7d && kind === OBJECT)) this.close();
        else {
          this.fail(`expected ',' or '${kind === ARRAY ? ']' : '}'}', found ${shown(c)}`);
        }
        i++;
        continue;
      }
      if (state === COLON) {
        if (c !== 0x3a) this.fail(`expected ':' after the key, found ${shown(c)}`);
        else this.state = VALUE;
        i++;
        continue;
      }
      if (state === KEY_FIRST || state === KEY_NEXT) {
        if (c === 0x7d) {
          if (state === KEY_NEXT) events.lenient('a trailing comma before }');
          this.close();
          i++;
          continue;
        }
        if (c !== 0x22) {
          this.fail(`expected a key in double quotes, found ${shown(c)}`);
          i++;
          continue;
        }
        const end = this.stringEnd(buf, i + 1);
        if (end === -1) return i;
        if (end === -2) {
          this.fail('a control character inside a string');
          i++;
          continue;
        }
        const key = this.decode(buf, i + 1, end, this.escaped);
        if (key === null) {
          i = end + 1;
          continue;
        }
        this.keys[this.depth - 1] = key;
        events.key(key);
        this.state = COLON;
        i = end + 1;
        continue;
      }
      // A value is expected (VALUE, VALUE_FIRST, VALUE_NEXT).
      if (c === 0x5d && state !== VALUE) {
        if (state === VALUE_NEXT) events.lenient('a trailing comma before ]');
        this.close();
        i++;
        continue;
      }
      if (this.depth === 0) {
        this.documents++;
        this.started = true;
      } else if (this.kinds[this.depth - 1] === ARRAY) this.indexes[this.depth - 1]!++;
      if (c === 0x7b || c === 0x5b) {
        if (c === 0x7b) events.openObject();
        else events.openArray();
        this.kinds[this.depth] = c === 0x7b ? OBJECT : ARRAY;
        this.keys[this.depth] = null;
        this.indexes[this.depth] = -1;
        this.depth++;
        this.state = c === 0x7b ? KEY_FIRST : VALUE_FIRST;
        i++;
        continue;
      }
      if (c === 0x22) {
        const end = this.stringEnd(buf, i + 1);
        if (end === -1) {
          this.unbegin();
          return i;
        }
        if (end === -2) {
          this.fail('a control character inside a string');
          i++;
          continue;
        }
        events.string(buf, i + 1, end, this.escaped);
        this.state = AFTER;
        i = end + 1;
        continue;
      }
      let j = i;
      while (j < n && isScalarByte(buf[j]!)) j++;
      if (j === n && !final) {
        this.unbegin();
        return i;
      }
      if (j === i) {
        this.fail(`expected a value, found ${shown(c)}`);
        i++;
        continue;
      }
      const text = buf.toString('latin1', i, j);
      const value =
        text === 'true'
          ? true
          : text === 'false'
            ? false
            : text === 'null'
              ? null
              : NUMBER.test(text)
                ? +text
                : '';
      if (value === '') this.fail(`not a JSON value: ${JSON.stringify(text.slice(0, 40))}`);
      else {
        events.scalar(value);
        this.state = AFTER;
      }
      i = j;
    }
    return n;
  }

  /** Undoes the index step of a value whose token continues in the next chunk. */
  private unbegin(): void {
    if (this.depth === 0) this.documents--;
    else if (this.kinds[this.depth - 1] === ARRAY) this.indexes[this.depth - 1]!--;
  }

  private escaped = false;

  /** Offset of the closing quote; -1 when the string continues past the buffer, -2 on a control character. */
  private stringEnd(buf: Buffer, from: number): number {
    const n = buf.length;
    let escaped = false;
    let j = from;
    while (j < n) {
      const b = buf[j]!;
      if (b === 0x22) {
        this.escaped = escaped;
        return j;
      }
      if (b === 0x5c) {
        escaped = true;
        j += 2;
        continue;
      }
      if (b < 0x20) return -2;
      j++;
    }
    return -1;
  }

  private decode(buf: Buffer, start: number, end: number, escaped: boolean): string | null {
    if (!escaped) return buf.toString('utf8', start, end);
    try {
      return JSON.parse(buf.toString('utf8', start - 1, end + 1)) as string;
    } catch {
      this.fail('an invalid escape sequence in a string');
      return null;
    }
  }

  private close(): void {
    this.depth--;
    this.state = AFTER;
    this.events.closeContainer();
  }
}

function isScalarByte(b: number): boolean {
  return (
    (b >= 0x30 && b <= 0x39) ||
    (b >= 0x61 && b <= 0x7a) ||
    b === 0x2d ||
    b === 0x2b ||
    b === 0x2e ||
    b === 0x45
  );
}

function shown(c: number): string {
  return c >= 0x21 && c <= 0x7e ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}
