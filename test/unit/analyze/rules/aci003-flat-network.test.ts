import { aci003 } from '../../../../src/analyze/rules/aci003-flat-network';
import { estate, LOCKDOWN, rule } from './support-estate';
import { findingsOf } from './support-context';

describe('ACI003 flat-network', () => {
  it('fires when AllowVnetInBound opens the ACI subnet to the rest of the VNet, once per destination', () => {
    const findings = findingsOf(estate(), [aci003]);
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.severity).toBe('high');
    expect(f.resources[0]!.name).toBe('vnet-app/snet-aci');
    expect(f.flows.map((x) => `${x.from} → ${x.to} ${x.protocol} ${x.ports}`)).toEqual([
      'vnet-app/snet-vm → vnet-app/snet-aci tcp *',
    ]);
    expect(f.rules.map((r) => `${r.name}:${r.isDefault}`)).toEqual(['AllowVnetInBound:true']);
    expect(f.explain).toBe(
      'aciseg explain <snapshot> --from vnet-app/snet-vm --to vnet-app/snet-aci --port 22',
    );
    expect(f.location?.snapshotPointer).toBe('/networkSecurityGroups/0/defaultSecurityRules/0');
  });

  it('fires for an equivalent custom allow from VirtualNetwork on every port', () => {
    const aciRules = [rule({ name: 'AllowVnetAll', priority: 100, source: 'VirtualNetwork' }), ...LOCKDOWN];
    const [f] = findingsOf(estate({ aciRules }), [aci003]);
    expect(f!.rules.map((r) => r.name)).toEqual(['AllowVnetAll']);
  });

  it('is silent when a custom deny overrides AllowVnetInBound, or only some ports are open', () => {
    expect(findingsOf(estate({ aciRules: LOCKDOWN }), [aci003])).toEqual([]);
    const some = [rule({ priority: 100, source: '10.1.2.0/24', destinationPorts: '8000-9000' }), ...LOCKDOWN];
    expect(findingsOf(estate({ aciRules: some }), [aci003])).toEqual([]);
  });
});
