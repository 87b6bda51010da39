/**
 * Differential test of the deciders that explanations and the rule pack name (PolicyEngine.decidersAt,
 * one side at one address pair): on random estates, every concrete flow inside the traffic an NSG rule
 * is said to have decided (its edges: first and last ports of each layer) is one the brute-force
 * oracle says that rule decides. The painter behind it cuts ports only for the rules that can match
 * at the point, so a rule left out of those cuts would decide traffic it does not hold.
 */
import fc from 'fast-check';
import type { Snapshot } from '../../src/model/snapshot';
import { formatIpv4, parsePrefix } from '../../src/net/address';
import { compilePolicy } from '../../src/policy/engine';
import type { Flow, FlowEnd, FlowProtocol } from '../../src/policy/flow';
import type { TrafficSet } from '../../src/policy/sets/traffic';
import { oracleNsgDeciders } from '../oracle/evaluate-flow';
import { arbEstate } from '../support/arbitraries';

const SEED = process.env.FC_SEED === undefined ? 525252 : Number(process.env.FC_SEED);
const RUNS = process.env.FC_RUNS === undefined ? 40 : Number(process.env.FC_RUNS);

/** Concrete (protocol, source port, destination port) at the edges of every layer of a traffic set. */
function edgeTuples(t: TrafficSet): [FlowProtocol, number, number][] {
  const out: [FlowProtocol, number, number][] = [];
  for (const [protocol, region] of [
    ['Tcp', t.tcp],
    ['Udp', t.udp],
  ] as const) {
    for (const [src, dst] of region.layers) {
      const s = [...src.intervals()];
      const d = [...dst.intervals()];
      const sp = [s[0]![0], s[s.length - 1]![1]];
      const dp = [d[0]![0], d[d.length - 1]![1]];
      for (const a of sp) for (const b of dp) out.push([protocol, a, b]);
    }
  }
  return out;
}

/** A flow end with its address as a number, and its subnet (null outside every subnet). */
interface End {
  end: FlowEnd;
  ip: number;
  subnetId: string | null;
}

/** How many subnets hold an address (random estates may overlap VNets). */
function holders(snapshot: Snapshot, ip: number): number {
  return snapshot.subnets.filter((s) =>
    s.addressPrefixes.some((x) => {
      const p = parsePrefix(x);
      return p !== null && p.family === 4 && p.start <= ip && ip <= p.end;
    }),
  ).length;
}

/**
 * A few addresses of each subnet (first usable, middle) and one outside every subnet. An address two
 * subnets hold is left out: an address pair alone cannot say which of them (and which container
 * group's ASGs) the other end is.
 */
function addressesOf(snapshot: Snapshot): End[] {
  const ends: End[] = [];
  for (const s of snapshot.subnets) {
    const p = s.addressPrefixes.map((x) => parsePrefix(x)).find((x) => x?.family === 4);
    if (!p || p.family !== 4 || p.end - p.start < 8) continue;
    for (const ip of [p.start + 4, (p.start + p.end) >>> 1])
      if (holders(snapshot, ip) === 1)
        ends.push({ ip, subnetId: s.id, end: { kind: 'subnet', subnetId: s.id, ip: formatIpv4(ip) } });
  }
  const outside = 0x14320001; // 20.50.0.1
  if (holders(snapshot, outside) === 0)
    ends.push({ ip: outside, subnetId: null, end: { kind: 'external', ip: formatIpv4(outside) } });
  return ends;
}

it('every flow at the edges of a rule decider’s traffic is one the oracle says that rule decides', () => {
  let checked = 0;
  fc.assert(
    fc.property(arbEstate(), (snapshot) => {
      const engine = compilePolicy(snapshot);
      const ends = addressesOf(snapshot);
      for (const local of ends) {
        if (local.subnetId === null) continue;
        const subnet = snapshot.subnets.find((s) => s.id === local.subnetId)!;
        if (subnet.networkSecurityGroupId === null) continue;
        for (const remote of ends) {
          if (remote === local) continue;
          for (const direction of ['Inbound', 'Outbound'] as const) {
            for (const d of engine.decidersAt(subnet.id, direction, local.ip, remote.ip)) {
              if (d.kind !== 'rule' || d.maybe) continue;
              const rule = engine.ruleRef(d.ref);
              if (rule.layer !== 'nsg') continue;
              const key = `${rule.ownerId}/${direction}/${rule.name}`.toLowerCase();
              for (const [protocol, srcPort, dstPort] of edgeTuples(d.traffic)) {
                const [src, dst] =
                  direction === 'Outbound' ? [local.end, remote.end] : [remote.end, local.end];
                const flow: Flow = { src, dst, protocol, srcPort, dstPort };
                const oracle = [...oracleNsgDeciders(snapshot, flow)].map((k) => k.toLowerCase());
                if (!oracle.includes(key))
                  throw new Error(
                    `${key} is said to decide ${JSON.stringify(flow)}; the oracle says ${oracle.join(', ') || 'nothing'}`,
                  );
                checked++;
              }
            }
          }
        }
      }
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
  // Not vacuous: random estates have NSG rules deciding traffic at these points.
  expect(checked).toBeGreaterThan(RUNS * 20);
});
