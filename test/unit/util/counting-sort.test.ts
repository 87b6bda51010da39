import fc from 'fast-check';
import { countingSort } from '../../../src/util/counting-sort';

it('sorts items by their key, keeping the order of equal keys (as a stable sort does)', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 60 }), (keys) => {
      const items = Int32Array.from(keys.map((_, i) => i).reverse());
      const expected = [...items].sort((a, b) => keys[a]! - keys[b]! || items.indexOf(a) - items.indexOf(b));
      expect([...countingSort(items, keys, 10)]).toEqual(expected);
    }),
  );
});
