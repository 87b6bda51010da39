import { sameNumbers, withLength } from '../../../src/util/typed-arrays';

it('returns the array itself while it has room', () => {
  const a = new Int32Array(8);
  expect(withLength(a, 8)).toBe(a);
  expect(withLength(a, 0)).toBe(a);
});

it('grows to at least twice the length, or to the length asked, keeping entries and type', () => {
  const a = Float64Array.from([1.5, 2.5, 3.5]);
  const doubled = withLength(a, 4);
  expect(doubled).toBeInstanceOf(Float64Array);
  expect(doubled.length).toBe(6);
  expect([...doubled]).toEqual([1.5, 2.5, 3.5, 0, 0, 0]);
  const big = withLength(Uint32Array.from([7]), 100);
  expect(big).toBeInstanceOf(Uint32Array);
  expect(big.length).toBe(100);
  expect(big[0]).toBe(7);
});

it('sameNumbers compares length and every entry, whatever the array kind', () => {
  expect(sameNumbers([1, 2, 3], Uint32Array.from([1, 2, 3]))).toBe(true);
  expect(sameNumbers(new Uint8Array(0), [])).toBe(true);
  expect(sameNumbers([1, 2], [1, 2, 0])).toBe(false);
  expect(sameNumbers([1, 2, 0], [1, 2])).toBe(false);
  expect(sameNumbers(Int32Array.from([1, 5, 3]), [1, 2, 3])).toBe(false);
});
