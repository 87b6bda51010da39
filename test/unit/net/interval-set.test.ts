import fc from 'fast-check';
import {
  IntervalSet,
  ipv4Domain,
  ipv6Domain,
  portDomain,
  IPV4_MAX,
  IPV6_MAX,
  type IntegerDomain,
} from '../../../src/net/interval-set';

/** Random sets over a domain, biased towards the domain's edges so off-by-one bugs at 0 and max show. */
function arbSet<T extends number | bigint>(
  domain: IntegerDomain<T>,
  point: fc.Arbitrary<T>,
): fc.Arbitrary<IntervalSet<T>> {
  const interval = fc.tuple(point, point).map(([a, b]) => (a <= b ? ([a, b] as const) : ([b, a] as const)));
  return fc.array(interval, { maxLength: 6 }).map((list) => IntervalSet.of(domain, list));
}

const ipv4Point = fc.oneof(
  fc.constantFrom(0, 1, 2, IPV4_MAX - 1, IPV4_MAX, 0x0a000000, 0x0a0000ff),
  fc.integer({ min: 0, max: IPV4_MAX }),
  fc.integer({ min: 0x0a000000, max: 0x0a000020 }),
);
const portPoint = fc.oneof(
  fc.constantFrom(0, 1, 22, 80, 443, 65534, 65535),
  fc.integer({ min: 0, max: 65535 }),
);
const ipv6Point = fc.oneof(
  fc.constantFrom(0n, 1n, IPV6_MAX - 1n, IPV6_MAX),
  fc.bigInt({ min: 0n, max: IPV6_MAX }),
  fc.bigInt({ min: 0n, max: 40n }),
);

/** Membership through a brute-force scan of the intervals: the reference for `has`. */
function naiveHas<T extends number | bigint>(s: IntervalSet<T>, x: T): boolean {
  return s.intervals().some(([lo, hi]) => lo <= x && x <= hi);
}

function laws<T extends number | bigint>(name: string, domain: IntegerDomain<T>, point: fc.Arbitrary<T>) {
  const set = arbSet(domain, point);
  describe(`${name} interval sets`, () => {
    it('are canonical: sorted, disjoint and non-adjacent intervals', () => {
      fc.assert(
        fc.property(set, set, (a, b) => {
          for (const s of [a, b, a.union(b), a.intersect(b), a.subtract(b), a.complement()]) {
            const iv = s.intervals();
            for (let i = 0; i < iv.length; i++) {
              expect(iv[i]![0] <= iv[i]![1]).toBe(true);
              if (i > 0)
                expect(iv[i - 1]![1] !== domain.max && domain.inc(iv[i - 1]![1]) < iv[i]![0]).toBe(true);
            }
          }
        }),
      );
    });

    it('intersectionSize is the size of the intersection, either way round', () => {
      fc.assert(
        fc.property(set, set, (a, b) => {
          expect(a.intersectionSize(b)).toBe(a.intersect(b).size());
          expect(b.intersectionSize(a)).toBe(a.intersect(b).size());
        }),
      );
    });

    it('compareTo orders by the intervals, lexicographically, and is 0 only for equal sets', () => {
      fc.assert(
        fc.property(set, set, (a, b) => {
          const x = a.intervals();
          const y = b.intervals();
          let expected = 0;
          for (let k = 0; k < Math.min(x.length, y.length) && expected === 0; k++) {
            const [alo, ahi] = x[k]!;
            const [blo, bhi] = y[k]!;
            expected = alo !== blo ? (alo < blo ? -1 : 1) : ahi !== bhi ? (ahi < bhi ? -1 : 1) : 0;
          }
          if (expected === 0) expected = Math.sign(x.length - y.length);
          expect(Math.sign(a.compareTo(b)) || 0).toBe(expected);
          expect(Math.sign(b.compareTo(a)) || 0).toBe(-expected || 0);
          expect(a.compareTo(b) === 0).toBe(a.equals(b));
        }),
      );
    });

    it('union and intersection commute, and agree with membership', () => {
      fc.assert(
        fc.property(set, set, point, (a, b, x) => {
          expect(a.union(b).equals(b.union(a))).toBe(true);
          expect(a.intersect(b).equals(b.intersect(a))).toBe(true);
          expect(a.union(b).has(x)).toBe(naiveHas(a, x) || naiveHas(b, x));
          expect(a.intersect(b).has(x)).toBe(naiveHas(a, x) && naiveHas(b, x));
          expect(a.subtract(b).has(x)).toBe(naiveHas(a, x) && !naiveHas(b, x));
          expect(a.complement().has(x)).toBe(!naiveHas(a, x));
        }),
      );
    });

    it('difference is disjoint from the subtrahend and (a − b) ∪ (a ∩ b) = a', () => {
      fc.assert(
        fc.property(set, set, (a, b) => {
          expect(a.subtract(b).overlaps(b)).toBe(false);
          expect(a.subtract(b).union(a.intersect(b)).equals(a)).toBe(true);
          expect(a.equals(a.subtract(b).union(a.intersect(b)))).toBe(true);
        }),
      );
    });

    it('subset agrees with a ∩ b = a, in both directions', () => {
      fc.assert(
        fc.property(set, set, (a, b) => {
          expect(a.isSubsetOf(b)).toBe(a.intersect(b).equals(a));
          expect(b.isSubsetOf(a)).toBe(b.intersect(a).equals(b));
          expect(a.isSubsetOf(a.union(b))).toBe(true);
          expect(a.intersect(b).isSubsetOf(a)).toBe(true);
        }),
      );
    });

    it('complement is an involution and partitions the domain', () => {
      fc.assert(
        fc.property(set, (a) => {
          expect(a.complement().complement().equals(a)).toBe(true);
          expect(a.union(a.complement()).isFull).toBe(true);
          expect(a.intersect(a.complement()).isEmpty).toBe(true);
        }),
      );
    });

    it('equality is structural and symmetric', () => {
      fc.assert(
        fc.property(set, set, (a, b) => {
          const sameMembers = a.subtract(b).isEmpty && b.subtract(a).isEmpty;
          expect(a.equals(b)).toBe(sameMembers);
          expect(b.equals(a)).toBe(sameMembers);
          expect(a.key() === b.key()).toBe(sameMembers);
        }),
      );
    });
  });
}

laws('IPv4', ipv4Domain, ipv4Point);
laws('port', portDomain, portPoint);
laws('IPv6', ipv6Domain, ipv6Point);

describe('interval set edges', () => {
  it('merges an interval that touches the domain maximum with what follows it (regression)', () => {
    const a = IntervalSet.of(ipv4Domain, [[0, IPV4_MAX]]);
    const b = IntervalSet.of(ipv4Domain, [[10, 20]]);
    expect(a.union(b).intervals()).toEqual([[0, IPV4_MAX]]);
    expect(
      IntervalSet.of(ipv4Domain, [
        [0, IPV4_MAX],
        [5, 6],
      ]).intervals(),
    ).toEqual([[0, IPV4_MAX]]);
  });

  it('rejects reversed and out-of-domain intervals', () => {
    expect(() => IntervalSet.range(portDomain, 80, 70)).toThrow(RangeError);
    expect(() => IntervalSet.range(portDomain, 0, 65536)).toThrow(RangeError);
    expect(() => IntervalSet.of(ipv4Domain, [[-1, 3]])).toThrow(RangeError);
  });

  it('counts members across the whole IPv4 space without 32-bit overflow', () => {
    expect(IntervalSet.full(ipv4Domain).size()).toBe(2 ** 32);
    expect(IntervalSet.full(ipv4Domain).has(IPV4_MAX)).toBe(true);
    expect(IntervalSet.full(ipv6Domain).complement().isEmpty).toBe(true);
  });
});
