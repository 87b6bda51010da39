/** Decision tests (src/analyze/rules/decision-tests.ts): memoized by id, shared per engine, made before the decisions exist. */
import { decisionTest } from '../../../../src/analyze/rules/decision-tests';
import type { Decision, PolicyEngine } from '../../../../src/policy';

/** An engine whose decisions are only their ids and a flag, made on demand. */
function fakeEngine() {
  const decisions: { id: number; open: boolean }[] = [];
  const engine = { decisions: () => decisions } as unknown as PolicyEngine;
  return { engine, add: (open: boolean) => decisions.push({ id: decisions.length, open }) };
}

describe('decisionTest', () => {
  it('answers for decisions made after it (the pair matrix tests ids the tables made later)', () => {
    const { engine, add } = fakeEngine();
    const open = decisionTest(engine, (d) => (d as unknown as { open: boolean }).open);
    for (let i = 0; i < 100; i++) add(i % 3 === 0);
    expect(Array.from({ length: 100 }, (_, i) => open(i))).toEqual(
      Array.from({ length: 100 }, (_, i) => i % 3 === 0),
    );
  });

  it('is one per engine and test: the pair matrix and the rule share its answers', () => {
    const a = fakeEngine();
    const b = fakeEngine();
    const test = (d: Decision) => d.id > 0;
    expect(decisionTest(a.engine, test)).toBe(decisionTest(a.engine, test));
    expect(decisionTest(b.engine, test)).not.toBe(decisionTest(a.engine, test));
    expect(decisionTest(a.engine, (d) => d.id > 0)).not.toBe(decisionTest(a.engine, test));
  });

  it('tests each decision once', () => {
    const { engine, add } = fakeEngine();
    let calls = 0;
    const test = decisionTest(engine, (d: Decision) => {
      calls++;
      return d.id > 1;
    });
    for (let i = 0; i < 4; i++) add(false);
    for (let round = 0; round < 3; round++)
      expect([0, 1, 2, 3].map(test)).toEqual([false, false, true, true]);
    expect(calls).toBe(4);
  });
});
