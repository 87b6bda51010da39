import { locateJsonError, parseJsonDocument } from '../../../src/collect/files/json';

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
