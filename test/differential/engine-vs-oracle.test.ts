/**
 * Differential test: the optimized engine and the independent
 * brute-force oracle must give the same verdict on every flow of random estates (≥ 10,000 flows per
 * run by default), and the engine must pass the semantics table the oracle is held to.
 *
 * Replay: FC_SEED=<seed> FC_RUNS=<runs> [FC_PATH=<path>] npx jest test/differential
 * (the failure report prints the seed and path to use).
 */
import fc from 'fast-check';
import { snapshotToString } from '../../src/model/snapshot-codec';
import type { Snapshot } from '../../src/model/snapshot';
import { compilePolicy } from '../../src/policy/engine';
import type { Flow, FlowVerdict } from '../../src/policy/flow';
import type { ServiceTags } from '../../src/policy/words/service-tags';
import { oracleVerdict } from '../oracle/evaluate-flow';
import { SEMANTICS_CASES } from '../oracle/semantics-cases';
import { arbEstate, arbFlowPlan, arbServiceTags, flowFromPlan } from '../support/arbitraries';

const SEED = process.env.FC_SEED === undefined ? 20260801 : Number(process.env.FC_SEED);
const RUNS = process.env.FC_RUNS === undefined ? 250 : Number(process.env.FC_RUNS);
const PATH = process.env.FC_PATH;
const FLOWS_PER_ESTATE = 40;

/** Everything needed to reproduce a disagreement by hand, as text. */
function describeMismatch(
  snapshot: Snapshot,
  serviceTags: ServiceTags | undefined,
  flow: Flow,
  engine: FlowVerdict,
  oracle: FlowVerdict,
): string {
  const tags =
    serviceTags === undefined ? 'none' : JSON.stringify(Object.fromEntries([...serviceTags.tags.entries()]));
  return [
    `engine says ${engine}, oracle says ${oracle}`,
    `flow: ${JSON.stringify(flow)}`,
    `service tags: ${tags}`,
    'snapshot:',
    snapshotToString(snapshot),
  ].join('\n');
}

describe('engine vs oracle', () => {
  it.each(SEMANTICS_CASES.map((c) => [c.name, c] as const))('semantics table: %s', (_name, c) => {
    const engine = compilePolicy(c.snapshot, { serviceTags: c.serviceTags });
    expect(engine.evaluateFlow(c.flow)).toBe(c.expected);
  });

  it(`agrees with the oracle on ${RUNS} random estates × ${FLOWS_PER_ESTATE} flows`, () => {
    let compared = 0;
    fc.assert(
      fc.property(
        arbEstate(),
        arbServiceTags(),
        // A fixed number of flows per estate; the estate shrinks, and the error names the failing flow.
        fc.array(arbFlowPlan(), { minLength: FLOWS_PER_ESTATE, maxLength: FLOWS_PER_ESTATE }),
        (snapshot, serviceTags, plans) => {
          const engine = compilePolicy(snapshot, { serviceTags });
          for (const plan of plans) {
            const flow = flowFromPlan(snapshot, plan);
            const expected = oracleVerdict(snapshot, flow, { serviceTags });
            const actual = engine.evaluateFlow(flow);
            // Small estates must stay within the exact-enumeration budget, or the comparison would be unfair.
            expect(engine.approximatedTables.size).toBe(0);
            compared++;
            if (actual !== expected)
              throw new Error(describeMismatch(snapshot, serviceTags, flow, actual, expected));
          }
        },
      ),
      { seed: SEED, numRuns: RUNS, ...(PATH === undefined ? {} : { path: PATH }) },
    );
    if (PATH === undefined) expect(compared).toBe(RUNS * FLOWS_PER_ESTATE);
    if (process.env.FC_RUNS === undefined) expect(compared).toBeGreaterThanOrEqual(10000);
  });
});
