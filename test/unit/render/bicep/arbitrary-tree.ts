/**
 * fast-check generators of random Bicep syntax trees with hostile text everywhere text can go:
 * symbol names, keys, strings, interpolation parts, comments, descriptions. Trees are always
 * printable: references point at declared symbols, parents at resources, bodies have a name.
 */
import fc from 'fast-check';
import type { BicepFile, Expr, Property, Statement, ValueType } from '../../../../src/render/bicep/syntax';

/** Text that tries to break out of strings, comments, holes and documents. */
const HOSTILE_PIECES = [
  "'",
  "''",
  '\\',
  '${',
  '$',
  '{',
  '}',
  '\n',
  '\r\n',
  '\r',
  '\t',
  '</script>',
  '*/',
  '/*',
  '//',
  '[',
  ']',
  '[[',
  '@',
  '\u0000',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udfff',
  '😀',
  'é',
  ' ',
  'null',
];

export const arbHostileText: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ unit: 'binary', maxLength: 3 })), {
    maxLength: 5,
  })
  .map((parts) => parts.join(''));

const arbComments = fc.option(fc.array(arbHostileText, { minLength: 1, maxLength: 2 }), { nil: undefined });
const withComments = <T extends object>(value: T, comments: string[] | undefined): T =>
  comments === undefined ? value : { ...value, comments };

const VALUE_TYPES: readonly ValueType[] = ['string', 'int', 'bool', 'object', 'array'];
const RESOURCE_TYPES = [
  'Microsoft.Storage/storageAccounts',
  'Microsoft.Network/networkSecurityGroups',
  'Microsoft.Network/virtualNetworks/subnets',
];
const FUNCTIONS = ['resourceGroup', 'uniqueString', 'empty', 'concat', 'az.resourceGroup', 'sys.string'];

/** Expressions over the given symbols; `holes` limits nesting so objects never land in `${…}`. */
function arbExpr(symbols: readonly string[], resources: readonly string[]): fc.Arbitrary<Expr> {
  const leaf = fc.oneof(
    arbHostileText.map((value): Expr => ({ kind: 'string', value })),
    fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }).map((value): Expr => ({ kind: 'int', value })),
    fc.boolean().map((value): Expr => ({ kind: 'bool', value })),
    fc.constant<Expr>({ kind: 'null' }),
    ...(symbols.length > 0 ? [fc.constantFrom(...symbols).map((name): Expr => ({ kind: 'ref', name }))] : []),
    ...(resources.length > 0
      ? [
          fc
            .tuple(
              fc.constantFrom(...resources),
              fc.constantFrom('id', 'name', 'properties'),
              fc.option(arbHostileText),
            )
            .map(([name, first, second]): Expr => {
              const base: Expr = { kind: 'member', object: { kind: 'ref', name }, property: first };
              return second === null ? base : { kind: 'member', object: base, property: second };
            }),
        ]
      : []),
  );
  const { scalar } = fc.letrec<{ scalar: Expr }>((tie) => ({
    scalar: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc
        .tuple(fc.constantFrom(...FUNCTIONS), fc.array(tie('scalar'), { maxLength: 2 }))
        .map(([name, args]): Expr => ({ kind: 'call', name, args })),
      fc
        .tuple(tie('scalar'), arbHostileText)
        .map(([object, property]): Expr => ({ kind: 'member', object, property })),
      fc
        .array(fc.oneof(arbHostileText, tie('scalar')), { minLength: 1, maxLength: 4 })
        .map((parts): Expr => ({ kind: 'interp', parts })),
      fc.tuple(tie('scalar'), tie('scalar'), tie('scalar')).map(([condition, whenTrue, whenFalse]): Expr => ({
        kind: 'ternary',
        condition,
        whenTrue,
        whenFalse,
      })),
    ),
  }));
  const { value } = fc.letrec<{ value: Expr }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      arbProperties(tie('value'), []).map((properties): Expr => ({ kind: 'object', properties })),
      fc.array(fc.tuple(tie('value'), arbComments), { maxLength: 3 }).map((items): Expr => ({
        kind: 'array',
        items: items.map(([v, c]) => withComments({ value: v }, c)),
      })),
      fc.tuple(tie('value'), tie('value')).map(([whenTrue, whenFalse]): Expr => ({
        kind: 'ternary',
        condition: { kind: 'bool', value: true },
        whenTrue,
        whenFalse,
      })),
      fc
        .tuple(fc.constantFrom(...FUNCTIONS), fc.array(tie('value'), { maxLength: 2 }))
        .map(([name, args]): Expr => ({ kind: 'call', name, args })),
    ),
  }));
  return value;
}

function arbProperties(value: fc.Arbitrary<Expr>, forbidden: readonly string[]): fc.Arbitrary<Property[]> {
  return fc
    .uniqueArray(
      fc.tuple(
        arbHostileText.filter((k) => !forbidden.includes(k)),
        value,
        arbComments,
      ),
      {
        maxLength: 3,
        selector: ([key]) => key,
      },
    )
    .map((entries) => entries.map(([key, v, c]) => withComments({ key, value: v }, c)));
}

/** A random printable file: params, vars, resources (some children of earlier ones) and outputs. */
export const arbBicepFile: fc.Arbitrary<BicepFile> = fc
  .record({
    params: fc.uniqueArray(arbHostileText, { maxLength: 3 }),
    vars: fc.uniqueArray(arbHostileText, { maxLength: 2 }),
    resources: fc.uniqueArray(arbHostileText, { maxLength: 3 }),
    outputs: fc.uniqueArray(arbHostileText, { maxLength: 2 }),
  })
  .filter(
    ({ params, vars, resources }) =>
      new Set([...params, ...vars, ...resources]).size === params.length + vars.length + resources.length,
  )
  .chain(({ params, vars, resources, outputs }) => {
    // Each declaration refers only to earlier ones, so no symbol refers to itself.
    const e = arbExpr([...params, ...vars], resources);
    const paramStatements = params.map((name, i) =>
      fc
        .record({
          type: fc.constantFrom(...VALUE_TYPES),
          description: fc.option(arbHostileText, { nil: undefined }),
          defaultValue: fc.option(arbExpr(params.slice(0, i), []), { nil: undefined }),
          comments: arbComments,
        })
        .map(({ type, description, defaultValue, comments }): Statement =>
          withComments(
            {
              kind: 'param',
              name,
              type,
              decorators:
                description === undefined
                  ? []
                  : [{ name: 'description', args: [{ kind: 'string', value: description }] }],
              ...(defaultValue === undefined ? {} : { defaultValue }),
            },
            comments,
          ),
        ),
    );
    const varStatements = vars.map((name, i) =>
      fc
        .tuple(arbExpr([...params, ...vars.slice(0, i)], []), arbComments)
        .map(([value, c]): Statement => withComments({ kind: 'var', name, value }, c)),
    );
    const resourceStatements = resources.map((name, i) => {
      const e = arbExpr([...params, ...vars], resources.slice(0, i));
      return fc
        .record({
          type: fc.constantFrom(...RESOURCE_TYPES),
          existing: fc.boolean(),
          parent:
            i === 0
              ? fc.constant(undefined)
              : fc.option(fc.constantFrom(...resources.slice(0, i)), { nil: undefined }),
          resourceName: e,
          body: arbProperties(e, ['name', 'parent', 'scope', 'dependsOn']),
          dependsOn:
            i === 0
              ? fc.constant(undefined)
              : fc.option(fc.subarray(resources.slice(0, i), { minLength: 1 }), { nil: undefined }),
          scope: fc.option(e, { nil: undefined }),
          comments: arbComments,
        })
        .map((r): Statement =>
          withComments(
            {
              kind: 'resource',
              name,
              type: r.type,
              apiVersion: '2024-07-01',
              existing: r.existing,
              ...(r.parent === undefined ? {} : { parent: r.parent }),
              ...(r.scope === undefined ? {} : { scope: r.scope }),
              body: [{ key: 'name', value: r.resourceName }, ...r.body],
              ...(r.dependsOn === undefined ? {} : { dependsOn: r.dependsOn }),
            },
            r.comments,
          ),
        );
    });
    const outputStatements = outputs.map((name) =>
      fc
        .tuple(fc.constantFrom(...VALUE_TYPES), e)
        .map(([type, value]): Statement => ({ kind: 'output', name, type, decorators: [], value })),
    );
    return fc
      .tuple(
        fc.option(fc.constantFrom('resourceGroup' as const, 'subscription' as const), { nil: undefined }),
        fc.tuple(...paramStatements, ...varStatements, ...resourceStatements, ...outputStatements),
      )
      .map(([scope, statements]): BicepFile => ({
        statements: [
          ...(scope === undefined ? [] : [{ kind: 'targetScope', scope } as Statement]),
          ...statements,
        ],
      }));
  });
