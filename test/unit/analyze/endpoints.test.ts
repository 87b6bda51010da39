/**
 * Endpoint resolution (docs/semantics.md §9 and decision 4): tag words are reserved, a resource with
 * such a name is reached by its ID or `cg:<name>`; a public container group's address is that group
 * wherever it appears; failures are coded diagnostics, returned, not thrown.
 */
import fc from 'fast-check';
import { resolveEndpoint, type EndpointSet } from '../../../src/analyze/endpoints';
import { explain } from '../../../src/analyze/explain';
import { computeReachability, pathSources, pathTargets } from '../../../src/analyze/reachability';
import { compilePolicy } from '../../../src/policy/engine';
import { IntervalSet, ipv4Domain, portDomain, type Ipv4Set } from '../../../src/net/interval-set';
import { ipv4SetOf } from '../../../src/policy/words/address-words';
import { parseIpv4 } from '../../../src/net/address';
import { publicGroupsOf } from '../../../src/policy/words/public-groups';
import type { SnapshotIndex } from '../../../src/model/snapshot-index';
import {
  ACI_DELEGATION,
  makeContainerGroup,
  makeNsg,
  makeRule,
  makeSnapshot,
  makeSubnet,
  makeVnet,
} from '../../support/builders';
import { arbEstate } from '../../support/arbitraries';

/** A VNet with one NSG-governed ACI subnet, a private group named `internet`, and a public group at 20.61.10.5 (tcp 80). */
function estate() {
  const vnet = makeVnet({ name: 'v', addressPrefixes: ['10.0.0.0/16'] });
  const nsg = makeNsg({
    name: 'n',
    rules: [
      makeRule({
        name: 'DenySshOut',
        priority: 100,
        direction: 'Outbound',
        access: 'Deny',
        destinationPorts: '22',
      }),
      makeRule({ name: 'AllowAllOut', priority: 200, direction: 'Outbound', access: 'Allow' }),
      makeRule({
        name: 'AllowSshIn',
        priority: 100,
        direction: 'Inbound',
        access: 'Allow',
        destinationPorts: '22',
      }),
    ],
  });
  const web = makeSubnet(vnet, {
    name: 'web',
    addressPrefixes: ['10.0.1.0/24'],
    nsg,
    delegations: [ACI_DELEGATION],
  });
  const snapshot = makeSnapshot({
    virtualNetworks: [vnet],
    subnets: [web],
    networkSecurityGroups: [nsg],
    containerGroups: [
      makeContainerGroup({ name: 'internet', subnet: web, ip: '10.0.1.4', ports: [3128] }),
      makeContainerGroup({ name: 'status', ip: '20.61.10.5', ports: [80] }),
    ],
  });
  return { snapshot, engine: compilePolicy(snapshot) };
}

function ok(index: SnapshotIndex, text: string): EndpointSet {
  const r = resolveEndpoint(index, text);
  if (!r.ok) throw new Error(`${text}: ${r.diagnostic.message}`);
  return r.endpoint;
}

const tcp = (port: number) => IntervalSet.range(portDomain, port, port);

describe('tag words are reserved', () => {
  it('Internet means the tag even when a container group is named internet', () => {
    const { engine } = estate();
    const from = ok(engine.index, 'Internet');
    expect(from.description).toMatch(/^Internet \(public IPv4/);
    // From the Internet, SSH to the subnet is allowed (AllowSshIn); from the group it is denied (DenySshOut).
    expect(explain(engine, from, ok(engine.index, 'v/web'), 'Tcp', tcp(22)).verdict).toBe('allow');
    for (const name of ['INTERNET', 'internet', ' Internet '])
      expect(ok(engine.index, name).description).toBe(from.description);
  });

  it('the group is reached by cg:<name> or its resource ID, and then SSH is denied', () => {
    const { engine, snapshot } = estate();
    const group = snapshot.containerGroups.find((g) => g.name === 'internet')!;
    for (const text of ['cg:internet', 'CG:Internet', group.id]) {
      const from = ok(engine.index, text);
      expect(from.description).toMatch(/^container group internet \(10\.0\.1\.4/);
      expect(explain(engine, from, ok(engine.index, 'v/web'), 'Tcp', tcp(22)).verdict).toBe('deny');
    }
  });

  it('cg:<name> that names no group is ENDPOINT_NOT_FOUND, not a fallback to other forms', () => {
    const { engine } = estate();
    const r = resolveEndpoint(engine.index, 'cg:v/web');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostic).toMatchObject({ code: 'ENDPOINT_NOT_FOUND', severity: 'fatal' });
  });
});

describe('a public container group is its address (decision 4)', () => {
  it('--to 20.61.10.5 --port 443 is denied, as --to <its name> is', () => {
    const { engine } = estate();
    const from = ok(engine.index, 'Internet');
    const byName = explain(engine, from, ok(engine.index, 'status'), 'Tcp', tcp(443));
    const byAddress = explain(engine, from, ok(engine.index, '20.61.10.5'), 'Tcp', tcp(443));
    expect(byName.verdict).toBe('deny');
    expect(byAddress.verdict).toBe('deny');
    expect(byAddress.sides).toEqual(byName.sides);
    expect(byAddress.to.description).toBe('20.61.10.5 (public container group status)');
    expect(explain(engine, from, ok(engine.index, '20.61.10.5'), 'Tcp', tcp(80)).verdict).toBe('allow');
  });

  it('inside a set (Internet, *, a CIDR) the address keeps the group ports: port 443 to the set is partial', () => {
    const { engine } = estate();
    const from = ok(engine.index, 'v/web');
    for (const set of ['Internet', '*', '20.61.10.0/24']) {
      const to = ok(engine.index, set);
      expect(to.parts.filter((p) => p.kind === 'publicContainerGroup').map((p) => p.ranges.first())).toEqual([
        parseIpv4('20.61.10.5'),
      ]);
      const x = explain(engine, from, to, 'Tcp', tcp(443));
      expect(x.verdict).toBe('partial');
      const closed = x.parts!.filter((p) => p.verdict === 'deny');
      expect(closed.flatMap((p) => p.to)).toEqual(['20.61.10.5']);
    }
  });

  it('all-pairs puts 20.61.10.5 in exactly one endpoint group, the public group', () => {
    const { engine } = estate();
    const reach = computeReachability(engine);
    const holders = reach.classes.filter((c) => c.ranges.has(parseIpv4('20.61.10.5')!));
    expect(holders.map((c) => [c.kind, c.group?.name])).toEqual([['publicContainerGroup', 'status']]);
  });
});

describe('coded endpoint diagnostics, returned by resolution', () => {
  it.each([
    ['nonexistent', 'ENDPOINT_NOT_FOUND'],
    ['', 'ENDPOINT_NOT_FOUND'],
    [
      '/subscriptions/x/resourcegroups/rg/providers/microsoft.network/virtualnetworks/none',
      'ENDPOINT_NOT_FOUND',
    ],
    ['fd00::1', 'ENDPOINT_INVALID'],
    ['10.0.1.5/24', 'ENDPOINT_INVALID'],
  ])('%j → %s', (text, code) => {
    const { engine } = estate();
    const r = resolveEndpoint(engine.index, text);
    expect(r).toMatchObject({ ok: false, diagnostic: { code, severity: 'fatal', file: null } });
  });

  it('two groups of one name are ENDPOINT_AMBIGUOUS, listing both IDs', () => {
    const vnet = makeVnet({ name: 'v', addressPrefixes: ['10.0.0.0/16'] });
    const s = makeSubnet(vnet, { name: 's', addressPrefixes: ['10.0.1.0/24'] });
    const snapshot = makeSnapshot({
      virtualNetworks: [vnet],
      subnets: [s],
      containerGroups: [
        makeContainerGroup({ name: 'web', subnet: s, ip: '10.0.1.4', resourceGroup: 'rg-one' }),
        makeContainerGroup({ name: 'web', subnet: s, ip: '10.0.1.5', resourceGroup: 'rg-two' }),
      ],
    });
    const r = resolveEndpoint(compilePolicy(snapshot).index, 'web');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostic.code).toBe('ENDPOINT_AMBIGUOUS');
    expect(r.diagnostic.message).toContain('/resourcegroups/rg-one/');
    expect(r.diagnostic.message).toContain('/resourcegroups/rg-two/');
  });
});

describe('all-pairs endpoint groups partition the addresses (property, random estates)', () => {
  it('a public address is in its group only; each subnet is cut into disjoint groups; outside groups avoid both and, per group and direction, do not overlap', () => {
    let publicSeen = 0;
    fc.assert(
      fc.property(arbEstate(), (snapshot) => {
        const engine = compilePolicy(snapshot);
        const reach = computeReachability(engine);
        const publics = publicGroupsOf(engine.index);
        publicSeen += publics.owners.length;
        // 1. Every public group's address is exactly one class, its own, and in no other class.
        for (const [ip, group] of publics.byAddress) {
          const holders = reach.classes.filter((c) => c.ranges.has(ip));
          expect(holders.map((c) => [c.kind, c.group?.id])).toEqual([['publicContainerGroup', group.id]]);
        }
        // 2. A subnet's classes are disjoint and cover its prefixes, less the public addresses.
        for (const subnet of snapshot.subnets) {
          const mine = reach.classes.filter((c) => c.kind === 'subnet' && c.subnet!.id === subnet.id);
          let union = IntervalSet.empty(ipv4Domain);
          for (const c of mine) {
            expect(c.ranges.overlaps(union)).toBe(false);
            union = union.union(c.ranges);
          }
          expect(union.equals(ipv4SetOf(subnet.addressPrefixes).subtract(publics.addresses))).toBe(true);
        }
        // 3. Outside groups hold no subnet or public address.
        let located = publics.addresses;
        for (const s of snapshot.subnets) located = located.union(ipv4SetOf(s.addressPrefixes));
        const external = reach.classes.filter((c) => c.kind === 'external');
        for (const c of external) expect(c.ranges.overlaps(located)).toBe(false);
        // 4. The outside groups one class is paired with, as sources (or as targets), are disjoint:
        // every outside address meets a class through one group, so one verdict.
        const seen = new Map<string, Ipv4Set>();
        const { paths } = reach;
        for (let i = 0; i < paths.count; i++) {
          const sources = [...pathSources(paths, i)];
          const targets = [...pathTargets(paths, i)];
          for (const [outside, inside, dir] of [
            [sources, targets, 'in'],
            [targets, sources, 'out'],
          ] as const) {
            for (const e of outside.filter((x) => reach.classes[x]!.kind === 'external')) {
              for (const c of inside) {
                const key = `${c}|${dir}`;
                const before = seen.get(key) ?? IntervalSet.empty(ipv4Domain);
                expect(before.overlaps(reach.classes[e]!.ranges)).toBe(false);
                seen.set(key, before.union(reach.classes[e]!.ranges));
              }
            }
          }
        }
      }),
      { seed: 8080, numRuns: 120 },
    );
    expect(publicSeen).toBeGreaterThan(20);
  });
});
