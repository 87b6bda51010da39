/**
 * Differential test of set verdicts: `explain` over small address sets (four addresses each side,
 * inside a subnet or outside every subnet) must give the verdict that follows from the oracle's
 * verdict on every concrete flow — every source and destination address, and every source port at
 * which the estate's rules can change their answer (so "any source port" is covered exactly).
 */
import fc from 'fast-check';
import { explain, type QueryProtocol } from '../../src/analyze/explain';
import { locate, type EndpointSet } from '../../src/analyze/endpoints';
import type { SnapshotIndex } from '../../src/model/snapshot-index';
import type { Snapshot } from '../../src/model/snapshot';
import { snapshotToString } from '../../src/model/snapshot-codec';
import { formatIpv4, parsePrefix } from '../../src/net/address';
import { compilePolicy } from '../../src/policy/engine';
import type { Flow, FlowEnd, FlowProtocol, FlowVerdict } from '../../src/policy/flow';
import { IntervalSet, ipv4Domain, portDomain } from '../../src/net/interval-set';
import { parsePortRange } from '../../src/net/ports';
import { oracleVerdict } from '../oracle/evaluate-flow';
import { arbEstate, arbServiceTags } from '../support/arbitraries';

const SEED = process.env.FC_SEED === undefined ? 424242 : Number(process.env.FC_SEED);
const RUNS = process.env.FC_RUNS === undefined ? 60 : Number(process.env.FC_RUNS);

/** Source ports where some rule's answer can change: every range edge in the estate, and its neighbours. */
function sourcePortsToTry(snapshot: Snapshot): number[] {
  const ports = new Set<number>([0, 1, 1024, 50000, 65535]);
  const edges = (list: readonly string[]) => {
    for (const text of list) {
      const r = parsePortRange(text);
      if (!r) continue;
      for (const p of [r.lo - 1, r.lo, r.hi, r.hi + 1]) if (p >= 0 && p <= 65535) ports.add(p);
    }
  };
  for (const g of snapshot.networkSecurityGroups) {
    for (const r of [...g.securityRules, ...g.defaultSecurityRules]) edges(r.sourcePortRanges);
  }
  for (const r of snapshot.securityAdminRules) edges(r.sourcePortRanges);
  return [...ports].sort((a, b) => a - b);
}

interface SideChoice {
  /** Index of a subnet, or -1 for addresses outside every subnet. */
  subnet: number;
  offset: number;
}

const arbSide: fc.Arbitrary<SideChoice> = fc.record({
  subnet: fc.integer({ min: -1, max: 8 }),
  offset: fc.integer({ min: 0, max: 60 }),
});

/** Four consecutive addresses in a subnet (or outside every subnet), as a located endpoint set and as flow ends. */
function sideOf(index: SnapshotIndex, choice: SideChoice): { set: EndpointSet; ends: FlowEnd[] } | null {
  const { snapshot } = index;
  const subnet =
    choice.subnet >= 0 ? snapshot.subnets[choice.subnet % Math.max(snapshot.subnets.length, 1)] : undefined;
  let start: number;
  if (subnet) {
    const p = subnet.addressPrefixes.map((x) => parsePrefix(x)).find((x) => x?.family === 4);
    if (!p || p.family !== 4 || p.end - p.start < 8) return null;
    start = p.start + ((choice.offset * 4) % (p.end - p.start - 3));
  } else start = (0x14320000 + choice.offset * 4) >>> 0; // 20.50.0.0 and up
  const ranges = IntervalSet.range(ipv4Domain, start, start + 3);
  if (!subnet) {
    const inside = snapshot.subnets.some((s) =>
      s.addressPrefixes.some((x) => {
        const p = parsePrefix(x);
        return p !== null && p.family === 4 && p.start <= start + 3 && start <= p.end;
      }),
    );
    if (inside) return null;
  }
  // Located as `explain` locates a CIDR: a public container group's address is that group (decision 4).
  const parts = locate(ranges, subnet ? [subnet] : [], index);
  const ips = [0, 1, 2, 3].map((i) => formatIpv4(start + i));
  return {
    set: { text: `${formatIpv4(start)}/30`, description: 'test set', parts, oneOf: false },
    ends: ips.map((ip) => (subnet ? { kind: 'subnet', subnetId: subnet.id, ip } : { kind: 'external', ip })),
  };
}

function expectedVerdict(outcomes: Set<FlowVerdict>): string {
  if (outcomes.has('allow') && outcomes.has('deny')) return 'partial';
  if (outcomes.has('unknown')) return 'unknown';
  return outcomes.has('allow') ? 'allow' : 'deny';
}

describe('explain vs oracle', () => {
  it(`gives the set verdict the oracle's flows imply on ${RUNS} random estates`, () => {
    let compared = 0;
    let withPublicAddress = 0;
    fc.assert(
      fc.property(
        arbEstate(),
        arbServiceTags(),
        fc.array(
          fc.record({
            from: arbSide,
            to: arbSide,
            protocol: fc.constantFrom<QueryProtocol>('Tcp', 'Udp', 'Icmp', '*'),
            port: fc.constantFrom(0, 22, 80, 443, 8080, 65535),
          }),
          { minLength: 3, maxLength: 3 },
        ),
        (snapshot, serviceTags, queries) => {
          const engine = compilePolicy(snapshot, { serviceTags });
          const srcPorts = sourcePortsToTry(snapshot);
          for (const q of queries) {
            const from = sideOf(engine.index, q.from);
            const to = sideOf(engine.index, q.to);
            if (!from || !to || (q.from.subnet < 0 && q.to.subnet < 0)) continue;
            const protocols: FlowProtocol[] = q.protocol === '*' ? ['Tcp', 'Udp', 'Icmp'] : [q.protocol];
            const outcomes = new Set<FlowVerdict>();
            for (const src of from.ends) {
              for (const dst of to.ends) {
                if (JSON.stringify(src) === JSON.stringify(dst)) continue; // an address to itself is not a flow
                for (const protocol of protocols) {
                  for (const srcPort of protocol === 'Icmp' ? [0] : srcPorts) {
                    const flow: Flow = { src, dst, protocol, srcPort, dstPort: q.port };
                    outcomes.add(oracleVerdict(snapshot, flow, { serviceTags }));
                  }
                }
              }
            }
            const ports = q.protocol === 'Icmp' ? null : IntervalSet.range(portDomain, q.port, q.port);
            const actual = explain(engine, from.set, to.set, q.protocol, ports).verdict;
            compared++;
            if ([from, to].some((x) => x.set.parts.some((p) => p.kind === 'publicContainerGroup')))
              withPublicAddress++;
            const expected = expectedVerdict(outcomes);
            if (actual !== expected) {
              throw new Error(
                `explain says ${actual}, the oracle's flows say ${expected}\nquery: ${JSON.stringify({ from: from.set.text, to: to.set.text, protocol: q.protocol, port: q.port })}\n${snapshotToString(snapshot)}`,
              );
            }
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(compared).toBeGreaterThan(RUNS);
    // Some sets held a public container group's address, which is that group (decision 4).
    expect(withPublicAddress).toBeGreaterThan(0);
  });
});
