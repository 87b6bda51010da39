/**
 * The order findings come in (every format, and the first screen of `analyze`): severity, then the
 * exposure risk the exposure rules compute, then rule ID and fingerprint.
 */
import { compareFindings, type Finding } from '../../../src/analyze/findings';
import { categorize, exposureRisk } from '../../../src/analyze/rules/exposure';
import { IntervalSet, portDomain } from '../../../src/net/interval-set';
import { renderFindingsText } from '../../../src/render/findings-text';

const ports = (...list: number[]) =>
  IntervalSet.of(
    portDomain,
    list.map((p) => [p, p] as [number, number]),
  );
const all = IntervalSet.full(portDomain);

function finding(ruleId: string, fingerprint: string, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    severity: 'high',
    title: `title of ${ruleId}`,
    message: `${ruleId} ${fingerprint}`,
    resources: [],
    flows: [],
    flowsOmitted: 0,
    rules: [],
    remediation: 'fix it',
    explain: null,
    controls: { mcsb: [], cis: [] },
    fingerprint,
    location: null,
    accepted: null,
    ...extra,
  };
}

describe('exposureRisk', () => {
  it('ranks from the Internet first, then every port, administration, data, other ports', () => {
    const tcp = (p: typeof all) => categorize('tcp', p);
    const internetOther = exposureRisk(tcp(ports(8080)), 0, true);
    const privateAll = exposureRisk(tcp(all), 50, false);
    expect(internetOther).toBeGreaterThan(privateAll);
    const ranks = [tcp(all), tcp(ports(22)), tcp(ports(5432)), tcp(ports(8080))].map((e) =>
      exposureRisk(e, 1, true),
    );
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    expect(new Set(ranks).size).toBe(4);
  });

  it('counts the sensitive ports, then the container groups behind them; nothing exposed is 0', () => {
    expect(exposureRisk(categorize('tcp', ports(22, 3389)), 1, true)).toBeGreaterThan(
      exposureRisk(categorize('tcp', ports(22)), 900, true),
    );
    expect(exposureRisk(categorize('tcp', ports(22)), 10, true)).toBeGreaterThan(
      exposureRisk(categorize('tcp', ports(22)), 2, true),
    );
    expect(exposureRisk([], 10, true)).toBe(0);
  });
});

describe('compareFindings', () => {
  it('orders one severity by risk (highest first; none is 0), then rule ID and fingerprint', () => {
    const list = [
      finding('ACI001', 'b', { risk: 5 }),
      finding('ACI004', 'a'),
      finding('ACI002', 'c', { risk: 9 }),
      finding('ACI001', 'a', { risk: 5 }),
      finding('ACI002', 'z', { severity: 'critical' }),
    ];
    expect(list.sort(compareFindings).map((f) => `${f.ruleId}/${f.fingerprint}`)).toEqual([
      'ACI002/z',
      'ACI002/c',
      'ACI001/a',
      'ACI001/b',
      'ACI004/a',
    ]);
  });
});

describe('text first screen', () => {
  it('counts findings per rule on the second line and groups the findings not shown per rule', () => {
    const findings = [
      finding('ACI002', 'a', { risk: 9 }),
      finding('ACI001', 'b', { risk: 5 }),
      finding('ACI002', 'c', { risk: 1 }),
      finding('ACI001', 'd', { severity: 'critical' }),
    ].sort(compareFindings);
    const text = renderFindingsText({
      result: {
        findings,
        counts: { critical: 1, high: 3, medium: 0, low: 0, info: 0 },
        accepted: 0,
        rules: [],
        window: null,
      },
      snapshot: { path: 's.json', uri: 's.json', lineOf: () => null },
      limit: 1,
      color: false,
    });
    const lines = text.split('\n');
    expect(lines[1]).toBe('by rule: ACI001 2 (1 critical), ACI002 2');
    expect(text).toContain('3 more findings not shown');
    expect(lines.slice(-3)).toEqual([
      '  high ACI001: title of ACI001 ×1',
      '  high ACI002: title of ACI002 ×2',
      '',
    ]);
  });
});
