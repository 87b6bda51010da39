import { aci005 } from '../../../../src/analyze/rules/aci005-internet-outbound';
import { estate, LOCKDOWN, rule } from './support-estate';
import { findingsOf } from './support-context';

describe('ACI005 internet-outbound', () => {
  it('fires high for the default AllowInternetOutBound, naming it', () => {
    const [f, ...rest] = findingsOf(estate(), [aci005]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe('high');
    expect(f!.message).toMatch(/^vnet-app\/snet-aci can reach the whole Internet on every TCP port/);
    expect(f!.rules.map((r) => `${r.name}:${r.direction}`)).toEqual(['AllowInternetOutBound:Outbound']);
    expect(f!.flows).toEqual([
      expect.objectContaining({ from: 'vnet-app/snet-aci', to: 'Internet', protocol: 'tcp', ports: '*' }),
    ]);
    expect(f!.explain).toBe('aciseg explain <snapshot> --from vnet-app/snet-aci --to Internet --port 8080');
  });

  it('is medium for a wide range (more than widePortRange ports)', () => {
    const aciRules = [
      rule({
        name: 'AllowOutLow',
        priority: 100,
        direction: 'Outbound',
        destination: 'Internet',
        destinationPorts: '1-5000',
      }),
      ...LOCKDOWN,
    ];
    const [f] = findingsOf(estate({ aciRules }), [aci005]);
    expect(f!.severity).toBe('medium');
    expect(f!.flows[0]!.ports).toBe('1-5000');
  });

  it('is silent for named egress, egress to a small part of the Internet, and locked-down subnets', () => {
    const named = [
      rule({ priority: 100, direction: 'Outbound', destination: 'Internet', destinationPorts: '443' }),
      ...LOCKDOWN,
    ];
    expect(findingsOf(estate({ aciRules: named }), [aci005])).toEqual([]);
    const partner = [
      rule({ priority: 100, direction: 'Outbound', destination: '20.30.0.0/16' }),
      ...LOCKDOWN,
    ];
    expect(findingsOf(estate({ aciRules: partner }), [aci005])).toEqual([]);
    // snet-vm keeps the defaults but holds no containers.
    expect(findingsOf(estate({ aciRules: LOCKDOWN }), [aci005])).toEqual([]);
  });
});
