/**
 * ACI008 (shadowed) and ACI009 (redundant) against the brute-force oracle, on random estates:
 * removing ALL the rules both report, together, leaves every verdict unchanged on concrete flows
 * (random ones, and for every rule of every attached NSG ones at its boundary addresses and ports),
 * and no rule reported
 * shadowed is ever the NSG rule that decides a flow.
 *
 * Replay: FC_SEED=<seed> FC_RUNS=<runs> [FC_PATH=<path>] npx jest test/differential/redundancy
 */
import fc from 'fast-check';
import type { SecurityRule, Snapshot, Subnet } from '../../src/model/snapshot';
import { formatIpv4, parsePrefix } from '../../src/net/address';
import { parsePortRange } from '../../src/net/ports';
import type { Flow, FlowEnd, FlowProtocol, FlowVerdict } from '../../src/policy/flow';
import type { ServiceTags } from '../../src/policy';
import { runRules } from '../../src/analyze/rules';
import { shadowedRule } from '../../src/analyze/rules/shadowed-rule';
import { redundantRule } from '../../src/analyze/rules/redundant-rule';
import { oracleNsgDeciders, oracleVerdict } from '../oracle/evaluate-flow';
import { ids, nsg, rule, snapshotOf, subnet, vnet } from '../oracle/tiny-estate';
import { arbEstate, arbFlowPlan, arbServiceTags, flowFromPlan } from '../support/arbitraries';
import { ruleContext } from '../unit/analyze/rules/rule-context';

const SEED = process.env.FC_SEED === undefined ? 20261201 : Number(process.env.FC_SEED);
const RUNS = process.env.FC_RUNS === undefined ? 150 : Number(process.env.FC_RUNS);
const PATH = process.env.FC_PATH;
const BOUNDARY_FLOWS = 120;
const RANDOM_FLOWS = 20;

/** `<nsg id>/<direction>/<name>` of each rule the two rules report, and of those reported shadowed. */
function reported(
  snapshot: Snapshot,
  serviceTags: ServiceTags | undefined,
): { all: Set<string>; shadowed: Set<string> } {
  const result = runRules(ruleContext(snapshot, { serviceTags }), [shadowedRule, redundantRule]);
  const all = new Set<string>();
  const shadowed = new Set<string>();
  for (const f of result.findings) {
    for (const c of f.coverage ?? [])
      for (const rule of c.rules) {
        const key = `${f.resources[0]!.id}/${c.direction}/${rule}`;
        all.add(key);
        if (f.ruleId === 'ACI008') shadowed.add(key);
      }
  }
  return { all, shadowed };
}

function without(snapshot: Snapshot, removed: Set<string>): Snapshot {
  return {
    ...snapshot,
    networkSecurityGroups: snapshot.networkSecurityGroups.map((n) => ({
      ...n,
      securityRules: n.securityRules.filter((r) => !removed.has(`${n.id}/${r.direction}/${r.name}`)),
    })),
  };
}

function range(cidr: string): [number, number] | null {
  const p = parsePrefix(cidr);
  return p === null || p.family !== 4 ? null : [p.start, p.end];
}

const FIXED_REMOTES = [
  '8.8.8.8',
  '20.60.1.1',
  '20.50.0.4',
  '52.0.0.1',
  '168.63.129.16',
  '10.0.8.1',
  '100.64.0.1',
  '192.168.4.1',
];

/** Boundary values of a port field: each range's ends and their neighbours. */
function portEdges(ranges: readonly string[]): number[] {
  const out: number[] = [];
  for (const text of ranges) {
    const r = parsePortRange(text);
    if (r) out.push(r.lo, r.hi, r.lo - 1, r.hi + 1);
  }
  return out.filter((p) => p >= 0 && p <= 65535);
}

/** Flows whose local end is in a subnet with an NSG, at the address and port edges of its rules. */
function boundaryFlows(snapshot: Snapshot, seed: number, count: number): Flow[] {
  const subnets = snapshot.subnets.filter(
    (s) => s.networkSecurityGroupId !== null && range(s.addressPrefixes[0]!) !== null,
  );
  if (subnets.length === 0) return [];
  const locate = (ip: number): FlowEnd => {
    const owner = snapshot.subnets.find((s) =>
      s.addressPrefixes.some((p) => {
        const r = range(p);
        return r !== null && r[0] <= ip && ip <= r[1];
      }),
    );
    return owner
      ? { kind: 'subnet', subnetId: owner.id, ip: formatIpv4(ip) }
      : { kind: 'external', ip: formatIpv4(ip) };
  };
  let state = seed >>> 0 || 1;
  const next = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  // Every custom rule of every NSG that applies to a subnet, visited in turn: each gets flows at its edges.
  const entries: { s: Subnet; direction: 'Inbound' | 'Outbound'; r: SecurityRule | null }[] = [];
  for (const s of subnets) {
    const group = snapshot.networkSecurityGroups.find((n) => n.id === s.networkSecurityGroupId);
    for (const direction of ['Inbound', 'Outbound'] as const) {
      const rules = (group?.securityRules ?? []).filter((r) => r.direction === direction);
      if (rules.length === 0) entries.push({ s, direction, r: null });
      for (const r of rules) entries.push({ s, direction, r });
    }
  }
  const flows: Flow[] = [];
  for (let k = 0; flows.length < count && k < entries.length * 8; k++) {
    const { s, direction, r } = entries[k % entries.length]!;
    const [lo, hi] = range(s.addressPrefixes[0]!)!;
    const localWords = r
      ? direction === 'Inbound'
        ? r.destinationAddressPrefixes
        : r.sourceAddressPrefixes
      : [];
    const remoteWords = r
      ? direction === 'Inbound'
        ? r.sourceAddressPrefixes
        : r.destinationAddressPrefixes
      : [];
    const locals = [
      lo,
      hi,
      lo + 4,
      ...localWords.flatMap((w) => range(w) ?? []).flatMap((x) => [x, x - 1, x + 1]),
    ].filter((x) => x >= lo && x <= hi);
    const remotes = [
      ...remoteWords
        .flatMap((w) => range(w) ?? [])
        .flatMap((x) => [x, x - 1, x + 1])
        .filter((x) => x >= 0 && x <= 0xffffffff),
      ...FIXED_REMOTES.map((a) => range(a)![0]),
      ...snapshot.subnets.flatMap((o) => o.addressPrefixes.flatMap((p) => range(p) ?? []).map((x) => x)),
    ];
    const local = locals[next(locals.length)]!;
    const remote = remotes[next(remotes.length)]!;
    if (local === remote) continue;
    const protocol: FlowProtocol = (['Tcp', 'Udp', 'Icmp'] as const)[next(3)]!;
    const dstPorts = [...portEdges(r?.destinationPortRanges ?? []), 443, 50000];
    const srcPorts = [...portEdges(r?.sourcePortRanges ?? []), 50000, 80];
    const localEnd: FlowEnd = { kind: 'subnet', subnetId: s.id, ip: formatIpv4(local) };
    const remoteEnd = locate(remote);
    flows.push({
      src: direction === 'Outbound' ? localEnd : remoteEnd,
      dst: direction === 'Outbound' ? remoteEnd : localEnd,
      protocol,
      srcPort: srcPorts[next(srcPorts.length)]!,
      dstPort: dstPorts[next(dstPorts.length)]!,
    });
  }
  return flows;
}

/** The oracle's verdict, or null when it refuses (too many unknown memberships). */
function verdict(snapshot: Snapshot, flow: Flow, serviceTags: ServiceTags | undefined): FlowVerdict | null {
  try {
    return oracleVerdict(snapshot, flow, { serviceTags });
  } catch (e) {
    if (e instanceof Error && e.message.includes('unknown memberships')) return null;
    throw e;
  }
}

describe('shadowed and redundant rules vs the oracle', () => {
  it(`removing every reported rule together changes no verdict, and shadowed rules decide nothing (${RUNS} estates)`, () => {
    let reportedTotal = 0;
    let shadowedTotal = 0;
    let flowsCompared = 0;
    fc.assert(
      fc.property(
        arbEstate(),
        arbServiceTags(),
        fc.array(arbFlowPlan(), { minLength: RANDOM_FLOWS, maxLength: RANDOM_FLOWS }),
        fc.integer({ min: 1, max: 0x7fffffff }),
        (snapshot, serviceTags, plans, seed) => {
          const { all, shadowed } = reported(snapshot, serviceTags);
          reportedTotal += all.size;
          shadowedTotal += shadowed.size;
          const reduced = without(snapshot, all);
          const flows = [
            ...plans.map((p) => flowFromPlan(snapshot, p)),
            ...boundaryFlows(snapshot, seed, BOUNDARY_FLOWS),
          ];
          for (const flow of flows) {
            const before = verdict(snapshot, flow, serviceTags);
            if (before === null) continue;
            flowsCompared++;
            const after = verdict(reduced, flow, serviceTags);
            if (after !== before)
              throw new Error(
                `removing ${[...all].join(', ')} turned ${JSON.stringify(flow)} from ${before} into ${after}`,
              );
            if (shadowed.size === 0) continue;
            for (const key of oracleNsgDeciders(snapshot, flow, { serviceTags }))
              if (shadowed.has(key))
                throw new Error(`${key} is reported shadowed but decides ${JSON.stringify(flow)}`);
          }
        },
      ),
      { seed: SEED, numRuns: RUNS, path: PATH, endOnFailure: true },
    );
    // The property is not vacuous: random estates do have rules to report, and flows to compare.
    expect(reportedTotal).toBeGreaterThan(RUNS / 2);
    expect(shadowedTotal).toBeGreaterThan(RUNS / 10);
    expect(flowsCompared).toBeGreaterThan(RUNS * 50);
  }, 300_000);

  it('reports a set that can go together: of two identical allows exactly one, though each alone is redundant', () => {
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
    const snapshot = snapshotOf({
      virtualNetworks: [vnet('a', ['10.1.0.0/16'])],
      subnets: [subnet('a', 's', ['10.1.0.0/24'], { networkSecurityGroupId: ids.nsg('n') })],
      networkSecurityGroups: [nsg('n', [twin('first', 100), twin('second', 200)])],
    });
    const flow: Flow = {
      src: { kind: 'external', ip: '203.0.113.9' },
      dst: { kind: 'subnet', subnetId: ids.subnet('a', 's'), ip: '10.1.0.4' },
      protocol: 'Tcp',
      srcPort: 50000,
      dstPort: 8080,
    };
    const key = (name: string) => `${ids.nsg('n')}/Inbound/${name}`;
    // Each twin alone can go; both together cannot: checking rules one at a time would report both.
    expect(verdict(without(snapshot, new Set([key('first')])), flow, undefined)).toBe('allow');
    expect(verdict(without(snapshot, new Set([key('second')])), flow, undefined)).toBe('allow');
    expect(verdict(without(snapshot, new Set([key('first'), key('second')])), flow, undefined)).toBe('deny');
    const { all } = reported(snapshot, undefined);
    expect([...all]).toEqual([key('second')]);
    expect(verdict(without(snapshot, all), flow, undefined)).toBe('allow');
  });
});
