/**
 * NSG port fields as rules write them: strict values (no leading zeros, no spaces, 0–65535, low ≤ high)
 * and the port set a list of them names.
 */
import fc from 'fast-check';
import { parsePortRange, portSetOf } from '../../../src/net/ports';

describe('port fields', () => {
  it.each([
    ['*', { lo: 0, hi: 65535 }],
    ['0', { lo: 0, hi: 0 }],
    ['80', { lo: 80, hi: 80 }],
    ['65535', { lo: 65535, hi: 65535 }],
    ['8000-8100', { lo: 8000, hi: 8100 }],
    ['0-65535', { lo: 0, hi: 65535 }],
  ])('reads %s', (text, range) => {
    expect(parsePortRange(text)).toEqual(range);
  });

  it.each([
    '',
    '-',
    '080',
    '00',
    '65536',
    '100000',
    '9-8',
    '1-2-3',
    '-5',
    '5-',
    ' 80',
    '80 ',
    '8O',
    '+80',
    '1e3',
    '**',
  ])('rejects %j', (text) => {
    expect(parsePortRange(text)).toBeNull();
  });

  it('names the union of its values, merged where they overlap or touch', () => {
    const value = fc
      .tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 20 }))
      .map(([lo, width]) => (width === 0 ? String(lo) : `${lo}-${lo + width}`));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 6 }), (list) => {
        const set = portSetOf(list);
        const ranges = list.map((t) => parsePortRange(t)!);
        for (let port = 0; port <= 230; port++)
          expect(set.has(port)).toBe(ranges.some((r) => r.lo <= port && port <= r.hi));
      }),
    );
    expect(portSetOf(['80', '*']).isFull).toBe(true);
    expect(portSetOf(['81', '80', '82-90']).intervals()).toEqual([[80, 90]]);
    expect(() => portSetOf(['80', '080'])).toThrow('invalid port range "080"');
  });
});
