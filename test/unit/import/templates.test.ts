import { codes, fatal, importJson, importJsonWith, snapshotOf } from './helpers';

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const template = (...resources: unknown[]) => ({ $schema: SCHEMA, contentVersion: '1.0.0.0', resources });
const PLACEHOLDER = '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/template/providers';

const nsg = (name: string, props: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  type: 'Microsoft.Network/networkSecurityGroups',
  apiVersion: '2024-07-01',
  name,
  location: '[resourceGroup().location]',
  properties: props,
  ...extra,
});
const ruleProps = (priority: number) => ({
  protocol: 'Tcp',
  access: 'Allow',
  direction: 'Inbound',
  priority,
  sourceAddressPrefix: '*',
  sourcePortRange: '*',
  destinationAddressPrefix: '*',
  destinationPortRange: '22',
});

describe('ARM templates', () => {
  it('imports literal resources into a placeholder scope, warning once per file; expression locations read as null', () => {
    const r = importJson(
      template(nsg('nsg-a', { securityRules: [{ name: 'ssh', properties: ruleProps(100) }] }), nsg('nsg-b')),
    );
    const s = snapshotOf(r);
    expect(
      s.networkSecurityGroups.map((n) => [n.id, n.name, n.resourceGroup, n.subscriptionId, n.location]),
    ).toEqual([
      [`${PLACEHOLDER}/microsoft.network/networksecuritygroups/nsg-a`, 'nsg-a', null, null, null],
      [`${PLACEHOLDER}/microsoft.network/networksecuritygroups/nsg-b`, 'nsg-b', null, null, null],
    ]);
    expect(r.diagnostics.map((d) => [d.code, d.file, d.path])).toEqual([['UNKNOWN_VALUE', 'f0.json', null]]);
    expect(r.diagnostics[0]?.message).toContain('placeholder scope');
  });

  it('skips, with TEMPLATE_EXPRESSION at the first expression, resources whose name or modelled fields are expressions', () => {
    const r = importJson(
      template(
        nsg("[parameters('nsgName')]"),
        nsg('rules-from-param', { securityRules: "[variables('rules')]" }),
        nsg('prefix-from-param', {
          securityRules: [
            { name: 'r', properties: { ...ruleProps(100), sourceAddressPrefix: "[parameters('src')]" } },
          ],
        }),
        nsg('looped', {}, { copy: { name: 'l', count: 2 } }),
        nsg('conditional', {}, { condition: "[parameters('deploy')]" }),
        {
          type: 'Microsoft.ContainerInstance/containerGroups',
          name: 'cg',
          properties: {
            containers: [
              { name: 'c', properties: { image: 'i', ports: [{ port: "[parameters('port')]" }] } },
            ],
          },
        },
        nsg('kept'),
      ),
    );
    const s = snapshotOf(r);
    expect(s.networkSecurityGroups.map((n) => n.name)).toEqual(['kept']);
    expect(s.containerGroups).toEqual([]);
    expect(r.diagnostics.filter((d) => d.code === 'TEMPLATE_EXPRESSION').map((d) => d.path)).toEqual([
      '$.resources[0].name',
      '$.resources[1].properties.securityRules',
      '$.resources[2].properties.securityRules[0].properties.sourceAddressPrefix',
      '$.resources[3].copy',
      '$.resources[4].condition',
      '$.resources[5].properties.containers[0].properties.ports[0].port',
    ]);
  });

  it('takes the [[ escape as a literal [', () => {
    const s = snapshotOf(
      importJson(
        template(
          nsg('n', {
            securityRules: [
              { name: 'r', properties: { ...ruleProps(100), description: '[[not an expression]' } },
            ],
          }),
        ),
      ),
    );
    expect(s.networkSecurityGroups[0]?.securityRules[0]?.description).toBe('[not an expression]');
  });

  it('resolves child resources: top-level "nsg/rule" names and nested relative names', () => {
    const s = snapshotOf(
      importJson(
        template(
          nsg(
            'outer',
            {},
            { resources: [{ type: 'securityRules', name: 'nested', properties: ruleProps(200) }] },
          ),
          {
            type: 'Microsoft.Network/networkSecurityGroups/securityRules',
            name: 'outer/top',
            properties: ruleProps(100),
          },
          {
            type: 'Microsoft.Network/virtualNetworks',
            name: 'vnet',
            properties: {
              addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
              subnets: [{ name: 'inline', properties: { addressPrefix: '10.0.1.0/24' } }],
            },
          },
          {
            type: 'Microsoft.Network/virtualNetworks/subnets',
            name: 'vnet/child',
            properties: { addressPrefix: '10.0.2.0/24' },
          },
        ),
      ),
    );
    expect(s.networkSecurityGroups[0]?.securityRules.map((r) => r.name)).toEqual(['top', 'nested']);
    expect(s.subnets.map((x) => [x.id, x.virtualNetworkId])).toEqual([
      [
        `${PLACEHOLDER}/microsoft.network/virtualnetworks/vnet/subnets/child`,
        `${PLACEHOLDER}/microsoft.network/virtualnetworks/vnet`,
      ],
      [
        `${PLACEHOLDER}/microsoft.network/virtualnetworks/vnet/subnets/inline`,
        `${PLACEHOLDER}/microsoft.network/virtualnetworks/vnet`,
      ],
    ]);
  });

  it('skips children of a resource whose name is an expression', () => {
    const r = importJsonWith(
      { allowEmpty: true },
      template(
        nsg(
          "[parameters('n')]",
          {},
          { resources: [{ type: 'securityRules', name: 'r', properties: ruleProps(100) }] },
        ),
      ),
    );
    expect(snapshotOf(r).networkSecurityGroups).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['TEMPLATE_EXPRESSION', '$.resources[0].name'],
      ['TEMPLATE_EXPRESSION', '$.resources[0].name'],
    ]);
  });

  it('counts unmodelled types even when their names are expressions, and ignores `existing` references', () => {
    const s = snapshotOf(
      importJsonWith(
        { allowEmpty: true },
        template(
          {
            type: 'Microsoft.Compute/virtualMachines',
            name: "[parameters('vm')]",
            copy: { name: 'c', count: 3 },
          },
          { type: 'Microsoft.Network/virtualNetworks', name: 'vnet', existing: true },
        ),
      ),
    );
    expect(s.skippedResourceTypes).toEqual([{ type: 'Microsoft.Compute/virtualMachines', count: 1 }]);
    expect(s.virtualNetworks).toEqual([]);
  });

  it('reads languageVersion 2.0 templates (resources keyed by symbolic name)', () => {
    const s = snapshotOf(
      importJson({ $schema: SCHEMA, languageVersion: '2.0', resources: { myNsg: nsg('sym') } }),
    );
    expect(s.networkSecurityGroups.map((n) => n.name)).toEqual(['sym']);
  });

  it('rejects a template resource without a type or with a name that does not fit its type', () => {
    expect(codes(fatal(importJson(template({ name: 'x' }))))).toEqual(['MISSING_FIELD']);
    expect(
      codes(
        fatal(
          importJson(
            template({
              type: 'Microsoft.Network/networkSecurityGroups/securityRules',
              name: 'no-parent',
              properties: ruleProps(100),
            }),
          ),
        ),
      ),
    ).toEqual(['INVALID_VALUE']);
  });
});
