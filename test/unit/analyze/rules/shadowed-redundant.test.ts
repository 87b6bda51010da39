/**
 * ACI008 shadowed-rule and ACI009 redundant-rule on hand-made NSGs: each fires where it should and
 * stays silent where it should not (valid/invalid pairs), names the covering rules, and reports one
 * set that can be removed together.
 */
import type { SecurityRule, Snapshot } from '../../../../src/model/snapshot';
import { shadowedRule } from '../../../../src/analyze/rules/shadowed-rule';
import { redundantRule } from '../../../../src/analyze/rules/redundant-rule';
import type { Finding } from '../../../../src/analyze/findings';
import { ids, nsg, rule, snapshotOf, subnet, vnet, ACI_DELEGATION } from '../../../oracle/tiny-estate';
import { findingsOf } from './rule-context';

/** One ACI subnet 10.1.0.0/24 in VNet a (10.1.0.0/16) under NSG n with these custom rules. */
function estate(rules: SecurityRule[], extra: { attached?: boolean } = {}): Snapshot {
  return snapshotOf({
    virtualNetworks: [vnet('a', ['10.1.0.0/16'])],
    subnets: [
      subnet('a', 's', ['10.1.0.0/24'], {
        networkSecurityGroupId: extra.attached === false ? null : ids.nsg('n'),
        delegations: [ACI_DELEGATION],
      }),
    ],
    networkSecurityGroups: [nsg('n', rules)],
  });
}

/** The rules the findings report (one finding per NSG), sorted. */
const names = (findings: Finding[]) => findings.flatMap((f) => f.coverage!.flatMap((c) => c.rules)).sort();
/** The rules that decide the traffic of the finding's first reported rule instead. */
const covering = (f: Finding) => f.coverage![0]!.coveredBy;

describe('ACI008 shadowed-rule', () => {
  const broadFirst = [
    rule({
      name: 'allow-ssh-any',
      priority: 100,
      direction: 'Inbound',
      access: 'Allow',
      protocol: 'Tcp',
      src: ['*'],
      dstPorts: ['22'],
    }),
    rule({
      name: 'allow-ssh-corp',
      priority: 200,
      direction: 'Inbound',
      access: 'Allow',
      protocol: 'Tcp',
      src: ['203.0.113.0/24'],
      dstPorts: ['22'],
    }),
  ];

  it('fires for a rule whose traffic a higher-priority rule decides, naming it', () => {
    const [f, ...rest] = findingsOf(shadowedRule, estate(broadFirst));
    expect(rest).toEqual([]);
    expect(names([f!])).toEqual(['allow-ssh-corp']);
    expect(covering(f!)).toEqual(['allow-ssh-any']);
    expect(f!.severity).toBe('low');
    expect(f!.message).toContain('decides nothing');
    expect(f!.location).toEqual({ snapshotPointer: '/networkSecurityGroups/0' });
    expect(f!.rules[0]!.id).toBe(`${ids.nsg('n')}/securityrules/allow-ssh-corp`);
    expect(f!.resources.map((r) => r.kind)).toEqual(['networkSecurityGroup']);
    expect(f!.coverage).toEqual([
      { direction: 'Inbound', rules: ['allow-ssh-corp'], coveredBy: ['allow-ssh-any'] },
    ]);
    expect(f!.rules.map((r) => r.name)).toEqual(['allow-ssh-corp', 'allow-ssh-any']);
  });

  it('stays silent when the narrow rule comes first (it decides its traffic)', () => {
    const narrowFirst = [
      { ...broadFirst[1]!, priority: 100 },
      { ...broadFirst[0]!, priority: 200 },
    ];
    expect(findingsOf(shadowedRule, estate(narrowFirst))).toEqual([]);
  });

  it('stays silent when the earlier rule covers only part of the ports', () => {
    const partial = [
      { ...broadFirst[0]!, destinationPortRanges: ['20-21'] },
      { ...broadFirst[1]!, destinationPortRanges: ['20-22'] },
    ];
    expect(findingsOf(shadowedRule, estate(partial))).toEqual([]);
  });

  it('is medium for a Deny rule under an Allow (the deny it promises never happens)', () => {
    const denyUnder = [broadFirst[0]!, { ...broadFirst[1]!, name: 'deny-ssh-corp', access: 'Deny' as const }];
    const [f] = findingsOf(shadowedRule, estate(denyUnder));
    expect(f!.severity).toBe('medium');
    expect(f!.message).toContain('is allowed');
  });

  it('does not count coverage by an unresolved service tag, and does once the tag is resolved', () => {
    const rules = [
      rule({ name: 'allow-storage', priority: 100, direction: 'Inbound', access: 'Allow', src: ['Storage'] }),
      rule({
        name: 'allow-storage-range',
        priority: 200,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        src: ['20.60.0.0/16'],
        dstPorts: ['443'],
      }),
    ];
    expect(findingsOf(shadowedRule, estate(rules))).toEqual([]);
    const serviceTags = {
      changeNumber: '1',
      cloud: 'Public',
      tags: new Map([['storage', ['20.60.0.0/16']]]),
    };
    expect(names(findingsOf(shadowedRule, estate(rules), { serviceTags }))).toEqual(['allow-storage-range']);
  });

  it('reads VirtualNetwork per subnet: shadowed in a VNet that holds the range, not in one that does not', () => {
    const rules = [
      rule({
        name: 'allow-vnet-80',
        priority: 100,
        direction: 'Inbound',
        access: 'Deny',
        protocol: 'Tcp',
        src: ['VirtualNetwork'],
        dstPorts: ['80'],
      }),
      rule({
        name: 'allow-a-80',
        priority: 200,
        direction: 'Inbound',
        access: 'Deny',
        protocol: 'Tcp',
        src: ['10.1.0.0/16'],
        dstPorts: ['80'],
      }),
    ];
    const one = estate(rules);
    expect(names(findingsOf(shadowedRule, one))).toEqual(['allow-a-80']);
    // The same NSG also on a subnet of VNet b (10.2.0.0/16, not peered): there 10.1/16 is not VirtualNetwork.
    const two = snapshotOf({
      ...one,
      virtualNetworks: [...one.virtualNetworks, vnet('b', ['10.2.0.0/16'])],
      subnets: [...one.subnets, subnet('b', 's', ['10.2.0.0/24'], { networkSecurityGroupId: ids.nsg('n') })],
    });
    expect(findingsOf(shadowedRule, two)).toEqual([]);
  });

  it('skips an NSG attached to no subnet', () => {
    expect(findingsOf(shadowedRule, estate(broadFirst, { attached: false }))).toEqual([]);
    expect(findingsOf(redundantRule, estate(broadFirst, { attached: false }))).toEqual([]);
  });

  it('never reports ESP/AH rules or rules with IPv6 prefixes (they decide traffic the model does not see)', () => {
    const rules = [
      broadFirst[0]!,
      { ...broadFirst[1]!, name: 'esp', protocol: 'Esp' as const },
      {
        ...broadFirst[1]!,
        name: 'v6',
        priority: 300,
        sourceAddressPrefixes: ['203.0.113.0/24', '2001:db8::/32'],
      },
    ];
    expect(findingsOf(shadowedRule, estate(rules))).toEqual([]);
    expect(findingsOf(redundantRule, estate(rules))).toEqual([]);
  });
});

describe('ACI009 redundant-rule', () => {
  it('fires for a narrow allow above a broader allow with no deny between, naming the broader one', () => {
    const rules = [
      rule({
        name: 'allow-https-corp',
        priority: 100,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        src: ['203.0.113.0/24'],
        dstPorts: ['443'],
      }),
      rule({
        name: 'allow-https',
        priority: 200,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        src: ['*'],
        dstPorts: ['443'],
      }),
    ];
    const [f, ...rest] = findingsOf(redundantRule, estate(rules));
    expect(rest).toEqual([]);
    expect(names([f!])).toEqual(['allow-https-corp']);
    expect(covering(f!)).toEqual(['allow-https']);
    expect(findingsOf(shadowedRule, estate(rules))).toEqual([]);
  });

  it('stays silent when a deny between the two would then decide some of its traffic (and keeps that deny)', () => {
    const rules = [
      rule({
        name: 'allow-https-corp',
        priority: 100,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        src: ['203.0.113.0/24'],
        dstPorts: ['443'],
      }),
      rule({
        name: 'deny-https-part',
        priority: 150,
        direction: 'Inbound',
        access: 'Deny',
        protocol: 'Tcp',
        src: ['198.51.100.0/24', '203.0.113.128/25'],
        dstPorts: ['443'],
      }),
      rule({
        name: 'allow-https',
        priority: 200,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        src: ['*'],
        dstPorts: ['443'],
      }),
    ];
    expect(findingsOf(redundantRule, estate(rules))).toEqual([]);
    expect(findingsOf(shadowedRule, estate(rules))).toEqual([]);
    // A deny wholly inside the allow above it is shadowed; with it gone the narrow allow goes too: one set.
    const inside = [rules[0]!, { ...rules[1]!, sourceAddressPrefixes: ['203.0.113.128/25'] }, rules[2]!];
    expect(names(findingsOf(shadowedRule, estate(inside)))).toEqual(['deny-https-part']);
    expect(names(findingsOf(redundantRule, estate(inside)))).toEqual(['allow-https-corp']);
  });

  it('fires for an allow of what the default rules allow anyway (AllowVnetInBound)', () => {
    const rules = [
      rule({
        name: 'allow-vnet-web',
        priority: 100,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        src: ['10.1.0.0/16'],
        dstPorts: ['80'],
      }),
    ];
    const [f] = findingsOf(redundantRule, estate(rules));
    expect(covering(f!)).toEqual(['AllowVnetInBound']);
    // From outside the VNet the defaults deny: the same allow then decides something.
    const outside = [{ ...rules[0]!, sourceAddressPrefixes: ['203.0.113.0/24'] }];
    expect(findingsOf(redundantRule, estate(outside))).toEqual([]);
  });

  it('reports exactly one of two identical allows (a set that can go together, not each alone)', () => {
    const twin = (name: string, priority: number) =>
      rule({
        name,
        priority,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        src: ['203.0.113.0/24'],
        dstPorts: ['8080'],
      });
    const s = estate([twin('first', 100), twin('second', 200)]);
    const reported = [...findingsOf(shadowedRule, s), ...findingsOf(redundantRule, s)];
    expect(names(reported)).toEqual(['second']);
    expect(reported[0]!.ruleId).toBe('ACI008');
  });

  it('reports both twins when the defaults allow their traffic anyway: ACI008 the second, ACI009 the first', () => {
    const twin = (name: string, priority: number) =>
      rule({
        name,
        priority,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        src: ['VirtualNetwork'],
        dstPorts: ['8080'],
      });
    const s = estate([twin('first', 100), twin('second', 200)]);
    expect(names(findingsOf(shadowedRule, s))).toEqual(['second']);
    const [f] = findingsOf(redundantRule, s);
    expect(names([f!])).toEqual(['first']);
    expect(covering(f!)).toEqual(['AllowVnetInBound']);
  });

  it('fires for a rule that matches no address of its subnets', () => {
    const rules = [
      rule({
        name: 'allow-elsewhere',
        priority: 100,
        direction: 'Inbound',
        access: 'Allow',
        dst: ['10.9.0.0/24'],
      }),
    ];
    const [f] = findingsOf(redundantRule, estate(rules));
    expect(f!.message).toContain('matches no flow');
    expect(findingsOf(shadowedRule, estate(rules))).toEqual([]);
  });

  it('makes one finding per NSG for all its redundant rules, each with its own covering rules', () => {
    const rules = [
      rule({
        name: 'in-corp',
        priority: 100,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        src: ['203.0.113.0/24'],
        dstPorts: ['443'],
      }),
      rule({
        name: 'in-all',
        priority: 200,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        dstPorts: ['443'],
      }),
      rule({
        name: 'out-vnet',
        priority: 100,
        direction: 'Outbound',
        access: 'Allow',
        protocol: 'Udp',
        dst: ['10.1.2.0/24'],
        dstPorts: ['53'],
      }),
    ];
    const [f, ...rest] = findingsOf(redundantRule, estate(rules));
    expect(rest).toEqual([]);
    expect(names([f!])).toEqual(['in-corp', 'out-vnet']);
    expect(f!.message).toContain('2 rules can be removed');
    expect(f!.coverage!.map((c) => [c.rules, c.coveredBy])).toEqual([
      [['in-corp'], ['in-all']],
      [['out-vnet'], ['AllowVnetOutBound']],
    ]);
  });

  it('lists rules decided alike by the same rules in one coverage entry, in evaluation order', () => {
    const under = (name: string, priority: number, port: string) =>
      rule({
        name,
        priority,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        src: ['10.1.5.0/24'],
        dstPorts: [port],
      });
    const [f, ...rest] = findingsOf(
      redundantRule,
      estate([under('in-b', 300, '443'), under('in-a', 200, '80')]),
    );
    expect(rest).toEqual([]);
    expect(f!.coverage).toEqual([
      { direction: 'Inbound', rules: ['in-a', 'in-b'], coveredBy: ['AllowVnetInBound'] },
    ]);
  });

  it('keeps fingerprints when priorities change and rules are reordered', () => {
    const a = [
      rule({
        name: 'x',
        priority: 100,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        src: ['203.0.113.0/24'],
        dstPorts: ['443'],
      }),
      rule({
        name: 'y',
        priority: 200,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        dstPorts: ['443'],
      }),
    ];
    const b = [
      { ...a[0]!, priority: 110 },
      { ...a[1]!, priority: 220 },
    ];
    expect(findingsOf(redundantRule, estate(a))[0]!.fingerprint).toBe(
      findingsOf(redundantRule, estate(b))[0]!.fingerprint,
    );
  });
});
