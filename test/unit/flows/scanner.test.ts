/**
 * The streaming scanner: the events it gives for a document do not depend on how the bytes are
 * chunked, match JSON.parse's tree, and errors come with line, column and JSON path.
 */
import fc from 'fast-check';
import { JsonScanner, type ScanEvents } from '../../../src/collect/flows/json-scanner';

/** Rebuilds the values from the events (a tiny tree builder), recording errors with their position. */
function build(chunks: Buffer[]): { docs: unknown[]; errors: string[]; lenient: string[] } {
  const docs: unknown[] = [];
  const errors: string[] = [];
  const lenient: string[] = [];
  const stack: { value: unknown[] | Record<string, unknown>; key: string | null }[] = [];
  // eslint-disable-next-line prefer-const -- assigned once the events that use it exist
  let scanner: JsonScanner;
  const put = (v: unknown): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) docs.push(v);
    else if (Array.isArray(top.value)) top.value.push(v);
    else top.value[top.key!] = v;
  };
  const events: ScanEvents = {
    openObject: () => {
      const o = {};
      put(o);
      stack.push({ value: o, key: null });
    },
    openArray: () => {
      const a: unknown[] = [];
      put(a);
      stack.push({ value: a, key: null });
    },
    closeContainer: () => void stack.pop(),
    key: (k) => void (stack[stack.length - 1]!.key = k),
    string: (buf, s, e, escaped) =>
      put(escaped ? JSON.parse(buf.toString('utf8', s - 1, e + 1)) : buf.toString('utf8', s, e)),
    scalar: (v) => put(v),
    lenient: (m) =>
      void lenient.push(`${scanner.position().line}:${scanner.position().column} ${scanner.path()} ${m}`),
    syntaxError: (m) =>
      void errors.push(`${scanner.position().line}:${scanner.position().column} ${scanner.path()} ${m}`),
    reset: () => void (stack.length = 0),
  };
  scanner = new JsonScanner(events);
  for (const c of chunks) scanner.write(c);
  scanner.end();
  return { docs, errors, lenient };
}

function split(text: string, cuts: number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
}

describe('JsonScanner', () => {
  it('gives JSON.parse’s tree for any JSON value, however the bytes are chunked', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.nat(), { maxLength: 8 }), (value, cuts) => {
        const text = JSON.stringify(value, null, cuts.length % 2 === 0 ? 0 : 2);
        const top = typeof value === 'object' && value !== null ? value : [value];
        const doc = JSON.stringify(top);
        const result = build(split(doc === text ? doc : JSON.stringify(top, null, 1), cuts));
        expect(result.errors).toEqual([]);
        expect(result.docs).toEqual([JSON.parse(doc)]);
      }),
      { seed: 10, numRuns: 300 },
    );
  });

  it('splits a multi-byte character or an escape across chunks without harm', () => {
    const text = '{"k\\u00e9y":"caf\u00e9 \\"q\\" \\\\","n":-1.5e3}';
    for (let cut = 0; cut <= Buffer.byteLength(text); cut++) {
      expect(build(split(text, [cut])).docs).toEqual([{ 'k\u00e9y': 'caf\u00e9 "q" \\', n: -1500 }]);
    }
  });

  it('reads documents one per line, concatenated, and after a byte-order mark', () => {
    expect(build([Buffer.from('\ufeff{"a":1}\n{"a":2}\r\n{"a":3}{"a":4} [5]')]).docs).toEqual([
      { a: 1 },
      { a: 2 },
      { a: 3 },
      { a: 4 },
      [5],
    ]);
  });

  it('accepts a trailing comma and says where', () => {
    const r = build([Buffer.from('{"a":[1,2,],\n "b":{"c":1,}}')]);
    expect(r.docs).toEqual([{ a: [1, 2], b: { c: 1 } }]);
    // The path names the last element, the one the comma follows.
    expect(r.lenient).toEqual([
      '1:11 $.a[1] a trailing comma before ]',
      '2:13 $.b.c a trailing comma before }',
    ]);
  });

  it.each([
    ['{"a":[1,2}', "1:10 $.a[1] expected ',' or ']', found '}'"],
    ['{"a" 1}', "1:6 $.a expected ':' after the key, found '1'"],
    ['{"a":tru}', '1:6 $.a not a JSON value: "tru"'],
    ['{"a":01}', '1:6 $.a not a JSON value: "01"'],
    ['{\n  "records": [\n    {"x": "a\tb"}', '3:11 $.records[0].x a control character inside a string'],
    ['{"a":[', '1:7 $.a the input ends inside the document, 2 bracket(s) still open (truncated?)'],
    ['{"a":"abc', '1:6 $.a the input ends inside a string (truncated?)'],
    ['', '1:1 $ the input holds no JSON document (empty)'],
    ["{'a':1}", "1:2 $ expected a key in double quotes, found '''"],
  ])('reports %j with line, column and path', (text, expected) => {
    expect(build([Buffer.from(text)]).errors).toEqual([expected]);
  });

  it('after an error, resumes at the next line that starts with {', () => {
    const r = build([Buffer.from('{"a":1}\n{"b":[1 2]}\n  {"not":"here"}\n{"c":3}\n')]);
    expect(r.errors).toEqual(["2:9 $.b[0] expected ',' or ']', found '2'"]);
    expect(r.docs.slice(0, 1)).toEqual([{ a: 1 }]);
    expect(r.docs[r.docs.length - 1]).toEqual({ c: 3 });
  });
});
