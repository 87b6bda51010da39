import { aci011 } from '../../../../src/analyze/rules/aci011-unknown-verdict';
import type { ServiceTags } from '../../../../src/policy';
import { estate, LOCKDOWN, rule } from './support-estate';
import { findingsOf } from './support-context';

const storageOut = [
  rule({
    name: 'AllowStorage',
    priority: 100,
    direction: 'Outbound',
    destination: 'Storage',
    destinationPorts: '443',
  }),
  rule({
    name: 'AllowMonitor',
    priority: 110,
    direction: 'Outbound',
    destination: 'AzureMonitor',
    destinationPorts: '443',
  }),
  ...LOCKDOWN,
];

describe('ACI011 unknown-verdict', () => {
  it('fires once per unresolved service tag, with the rules that use it and how to resolve it', () => {
    const findings = findingsOf(estate({ aciRules: storageOut }), [aci011]);
    expect(findings.map((f) => `${f.severity} ${f.rules.map((r) => r.name).join(',')}`).sort()).toEqual([
      'info AllowMonitor',
      'info AllowStorage',
    ]);
    const storage = findings.find((f) => f.rules[0]!.name === 'AllowStorage')!;
    expect(storage.message).toMatch(/^Verdicts depend on service tag Storage/);
    expect(storage.remediation).toContain('--service-tags ServiceTags_Public.json');
    expect(storage.flows[0]).toMatchObject({
      from: 'vnet-app/snet-aci',
      protocol: 'tcp',
      ports: '443',
      verdict: 'unknown',
    });
    expect(storage.explain).toMatch(
      /^aciseg explain <snapshot> --from 10\.1\.1\.\d+ --to [\d.]+ --port 443$/,
    );
  });

  it('aggregates by cause: two NSGs using one tag make one finding', () => {
    const findings = findingsOf(estate({ aciRules: storageOut, vmRules: storageOut }), [aci011]);
    expect(findings).toHaveLength(2);
    expect(findings.map((f) => f.rules.length)).toEqual([2, 2]);
  });

  it('is silent when a service tags file resolves the tags, or no rule uses one', () => {
    const serviceTags: ServiceTags = {
      changeNumber: null,
      cloud: 'Public',
      tags: new Map([
        ['storage', ['20.60.0.0/16']],
        ['azuremonitor', ['20.70.0.0/16']],
      ]),
    };
    expect(findingsOf(estate({ aciRules: storageOut }), [aci011], { serviceTags })).toEqual([]);
    expect(findingsOf(estate(), [aci011])).toEqual([]);
  });
});

describe('ACI011 missing resources', () => {
  it('reports an NSG the subnet names but the snapshot lacks, with how to resolve it', () => {
    const snapshot = estate();
    const missing = `${snapshot.networkSecurityGroups[0]!.id}-gone`;
    const broken = {
      ...snapshot,
      subnets: snapshot.subnets.map((s) =>
        s.name === 'snet-aci' ? { ...s, networkSecurityGroupId: missing } : s,
      ),
    };
    const [f, ...rest] = findingsOf(broken, [aci011]);
    expect(rest).toEqual([]);
    expect(f!.message).toContain(`NSG ${missing} (not in the snapshot)`);
    expect(f!.remediation).toMatch(/^Import the referenced network security group/);
    expect(f!.rules).toEqual([]);
  });
});
