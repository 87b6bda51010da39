import { walkDocument } from '../../../src/collect/files';
import type { Diagnostic } from '../../../src/diagnostics';
import type { RawResource } from '../../../src/model/normalize';
import { armId, codes, fatal, importJson, importJsonWith, snapshotOf } from './helpers';

/** Walks a parsed document and returns what it yielded: [type or id, path] per resource, and diagnostics. */
function walk(json: unknown): { resources: [string | null, string][]; diagnostics: Diagnostic[] } {
  const resources: RawResource[] = [];
  const diagnostics: Diagnostic[] = [];
  walkDocument(json, 'doc.json', { resource: (r) => resources.push(r), report: (d) => diagnostics.push(d) });
  return { resources: resources.map((r) => [r.type ?? r.id, r.path]), diagnostics };
}

const asg = (name: string, type: string | undefined = 'Microsoft.Network/applicationSecurityGroups') => ({
  id: armId('Microsoft.Network/applicationSecurityGroups', name),
  name,
  ...(type === undefined ? {} : { type }),
  properties: {},
});

describe('document shapes', () => {
  it('a single resource (REST GET body, az … show, an SDK object)', () => {
    expect(walk(asg('a')).resources).toEqual([['Microsoft.Network/applicationSecurityGroups', '$']]);
  });

  it('a top-level array (az … list, bare Resource Graph rows)', () => {
    expect(walk([asg('a'), asg('b')]).resources.map((r) => r[1])).toEqual(['$[0]', '$[1]']);
  });

  it('a REST list page, warning when more pages follow', () => {
    const page = walk({ value: [asg('a')], nextLink: 'https://management.azure.com/…&$skiptoken=x' });
    expect(page.resources).toEqual([['Microsoft.Network/applicationSecurityGroups', '$.value[0]']]);
    expect(codes(page.diagnostics)).toEqual(['INCOMPLETE_LIST']);
    expect(page.diagnostics[0]?.path).toBe('$.nextLink');
    expect(walk({ value: [], nextLink: null }).diagnostics).toEqual([]);
  });

  it('az graph query output and the Resource Graph REST envelope', () => {
    const az = walk({ count: 1, data: [asg('a')], skip_token: null, total_records: 1 });
    expect(az.resources).toEqual([['Microsoft.Network/applicationSecurityGroups', '$.data[0]']]);
    expect(az.diagnostics).toEqual([]);
    const rest = walk({
      totalRecords: 2,
      count: 1,
      resultTruncated: 'true',
      $skipToken: 'abc',
      data: [asg('a')],
      facets: [],
    });
    expect(rest.resources).toHaveLength(1);
    expect(codes(rest.diagnostics)).toEqual(['INCOMPLETE_LIST']);
    expect(codes(walk({ count: 1, data: [asg('a')], resultTruncated: true }).diagnostics)).toEqual([
      'INCOMPLETE_LIST',
    ]);
  });

  it('refuses Resource Graph table format with a hint', () => {
    const r = walk({ totalRecords: 1, count: 1, data: { columns: [], rows: [] } });
    expect(codes(r.diagnostics)).toEqual(['UNRECOGNISED_SHAPE']);
    expect(r.diagnostics[0]?.message).toContain('objectArray');
  });

  it('a REST-spec example: the 200 body, else 201, else the first 2xx; the request is ignored', () => {
    const example = (responses: Record<string, unknown>) =>
      walk({ parameters: { 'api-version': 'x', body: asg('request') }, responses });
    expect(example({ '200': { body: asg('ok') }, '201': { body: asg('created') } }).resources).toEqual([
      ['Microsoft.Network/applicationSecurityGroups', '$.responses["200"].body'],
    ]);
    expect(example({ '201': { body: asg('created') }, '202': {} }).resources[0]?.[1]).toBe(
      '$.responses["201"].body',
    );
    expect(example({ '204': { body: asg('x') }, '203': { body: asg('y') } }).resources[0]?.[1]).toBe(
      '$.responses["203"].body',
    );
    expect(example({ '200': {}, '202': { body: asg('z') } }).resources[0]?.[1]).toBe(
      '$.responses["202"].body',
    );
    const none = example({ '202': {}, default: { body: {} } });
    expect(codes(none.diagnostics)).toEqual(['UNRECOGNISED_SHAPE']);
  });

  it('an ARM template, also inside a Blueprint artifact or a deployment', () => {
    const template = {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      resources: [{ type: 'Microsoft.Network/applicationSecurityGroups', name: 'a', apiVersion: 'x' }],
    };
    expect(walk(template).resources).toEqual([
      ['Microsoft.Network/applicationSecurityGroups', '$.resources[0]'],
    ]);
    expect(
      walk({ type: 'Microsoft.Blueprint/blueprints/artifacts', kind: 'template', properties: { template } })
        .resources[0]?.[1],
    ).toBe('$.properties.template.resources[0]');
    const deployment = {
      type: 'Microsoft.Resources/deployments',
      name: 'inner',
      properties: { mode: 'Incremental', template },
    };
    expect(walk({ ...template, resources: [deployment] }).resources[0]?.[1]).toBe(
      '$.resources[0].properties.template.resources[0]',
    );
  });

  it('resolves nested template children to full types', () => {
    const template = {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      resources: [
        {
          type: 'Microsoft.Network/networkSecurityGroups',
          name: 'nsg',
          resources: [{ type: 'securityRules', name: 'r1', properties: {} }],
        },
      ],
    };
    expect(walk(template).resources).toEqual([
      ['Microsoft.Network/networkSecurityGroups', '$.resources[0]'],
      ['Microsoft.Network/networkSecurityGroups/securityRules', '$.resources[0].resources[0]'],
    ]);
  });

  it('accepts several pages saved together as one array', () => {
    expect(walk([{ value: [asg('a')] }, { value: [asg('b')] }]).resources.map((r) => r[1])).toEqual([
      '$[0].value[0]',
      '$[1].value[0]',
    ]);
  });

  it.each([
    [{ records: [] }, 'flow log'],
    [{ changeNumber: 1, cloud: 'Public', values: [] }, '--service-tags'],
    [
      { value: [{ networkSecurityGroup: { id: 'x' }, effectiveSecurityRules: [] }] },
      'effective security rules',
    ],
    [
      {
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
        parameters: {},
      },
      'parameters file',
    ],
    [{ hello: 'world' }, 'expected an Azure resource'],
    [[{ queryName: 'x' }, { queryName: 'y' }], '1 more element'],
    ['a string', 'found a string'],
    [42, 'found a number'],
    [null, 'found null'],
  ])('refuses %j with UNRECOGNISED_SHAPE (%s)', (json, hint) => {
    const r = walk(json);
    expect(r.resources).toEqual([]);
    expect(codes(r.diagnostics)).toEqual(['UNRECOGNISED_SHAPE']);
    expect(r.diagnostics[0]?.message).toContain(hint);
    expect(r.diagnostics[0]?.file).toBe('doc.json');
  });

  it('refuses hostile nesting instead of overflowing the stack', () => {
    let deep: unknown = [];
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(codes(walk(deep).diagnostics)).toEqual(['UNRECOGNISED_SHAPE']);
  });
});

describe('resource types', () => {
  it('infers a missing type from the id (REST examples of subnet and peering GETs)', () => {
    const vnetId = armId('Microsoft.Network/virtualNetworks', 'v1');
    const s = snapshotOf(
      importJson(
        { id: `${vnetId}/subnets/s1`, name: 's1', properties: { addressPrefix: '10.0.0.0/24' } },
        {
          id: `${vnetId}/virtualNetworkPeerings/p1`,
          name: 'p1',
          properties: { remoteVirtualNetwork: { id: 'x' } },
        },
      ),
    );
    expect(s.subnets.map((x) => x.virtualNetworkId)).toEqual([vnetId.toLowerCase()]);
    expect(s.virtualNetworkPeerings.map((x) => x.name)).toEqual(['p1']);
  });

  it('reads Resource Graph lower-cased types', () => {
    const s = snapshotOf(
      importJson({ data: [{ ...asg('a'), type: 'microsoft.network/applicationsecuritygroups' }], count: 1 }),
    );
    expect(s.applicationSecurityGroups.map((a) => a.name)).toEqual(['a']);
  });

  it('refuses an object whose type cannot be known', () => {
    const r = importJson({ id: 'not-an-arm-id', name: 'x' });
    expect(codes(fatal(r))).toEqual(['UNRECOGNISED_SHAPE']);
  });

  it('counts other types once per type, with one warning each, keeping the provider casing', () => {
    const nic = (n: string, type: string) => ({
      id: armId('Microsoft.Network/networkInterfaces', n),
      name: n,
      type,
      properties: {},
    });
    const r = importJsonWith(
      { allowEmpty: true },
      { file: 'a.json', json: { data: [nic('a', 'microsoft.network/networkinterfaces')], count: 1 } },
      {
        file: 'b.json',
        json: [
          nic('b', 'Microsoft.Network/networkInterfaces'),
          nic('c', 'Microsoft.Network/networkInterfaces'),
        ],
      },
      {
        file: 'c.json',
        json: {
          id: armId('Microsoft.Compute/virtualMachines', 'vm'),
          type: 'Microsoft.Compute/virtualMachines',
        },
      },
    );
    const s = snapshotOf(r);
    expect(s.skippedResourceTypes).toEqual([
      { type: 'Microsoft.Compute/virtualMachines', count: 1 },
      { type: 'Microsoft.Network/networkInterfaces', count: 3 },
    ]);
    const warnings = r.diagnostics.filter((d) => d.code === 'SKIPPED_RESOURCE_TYPE');
    expect(warnings.map((d) => [d.file, d.path])).toEqual([
      ['a.json', '$.data[0]'],
      ['c.json', '$'],
    ]);
  });
});
