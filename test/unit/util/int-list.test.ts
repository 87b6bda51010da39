import fc from 'fast-check';
import { IntList } from '../../../src/util/int-list';

describe('IntList', () => {
  // 2.5 chunks of 2^20 entries: growth by doubling, then fixed chunks.
  const size = 2_621_440;
  const list = new IntList(8);
  for (let i = 0; i < size; i++) list.push((i * 2654435761) | 0);
  const expected = (i: number) => (i * 2654435761) | 0;

  it('keeps every pushed value at its index, across chunk boundaries', () => {
    expect(list.length).toBe(size);
    for (const i of [0, 1, 15, 16, 1023, 1024, (1 << 20) - 1, 1 << 20, (1 << 21) + 7, size - 1])
      expect(list.get(i)).toBe(expected(i));
  });

  it('slices any range to exactly its entries, inside one chunk or across several', () => {
    fc.assert(
      fc.property(fc.nat(size), fc.nat(size), (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const span = Math.min(to, from + 3_000_000);
        const got = list.slice(from, span);
        expect(got.length).toBe(span - from);
        for (let i = from; i < span; i += Math.max(1, Math.floor((span - from) / 50)))
          expect(got[i - from]).toBe(expected(i));
        if (span > from) expect(got[span - from - 1]).toBe(expected(span - 1));
      }),
      { seed: 7, numRuns: 200 },
    );
    // A range straddling the first boundary.
    expect(Array.from(list.slice((1 << 20) - 2, (1 << 20) + 2))).toEqual(
      [-2, -1, 0, 1].map((d) => expected((1 << 20) + d)),
    );
  });
});
