/**
 * parseIpv4 reads addresses character by character (flow logs hold millions): checked here against
 * the plain definition, four octets each `0` or 1–3 digits without a leading zero and at most 255.
 * Replay: FC_SEED=<seed> npx jest test/unit/net/address
 */
import * as fc from 'fast-check';
import { formatIpv4, parseIpv4 } from '../../../src/net/address';

const SEED = process.env.FC_SEED === undefined ? 20261202 : Number(process.env.FC_SEED);

/** The definition, written the obvious way. */
function reference(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255))
    return null;
  return parts.reduce((v, p) => v * 256 + Number(p), 0);
}

it.each([
  ['0.0.0.0', 0],
  ['255.255.255.255', 0xffffffff],
  ['10.0.0.4', 0x0a000004],
  ['168.63.129.16', 0xa83f8110],
])('%s parses', (text, value) => expect(parseIpv4(text)).toBe(value));

it.each([
  '',
  '1.2.3',
  '1.2.3.4.',
  '.1.2.3.4',
  '1..2.3',
  '01.2.3.4',
  '1.2.3.00',
  '256.0.0.1',
  '1.2.3.1000',
  '1.2.3.4 ',
  ' 1.2.3.4',
  '1.2.3.-4',
  '1.2.3.4/32',
  '0x7f.0.0.1',
  '１.2.3.4',
  '::1',
  '1.2.3.4.5',
])('%j is rejected', (text) => expect(parseIpv4(text)).toBeNull());

it('agrees with the definition on strings of digits and dots, near misses, and every formatted address', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9', '.', '/', 'a', ' '), maxLength: 17 }),
        // Near misses: three to five groups of up to four digits.
        fc
          .array(fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '6', '9'), maxLength: 4 }), {
            minLength: 3,
            maxLength: 5,
          })
          .map((groups) => groups.join('.')),
      ),
      (t) => expect(parseIpv4(t)).toBe(reference(t)),
    ),
    { seed: SEED, numRuns: 20000 },
  );
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), (v) => expect(parseIpv4(formatIpv4(v))).toBe(v)),
    { seed: SEED, numRuns: 2000 },
  );
});
