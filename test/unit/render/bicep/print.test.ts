/** The Bicep printer: goldens, string escaping, comments, identifiers and the trees it refuses. */
import { printBicep, bicepString } from '../../../../src/render/bicep/print';
import { canonicalize } from '../../../../src/render/bicep/canonical';
import { toIdentifier } from '../../../../src/render/bicep/names';
import {
  arr,
  call,
  int,
  interp,
  member,
  nul,
  obj,
  props,
  ref,
  str,
  ternary,
  SyntaxTreeError,
  type BicepFile,
  type Statement,
} from '../../../../src/render/bicep/syntax';
import { parseBicep } from '../../../support/bicep-parse';
import { expectGolden } from '../../../support/golden';
import { storageAccountExample } from './example-tree';

const file = (...statements: Statement[]): BicepFile => ({ statements });
const param = (name: string, type: 'string' | 'int' = 'string'): Statement => ({
  kind: 'param',
  name,
  type,
  decorators: [],
});
const output = (name: string, value: Parameters<typeof member>[0]): Statement => ({
  kind: 'output',
  name,
  type: 'string',
  decorators: [],
  value,
});

describe('printBicep', () => {
  it('prints the storage-account example as the golden (and reads back as the same tree)', () => {
    const text = printBicep(storageAccountExample);
    expectGolden('bicep/storage-account.bicep', text);
    expect(parseBicep(text)).toEqual(canonicalize(storageAccountExample));
  });

  it('prints nothing for an empty file and ends every other file with one newline', () => {
    expect(printBicep(file())).toBe('');
    expect(printBicep(file(param('a')))).toBe('param a string\n');
  });

  it.each([
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ['${x}', "'\\${x}'"],
    ['$x {y} $', "'$x {y} $'"],
    ['line\nnext\r\ttab', "'line\\nnext\\r\\ttab'"],
    ['nul\u0000 esc\u001b del\u007f', "'nul\\u{0} esc\\u{1B} del\\u{7F}'"],
    ['sep\u2028 bidi\u202e bom\ufeff', "'sep\\u{2028} bidi\\u{202E} bom\\u{FEFF}'"],
    ['lone \ud800 pair 😀', "'lone \\u{D800} pair 😀'"],
    ['</script> */ // /*', "'</script> */ // /*'"],
  ])('escapes %j as %s', (value, printed) => {
    expect(bicepString(value)).toBe(printed);
    expect(parseBicep(`var v = ${printed}\n`).statements[0]).toEqual({
      kind: 'var',
      name: 'v',
      value: str(value),
    });
  });

  it('builds interpolations from parts, escaping the text parts only', () => {
    const text = printBicep(file(param('p'), output('o', interp("a'${", ref('p'), '$', ref('p'), '}'))));
    expect(text).toContain("output o string = 'a\\'\\${${p}$${p}}'\n");
  });

  it('splits comments at line breaks so their text cannot escape the comment', () => {
    const text = printBicep(
      file({ kind: 'var', name: 'v', value: int(1), comments: ['one\nvar evil = 1\r\n', 'two\u202e'] }),
    );
    expect(text).toBe('// one\n// var evil = 1\n//\n// two\\u{202E}\nvar v = 1\n');
  });

  it('quotes keys that are not identifiers and keeps keyword-like keys bare', () => {
    const text = printBicep(
      file({
        kind: 'var',
        name: 'v',
        value: obj(['a-b', int(1)], ['null', int(2)], ['type', int(3)], ['', int(4)]),
      }),
    );
    expect(text).toBe("var v = {\n  'a-b': 1\n  'null': 2\n  type: 3\n  '': 4\n}\n");
  });

  it('prints member access by bracket when the property is not an identifier, and parenthesizes nested ternaries', () => {
    const cond = ternary(call('empty', ref('p')), nul, obj(['id', ref('p')]));
    const text = printBicep(
      file(param('p'), output('o', member(call('json', ref('p')), 'a-b')), {
        kind: 'var',
        name: 'v',
        value: ternary(cond, arr(), member(cond, 'id')),
      }),
    );
    expect(text).toContain("output o string = json(p)['a-b']\n");
    expect(printBicep(file(param('p'), output('n', member(ref('p'), 'null', 'type'))))).toContain(
      "output n string = p['null'].type\n",
    );
    expect(text).toContain(
      'var v = (empty(p) ? null : {\n  id: p\n}) ? [] : (empty(p) ? null : {\n  id: p\n}).id\n',
    );
    expect(parseBicep(text)).toEqual(canonicalize(parseBicep(text)));
  });

  it('prints resources with parent, scope and dependsOn in their conventional places', () => {
    const text = printBicep(
      file(
        param('rg'),
        {
          kind: 'resource',
          name: 'vnet',
          type: 'Microsoft.Network/virtualNetworks',
          apiVersion: '2024-07-01',
          existing: true,
          scope: call('resourceGroup', ref('rg')),
          body: props(['name', str('vnet-app')]),
        },
        {
          kind: 'resource',
          name: 'subnet',
          type: 'Microsoft.Network/virtualNetworks/subnets',
          apiVersion: '2024-07-01',
          existing: true,
          parent: 'vnet',
          body: props(['name', str('snet')]),
          dependsOn: ['vnet'],
        },
        output('prefix', member(ref('subnet'), 'properties', 'addressPrefix')),
      ),
    );
    expect(text).toContain(
      "resource vnet 'Microsoft.Network/virtualNetworks@2024-07-01' existing = {\n  scope: resourceGroup(rg)\n  name: 'vnet-app'\n}\n",
    );
    expect(text).toContain(
      "resource subnet 'Microsoft.Network/virtualNetworks/subnets@2024-07-01' existing = {\n  parent: vnet\n  name: 'snet'\n  dependsOn: [\n    vnet\n  ]\n}\n",
    );
  });
});

describe('symbol names', () => {
  it.each([
    ['nsg-aci app', 'nsgAciApp'],
    ['1st', '_1st'],
    ['résumé', 'rSum'],
    ['日本', 'symbol'],
    ['param', 'param_'],
    ['a_b', 'a_b'],
  ])('makes %j a valid identifier: %s', (wanted, id) => {
    expect(toIdentifier(wanted)).toBe(id);
  });

  it('keeps valid names, renames the rest in order, numbers collisions and rewrites references', () => {
    const tree = file(
      param('a-b'),
      param('aB'),
      param('a b'),
      param('resource'),
      param('resourceGroup'),
      {
        kind: 'var',
        name: 'v',
        value: arr(
          ref('a-b'),
          ref('aB'),
          ref('a b'),
          ref('resource'),
          ref('resourceGroup'),
          call('resourceGroup'),
        ),
      },
      output('v', ref('v')),
      output('o-1', ref('v')),
    );
    const text = printBicep(tree);
    expect(text).toContain('param aB string\n');
    expect(text).toContain('param aB2 string\n');
    expect(text).toContain('param aB3 string\n');
    expect(text).toContain('param resource_ string\n');
    expect(text).toContain('param resourceGroup2 string\n');
    expect(text).toContain(
      'var v = [\n  aB2\n  aB\n  aB3\n  resource_\n  resourceGroup2\n  resourceGroup()\n]\n',
    );
    // Outputs have their own namespace: `v` is free there.
    expect(text).toContain('output v string = v\n\noutput');
    expect(text).toContain('output o1 string = v\n');
    expect(canonicalize(canonicalize(tree))).toEqual(canonicalize(tree));
  });

  it('renames a symbol that would shadow a decorator', () => {
    const tree = file({
      ...param('description'),
      decorators: [{ name: 'description', args: [str('d')] }],
    } as Statement);
    expect(printBicep(tree)).toBe("@description('d')\nparam description2 string\n");
  });
});

describe('trees no printer can print', () => {
  const resource = (body: ReturnType<typeof props>, extra: object = {}): Statement =>
    ({
      kind: 'resource',
      name: 'r',
      type: 'Microsoft.Storage/storageAccounts',
      apiVersion: '2023-05-01',
      existing: false,
      body,
      ...extra,
    }) as Statement;
  it.each<[string, BicepFile, RegExp]>([
    ['a dangling reference', file(output('o', ref('nope'))), /"nope" is referenced but never declared/],
    [
      'a reference to an output',
      file(output('a', str('x')), output('b', ref('a'))),
      /"a" is referenced but never declared/,
    ],
    [
      'two symbols with one name',
      file(param('p'), { kind: 'var', name: 'p', value: int(1) }),
      /two symbol declarations are named "p"/,
    ],
    [
      'a duplicate key',
      file({ kind: 'var', name: 'v', value: obj(['k', int(1)], ['k', int(2)]) }),
      /the key "k" appears twice/,
    ],
    ['a fractional number', file({ kind: 'var', name: 'v', value: int(1.5) }), /1.5 is not a whole number/],
    ['an unsafe number', file({ kind: 'var', name: 'v', value: int(2 ** 60) }), /is not a whole number/],
    ['a resource without a name', file(resource(props(['location', str('x')]))), /has no name property/],
    [
      'parent in the body',
      file(resource(props(['name', str('x')], ['parent', str('y')]))),
      /set "parent" with its own field/,
    ],
    [
      'a bad API version',
      file(resource(props(['name', str('x')]), { apiVersion: "2023'" })),
      /is not an API version/,
    ],
    [
      'a parent that is not a resource',
      file(param('p'), resource(props(['name', str('x')]), { parent: 'p' })),
      /parent "p" is not a resource/,
    ],
    [
      'an object in an interpolation',
      file({ kind: 'var', name: 'v', value: interp('a', obj(['k', int(1)])) }),
      /interpolation cannot hold/,
    ],
    ['a bad function name', file({ kind: 'var', name: 'v', value: call('a b') }), /is not a function name/],
    [
      'a symbol that refers to itself',
      file({ kind: 'var', name: 'a', value: ref('b') }, { kind: 'var', name: 'b', value: arr(ref('a')) }),
      /"a" refers to itself: a → b → a/,
    ],
    [
      'a resource named after its own ID',
      file(resource(props(['name', member(ref('r'), 'id')]))),
      /"r" refers to itself: r → r/,
    ],
  ])('refuses %s', (_, tree, message) => {
    expect(() => printBicep(tree)).toThrow(SyntaxTreeError);
    expect(() => printBicep(tree)).toThrow(message);
  });
});
