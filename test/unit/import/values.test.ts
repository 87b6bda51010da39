import { canonicalPortRange, canonicalProtocol, classifyPrefix } from '../../../src/model/normalize/values';
import {
  parentResourceId,
  parseResourceId,
  templateResourceId,
  typeKey,
} from '../../../src/model/normalize/resource-id';

describe('address prefixes and tags', () => {
  it.each([
    ['10.0.0.4', '10.0.0.4/32', false],
    ['10.0.0.0/24', '10.0.0.0/24', false],
    ['10.0.0.5/24', '10.0.0.0/24', true],
    ['0.0.0.0/0', '0.0.0.0/0', false],
    ['ace:cab:deca:deed::/64', 'ace:cab:deca:deed::/64', false],
    ['FD00::1/8', 'fd00::/8', true],
    ['::1', '::1/128', false],
  ])('%s → %s (host bits set: %s)', (text, value, hostBitsSet) => {
    expect(classifyPrefix(text)).toEqual({
      ok: true,
      value,
      isAddress: true,
      hostBitsSet,
      unknownTag: false,
    });
  });

  it.each([
    ['*', '*'],
    ['virtualnetwork', 'VirtualNetwork'],
    ['VIRTUALNETWORK', 'VirtualNetwork'],
    ['INTERNET', 'Internet'],
    ['internet', 'Internet'],
    ['azureLoadBalancer', 'AzureLoadBalancer'],
    ['Storage.WestEurope', 'Storage.WestEurope'],
    ['AzureCloud', 'AzureCloud'],
    ['AzureCloud.centralfrance', 'AzureCloud.centralfrance'],
  ])('tag %s → %s', (text, value) => {
    expect(classifyPrefix(text)).toEqual({
      ok: true,
      value,
      isAddress: false,
      hostBitsSet: false,
      unknownTag: false,
    });
  });

  it.each(['NotARealTag', 'Storag', 'Infinity', 'Nope.WestEurope', 'Storage.West-Europe'])(
    '%s is tag-shaped but no published service tag (nor a regional form of one)',
    (text) => {
      expect(classifyPrefix(text)).toEqual({
        ok: true,
        value: text,
        isAddress: false,
        hostBitsSet: false,
        unknownTag: true,
      });
    },
  );

  it.each(['Any', 'any', 'ANY'])('%s is rejected: Azure refuses it, the portal means "*"', (text) => {
    const outcome = classifyPrefix(text);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.message).toContain('write "*"');
  });

  it.each([
    '10.0.0.300/24',
    '010.0.0.1',
    '10.0.0.0/33',
    '10.0.0.0/',
    '10.0.0.0 /24',
    '127.1',
    '0x7f.0.0.1',
    '10.0.0.1-10.0.0.9',
    '1.2.3',
    'fe80::1::2',
    'not a tag',
    '',
    'Storage..West',
  ])('%j is rejected', (text) => {
    const outcome = classifyPrefix(text);
    expect(outcome.ok).toBe(false);
  });

  it('rejects the classic tag spellings ARM rejects, naming the ARM spelling', () => {
    const vn = classifyPrefix('VIRTUAL_NETWORK');
    const lb = classifyPrefix('AZURE_LOADBALANCER');
    expect(vn.ok || lb.ok).toBe(false);
    expect(!vn.ok && vn.message).toContain('"VirtualNetwork"');
    expect(!lb.ok && lb.message).toContain('"AzureLoadBalancer"');
  });

  it('says why a hyphenated range is rejected', () => {
    const outcome = classifyPrefix('10.0.0.1-10.0.0.9');
    expect(!outcome.ok && outcome.message).toContain('address ranges are not supported');
  });
});

describe('port ranges', () => {
  it.each([
    ['*', '*'],
    ['0-65535', '*'],
    ['80', '80'],
    ['80-80', '80'],
    ['8000-8100', '8000-8100'],
    ['0', '0'],
    ['65535', '65535'],
  ])('%s → %s', (text, value) => expect(canonicalPortRange(text)).toBe(value));

  it.each(['80-70', '70000', '65536', 'abc', '-1', '080', '80 ', '80,443', '', '1-2-3'])(
    '%j is invalid',
    (text) => {
      expect(canonicalPortRange(text)).toBeNull();
    },
  );
});

describe('protocols', () => {
  it.each([
    ['tcp', 'Tcp'],
    ['TCP', 'Tcp'],
    ['Udp', 'Udp'],
    ['ICMP', 'Icmp'],
    ['esp', 'Esp'],
    ['Ah', 'Ah'],
    ['*', '*'],
    ['Any', '*'],
    ['All', '*'],
  ])('%s → %s', (text, value) => expect(canonicalProtocol(text)).toBe(value));

  it.each(['gre', 'tcp ', '', 'IcmpV6'])('%j is unknown', (text) =>
    expect(canonicalProtocol(text)).toBeNull(),
  );
});

describe('resource IDs', () => {
  const subnet =
    '/subscriptions/S1/resourceGroups/Rg-One/providers/Microsoft.Network/virtualNetworks/Vnet1/subnets/Sub1';

  it('parses scope, full type and names, keeping case', () => {
    expect(parseResourceId(subnet)).toEqual({
      subscriptionId: 'S1',
      resourceGroup: 'Rg-One',
      type: 'Microsoft.Network/virtualNetworks/subnets',
      names: ['Vnet1', 'Sub1'],
    });
  });

  it('finds the parent of a child resource and nothing for a top-level one', () => {
    expect(parentResourceId(subnet)).toBe(
      '/subscriptions/S1/resourceGroups/Rg-One/providers/Microsoft.Network/virtualNetworks/Vnet1',
    );
    expect(parentResourceId(parentResourceId(subnet) as string)).toBeNull();
  });

  it('reads fixed words case-insensitively and tolerates a trailing slash', () => {
    expect(
      parseResourceId(
        '/SUBSCRIPTIONS/s/RESOURCEGROUPS/r/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/N/',
      ),
    ).toEqual({
      subscriptionId: 's',
      resourceGroup: 'r',
      type: 'MICROSOFT.NETWORK/NETWORKSECURITYGROUPS',
      names: ['N'],
    });
  });

  it('leaves the resource group null when the ID misspells the segment (as some REST examples do)', () => {
    const parsed = parseResourceId(
      '/subscriptions/s/resourceGroup/rg1/providers/Microsoft.Network/networkManagers/m/networkGroups/g',
    );
    expect(parsed?.resourceGroup).toBeNull();
    expect(parsed?.type).toBe('Microsoft.Network/networkManagers/networkGroups');
  });

  it.each([
    'id',
    '',
    'subscriptions/s/providers/A.B/c/d',
    '/subscriptions/s/resourceGroups/r',
    '/providers/A.B/c',
    '/providers/A.B/c/d/e',
  ])('rejects %j', (id) => expect(parseResourceId(id)).toBeNull());

  it('builds template placeholder IDs and refuses names that do not match the type', () => {
    expect(templateResourceId('Microsoft.Network/networkSecurityGroups/securityRules', 'nsg/rule')).toBe(
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/template/providers/Microsoft.Network/networkSecurityGroups/nsg/securityRules/rule',
    );
    expect(templateResourceId('Microsoft.Network/networkSecurityGroups/securityRules', 'rule')).toBeNull();
  });

  it('compares types case-insensitively without trailing slashes', () => {
    expect(typeKey('Microsoft.Network/networkWatchers/FlowLogs/')).toBe(
      'microsoft.network/networkwatchers/flowlogs',
    );
  });
});
