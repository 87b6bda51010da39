import { aci006 } from '../../../../src/analyze/rules/aci006-subnet-without-nsg';
import { aci007 } from '../../../../src/analyze/rules/aci007-nsg-unattached';
import { makeContainerGroup, makeSnapshot, makeSubnet, makeVnet } from '../../../support/builders';
import { estate, makeNsg } from './support-estate';
import { findingsOf } from './support-context';

describe('ACI006 subnet-without-nsg', () => {
  it('fires for a delegated subnet without an NSG', () => {
    const [f, ...rest] = findingsOf(estate({ aciNsg: false }), [aci006]);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe('high');
    expect(f!.message).toBe(
      'vnet-app/snet-aci has no NSG (1 container group): NSG policy allows every flow to and from it',
    );
    expect(f!.location).toEqual({ snapshotPointer: '/subnets/0' });
  });

  it('fires for an undelegated subnet that holds a container group, and is silent for other subnets', () => {
    const vnet = makeVnet({ name: 'v', addressPrefixes: ['10.0.0.0/16'] });
    const used = makeSubnet(vnet, { name: 'used', addressPrefixes: ['10.0.1.0/24'] });
    const empty = makeSubnet(vnet, { name: 'empty', addressPrefixes: ['10.0.2.0/24'] });
    const snapshot = makeSnapshot({
      virtualNetworks: [vnet],
      subnets: [used, empty],
      containerGroups: [makeContainerGroup({ name: 'g', subnet: used, ip: '10.0.1.4' })],
    });
    expect(findingsOf(snapshot, [aci006]).map((f) => f.resources[0]!.name)).toEqual(['v/used']);
    expect(findingsOf(estate(), [aci006])).toEqual([]);
  });
});

describe('ACI007 nsg-unattached', () => {
  it('fires for an NSG attached to no subnet, and only for it', () => {
    const spare = makeNsg({ name: 'nsg-spare' });
    const findings = findingsOf(estate({ extraNsgs: [spare] }), [aci007]);
    expect(findings.map((f) => [f.severity, f.resources[0]!.name, f.location?.snapshotPointer])).toEqual([
      ['low', 'nsg-spare', '/networkSecurityGroups/2'],
    ]);
    expect(findingsOf(estate(), [aci007])).toEqual([]);
  });
});
