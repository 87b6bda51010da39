/**
 * PolicyEngine.keepCompiledRules: after reachability, the deciders of a side at a point come from the
 * compiled rules it kept, and they are the ones a side compiled again gives (what explain relies on).
 */
import { computeReachability } from '../../../src/analyze/reachability';
import { parseIpv4 } from '../../../src/net/address';
import { compilePolicy, type PolicyEngine } from '../../../src/policy';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';

/** Every side's deciders at the first address of its subnet against the first address of every other subnet and a public one. */
function decidersEverywhere(engine: PolicyEngine): string[] {
  const subnets = engine.index.snapshot.subnets;
  const first = (prefix: string) => parseIpv4(prefix.split('/')[0]!)! + 4;
  const remotes = [...subnets.map((s) => first(s.addressPrefixes[0]!)), parseIpv4('203.0.113.7')!];
  const out: string[] = [];
  for (const s of subnets)
    for (const direction of ['Inbound', 'Outbound'] as const)
      for (const remote of remotes)
        for (const d of engine.decidersAt(s.id, direction, first(s.addressPrefixes[0]!), remote))
          out.push(
            `${s.name} ${direction} ${remote}: ${d.kind} ${d.kind === 'rule' ? `${engine.ruleRef(d.ref).id} ${d.outcome}` : ''}`,
          );
  return out;
}

it('keeps compiled rules for later explanations, which stay what a fresh compile gives', () => {
  const kept = compilePolicy(hubSpokeSnapshot());
  kept.keepCompiledRules();
  computeReachability(kept);
  const fresh = compilePolicy(hubSpokeSnapshot());
  computeReachability(fresh);
  const expected = decidersEverywhere(fresh);
  expect(expected.filter((line) => line.includes(' rule ')).length).toBeGreaterThan(20);
  expect(decidersEverywhere(kept)).toEqual(expected);
});
