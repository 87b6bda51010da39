/**
 * What ACI008, ACI009, ACI013 and ACI014 report on the bundled samples: hub-spoke (with its sample
 * VNet flow logs, read by the flow-log reader) and segmented (done right: none of them fires).
 */
import * as path from 'node:path';
import { importFiles } from '../../../../src/index';
import { readFlowLogs, requireCompleteFlowLogs } from '../../../../src/collect/flows';
import type { Snapshot } from '../../../../src/model/snapshot';
import { runRules, type ObservedFlowsInput } from '../../../../src/analyze/rules';
import { shadowedRule } from '../../../../src/analyze/rules/shadowed-rule';
import { redundantRule } from '../../../../src/analyze/rules/redundant-rule';
import { observedFlowDenied } from '../../../../src/analyze/rules/observed-flow-denied';
import { unobservedOpenPath } from '../../../../src/analyze/rules/unobserved-open-path';
import type { Finding } from '../../../../src/analyze/findings';
import { ruleContext } from './rule-context';

const ROOT = path.resolve(__dirname, '../../../..');
const PROOF_RULES = [shadowedRule, redundantRule, observedFlowDenied, unobservedOpenPath];

function sample(name: string): Snapshot {
  const outcome = importFiles([path.join(ROOT, 'samples', name)]);
  if (!outcome.snapshot) throw new Error(`samples/${name} did not import`);
  return outcome.snapshot;
}

async function hubSpokeFlows(): Promise<ObservedFlowsInput> {
  const result = requireCompleteFlowLogs(
    await readFlowLogs([path.join(ROOT, 'samples/hub-spoke-flow-logs')]),
  );
  return {
    flows: [...result.flows],
    window: { ...result.window, files: result.stats.totals.files, tuples: result.stats.totals.tuples },
  };
}

/** `ACI008 nsg-aci-web: AllowApiCallbacks` — each reported rule or pair, per finding. */
function summary(findings: Finding[]): string[] {
  return findings.map((f) => {
    if (f.coverage)
      return `${f.ruleId} ${f.severity} ${f.resources[0]!.name}: ${f.coverage.flatMap((c) => c.rules).join(', ')}`;
    const first = f.flows[0]!;
    return f.ruleId === 'ACI013'
      ? `${f.ruleId} ${f.severity} ${first.from} → ${first.to} ${f.flows.map((x) => `${x.protocol} ${x.ports} ${x.verdict}`).join(', ')}`
      : `${f.ruleId} ${f.severity} into ${first.to}: ${[...new Set(f.flows.map((x) => x.from))].join(', ')}`;
  });
}

describe('the proof rules on the samples', () => {
  it('hub-spoke: the shadowed and late rules, the removable set, the two denied flows (both SSH, both DenySshOutbound), the quiet open paths', async () => {
    const snapshot = sample('hub-spoke');
    const result = runRules(ruleContext(snapshot, { observed: await hubSpokeFlows() }), PROOF_RULES);
    expect(summary(result.findings)).toEqual([
      // The deny that comes too late: AllowHubToApi (200) lets the hub reach 9090 first.
      'ACI008 medium nsg-aci-api: DenyHubToPaymentsAdmin',
      // The two SSH attempts the sample logs show denied, both by DenySshOutbound.
      'ACI013 medium vnet-app/snet-aci-api → vnet-app/snet-aci-web tcp 22 deny',
      'ACI013 medium vnet-app/snet-aci-api → vnet-app/snet-data tcp 22 deny',
      // The rule shadowed by an earlier broader one.
      'ACI008 low nsg-aci-web: AllowApiCallbacks',
      'ACI009 low nsg-aci-api: AllowWebToApi, AllowHubToApi, AllowSqlToData',
      // The 0.0.0.0/0 route makes VirtualNetwork every address: AllowVnetInBound decides all of these
      // alike, and Internet is empty in these subnets, so AllowSshFromInternet matches nothing.
      'ACI009 low nsg-aci-web: AllowSshFromInternet, AllowAppGatewayToWeb, AllowVnetHighPorts, AllowHttpsOut',
      'ACI009 low nsg-appgw: AllowAzureLoadBalancer',
      'ACI014 low into vnet-app/snet-aci-web: Internet, status-page (public container group), vnet-app/snet-aci-web',
      'ACI014 low into status-page (public container group): Internet, vnet-app/snet-aci-api, vnet-app/snet-aci-web',
      'ACI014 low into vnet-app/snet-aci-api: Internet, status-page (public container group), vnet-app/snet-aci-api',
    ]);
    const denied = result.findings.find(
      (f) => f.ruleId === 'ACI013' && f.flows[0]!.to === 'vnet-app/snet-aci-web',
    )!;
    expect(denied.rules.map((r) => r.name)).toEqual(['DenySshOutbound']);
    expect(denied.message).toContain('logged as UserRule_DenySshOutbound');
    expect(denied.flows[0]!.observed).toEqual({
      tuples: 12,
      flowsStarted: expect.any(Number),
      firstSeen: expect.stringMatching(/^2026-11-30T/),
      lastSeen: expect.stringMatching(/^2026-11-30T/),
    });
    for (const f of result.findings.filter((x) => x.ruleId === 'ACI014'))
      expect(f.message).toContain('2026-11-30T09:00:08.497Z … 2026-11-30T10:58:59.576Z (1824 tuples)');
  });

  it('hub-spoke without flow logs: only ACI008 and ACI009', () => {
    const result = runRules(ruleContext(sample('hub-spoke')), PROOF_RULES);
    expect([...new Set(result.findings.map((f) => f.ruleId))].sort()).toEqual(['ACI008', 'ACI009']);
  });

  it('segmented: nothing shadowed, nothing redundant', () => {
    expect(runRules(ruleContext(sample('segmented')), PROOF_RULES).findings).toEqual([]);
  });
});
