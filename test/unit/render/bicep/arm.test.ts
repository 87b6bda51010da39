/** The ARM printer: the storage-account golden, expression translation, quoting, and what ARM cannot express. */
import fc from 'fast-check';
import {
  armTemplate,
  armString,
  printArmTemplate,
  ArmUnsupportedError,
} from '../../../../src/render/arm/template';
import {
  call,
  decorator,
  interp,
  member,
  nul,
  obj,
  props,
  ref,
  str,
  ternary,
  type BicepFile,
  type Statement,
} from '../../../../src/render/bicep/syntax';
import { expectGolden } from '../../../support/golden';
import { arbBicepFile, arbHostileText } from './arbitrary-tree';
import { storageAccountExample } from './example-tree';

const file = (...statements: Statement[]): BicepFile => ({ statements });
const param = (name: string, extra: Partial<Statement> = {}): Statement =>
  ({ kind: 'param', name, type: 'string', decorators: [], ...extra }) as Statement;
const output = (name: string, value: Parameters<typeof member>[0]): Statement => ({
  kind: 'output',
  name,
  type: 'string',
  decorators: [],
  value,
});
const resource = (name: string, type: string, extra: Partial<Statement> = {}): Statement =>
  ({
    kind: 'resource',
    name,
    type,
    apiVersion: '2024-07-01',
    existing: false,
    body: props(['name', str(name)]),
    ...extra,
  }) as Statement;
const outputValue = (tree: BicepFile, name: string) =>
  (armTemplate(tree)['outputs'] as Record<string, { value: unknown }>)[name]!.value;

/** Reads an ARM string literal back (the inverse of armString), for the quoting property. */
function readArmString(text: string): string {
  expect(text.startsWith("'") && text.endsWith("'")).toBe(true);
  const body = text.slice(1, -1);
  expect(body.replace(/''/g, '')).not.toContain("'");
  return body.replace(/''/g, "'");
}

describe('printArmTemplate', () => {
  it('prints the storage-account example as the golden', () => {
    const text = printArmTemplate(storageAccountExample);
    expectGolden('bicep/storage-account.json', text);
    expect(JSON.parse(text)).toEqual(armTemplate(storageAccountExample));
  });

  it('doubles quotes inside ARM string literals and escapes a literal [ as [[', () => {
    const tree = file(
      param('p'),
      {
        kind: 'var',
        name: 'v',
        value: obj(['a', str('[not an expression]')], ['b', str('x[y]')], ['c', str('[[')]),
      },
      output('o', interp("it's {0} ", ref('p'), ' {x}')),
    );
    const t = armTemplate(tree);
    expect(t['variables']).toEqual({ v: { a: '[[not an expression]', b: 'x[y]', c: '[[[' } });
    expect(outputValue(tree, 'o')).toBe("[format('it''s {{0}} {0} {{x}}', parameters('p'))]");
  });

  it('quotes any text so it reads back exactly', () => {
    fc.assert(
      fc.property(fc.oneof(arbHostileText, fc.string({ unit: 'binary' })), (s) =>
        expect(readArmString(armString(s))).toBe(s),
      ),
    );
  });

  it('translates references, resource IDs, properties, child names, ternaries and namespaces', () => {
    const tree = file(
      param('vnetName'),
      param('rg'),
      resource('vnet', 'Microsoft.Network/virtualNetworks', {
        existing: true,
        body: props(['name', ref('vnetName')]),
        scope: call('resourceGroup', ref('rg')),
      }),
      resource('nsg', 'Microsoft.Network/networkSecurityGroups', {
        body: props(['name', str('nsg-aci')], ['location', member(call('az.resourceGroup'), 'location')]),
      }),
      resource('subnet', 'Microsoft.Network/virtualNetworks/subnets', {
        existing: true,
        parent: 'vnet',
        body: props(['name', str('snet')]),
      }),
      resource('child', 'Microsoft.Network/networkSecurityGroups/securityRules', {
        parent: 'nsg',
        body: props(
          ['name', str("it's")],
          ['properties', obj(['description', member(ref('subnet'), 'properties', 'addressPrefix')])],
        ),
      }),
      output('nsgId', member(ref('nsg'), 'id')),
      output('subnetId', member(ref('subnet'), 'id')),
      output('nsgName', member(ref('nsg'), 'name')),
      output('nsgLocation', member(ref('nsg'), 'location')),
      output(
        'choice',
        ternary(call('empty', ref('rg')), nul, obj(['id', member(ref('nsg'), 'id')], ['n', str('x')])),
      ),
      output('quoted', member(call('json', ref('rg')), 'a-b')),
    );
    const t = armTemplate(tree);
    const resources = t['resources'] as Record<string, unknown>[];
    // Existing resources are referenced, not declared.
    expect(resources.map((r) => r['type'])).toEqual([
      'Microsoft.Network/networkSecurityGroups',
      'Microsoft.Network/networkSecurityGroups/securityRules',
    ]);
    expect(resources[0]!['location']).toBe('[resourceGroup().location]');
    expect(resources[1]).toEqual({
      type: 'Microsoft.Network/networkSecurityGroups/securityRules',
      apiVersion: '2024-07-01',
      name: "nsg-aci/it's",
      properties: {
        description:
          "[reference(resourceId(parameters('rg'), 'Microsoft.Network/virtualNetworks/subnets', parameters('vnetName'), 'snet'), '2024-07-01').addressPrefix]",
      },
      dependsOn: ["[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-aci')]"],
    });
    expect(outputValue(tree, 'nsgId')).toBe(
      "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-aci')]",
    );
    expect(outputValue(tree, 'subnetId')).toBe(
      "[resourceId(parameters('rg'), 'Microsoft.Network/virtualNetworks/subnets', parameters('vnetName'), 'snet')]",
    );
    expect(outputValue(tree, 'nsgName')).toBe('nsg-aci');
    expect(outputValue(tree, 'nsgLocation')).toBe(
      "[reference(resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-aci'), '2024-07-01', 'full').location]",
    );
    expect(outputValue(tree, 'choice')).toBe(
      "[if(empty(parameters('rg')), null(), createObject('id', resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-aci'), 'n', 'x'))]",
    );
    expect(outputValue(tree, 'quoted')).toBe("[json(parameters('rg'))['a-b']]");
  });

  it('prints a subnet of an existing VNet (parent: existing) with its NSG and an optional route table', () => {
    const tree = file(
      param('vnetName'),
      param('routeTableId'),
      resource('nsg', 'Microsoft.Network/networkSecurityGroups'),
      resource('vnet', 'Microsoft.Network/virtualNetworks', {
        existing: true,
        body: props(['name', ref('vnetName')]),
      }),
      resource('subnet', 'Microsoft.Network/virtualNetworks/subnets', {
        parent: 'vnet',
        body: props(
          ['name', str('snet-aci')],
          [
            'properties',
            obj(
              ['networkSecurityGroup', obj(['id', member(ref('nsg'), 'id')])],
              [
                'routeTable',
                ternary(call('empty', ref('routeTableId')), nul, obj(['id', ref('routeTableId')])),
              ],
            ),
          ],
        ),
      }),
    );
    const resources = armTemplate(tree)['resources'] as Record<string, unknown>[];
    expect(resources[1]).toEqual({
      type: 'Microsoft.Network/virtualNetworks/subnets',
      apiVersion: '2024-07-01',
      name: "[format('{0}/{1}', parameters('vnetName'), 'snet-aci')]",
      properties: {
        networkSecurityGroup: { id: "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg')]" },
        routeTable:
          "[if(empty(parameters('routeTableId')), null(), createObject('id', parameters('routeTableId')))]",
      },
      dependsOn: ["[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg')]"],
    });
  });

  it('prints a child of a computed name with one format() over all segments', () => {
    const tree = file(
      param('n'),
      resource('a', 'Microsoft.Storage/storageAccounts', { body: props(['name', ref('n')]) }),
      resource('b', 'Microsoft.Storage/storageAccounts/blobServices', {
        parent: 'a',
        body: props(['name', str('default')]),
      }),
      resource('c', 'Microsoft.Storage/storageAccounts/blobServices/containers', {
        parent: 'b',
        body: props(['name', str('x')]),
      }),
    );
    const resources = armTemplate(tree)['resources'] as Record<string, unknown>[];
    expect(resources[2]!['name']).toBe("[format('{0}/{1}/{2}', parameters('n'), 'default', 'x')]");
  });

  it('maps decorators to parameter fields and @secure() to securestring', () => {
    const tree = file(
      param('s', { decorators: [decorator('secure'), decorator('description', str('a [secret]'))] }),
      param('o', { type: 'object', decorators: [decorator('secure')] } as Partial<Statement>),
    );
    expect(armTemplate(tree)['parameters']).toEqual({
      s: { type: 'securestring', metadata: { description: 'a [secret]' } },
      o: { type: 'secureObject' },
    });
  });

  it.each<[string, BicepFile, RegExp]>([
    [
      'a module',
      file({ kind: 'module', name: 'm', path: './m.bicep', body: props(['name', str('m')]) }),
      /module "m" cannot be printed as an ARM template without the tree of its file "\.\/m\.bicep"/,
    ],
    [
      'a module with a body key other than name and params',
      file({ kind: 'module', name: 'm', path: 'm.bicep', body: props(['name', str('m')], ['tags', obj()]) }),
      /module "m": "tags" is not printed as ARM/,
    ],
    [
      'a module with another kind of scope',
      file({
        kind: 'module',
        name: 'm',
        path: 'm.bicep',
        scope: call('subscription'),
        body: props(['name', str('m')]),
      }),
      /only scope: resourceGroup\(…\) is printed as ARM/,
    ],
    [
      'a declared resource with a scope',
      file(
        param('rg'),
        resource('r', 'Microsoft.Storage/storageAccounts', { scope: call('resourceGroup', ref('rg')) }),
      ),
      /resource "r" has a scope/,
    ],
    [
      'a declared child of a resource in another scope',
      file(
        param('rg'),
        resource('vnet', 'Microsoft.Network/virtualNetworks', {
          existing: true,
          scope: call('resourceGroup', ref('rg')),
        }),
        resource('subnet', 'Microsoft.Network/virtualNetworks/subnets', { parent: 'vnet' }),
      ),
      /resource "subnet" sits in "vnet", which has a scope: deploy it through a module/,
    ],
    [
      'an existing resource with another kind of scope',
      file(
        resource('r', 'Microsoft.Storage/storageAccounts', { existing: true, scope: call('subscription') }),
        output('o', member(ref('r'), 'id')),
      ),
      /only scope: resourceGroup/,
    ],
    [
      'a decorator without an ARM equivalent',
      file(param('p', { decorators: [decorator('sealed')] })),
      /@sealed\(\) has no ARM template equivalent/,
    ],
    [
      '@secure() on an int',
      file(param('p', { type: 'int', decorators: [decorator('secure')] } as Partial<Statement>)),
      /@secure\(\) needs a string or object/,
    ],
    [
      'a resource used as a value',
      file(resource('r', 'Microsoft.Storage/storageAccounts'), output('o', ref('r'))),
      /resource "r" is used as a value/,
    ],
    [
      'a resource ID in a subscription-scoped template',
      file(
        { kind: 'targetScope', scope: 'subscription' },
        resource('r', 'Microsoft.Resources/resourceGroups'),
        output('o', member(ref('r'), 'id')),
      ),
      /in a subscription-scoped template/,
    ],
  ])('refuses %s with a clear error', (_, tree, message) => {
    const modules = new Map([['m.bicep', file()]]);
    expect(() => armTemplate(tree, modules)).toThrow(ArmUnsupportedError);
    expect(() => armTemplate(tree, modules)).toThrow(message);
  });

  it('inlines a module as the nested deployment bicep build writes: scope, inner evaluation, parameters, template', () => {
    const inner = file(
      param('location'),
      resource('st', 'Microsoft.Storage/storageAccounts', {
        body: props(['name', str('st1')], ['location', ref('location')]),
      }),
    );
    const main = file(
      { kind: 'targetScope', scope: 'subscription' },
      param('region'),
      {
        kind: 'module',
        name: 'one',
        path: 'modules/one.bicep',
        comments: ['first group'],
        scope: call('resourceGroup', str('sub-1'), str("rg-'one")),
        body: props(['name', str('deploy-one')], ['params', obj(['location', ref('region')])]),
      },
      {
        kind: 'module',
        name: 'two',
        path: 'modules/one.bicep',
        scope: call('resourceGroup', str('rg-two')),
        body: props(['name', str('[deploy-two')]),
      },
    );
    const arm = armTemplate(main, new Map([['modules/one.bicep', inner]]));
    expect(arm['$schema']).toBe(
      'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#',
    );
    const nested = {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      parameters: { location: { type: 'string' } },
      resources: [
        {
          type: 'Microsoft.Storage/storageAccounts',
          apiVersion: '2024-07-01',
          name: 'st1',
          location: "[parameters('location')]",
        },
      ],
    };
    expect(arm['resources']).toEqual([
      {
        type: 'Microsoft.Resources/deployments',
        apiVersion: '2022-09-01',
        name: 'deploy-one',
        subscriptionId: 'sub-1',
        resourceGroup: "rg-'one",
        properties: {
          expressionEvaluationOptions: { scope: 'inner' },
          mode: 'Incremental',
          parameters: { location: { value: "[parameters('region')]" } },
          template: nested,
        },
        comments: 'first group',
      },
      {
        type: 'Microsoft.Resources/deployments',
        apiVersion: '2022-09-01',
        name: '[[deploy-two',
        resourceGroup: 'rg-two',
        properties: {
          expressionEvaluationOptions: { scope: 'inner' },
          mode: 'Incremental',
          template: nested,
        },
      },
    ]);
    // A module file that includes itself would never end.
    const loop = file({ kind: 'module', name: 'm', path: 'm.bicep', body: props(['name', str('m')]) });
    expect(() => armTemplate(loop, new Map([['m.bicep', loop]]))).toThrow(/"m\.bicep" includes itself/);
  });

  it('prints random trees as JSON whose expression strings are bracketed and whose literals are escaped', () => {
    fc.assert(
      fc.property(arbBicepFile, (tree) => {
        let text: string;
        try {
          text = printArmTemplate(tree);
        } catch (error) {
          // Random trees may hold what ARM cannot express; that must be the documented error.
          expect(error).toBeInstanceOf(ArmUnsupportedError);
          return;
        }
        const walk = (v: unknown): void => {
          if (typeof v === 'string' && v.startsWith('[') && !v.startsWith('[['))
            expect(v.endsWith(']')).toBe(true);
          else if (Array.isArray(v)) v.forEach(walk);
          else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
        };
        walk(JSON.parse(text));
      }),
      { numRuns: 200 },
    );
  });
});
