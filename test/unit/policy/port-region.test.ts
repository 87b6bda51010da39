import fc from 'fast-check';
import { IntervalSet, portDomain } from '../../../src/net/interval-set';
import { PortRegion } from '../../../src/policy/sets/port-region';
import { TrafficSet } from '../../../src/policy/sets/traffic';
import { arbPort, arbPortSet } from '../../support/arbitraries';

const port = arbPort;
const ports = arbPortSet(3);
const rect = fc.tuple(ports, ports);
const region = fc
  .array(rect, { maxLength: 4 })
  .map((rs) => rs.reduce((acc, [s, d]) => acc.union(PortRegion.of(s, d)), PortRegion.empty));

/** Membership straight from the rectangles a region was built from: the reference. */
function inRects(
  rects: [ReturnType<typeof IntervalSet.of<number>>, ReturnType<typeof IntervalSet.of<number>>][],
  sp: number,
  dp: number,
): boolean {
  return rects.some(([s, d]) => s.has(sp) && d.has(dp));
}

describe('port regions (source port × destination port)', () => {
  it('union of rectangles has exactly the points of the rectangles', () => {
    fc.assert(
      fc.property(fc.array(rect, { maxLength: 4 }), port, port, (rects, sp, dp) => {
        const r = rects.reduce((acc, [s, d]) => acc.union(PortRegion.of(s, d)), PortRegion.empty);
        expect(r.has(sp, dp)).toBe(inRects(rects, sp, dp));
        // Rectangle corners are where bugs live.
        for (const [s, d] of rects) {
          const corner = [s.first()!, d.first()!] as const;
          expect(r.has(corner[0], corner[1])).toBe(true);
        }
      }),
    );
  });

  it('intersection, difference and union agree with membership', () => {
    fc.assert(
      fc.property(region, region, port, port, (a, b, sp, dp) => {
        expect(a.intersect(b).has(sp, dp)).toBe(a.has(sp, dp) && b.has(sp, dp));
        expect(a.subtract(b).has(sp, dp)).toBe(a.has(sp, dp) && !b.has(sp, dp));
        expect(a.union(b).has(sp, dp)).toBe(a.has(sp, dp) || b.has(sp, dp));
      }),
    );
  });

  it('is canonical: equal regions built in different ways have equal keys', () => {
    fc.assert(
      fc.property(region, region, (a, b) => {
        const left = a.subtract(b).union(a.intersect(b));
        expect(left.key()).toBe(a.key());
        expect(a.union(b).key()).toBe(b.union(a).key());
        expect(a.intersect(b).key()).toBe(b.intersect(a).key());
      }),
    );
  });

  it('answers "which destination ports are open for every source port"', () => {
    const all = IntervalSet.full(portDomain);
    const high = IntervalSet.range(portDomain, 1024, 65535);
    const r = PortRegion.of(all, IntervalSet.range(portDomain, 443, 443)).union(
      PortRegion.of(high, IntervalSet.range(portDomain, 80, 80)),
    );
    expect(r.destinationPortsForAllSources().intervals()).toEqual([[443, 443]]);
    expect(r.sourcePortsFor(80).intervals()).toEqual([[1024, 65535]]);
    expect(r.destinationPorts().intervals()).toEqual([
      [80, 80],
      [443, 443],
    ]);
  });
});

describe('traffic sets for rules', () => {
  const all = IntervalSet.full(portDomain);
  const p22 = IntervalSet.range(portDomain, 22, 22);

  it('protocol * covers TCP, UDP and ICMP; ICMP only when both port sets are full', () => {
    const any = TrafficSet.forRule('*', all, all);
    expect(any.isAll).toBe(true);
    const ssh = TrafficSet.forRule('*', all, p22);
    expect(ssh.has('Tcp', 5000, 22)).toBe(true);
    expect(ssh.has('Udp', 5000, 22)).toBe(true);
    expect(ssh.icmp).toBe(false);
    expect(TrafficSet.forRule('Icmp', all, all).icmp).toBe(true);
    expect(TrafficSet.forRule('Icmp', all, p22).icmp).toBe(false);
  });

  it('ESP and AH match none of TCP, UDP and ICMP', () => {
    expect(TrafficSet.forRule('Esp', all, all).isEmpty).toBe(true);
    expect(TrafficSet.forRule('Ah', all, all).isEmpty).toBe(true);
  });
});
