/**
 * The effect's per-list share sums against a plain map: the same sums in the same first-seen order,
 * for lists of a few shares (found by a scan) and of many (past SCAN_SHARES, through a map).
 * Replay: FC_SEED=<seed> FC_RUNS=<runs> npx jest test/unit/plan/share-sums
 */
import fc from 'fast-check';
import { SCAN_SHARES, ShareSums } from '../../../src/plan/share-sums';

const SEED = process.env.FC_SEED === undefined ? 20261202 : Number(process.env.FC_SEED);
const RUNS = process.env.FC_RUNS === undefined ? 200 : Number(process.env.FC_RUNS);

const arbEntries = fc.array(fc.tuple(fc.nat(3 * SCAN_SHARES), fc.integer({ min: 1, max: 2 ** 32 })), {
  maxLength: 120,
});

function reference(entries: readonly (readonly [number, number])[]): number[] {
  const m = new Map<number, number>();
  for (const [id, size] of entries) m.set(id, (m.get(id) ?? 0) + size);
  return [...m].flat();
}

it('sums each list once, in first-seen order, however many shares it has', () => {
  fc.assert(
    fc.property(fc.array(arbEntries, { minLength: 1, maxLength: 30 }), fc.array(fc.nat()), (lists, order) => {
      const sums = new ShareSums(lists.length);
      // Lists are summed in any order, some asked for again; each reads back what a map gives.
      for (const n of [...order, ...lists.keys()]) {
        const l = n % lists.length;
        const start = sums.sum(l, lists[l]!);
        expect(sums.startOf(l)).toBe(start);
        expect([...sums.pool.subarray(start, sums.end[l])]).toEqual(reference(lists[l]!));
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

it('tells a list not yet summed', () => {
  const sums = new ShareSums(2);
  expect(sums.startOf(1)).toBe(-1);
  sums.sum(1, [[3, 5]]);
  expect(sums.startOf(0)).toBe(-1);
  expect(sums.startOf(1)).toBe(0);
});

it('keeps lists of many shares exact past the scan limit', () => {
  const entries = Array.from({ length: 4 * SCAN_SHARES }, (_, i) => [i % (2 * SCAN_SHARES), i + 1] as const);
  const sums = new ShareSums(1);
  const start = sums.sum(0, entries);
  expect([...sums.pool.subarray(start, sums.end[0])]).toEqual(reference(entries));
});
