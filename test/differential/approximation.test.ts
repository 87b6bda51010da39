/**
 * When a side table has more correlated unknowns than the exact-enumeration budget allows, the engine
 * approximates. The approximation may only lose precision: every definite engine verdict must be the
 * oracle's, and the table must be reported as approximated (README, Semantics).
 */
import fc from 'fast-check';
import { compilePolicy } from '../../src/policy/engine';
import { MAX_TRACKED_VARIABLES } from '../../src/policy/compile/side-table';
import { oracleVerdict } from '../oracle/evaluate-flow';
import { end, flow, ids, nsg, rule, snapshotOf, subnet, vnet, ACI_DELEGATION } from '../oracle/tiny-estate';

const SEED = process.env.FC_SEED === undefined ? 20261126 : Number(process.env.FC_SEED);
const RUNS = process.env.FC_RUNS === undefined ? 60 : Number(process.env.FC_RUNS);

// Real tag names; none is resolved, so each is its own unknown over public IPv4.
const TAGS = [
  'Storage',
  'Sql',
  'AzureCloud',
  'AzureMonitor',
  'EventHub',
  'ServiceBus',
  'AzureKeyVault',
  'AzureContainerRegistry',
  'AzureCosmosDB',
  'AzureActiveDirectory',
  'AppService',
  'ApiManagement',
  'AzureFrontDoor.Backend',
  'GatewayManager',
];

const arbRules = fc.array(
  fc.record({
    access: fc.constantFrom('Allow' as const, 'Deny' as const),
    low: fc.integer({ min: 1, max: 6 }),
    width: fc.integer({ min: 0, max: 3 }),
  }),
  // Rule i tests tag i mod 14: more than MAX_TRACKED_VARIABLES tags are tested by two rules, so their
  // unknowns are correlated and would have to be enumerated to be exact.
  { minLength: TAGS.length + MAX_TRACKED_VARIABLES + 1, maxLength: 2 * TAGS.length },
);

const PRIVATE_SOURCE = '192.168.7.7';

const arbFlowSpec = fc.record({
  port: fc.integer({ min: 1, max: 9 }),
  source: fc.oneof(
    // Public addresses: every tag may contain them.
    fc
      .tuple(fc.integer({ min: 20, max: 52 }), fc.integer({ min: 0, max: 255 }))
      .map(([a, b]) => `${a}.${b}.1.1`),
    // A private address outside the snapshot: no tag contains it, so the verdict is definite.
    fc.constant(PRIVATE_SOURCE),
  ),
});

describe('approximation beyond the enumeration budget', () => {
  it(`only turns definite verdicts into unknown (${RUNS} estates)`, () => {
    let definite = 0;
    let definitePublic = 0;
    let approximatedEstates = 0;
    fc.assert(
      fc.property(arbRules, fc.array(arbFlowSpec, { minLength: 20, maxLength: 20 }), (specs, flows) => {
        const rules = specs.map((s, i) =>
          rule({
            priority: 100 + i,
            direction: 'Inbound',
            access: s.access,
            src: [TAGS[i % TAGS.length]!],
            dstPorts: [s.width === 0 ? `${s.low}` : `${s.low}-${s.low + s.width}`],
          }),
        );
        const snapshot = snapshotOf({
          virtualNetworks: [vnet('a', ['10.1.0.0/16'])],
          subnets: [
            subnet('a', 'app', ['10.1.2.0/24'], {
              networkSecurityGroupId: ids.nsg('nsg-app'),
              delegations: [ACI_DELEGATION],
            }),
          ],
          networkSecurityGroups: [nsg('nsg-app', rules)],
        });
        const engine = compilePolicy(snapshot);
        for (const f of flows) {
          const probe = flow(end.external(f.source), end.subnet('a', 'app', '10.1.2.4'), 'Tcp', f.port);
          const expected = oracleVerdict(snapshot, probe);
          const actual = engine.evaluateFlow(probe);
          if (actual !== 'unknown') {
            definite++;
            if (f.source !== PRIVATE_SOURCE) definitePublic++;
            expect({ flow: f, verdict: actual }).toEqual({ flow: f, verdict: expected });
          }
        }
        if (engine.approximatedTables.size > 0) approximatedEstates++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The property is only meaningful if the budget was exceeded and definite answers were compared.
    expect(approximatedEstates).toBe(RUNS);
    expect(definite).toBeGreaterThan(RUNS);
    // …including flows from public addresses, whose verdicts depend on the approximated unknowns.
    expect(definitePublic).toBeGreaterThan(0);
  });
});
