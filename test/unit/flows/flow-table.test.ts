/** The flow table finds the same row for the same key and a new one otherwise, through growth. */
import fc from 'fast-check';
import { FlowTable } from '../../../src/collect/flows/flow-table';

it('agrees with a Map on random keys (many collisions, several growths, keyless rows in between)', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          fc.integer({ min: 0, max: 3 }),
          fc.integer({ min: 0, max: 0xffffffff }),
          fc.integer({ min: 0, max: 2 ** 53 - 1 }),
          fc.boolean(),
        ),
        { maxLength: 3000 },
      ),
      (keys) => {
        const table = new FlowTable(4);
        const expected = new Map<string, number>();
        const keyless: number[] = [];
        for (const [a, b, c, alone] of keys) {
          if (alone) {
            keyless.push(table.append());
            continue;
          }
          const row = table.find(a, b, c);
          table.tuples[row]!++;
          const k = `${a},${b},${c}`;
          if (!expected.has(k)) expected.set(k, row);
          expect(row).toBe(expected.get(k));
        }
        expect(table.size).toBe(expected.size + keyless.length);
        expect(new Set([...expected.values(), ...keyless]).size).toBe(table.size);
        for (const [k, row] of expected) {
          const [a, b, c] = k.split(',').map(Number);
          expect([table.a[row], table.b[row], table.c[row]]).toEqual([a, b, c]);
        }
      },
    ),
    { seed: 8, numRuns: 100 },
  );
});
