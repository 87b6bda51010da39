import { resolveEndpoint } from '../../../../src/analyze/endpoints';
import {
  endpointNames,
  explainCommand,
  portWords,
  shellWord,
} from '../../../../src/analyze/rules/flow-words';
import { indexSnapshot } from '../../../../src/model/snapshot-index';
import { portSetOf } from '../../../../src/net/ports';
import { makeContainerGroup, makeSnapshot, makeSubnet, makeVnet } from '../../../support/builders';

describe('finding words', () => {
  it('quotes shell words that are not plain, hostile quotes included', () => {
    expect(shellWord('vnet-app/snet-aci')).toBe('vnet-app/snet-aci');
    expect(shellWord('*')).toBe("'*'");
    expect(shellWord("a'; rm -rf ~ #")).toBe(`'a'\\''; rm -rf ~ #'`);
    expect(explainCommand('Internet', "we b's", 'udp', 53)).toBe(
      `aciseg explain <snapshot> --from Internet --to 'we b'\\''s' --protocol udp --port 53`,
    );
    expect(explainCommand('a', 'b', 'icmp', 7)).toBe(
      'aciseg explain <snapshot> --from a --to b --protocol icmp',
    );
  });

  it('writes ports as intent files do', () => {
    expect(portWords(portSetOf(['*']))).toBe('*');
    expect(portWords(portSetOf(['22', '3389', '8000-9000']))).toBe('22,3389,8000-9000');
  });

  it('names endpoints so that they resolve to the one resource: reserved names and duplicates use cg: or the ID', () => {
    const a = makeVnet({ name: 'vnet-a', addressPrefixes: ['10.0.0.0/16'], resourceGroup: 'rg-a' });
    const b = makeVnet({ name: 'vnet-a', addressPrefixes: ['10.1.0.0/16'], resourceGroup: 'rg-b' });
    const sa = makeSubnet(a, { name: 'snet', addressPrefixes: ['10.0.1.0/24'] });
    const sb = makeSubnet(b, { name: 'snet', addressPrefixes: ['10.1.1.0/24'] });
    const unique = makeSubnet(a, { name: 'only', addressPrefixes: ['10.0.2.0/24'] });
    const tagNamed = makeContainerGroup({ name: 'internet', subnet: unique, ip: '10.0.2.4' });
    const twin1 = makeContainerGroup({ name: 'twin', subnet: sa, ip: '10.0.1.4', resourceGroup: 'rg-a' });
    const twin2 = makeContainerGroup({ name: 'twin', subnet: sb, ip: '10.1.1.4', resourceGroup: 'rg-b' });
    const snapshot = makeSnapshot({
      virtualNetworks: [a, b],
      subnets: [sa, sb, unique],
      containerGroups: [tagNamed, twin1, twin2],
    });
    const index = indexSnapshot(snapshot);
    const names = endpointNames(index);
    expect(names.subnetEndpoint(unique)).toBe('vnet-a/only');
    expect(names.subnetEndpoint(sa)).toBe(sa.id);
    expect(names.groupEndpoint(tagNamed)).toBe('cg:internet');
    expect(names.groupEndpoint(twin1)).toBe(twin1.id);
    const resolved = (text: string) => {
      const r = resolveEndpoint(index, text);
      if (!r.ok) throw new Error(r.diagnostic.message);
      return r.endpoint;
    };
    const subnetOf = (text: string) => {
      const part = resolved(text).parts[0]!;
      return part.kind === 'subnet' ? part.subnet.id : null;
    };
    expect(subnetOf(names.subnetEndpoint(unique))).toBe(unique.id);
    expect(subnetOf(names.subnetEndpoint(sa))).toBe(sa.id);
    expect(resolved(names.groupEndpoint(tagNamed)).description).toBe(
      'container group internet (10.0.2.4 in vnet-a/only)',
    );
    expect(resolved(names.groupEndpoint(twin1)).description).toBe(
      'container group twin (10.0.1.4 in vnet-a/snet)',
    );
  });
});
