import { aci004 } from '../../../../src/analyze/rules/aci004-over-broad-allow-rule';
import { estate, LOCKDOWN, makeNsg, rule } from './support-estate';
import { findingsOf } from './support-context';

describe('ACI004 over-broad-allow-rule', () => {
  it('names each breadth of each broad rule in one finding per NSG, most severe first', () => {
    const aciRules = [
      rule({ name: 'AllowPartnerRange', priority: 100, source: '10.0.0.0/8', destinationPorts: '443' }),
      rule({ name: 'AllowAnySsh', priority: 110, source: '*', destinationPorts: '22' }),
      rule({ name: 'AllowHighPorts', priority: 120, source: '10.1.2.0/24', destinationPorts: '20000-30000' }),
      rule({ name: 'AllowEverythingOut', priority: 100, direction: 'Outbound', destination: '0.0.0.0/0' }),
    ];
    const [f, ...rest] = findingsOf(estate({ aciRules }), [aci004]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe('high');
    expect(f!.rules.map((r) => r.name)).toEqual(['AllowAnySsh', 'AllowEverythingOut', 'AllowPartnerRange']);
    // The fourth broad rule is counted, not detailed: named in the message only.
    expect(f!.rulesOmitted).toBe(1);
    expect(f!.flows).toHaveLength(3);
    expect(f!.flowsOmitted).toBe(1);
    expect(f!.message).toContain('and 1 more');
    expect(f!.message).toContain('AllowAnySsh (any source (*))');
    expect(f!.message).toContain('AllowEverythingOut (any destination (0.0.0.0/0), any port)');
    expect(f!.message).toContain('has 4 over-broad allow rules');
    expect(f!.flows[0]).toMatchObject({ from: '*', to: 'vnet-app/snet-aci', protocol: 'tcp', ports: '22' });
    expect(f!.explain).toBe("aciseg explain <snapshot> --from '*' --to vnet-app/snet-aci --port 22");
    expect(f!.location?.snapshotPointer).toBe('/networkSecurityGroups/0/securityRules/1');
  });

  it('honours the thresholds in the settings', () => {
    const aciRules = [rule({ priority: 100, source: '10.0.0.0/12', destinationPorts: '1000-1500' })];
    expect(findingsOf(estate({ aciRules }), [aci004])).toHaveLength(1);
    expect(
      findingsOf(estate({ aciRules }), [aci004], { settings: { broadPrefixLength: 8, widePortRange: 1024 } }),
    ).toEqual([]);
    expect(
      findingsOf(estate({ aciRules }), [aci004], { settings: { broadPrefixLength: 8, widePortRange: 100 } }),
    ).toHaveLength(1);
  });

  it('is low for any source on a web port only', () => {
    const [f] = findingsOf(
      estate({ aciRules: [rule({ priority: 100, source: 'Internet', destinationPorts: '443' })] }),
      [aci004],
    );
    expect(f!.severity).toBe('low');
  });

  it('is silent for narrow rules, denies, default rules, probes, outbound to Internet, and NSGs attached to nothing', () => {
    const aciRules = [
      rule({ priority: 100, source: '10.1.2.0/24', destinationPorts: '443' }),
      rule({ priority: 110, source: 'AzureLoadBalancer' }),
      rule({ priority: 120, direction: 'Outbound', destination: 'Internet', destinationPorts: '443' }),
      ...LOCKDOWN,
    ];
    const loose = makeNsg({ name: 'nsg-loose', rules: [rule({ priority: 100, source: '*' })] });
    expect(findingsOf(estate({ aciRules, extraNsgs: [loose] }), [aci004])).toEqual([]);
  });
});
