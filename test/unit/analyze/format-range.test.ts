import fc from 'fast-check';
import { formatRange } from '../../../src/analyze/explain';
import { ipv4RangeToCidrs } from '../../../src/net/address';

/** The definition formatRange must keep: the range's one CIDR block (a host without `/32`), else `first-last`. */
function byCidrSplit(lo: number, hi: number): string {
  const cidrs = ipv4RangeToCidrs(lo, hi);
  if (cidrs.length === 1) return cidrs[0]!.replace(/\/32$/, '');
  const [a] = ipv4RangeToCidrs(lo, lo);
  const [b] = ipv4RangeToCidrs(hi, hi);
  return `${a!.replace(/\/32$/, '')}-${b!.replace(/\/32$/, '')}`;
}

describe('formatRange', () => {
  it('writes hosts, CIDR blocks and other ranges as the CIDR split does', () => {
    expect(formatRange(0, 2 ** 32 - 1)).toBe('0.0.0.0/0');
    expect(formatRange(167772164, 167772164)).toBe('10.0.0.4');
    expect(formatRange(167772160, 167772415)).toBe('10.0.0.0/24');
    expect(formatRange(167772161, 167772416)).toBe('10.0.0.1-10.0.1.0');
    expect(formatRange(0, 2 ** 31)).toBe('0.0.0.0-128.0.0.0');
    expect(formatRange(2 ** 31, 2 ** 32 - 1)).toBe('128.0.0.0/1');
  });

  it('agrees with the CIDR split on arbitrary and aligned ranges', () => {
    const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
    const aligned = fc.tuple(fc.integer({ min: 0, max: 32 }), u32).map(([bits, x]) => {
      const size = 2 ** bits;
      const lo = Math.floor(x / size) * size;
      return [lo, lo + size - 1] as const;
    });
    const any = fc.tuple(u32, u32).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
    fc.assert(
      fc.property(fc.oneof(aligned, any), ([lo, hi]) => formatRange(lo, hi) === byCidrSplit(lo, hi)),
      { numRuns: 2000 },
    );
  });
});
