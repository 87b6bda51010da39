/**
 * The PolicyEngine's narrow surface (issue 9 item 4): callers outside src/policy get decisions by id,
 * the meet of two decisions, traffic ids, and rule / unknown-set labels from the engine itself; its
 * decision store and rule compiler are not reachable from outside.
 */
import { compilePolicy, type PolicyEngine } from '../../../src/policy';
import { makeNsg, makeRule, makeSnapshot, makeSubnet, makeVnet } from '../../support/builders';

/** `web` admits 443 from the Storage service tag (unresolved: no service tags file) and denies 22 from anywhere. */
function engineOf(): { engine: PolicyEngine; subnetId: string } {
  const vnet = makeVnet({ name: 'vnet-a', addressPrefixes: ['10.0.0.0/16'] });
  const nsg = makeNsg({
    name: 'nsg-web',
    rules: [
      makeRule({ priority: 100, name: 'storage-https', source: 'Storage', destinationPorts: '443' }),
      makeRule({ priority: 200, name: 'no-ssh', access: 'Deny', destinationPorts: '22' }),
    ],
  });
  const web = makeSubnet(vnet, { name: 'web', addressPrefixes: ['10.0.1.0/24'], nsg });
  return {
    engine: compilePolicy(
      makeSnapshot({ virtualNetworks: [vnet], subnets: [web], networkSecurityGroups: [nsg] }),
    ),
    subnetId: web.id,
  };
}

describe('PolicyEngine surface', () => {
  it('names the rules and unknown sets behind a decision through ruleRef and unknownLabel', () => {
    const { engine, subnetId } = engineOf();
    const result = engine.pairResult(
      { kind: 'external', ip: '20.1.2.3' },
      { kind: 'subnet', subnetId, ip: '10.0.1.4' },
    );
    const maybe = result.in.deciders.find((d) => d.kind === 'rule' && d.maybe);
    expect(maybe).toBeDefined();
    const ref = engine.ruleRef(maybe!.ref);
    expect(ref.name).toBe('storage-https');
    expect(ref.ownerName).toBe('nsg-web');
    expect(ref.unknowns.length).toBeGreaterThan(0);
    expect(ref.unknowns.map((u) => engine.unknownLabel(u)).join(' ')).toMatch(/Storage/);
    const denies = result.in.deciders.filter((d) => d.kind === 'rule' && d.outcome === 'deny');
    expect(denies.map((d) => engine.ruleRef(d.ref).name)).toEqual(
      expect.arrayContaining(['no-ssh', 'DenyAllInBound']),
    );
  });

  it('answers decisions by id, their meet, whether they may pass, and traffic ids consistently', () => {
    const { engine, subnetId } = engineOf();
    const table = engine.sideTable(engine.index.subnets.get(subnetId)!, 'Inbound');
    expect(table.remote.length).toBeGreaterThan(0);
    const all = engine.decisions();
    expect(all.length).toBeGreaterThan(2);
    all.forEach((d, id) => expect(engine.decision(id)).toBe(d));
    const out = engine.noPolicy;
    for (const inbound of all) {
      const met = engine.meet(out, inbound);
      const traffic = engine.trafficBetween(out, inbound);
      expect(engine.trafficId(met.allow)).toBe(engine.trafficId(traffic.allow));
      expect(engine.trafficId(met.unknown)).toBe(engine.trafficId(traffic.unknown));
      const open = !traffic.allow.isEmpty || !traffic.unknown.isEmpty;
      // mayPass is a cheap over-approximation: never false for a pair that lets something through.
      if (open) expect(engine.mayPass(out.id, inbound.id)).toBe(true);
    }
    expect(engine.trafficId(engine.meet(out, engine.unknownLocation).unknown)).not.toBe(
      engine.trafficId(engine.meet(out, engine.noPolicy).unknown),
    );
  });

  it('keeps its decision store and rule compiler private', () => {
    const { engine } = engineOf();
    // @ts-expect-error the decision store is internal to src/policy
    void engine.store;
    // @ts-expect-error the rule compiler is internal to src/policy
    void engine.compiler;
    expect(Object.keys(engine)).toEqual(expect.arrayContaining(['index']));
  });
});
