/** Cut points decide every slice boundary of the engine: sorting and searching them must be exact. */
import fc from 'fast-check';
import { distinctInPlace, lastAtOrBelow, sortedDistinct } from '../../../src/util/sorted-search';

const values = fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 60 });

describe('sorted cut points', () => {
  it('sortedDistinct gives the distinct values ascending, over the first count entries only', () => {
    fc.assert(
      fc.property(values, values, (kept, ignored) => {
        const buf = Float64Array.from([...kept, ...ignored]);
        const expected = [...new Set(kept)].sort((a, b) => a - b);
        expect(sortedDistinct(buf, kept.length)).toEqual(expected);
        // In place: a view of the same buffer, for either array type.
        const ints = Int32Array.from([...kept, ...ignored].map((v) => v | 0));
        const view = distinctInPlace(ints, kept.length);
        expect(view.buffer).toBe(ints.buffer);
        expect(Array.from(view)).toEqual([...new Set(kept.map((v) => v | 0))].sort((a, b) => a - b));
      }),
    );
  });

  it('lastAtOrBelow finds the last cut at or below a value', () => {
    fc.assert(
      fc.property(values, fc.integer({ min: 0, max: 0xffffffff }), (vs, x) => {
        const cuts = sortedDistinct(Float64Array.from([0, ...vs]), vs.length + 1);
        const i = lastAtOrBelow(cuts, x);
        expect(cuts[i]).toBeLessThanOrEqual(x);
        if (i + 1 < cuts.length) expect(cuts[i + 1]).toBeGreaterThan(x);
      }),
    );
  });
});
