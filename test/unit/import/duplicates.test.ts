import { importDocuments } from '../../../src/collect/files';
import { snapshotToString } from '../../../src/model/snapshot-codec';
import { armId, codes, importJson, restNsg, restRule, snapshotOf } from './helpers';

const vnetId = armId('Microsoft.Network/virtualNetworks', 'v');
const vnetWith = (subnet: Record<string, unknown>) => ({
  id: vnetId,
  name: 'v',
  type: 'Microsoft.Network/virtualNetworks',
  properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [subnet] },
});

describe('the same resource more than once', () => {
  it('merges identical definitions silently (a VNet GET and a subnet GET of the same subnet)', () => {
    const subnet = { id: `${vnetId}/subnets/s`, name: 's', properties: { addressPrefix: '10.0.1.0/24' } };
    const r = importJson(vnetWith(subnet), subnet);
    expect(snapshotOf(r).subnets).toHaveLength(1);
    expect(r.diagnostics).toEqual([]);
  });

  it('fills fields the first definition leaves unset from a later one, without a warning', () => {
    const bare = { id: `${vnetId}/subnets/s`, name: 's', properties: { addressPrefix: '10.0.1.0/24' } };
    const full = {
      ...bare,
      properties: {
        addressPrefix: '10.0.1.0/24',
        networkSecurityGroup: { id: armId('Microsoft.Network/networkSecurityGroups', 'n') },
      },
    };
    const r = importJson({ file: 'a.json', json: vnetWith(bare) }, { file: 'b.json', json: full });
    expect(snapshotOf(r).subnets[0]?.networkSecurityGroupId).toContain('/networksecuritygroups/n');
    expect(r.diagnostics).toEqual([]);
  });

  it('keeps the first definition in file-name order and warns when they differ', () => {
    const first = { id: `${vnetId}/subnets/s`, name: 's', properties: { addressPrefix: '10.0.1.0/24' } };
    const second = { ...first, properties: { addressPrefix: '10.0.9.0/24' } };
    // Given in reverse order: file names decide, not argument order.
    const r = importJson({ file: 'z.json', json: second }, { file: 'a.json', json: first });
    expect(snapshotOf(r).subnets[0]?.addressPrefixes).toEqual(['10.0.1.0/24']);
    expect(r.diagnostics.map((d) => [d.code, d.file])).toEqual([['DUPLICATE_RESOURCE', 'z.json']]);
    expect(r.diagnostics[0]?.message).toContain('a.json: $');
    expect(r.diagnostics[0]?.message).toContain('addressPrefixes');
  });

  it('keeps one of two identical rules silently, and the first of two different rules with one name', () => {
    const same = importJson(restNsg('n', [restRule('r', {}), restRule('r', {})]));
    expect(snapshotOf(same).networkSecurityGroups[0]?.securityRules).toHaveLength(1);
    expect(same.diagnostics).toEqual([]);
    const differ = importJson(
      restNsg('n', [restRule('r', { priority: 100 }), restRule('R', { priority: 200 })]),
    );
    expect(snapshotOf(differ).networkSecurityGroups[0]?.securityRules.map((x) => x.priority)).toEqual([100]);
    expect(codes(differ.diagnostics)).toEqual(['DUPLICATE_RESOURCE']);
  });
});

describe('determinism', () => {
  it('gives byte-identical snapshots whatever the order of the documents', () => {
    const docs = [
      {
        file: 'b.json',
        text: JSON.stringify(restNsg('nsg-b', [restRule('x', { sourceAddressPrefix: '10.0.0.9/8' })])),
      },
      {
        file: 'a.json',
        text: JSON.stringify([vnetWith({ name: 's', properties: { addressPrefix: '10.0.1.0/24' } })]),
      },
      { file: 'c.json', text: JSON.stringify({ value: [restNsg('nsg-a', [])] }) },
    ];
    const forward = importDocuments(docs);
    const backward = importDocuments([...docs].reverse());
    expect(snapshotToString(snapshotOf(backward))).toBe(snapshotToString(snapshotOf(forward)));
    expect(snapshotOf(forward).networkSecurityGroups.map((n) => n.name)).toEqual(['nsg-a', 'nsg-b']);
  });

  it('is idempotent: importing the same files twice changes nothing', () => {
    const doc = { file: 'a.json', text: JSON.stringify(restNsg('n', [restRule('r', {})])) };
    expect(snapshotToString(snapshotOf(importDocuments([doc, { ...doc }])))).toBe(
      snapshotToString(snapshotOf(importDocuments([doc]))),
    );
  });

  it('reports EMPTY_INPUT for no documents', () => {
    expect(codes(importDocuments([]).diagnostics)).toEqual(['EMPTY_INPUT']);
  });
});
