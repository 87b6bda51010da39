/**
 * Properties of the brute-force oracle itself, on random estates, plus its refusals.
 *
 * The main property is soundness by instantiation: every unknown docs/semantics.md allows (§5) can
 * be replaced by one concrete possibility (a service tags file with public prefixes, an NSG behind
 * a dangling id, the members of an ASG, the address space behind an unknown peering, a route table
 * behind a dangling id, empty on-premises space, one order of tied admin rules). The instantiated
 * estate has no unknown left, so its verdict must be definite, and wherever the original verdict
 * was definite the instance must agree with it.
 */
import fc from 'fast-check';
import type { Snapshot } from '../../../src/model/snapshot';
import type { Flow } from '../../../src/policy/flow';
import type { ServiceTags } from '../../../src/policy/words/service-tags';
import { MAX_UNKNOWN_VARIABLES, oracleVerdict } from '../../oracle/evaluate-flow';
import { arbEstate, arbFlowPlan, arbServiceTags, flowFromPlan } from '../../support/arbitraries';
import { end, flow, ids, nsg, routeTable, rule, snapshotOf, subnet, vnet } from '../../oracle/tiny-estate';

const SEED = Number(process.env.FC_SEED ?? 20260801);

/** Public-only prefix sets a tag may stand for (§5: an unresolved tag holds public IPv4 only). */
const PUBLIC_TAG_SETS = [
  [],
  ['20.60.0.0/16'],
  ['12.0.0.0/22'],
  ['8.8.8.0/24', '20.50.0.0/24'],
  ['168.63.129.16/32'],
];
const PEER_SPACES = [[], ['10.0.4.0/24'], ['12.0.0.0/22'], ['0.0.0.0/0']];
const ROUTE_SETS: [string, string][][] = [
  [],
  [['10.0.4.0/24', 'VnetLocal']],
  [['0.0.0.0/0', 'VirtualAppliance']],
];

interface Choices {
  tagSets: number[];
  asgAsPublic: boolean[];
  danglingNsgCopies: number;
  peerSpace: number;
  routeSet: number;
  tieKeys: number[];
}

const arbChoices: fc.Arbitrary<Choices> = fc.record({
  tagSets: fc.array(fc.nat(PUBLIC_TAG_SETS.length - 1), { minLength: 3, maxLength: 3 }),
  asgAsPublic: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
  danglingNsgCopies: fc.nat(3),
  peerSpace: fc.nat(PEER_SPACES.length - 1),
  routeSet: fc.nat(ROUTE_SETS.length - 1),
  tieKeys: fc.array(fc.nat(1000), { minLength: 12, maxLength: 12 }),
});

/** One concrete estate (and tags file) among those the unknowns of `s` stand for. */
function instantiate(s: Snapshot, tags: ServiceTags | undefined, c: Choices): [Snapshot, ServiceTags] {
  const tagMap = new Map(tags?.tags ?? []);
  ['storage', 'azurecloud', 'sql'].forEach((name, i) => {
    if (!tagMap.has(name)) tagMap.set(name, PUBLIC_TAG_SETS[c.tagSets[i] ?? 0] ?? []);
  });
  // An ASG is empty, or holds a public /24 that lies in no subnet of the universe (never an ACI address).
  const asgPrefixes = (asgIds: string[]): string[] =>
    asgIds.flatMap((id) => (c.asgAsPublic[id.endsWith('asg0') ? 0 : 1] ? ['8.8.8.0/24'] : []));
  const networkSecurityGroups = s.networkSecurityGroups.map((n) => ({
    ...n,
    securityRules: n.securityRules.map((r) => ({
      ...r,
      sourceAddressPrefixes: [
        ...r.sourceAddressPrefixes,
        ...asgPrefixes(r.sourceApplicationSecurityGroupIds),
      ],
      destinationAddressPrefixes: [
        ...r.destinationAddressPrefixes,
        ...asgPrefixes(r.destinationApplicationSecurityGroupIds),
      ],
      sourceApplicationSecurityGroupIds: [],
      destinationApplicationSecurityGroupIds: [],
    })),
  }));
  // A dangling NSG is an NSG with defaults only, or a copy of one of the estate's.
  const template = networkSecurityGroups[c.danglingNsgCopies - 1];
  const dangling = { ...(template ?? nsg('x')), id: ids.nsg('dangling'), name: 'dangling' };
  const danglingTable = {
    ...routeTable('dangling', ROUTE_SETS[c.routeSet] ?? []),
    id: ids.routeTable('dangling'),
  };
  // Tied admin rules: one order, by renumbering every rule 1..n in (priority, random key) order.
  const admin = s.securityAdminRules
    .map((r, i) => ({ r, key: c.tieKeys[i % c.tieKeys.length] ?? 0, i }))
    .sort((a, b) => a.r.priority - b.r.priority || a.key - b.key || a.i - b.i)
    .map(({ r }, i) => ({ ...r, priority: i + 1 }));
  const instance = snapshotOf({
    ...s,
    virtualNetworks: s.virtualNetworks.map((v) => ({ ...v, gatewayIds: [] })), // on-premises space: empty
    virtualNetworkPeerings: s.virtualNetworkPeerings.map((p) => ({
      ...p,
      useRemoteGateways: false,
      remoteAddressPrefixes:
        p.remoteAddressPrefixes ??
        (s.virtualNetworks.some((v) => v.id === p.remoteVirtualNetworkId)
          ? null
          : (PEER_SPACES[c.peerSpace] ?? [])),
    })),
    networkSecurityGroups: [...networkSecurityGroups, dangling],
    routeTables: [...s.routeTables, danglingTable],
    securityAdminRules: admin,
  });
  return [instance, { changeNumber: null, cloud: null, tags: tagMap }];
}

const knownSubnetEnds = (s: Snapshot, f: Flow): boolean =>
  [f.src, f.dst].every((e) => e.kind !== 'subnet' || s.subnets.some((x) => x.id === e.subnetId));

describe('oracle properties on random estates', () => {
  it('is sound: a concrete instance of the unknowns is definite and agrees with a definite verdict', () => {
    let definite = 0;
    let unknown = 0;
    fc.assert(
      fc.property(
        arbEstate(),
        arbServiceTags(),
        fc.array(arbFlowPlan(), { minLength: 20, maxLength: 20 }),
        fc.array(arbChoices, { minLength: 3, maxLength: 3 }),
        (s, tags, plans, choices) => {
          const instances = choices.map((c) => instantiate(s, tags, c));
          for (const plan of plans) {
            const f = flowFromPlan(s, plan);
            if (!knownSubnetEnds(s, f)) continue;
            const verdict = oracleVerdict(s, f, { serviceTags: tags });
            if (verdict === 'unknown') unknown++;
            else definite++;
            for (const [instance, instanceTags] of instances) {
              const concrete = oracleVerdict(instance, f, { serviceTags: instanceTags });
              expect(concrete).not.toBe('unknown');
              if (verdict !== 'unknown') expect(concrete).toBe(verdict);
            }
          }
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
    // The generators must keep producing both kinds of answer, or this property proves little.
    expect(definite).toBeGreaterThan(1000);
    expect(unknown).toBeGreaterThan(100);
  });

  it('gives the same verdict twice (no state kept between calls)', () => {
    fc.assert(
      fc.property(arbEstate(), arbServiceTags(), arbFlowPlan(), (s, tags, plan) => {
        const f = flowFromPlan(s, plan);
        expect(oracleVerdict(s, f, { serviceTags: tags })).toBe(oracleVerdict(s, f, { serviceTags: tags }));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('oracle refusals', () => {
  const estate = (rules: ReturnType<typeof rule>[]): Snapshot =>
    snapshotOf({
      virtualNetworks: [vnet('a', ['10.1.0.0/16'])],
      subnets: [subnet('a', 's', ['10.1.1.0/24'], { networkSecurityGroupId: ids.nsg('n') })],
      networkSecurityGroups: [nsg('n', rules)],
    });
  const toS = flow(end.external('20.0.0.1'), end.subnet('a', 's', '10.1.1.4'), 'Tcp', 443);
  /** The estate with `rules` put in after validation (for values the schema refuses). */
  const withRules = (s: Snapshot, rules: ReturnType<typeof rule>[]): Snapshot => {
    s.networkSecurityGroups[0]!.securityRules = rules;
    return s;
  };

  it(`refuses a flow that depends on more than ${MAX_UNKNOWN_VARIABLES} unknown memberships`, () => {
    const rules = Array.from({ length: MAX_UNKNOWN_VARIABLES + 1 }, (_, i) =>
      rule({ priority: 100 + i, direction: 'Inbound', access: 'Allow', src: [`Tag${i}`] }),
    );
    expect(() => oracleVerdict(estate(rules), toS)).toThrow(/more than 16 unknown memberships/);
  });

  it(`still answers with exactly ${MAX_UNKNOWN_VARIABLES} unknown memberships`, () => {
    const rules = Array.from({ length: MAX_UNKNOWN_VARIABLES }, (_, i) =>
      rule({ priority: 100 + i, direction: 'Inbound', access: 'Deny', src: [`Tag${i}`] }),
    );
    // Every tag may or may not hold 20.0.0.1: denied if any does, else AllowVnetInBound fails → deny too.
    expect(oracleVerdict(estate(rules), toS)).toBe('deny');
  });

  it('refuses two rules of one direction at the same priority (the importer rejects them)', () => {
    const rules = [
      rule({ priority: 100, direction: 'Inbound', access: 'Allow' }),
      rule({ name: 'twin', priority: 100, direction: 'Inbound', access: 'Deny' }),
    ];
    // The snapshot schema refuses this estate too; the oracle's own guard is checked past it.
    expect(() => estate(rules)).toThrow(/DUPLICATE_PRIORITY/);
    expect(() => oracleVerdict(withRules(estate([]), rules), toS)).toThrow(
      /two Inbound rules at priority 100/,
    );
  });

  it('refuses an IPv6 flow address', () => {
    const f = flow(end.external('2001:db8::1'), end.subnet('a', 's', '10.1.1.4'), 'Tcp', 443);
    expect(() => oracleVerdict(estate([]), f)).toThrow(/not an IPv4 address/);
  });

  it('refuses a public container group that is not in the snapshot', () => {
    const f = flow(end.external('8.8.8.8'), end.publicGroup('nope'), 'Tcp', 80);
    expect(() => oracleVerdict(estate([]), f)).toThrow(/not in the snapshot or has no IP address/);
  });

  it('refuses a malformed prefix instead of reading it as a service tag', () => {
    const rules = [rule({ priority: 100, direction: 'Inbound', access: 'Allow', src: ['10.0.0.300/24'] })];
    expect(() => estate(rules)).toThrow(/INVALID_PREFIX/);
    expect(() => oracleVerdict(withRules(estate([]), rules), toS)).toThrow(/invalid address prefix/);
  });
});
