import { aci002 } from '../../../../src/analyze/rules/aci002-internet-inbound';
import { estate, LOCKDOWN, rule } from './support-estate';
import { findingsOf } from './support-context';

const fromInternet = (ports: string) =>
  rule({ name: 'AllowFromInternet', priority: 200, source: 'Internet', destinationPorts: ports });

describe('ACI002 internet-inbound', () => {
  it('fires critical for SSH from the Internet, naming the allowing rule and the flow', () => {
    const [f, ...rest] = findingsOf(estate({ aciRules: [fromInternet('22')] }), [aci002]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe('critical');
    expect(f!.message).toContain('Internet can reach vnet-app/snet-aci');
    expect(f!.flows.map((x) => `${x.from} → ${x.to} ${x.protocol} ${x.ports}`)).toEqual([
      'Internet → vnet-app/snet-aci tcp 22',
    ]);
    expect(f!.flows[0]!.toKey).toBe(`subnet:${f!.resources[0]!.id}`);
    expect(f!.rules.map((r) => r.name)).toEqual(['AllowFromInternet']);
    expect(f!.rules[0]!.id).toMatch(
      /^\/subscriptions\/.*\/networksecuritygroups\/nsg-aci\/securityrules\/allowfrominternet$/,
    );
    expect(f!.resources.map((r) => `${r.kind}:${r.name}`)).toEqual([
      'subnet:vnet-app/snet-aci',
      'containerGroup:web',
    ]);
    expect(f!.explain).toBe('aciseg explain <snapshot> --from Internet --to vnet-app/snet-aci --port 22');
    expect(f!.location).toEqual({ snapshotPointer: '/networkSecurityGroups/0/securityRules/0' });
  });

  it.each([
    ['*', 'critical', 'tcp *'],
    ['3389', 'critical', 'tcp 3389'],
    ['1433', 'high', 'tcp 1433'],
    ['8080', 'medium', 'tcp 8080'],
  ])('ranks ports %s as %s', (ports, severity, flow) => {
    const [f] = findingsOf(estate({ aciRules: [fromInternet(ports)] }), [aci002]);
    expect(f!.severity).toBe(severity);
    expect(f!.flows.map((x) => `${x.protocol} ${x.ports}`)).toContain(flow);
  });

  it('fires for any source (*), not only the Internet tag', () => {
    const [f] = findingsOf(
      estate({ aciRules: [rule({ priority: 100, source: '*', destinationPorts: '6379' })] }),
      [aci002],
    );
    expect(f!.severity).toBe('high');
  });

  it('is silent for private sources, for Internet into a subnet without containers, and when a deny comes first', () => {
    expect(
      findingsOf(
        estate({ aciRules: [rule({ priority: 100, source: '10.200.0.0/16', destinationPorts: '22' })] }),
        [aci002],
      ),
    ).toEqual([]);
    expect(findingsOf(estate({ vmRules: [fromInternet('22')] }), [aci002])).toEqual([]);
    const denyFirst = [
      rule({ name: 'DenySsh', priority: 100, access: 'Deny', source: '*', destinationPorts: '22' }),
      fromInternet('22'),
    ];
    expect(findingsOf(estate({ aciRules: denyFirst }), [aci002])).toEqual([]);
    expect(findingsOf(estate({ aciRules: LOCKDOWN }), [aci002])).toEqual([]);
  });
  it('says so when the subnet has no NSG at all', () => {
    const [f] = findingsOf(estate({ aciNsg: false }), [aci002]);
    expect(f!.severity).toBe('critical');
    expect(f!.rules).toEqual([]);
    expect(f!.message).toMatch(/, the subnet has no NSG$/);
  });
});
