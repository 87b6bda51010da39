import { parseJsonDocument } from '../../../src/collect/files/json';
import * as fc from 'fast-check';
import { findDuplicateKey, locateJsonError, parseJsonText } from '../../../src/util/json-text';

function message(text: string): string {
  const r = parseJsonDocument(text, 'in.json');
  if (r.ok) throw new Error('expected a parse error');
  expect(r.diagnostic.code).toBe('NOT_JSON');
  expect(r.diagnostic.file).toBe('in.json');
  return r.diagnostic.message;
}

describe('parsing input JSON', () => {
  it('accepts a byte-order mark', () => {
    expect(parseJsonDocument('\uFEFF{"a":1}', 'f')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('reports truncation with line and column', () => {
    expect(message('{\n  "value": [\n    {"id": "x"')).toBe(
      'not valid JSON at line 3, column 15: the file ends before the JSON does (truncated?)',
    );
  });

  it('points at a trailing comma', () => {
    expect(message('[\n  1,\n]')).toBe(
      'not valid JSON at line 2, column 4: trailing comma before the end of an array',
    );
    expect(message('{"a": 1,}')).toBe(
      'not valid JSON at line 1, column 8: trailing comma before the end of an object',
    );
  });

  it('reports other syntax errors where they are', () => {
    expect(message('{"a" 1}')).toContain("line 1, column 6: expected ':' after a property name");
    expect(message('{"a": 01}')).toContain("column 8: expected ',' or '}' after a property value");
    expect(message('[1] [2]')).toContain('column 5: unexpected text after the end of the JSON value');
    expect(message('{"a": "\\x"}')).toContain('column 8: invalid escape in a string');
    expect(message('hello')).toContain('column 1: expected a JSON value');
  });

  it('says an empty file is empty', () => {
    expect(message('  \n')).toBe('the file is empty (expected JSON)');
  });

  it('never echoes file content in the message (it may hold secrets)', () => {
    const text = '{"secureValue": "FAKE-SECRET-VALUE" oops}';
    expect(message(text)).not.toContain('FAKE-SECRET-VALUE');
  });

  it('agrees with JSON.parse on what is valid', () => {
    const samples = [
      '{}',
      '[]',
      '"a"',
      '-0.5e+3',
      'true',
      'null',
      '{"a":[1,{"b":null}],"c":"\\u00e9\\n"}',
      ' [ 1 , 2 ] ',
    ];
    for (const s of samples) expect(locateJsonError(s)).toBeNull();
    const bad = [
      '{',
      '[1,]',
      '01',
      '1.',
      '.5',
      '+1',
      '"\t"',
      "{'a':1}",
      'nul',
      '[1 2]',
      '{"a":1 "b":2}',
      '{1:2}',
    ];
    for (const s of bad) {
      expect(() => JSON.parse(s)).toThrow();
      expect(locateJsonError(s)).not.toBeNull();
    }
  });
});

describe('duplicate keys', () => {
  const dup = (text: string) => findDuplicateKey(text);

  it('finds a key repeated in one object, with the JSON path of the second and both positions', () => {
    const text = '{"value": [\n {"properties": {"access": "Deny",\n  "access": "Allow"}}]}';
    expect(dup(text)).toEqual({
      key: 'access',
      firstOffset: text.indexOf('"access"'),
      offset: text.lastIndexOf('"access"'),
      path: '$.value[0].properties.access',
    });
    const r = parseJsonDocument(text, 'in.json');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostic).toMatchObject({
        code: 'DUPLICATE_KEY',
        file: 'in.json',
        path: '$.value[0].properties.access',
      });
      expect(r.diagnostic.message).toContain('line 2, column 18 and line 3, column 3');
    }
  });

  it('counts array elements and keys that need quoting in the path', () => {
    expect(dup('[1, "a,b", {"x": [{}, {"a b": {"k": 1, "k": 2}}]}]')?.path).toBe('$[2].x[1]["a b"].k');
  });

  it('compares keys after unescaping, and is not fooled by quotes and brackets inside strings', () => {
    expect(dup('{"a\\u0062": 1, "ab": 2}')?.key).toBe('ab');
    expect(dup('{"k": "\\"}", "v": "{\\"k\\": 1}", "w": "\\\\"}')).toBeNull();
    expect(dup('{"q": "a\\"", "q": 1}')?.path).toBe('$.q');
  });

  it('keeps the keys of each object apart (the same key in sibling and nested objects is fine)', () => {
    expect(dup('{"a": {"a": 1, "b": {"a": 2}}, "b": [{"a": 1}, {"a": 1}], "c": {"b": 1}}')).toBeNull();
    expect(dup('{"a": {"x": 1}, "b": 2, "a": 3}')?.path).toBe('$.a');
    // An empty object is followed by a value, not a key.
    expect(dup('[{}, "x", {}, "x"]')).toBeNull();
    expect(dup('{"a": {}, "b": [{}, "b", {}, "b"], "c": {}}')).toBeNull();
    expect(dup('{"a": [{}], "a": 1}')?.path).toBe('$.a');
  });

  it('finds a duplicate among many keys (where a set replaces the linear search)', () => {
    const keys = Array.from({ length: 200 }, (_, i) => `"k${i}": ${i}`);
    expect(dup(`{${keys.join(',')}}`)).toBeNull();
    expect(dup(`{${keys.join(',')}, "k150": 0}`)?.path).toBe('$.k150');
  });

  it('never reports JSON.stringify output (which cannot repeat a key), and always finds a key added twice', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(dup(JSON.stringify(value))).toBeNull();
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }), (obj) => {
        const text = JSON.stringify(obj);
        const first = JSON.stringify(Object.keys(obj)[0]);
        const found = dup(`{${first}: null, ${text.slice(1)}`);
        expect(found?.key).toBe(JSON.parse(first));
      }),
    );
  });

  it('agrees with a reference on generated documents with repeated keys and empty containers', () => {
    type Node = { obj: [number, Node][] } | { arr: Node[] } | { str: string };
    // Key spellings: raw JSON text and the key it means ("\\u0061" is "a").
    const KEYS: [string, string][] = [
      ['a', 'a'],
      ['b', 'b'],
      ['\\u0061', 'a'],
      ['a b', 'a b'],
    ];
    const { node } = fc.letrec<{ node: Node }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.record({ str: fc.constantFrom('a', 'b', '', '{"a":1}', 'q\\"', ',]') }),
        fc.record({ arr: fc.array(tie('node'), { maxLength: 4 }) }),
        fc.record({ obj: fc.array(fc.tuple(fc.nat(KEYS.length - 1), tie('node')), { maxLength: 4 }) }),
      ),
    }));
    const render = (n: Node): string =>
      'str' in n
        ? JSON.stringify(n.str)
        : 'arr' in n
          ? `[${n.arr.map(render).join(', ')}]`
          : `{${n.obj.map(([k, v]) => `"${KEYS[k]![0]}": ${render(v)}`).join(', ')}}`;
    // The first repeated key in document order (a key is seen before its value), as a path.
    const reference = (n: Node, path: string): string | null => {
      if ('str' in n) return null;
      if ('arr' in n) {
        for (let i = 0; i < n.arr.length; i++) {
          const found = reference(n.arr[i]!, `${path}[${i}]`);
          if (found !== null) return found;
        }
        return null;
      }
      const seen = new Set<string>();
      for (const [k, v] of n.obj) {
        const key = KEYS[k]![1];
        const at = /^[A-Za-z_$][\\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
        if (seen.has(key)) return at;
        seen.add(key);
        const found = reference(v, at);
        if (found !== null) return found;
      }
      return null;
    };
    fc.assert(
      fc.property(node, (n) => {
        expect(dup(render(n))?.path ?? null).toBe(reference(n, '$'));
      }),
      { numRuns: 5000 },
    );
  });

  it('is off unless asked for (service tags files, for example)', () => {
    expect(parseJsonText('{"a": 1, "a": 2}', 'f')).toEqual({ ok: true, value: { a: 2 } });
  });
});

describe('UTF-16 input', () => {
  it('says UTF-16 and how to convert when the text has a NUL beside each character', () => {
    const r = parseJsonDocument('{\u0000"\u0000a\u0000"\u0000', 'ps.json');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostic.message).toContain('UTF-16');
      expect(r.diagnostic.message).toContain('iconv -f UTF-16 -t UTF-8');
    }
  });
});
