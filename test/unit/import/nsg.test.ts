import { DEFAULT_SECURITY_RULES } from '../../../src/model/normalize';
import { armId, codes, fatal, importJson, restNsg, restRule, snapshotOf } from './helpers';

const onlyNsg = (...rules: unknown[]) =>
  snapshotOf(importJson(restNsg('nsg', rules))).networkSecurityGroups[0];

describe('NSG rules', () => {
  it('synthesizes the six default rules, without a warning, when the input has none', () => {
    const r = importJson(restNsg('nsg', []), restNsg('nsg2', [], { defaultSecurityRules: [] }));
    const s = snapshotOf(r);
    expect(r.diagnostics).toEqual([]);
    for (const nsg of s.networkSecurityGroups) {
      expect(nsg.defaultSecurityRules).toEqual(DEFAULT_SECURITY_RULES);
      expect(nsg.defaultSecurityRules.map((d) => `${d.direction} ${d.priority} ${d.name}`)).toEqual([
        'Inbound 65000 AllowVnetInBound',
        'Inbound 65001 AllowAzureLoadBalancerInBound',
        'Inbound 65500 DenyAllInBound',
        'Outbound 65000 AllowVnetOutBound',
        'Outbound 65001 AllowInternetOutBound',
        'Outbound 65500 DenyAllOutBound',
      ]);
    }
  });

  it('normalizes default rules given in the input like custom ones (65000–65500 allowed only there)', () => {
    const given = restRule('DenyAllInBound', {
      priority: 65500,
      access: 'deny',
      protocol: '*',
      destinationPortRange: '0-65535',
    });
    const nsg = snapshotOf(importJson(restNsg('nsg', [], { defaultSecurityRules: [given] })))
      .networkSecurityGroups[0];
    expect(nsg?.defaultSecurityRules).toEqual([
      expect.objectContaining({
        name: 'DenyAllInBound',
        priority: 65500,
        access: 'Deny',
        destinationPortRanges: ['*'],
      }),
    ]);
    const custom = importJson(restNsg('nsg', [restRule('r', { priority: 65000 })]));
    expect(codes(fatal(custom))).toEqual(['INVALID_PRIORITY']);
    const lowDefault = importJson(
      restNsg('nsg', [], { defaultSecurityRules: [restRule('d', { priority: 4000 })] }),
    );
    expect(codes(fatal(lowDefault))).toEqual(['INVALID_PRIORITY']);
  });

  it('merges singular and plural fields in input order without duplicates', () => {
    const nsg = onlyNsg(
      restRule('r', {
        sourceAddressPrefix: '',
        sourceAddressPrefixes: ['10.0.0.4', '10.0.0.0/24', '10.0.0.4/32'],
        destinationPortRange: '',
        destinationPortRanges: ['443', '80-80', '8000-8100', '443'],
        sourcePortRange: null,
        sourcePortRanges: ['0-65535'],
      }),
    );
    expect(nsg?.securityRules[0]).toMatchObject({
      sourceAddressPrefixes: ['10.0.0.4/32', '10.0.0.0/24'],
      destinationPortRanges: ['443', '80', '8000-8100'],
      sourcePortRanges: ['*'],
    });
  });

  it('takes the union, with CONFLICTING_FIELDS, when singular and plural are both set and differ', () => {
    const r = importJson(
      restNsg('nsg', [
        restRule('r', {
          destinationAddressPrefix: '10.1.0.0/16',
          destinationAddressPrefixes: ['10.2.0.0/16'],
        }),
      ]),
    );
    expect(snapshotOf(r).networkSecurityGroups[0]?.securityRules[0]?.destinationAddressPrefixes).toEqual([
      '10.1.0.0/16',
      '10.2.0.0/16',
    ]);
    expect(codes(r.diagnostics)).toEqual(['CONFLICTING_FIELDS']);
    expect(r.diagnostics[0]?.path).toBe('$.properties.securityRules[0].properties.destinationAddressPrefix');
    const same = importJson(
      restNsg('nsg', [
        restRule('r', {
          destinationAddressPrefix: '10.1.0.0/16',
          destinationAddressPrefixes: ['10.1.0.0/16'],
        }),
      ]),
    );
    expect(same.diagnostics).toEqual([]);
  });

  it('keeps tags by name, the four it computes in canonical case', () => {
    const nsg = onlyNsg(
      restRule('a', {
        priority: 100,
        sourceAddressPrefix: 'virtualnetwork',
        destinationAddressPrefix: 'INTERNET',
      }),
      restRule('b', {
        priority: 110,
        sourceAddressPrefix: 'azureloadbalancer',
        destinationAddressPrefix: 'Storage.WestEurope',
      }),
    );
    expect(nsg?.securityRules.map((r) => [r.sourceAddressPrefixes, r.destinationAddressPrefixes])).toEqual([
      [['VirtualNetwork'], ['Internet']],
      [['AzureLoadBalancer'], ['Storage.WestEurope']],
    ]);
  });

  it('canonicalizes host bits with a HOST_BITS_SET warning naming the path', () => {
    const r = importJson(restNsg('nsg', [restRule('r', { sourceAddressPrefix: '10.0.0.5/24' })]));
    expect(snapshotOf(r).networkSecurityGroups[0]?.securityRules[0]?.sourceAddressPrefixes).toEqual([
      '10.0.0.0/24',
    ]);
    expect(r.diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['HOST_BITS_SET', '$.properties.securityRules[0].properties.sourceAddressPrefix'],
    ]);
    expect(snapshotOf(r).diagnostics).toEqual(r.diagnostics);
  });

  it.each([
    [{ sourceAddressPrefix: '10.0.0.300/24' }, 'INVALID_PREFIX', 'sourceAddressPrefix'],
    [
      { destinationAddressPrefixes: ['10.0.0.0/8', '010.0.0.1'], destinationAddressPrefix: '' },
      'INVALID_PREFIX',
      'destinationAddressPrefixes[1]',
    ],
    [{ sourceAddressPrefix: '10.0.0.0/33' }, 'INVALID_PREFIX', 'sourceAddressPrefix'],
    [{ sourceAddressPrefix: 'VIRTUAL_NETWORK' }, 'INVALID_PREFIX', 'sourceAddressPrefix'],
    [{ destinationPortRange: '80-70' }, 'INVALID_PORT', 'destinationPortRange'],
    [{ destinationPortRange: '70000' }, 'INVALID_PORT', 'destinationPortRange'],
    [{ sourcePortRanges: ['abc'], sourcePortRange: '' }, 'INVALID_PORT', 'sourcePortRanges[0]'],
    [{ destinationPortRange: 80 }, 'INVALID_VALUE', 'destinationPortRange'],
    [{ protocol: 'gre' }, 'INVALID_VALUE', 'protocol'],
    [{ access: 'Permit' }, 'INVALID_VALUE', 'access'],
    [{ direction: 'Both' }, 'INVALID_VALUE', 'direction'],
    [{ priority: 5000 }, 'INVALID_PRIORITY', 'priority'],
    [{ priority: 99 }, 'INVALID_PRIORITY', 'priority'],
    [{ priority: 100.5 }, 'INVALID_PRIORITY', 'priority'],
    [{ priority: '100' }, 'INVALID_PRIORITY', 'priority'],
    [{ priority: null }, 'MISSING_FIELD', 'priority'],
    [{ protocol: '' }, 'MISSING_FIELD', 'protocol'],
    [{ sourceAddressPrefix: '', sourceAddressPrefixes: [] }, 'MISSING_FIELD', 'sourceAddressPrefix'],
    [{ destinationPortRange: '', destinationPortRanges: [] }, 'MISSING_FIELD', 'destinationPortRange'],
  ])('rejects %j with %s at …%s', (props, code, field) => {
    const r = importJson(restNsg('nsg', [restRule('ok', { priority: 4000 }), restRule('bad', props)]));
    expect(r.snapshot).toBeUndefined();
    expect(fatal(r).map((d) => [d.code, d.file, d.path])).toEqual([
      [code, 'f0.json', `$.properties.securityRules[1].properties.${field}`],
    ]);
  });

  it('reports every bad rule of an NSG, not only the first', () => {
    const r = importJson(
      restNsg('nsg', [restRule('a', { priority: 5000 }), restRule('b', { destinationPortRange: '80-70' })]),
    );
    expect(codes(fatal(r))).toEqual(['INVALID_PRIORITY', 'INVALID_PORT']);
  });

  it('rejects two rules with one priority in one direction, naming both; other directions may share it', () => {
    const r = importJson(
      restNsg('nsg', [
        restRule('first', { priority: 300 }),
        restRule('out', { priority: 300, direction: 'Outbound' }),
        restRule('second', { priority: 300 }),
      ]),
    );
    expect(fatal(r).map((d) => [d.code, d.path])).toEqual([
      ['DUPLICATE_PRIORITY', '$.properties.securityRules[2]'],
    ]);
    expect(fatal(r)[0]?.message).toContain('"first" and "second"');
    expect(fatal(r)[0]?.message).toContain('$.properties.securityRules[0]');
  });

  it('reads case-insensitive enums and sorts rules Inbound first, then by priority', () => {
    const nsg = onlyNsg(
      restRule('o', { priority: 150, direction: 'outbound', access: 'deny', protocol: 'udp' }),
      restRule('i2', { priority: 300, direction: 'INBOUND', protocol: 'Any' }),
      restRule('i1', { priority: 200, direction: 'Inbound', protocol: 'ICMP' }),
    );
    expect(nsg?.securityRules.map((r) => [r.name, r.direction, r.priority, r.access, r.protocol])).toEqual([
      ['i1', 'Inbound', 200, 'Allow', 'Icmp'],
      ['i2', 'Inbound', 300, 'Allow', '*'],
      ['o', 'Outbound', 150, 'Deny', 'Udp'],
    ]);
  });

  it('keeps application security groups as lower-cased IDs and accepts a side with only an ASG', () => {
    const asgId = armId('Microsoft.Network/applicationSecurityGroups', 'Web-ASG');
    const nsg = onlyNsg(
      restRule('r', {
        sourceAddressPrefix: '',
        sourceApplicationSecurityGroups: [{ id: asgId }, { id: asgId.toUpperCase() }],
      }),
    );
    expect(nsg?.securityRules[0]).toMatchObject({
      sourceAddressPrefixes: [],
      sourceApplicationSecurityGroupIds: [asgId.toLowerCase()],
    });
  });

  it('reads flattened rules (az CLI, SDK) the same as nested ones', () => {
    const nested = restRule('r', {
      priority: 200,
      destinationPortRanges: ['80', '443'],
      destinationPortRange: '',
    });
    const flat = {
      name: 'r',
      ...(nested['properties'] as object),
      resourceGroup: 'rg-Test',
      sourceApplicationSecurityGroups: null,
    };
    const a = snapshotOf(importJson(restNsg('nsg', [nested]))).networkSecurityGroups;
    const b = snapshotOf(
      importJson({ ...restNsg('nsg', []), properties: undefined, securityRules: [flat] }),
    ).networkSecurityGroups;
    expect(b).toEqual(a);
  });

  it('merges standalone securityRules children into their NSG', () => {
    const nsg = restNsg('nsg', [restRule('inline', { priority: 100 })]);
    const child = {
      id: `${nsg['id'] as string}/securityRules/child`,
      name: 'child',
      type: 'Microsoft.Network/networkSecurityGroups/securityRules',
      properties: restRule('child', { priority: 110 })['properties'],
    };
    const s = snapshotOf(importJson({ file: 'b.json', json: nsg }, { file: 'a.json', json: child }));
    expect(s.networkSecurityGroups[0]?.securityRules.map((r) => r.name)).toEqual(['inline', 'child']);
  });

  it('creates the NSG of a standalone rule whose NSG is missing, with defaults and a DANGLING_REFERENCE warning', () => {
    const nsgId = armId('Microsoft.Network/networkSecurityGroups', 'Missing-NSG');
    const r = importJson({
      id: `${nsgId}/securityRules/x`,
      name: 'x',
      properties: restRule('x', {})['properties'],
    });
    const nsg = snapshotOf(r).networkSecurityGroups[0];
    expect(nsg).toMatchObject({
      id: nsgId.toLowerCase(),
      name: 'Missing-NSG',
      resourceGroup: 'rg-Test',
      location: null,
    });
    expect(nsg?.securityRules.map((x) => x.name)).toEqual(['x']);
    expect(nsg?.defaultSecurityRules).toEqual(DEFAULT_SECURITY_RULES);
    expect(codes(r.diagnostics)).toEqual(['DANGLING_REFERENCE']);
  });

  it('rejects a standalone rule that takes a priority its NSG already uses', () => {
    const nsg = restNsg('nsg', [restRule('inline', { priority: 100 })]);
    const child = {
      id: `${nsg['id'] as string}/securityRules/child`,
      name: 'child',
      properties: restRule('child', { priority: 100 })['properties'],
    };
    const r = importJson(nsg, child);
    expect(fatal(r).map((d) => [d.code, d.file, d.path])).toEqual([['DUPLICATE_PRIORITY', 'f1.json', '$']]);
  });
});
