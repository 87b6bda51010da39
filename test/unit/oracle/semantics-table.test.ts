/**
 * The semantics table run against the brute-force oracle: each case is
 * a tiny snapshot, one flow and the verdict docs/semantics.md prescribes. The same cases are
 * exported for the differential test, which runs them against the engine too.
 */
import { oracleVerdict } from '../../oracle/evaluate-flow';
import { SEMANTICS_CASES } from '../../oracle/semantics-cases';

describe('oracle semantics table', () => {
  it.each(SEMANTICS_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(oracleVerdict(c.snapshot, c.flow, { serviceTags: c.serviceTags })).toBe(c.expected);
  });

  it('has unique case names', () => {
    const names = SEMANTICS_CASES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('covers all three verdicts', () => {
    expect(new Set(SEMANTICS_CASES.map((c) => c.expected))).toEqual(new Set(['allow', 'deny', 'unknown']));
  });
});
