import { aci010 } from '../../../../src/analyze/rules/aci010-virtualnetwork-tag-widened';
import { estate, LOCKDOWN, makeRoute, rule } from './support-estate';
import { findingsOf } from './support-context';

describe('ACI010 virtualnetwork-tag-widened', () => {
  it('fires high for a 0.0.0.0/0 route, naming the table, the route and the rules that use the tag', () => {
    const routes = [makeRoute('default-to-fw', '0.0.0.0/0', 'VirtualAppliance', '10.100.0.4')];
    const [f, ...rest] = findingsOf(estate({ routes }), [aci010]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe('high');
    expect(f!.message).toContain(
      'default-to-fw (0.0.0.0/0 → VirtualAppliance) of rt-aci makes VirtualNetwork every address',
    );
    expect(f!.rules.map((r) => r.name)).toEqual(['AllowVnetInBound', 'AllowVnetOutBound']);
    expect(f!.resources.map((r) => `${r.kind}:${r.name}`)).toEqual([
      'routeTable:rt-aci',
      'subnet:vnet-app/snet-aci',
      'networkSecurityGroup:nsg-aci',
    ]);
    expect(f!.location).toEqual({ snapshotPointer: '/routeTables/0/routes/0' });
  });

  it('is medium for a route to other public space, and names custom rules that use the tag', () => {
    const routes = [makeRoute('partner', '20.0.0.0/8', 'VirtualAppliance', '10.100.0.4')];
    const aciRules = [
      rule({ name: 'AllowVnet8080', priority: 100, source: 'VirtualNetwork', destinationPorts: '8080' }),
      ...LOCKDOWN,
    ];
    const [f] = findingsOf(estate({ routes, aciRules }), [aci010]);
    expect(f!.severity).toBe('medium');
    expect(f!.rules.map((r) => r.name)).toEqual(['AllowVnet8080']);
  });

  it('is silent for private routes, and when no allow rule uses VirtualNetwork', () => {
    const priv = [makeRoute('onprem', '192.168.0.0/16', 'VirtualNetworkGateway')];
    expect(findingsOf(estate({ routes: priv }), [aci010])).toEqual([]);
    const routes = [makeRoute('default-to-fw', '0.0.0.0/0', 'VirtualAppliance', '10.100.0.4')];
    expect(findingsOf(estate({ routes, aciRules: LOCKDOWN }), [aci010])).toEqual([]);
  });
});
