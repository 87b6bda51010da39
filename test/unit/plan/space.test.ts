/**
 * `allowsAll` and `allowedEverywhere` read the side decisions of each cell instead of a pair result
 * per cell: checked against the cell-by-cell meet (`cellsBetween`) on random estates, with address
 * ranges around the estate's own addresses and whole subnets, ends in one subnet included (where one
 * address to itself is no flow).
 * Replay: FC_SEED=<seed> FC_RUNS=<runs> npx jest test/unit/plan/space
 */
import fc from 'fast-check';
import { cellsBetween } from '../../../src/analyze/cells';
import type { LocatedPart } from '../../../src/analyze/endpoints';
import { parseIpv4 } from '../../../src/net/address';
import { IntervalSet, ipv4Domain, portDomain } from '../../../src/net/interval-set';
import {
  compilePolicy,
  ipv4SetOf,
  PortRegion,
  subnetSpace,
  TrafficSet,
  type PolicyEngine,
} from '../../../src/policy';
import { allowedEverywhere, allowsAll, isSelfCell, SubnetLocator } from '../../../src/plan/space';
import { arbEstate, arbFlowFor, arbPortSet, arbServiceTags } from '../../support/arbitraries';

const SEED = process.env.FC_SEED === undefined ? 20261201 : Number(process.env.FC_SEED);
const RUNS = process.env.FC_RUNS === undefined ? 60 : Number(process.env.FC_RUNS);

/** The meet of every non-self cell's allow, cell by cell (all traffic without a cell). */
function reference(engine: PolicyEngine, src: LocatedPart[], dst: LocatedPart[]): TrafficSet {
  let out = TrafficSet.all;
  for (const s of src)
    for (const d of dst)
      for (const cell of cellsBetween(engine, s, d))
        if (!isSelfCell(s, d, cell)) out = out.intersect(cell.result.allow);
  return out;
}

const arbTraffic = fc
  .tuple(arbPortSet(2), arbPortSet(2), fc.boolean())
  .map(
    ([src, dst, icmp]) =>
      new TrafficSet(PortRegion.of(src, dst), PortRegion.of(IntervalSet.full(portDomain), dst), icmp),
  );

const arbCase = fc.tuple(arbEstate(), arbServiceTags()).chain(([snapshot, serviceTags]) =>
  fc.record({
    snapshot: fc.constant(snapshot),
    serviceTags: fc.constant(serviceTags),
    ends: fc.array(
      fc.record({
        flow: arbFlowFor(snapshot),
        spread: fc.constantFrom(0, 0, 1, 3, 300),
        wholeSubnet: fc.boolean(),
        sameEnd: fc.boolean(),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    traffic: arbTraffic,
  }),
);

it('meets the cells of a rectangle as the cell-by-cell meet does', () => {
  fc.assert(
    fc.property(arbCase, ({ snapshot, serviceTags, ends, traffic }) => {
      const engine = compilePolicy(snapshot, serviceTags ? { serviceTags } : {});
      const locator = new SubnetLocator(engine.index);
      const around = (ip: string, spread: number, whole: boolean): LocatedPart[] => {
        const parts = locator.locate(
          IntervalSet.range(ipv4Domain, parseIpv4(ip)!, Math.min(parseIpv4(ip)! + spread, 0xffffffff)),
        );
        if (!whole) return parts;
        return parts.map((p) =>
          p.kind === 'subnet' ? { ...p, ranges: ipv4SetOf(p.subnet.addressPrefixes) } : p,
        );
      };
      const ipOf = (end: (typeof ends)[0]['flow']['src']) =>
        end.kind === 'publicContainerGroup'
          ? snapshot.containerGroups.find((g) => g.id === end.containerGroupId)!.ipAddress!.ip!
          : end.ip;
      for (const { flow, spread, wholeSubnet, sameEnd } of ends) {
        const src = around(ipOf(flow.src), spread, wholeSubnet);
        const dst = sameEnd ? src : around(ipOf(flow.dst), spread, false);
        const expected = reference(engine, src, dst);
        expect(allowedEverywhere(engine, src, dst).equals(expected)).toBe(true);
        expect(allowsAll(engine, src, dst, traffic)).toBe(traffic.subtract(expected).isEmpty);
        expect(allowsAll(engine, src, dst, expected)).toBe(true);
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

describe('subnetSpace', () => {
  it("is ipv4SetOf of the subnet's prefixes, made once per prefix list (a subnet changed as a new object gets its own)", () => {
    const subnet = { addressPrefixes: ['10.1.0.0/24', '10.1.2.0/25', 'fd00::/64'] };
    const space = subnetSpace(subnet);
    expect(space.equals(ipv4SetOf(subnet.addressPrefixes))).toBe(true);
    expect(space.size()).toBe(256 + 128);
    // The same list (a subnet object spread into another) shares the set.
    expect(subnetSpace({ ...subnet })).toBe(space);
    const widened = { ...subnet, addressPrefixes: ['10.1.0.0/23'] };
    expect(subnetSpace(widened).equals(ipv4SetOf(['10.1.0.0/23']))).toBe(true);
  });
});
