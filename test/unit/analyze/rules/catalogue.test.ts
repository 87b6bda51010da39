/**
 * The rule pack's catalogue: IDs, names, titles and severities are pinned (a change here is a change
 * for every user's accepted findings and SARIF history), and every rule carries what SARIF and the
 * README need.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../../../src/analyze/rules';
import { SEVERITIES } from '../../../../src/analyze/findings';

/** id, name, title, severity — one line per rule, in ID order. */
const CATALOGUE: [string, string, string, string][] = [
  ['ACI001', 'public-container-group', 'Container group with a public IP address', 'high'],
  ['ACI002', 'internet-inbound', 'Internet allowed into a container subnet', 'high'],
  ['ACI003', 'flat-network', 'Container subnet open on every port to the rest of the network', 'high'],
  ['ACI004', 'over-broad-allow-rule', 'Over-broad allow rule', 'medium'],
  ['ACI005', 'internet-outbound', 'Unrestricted outbound to the Internet from a container subnet', 'high'],
  ['ACI006', 'subnet-without-nsg', 'Container subnet without an NSG', 'high'],
  ['ACI007', 'nsg-unattached', 'NSG attached to no subnet', 'low'],
  ['ACI008', 'shadowed-rule', 'NSG rules shadowed by higher-priority rules', 'low'],
  ['ACI009', 'redundant-rule', 'NSG rules that can be removed without changing any verdict', 'low'],
  ['ACI010', 'virtualnetwork-tag-widened', 'VirtualNetwork tag widened by user routes', 'high'],
  ['ACI011', 'unknown-verdict', 'Verdicts unknown because the snapshot does not resolve something', 'info'],
  ['ACI012', 'intent-violation', 'Intent violated', 'high'],
  ['ACI013', 'observed-flow-denied', 'Observed flows denied (likely breakage)', 'medium'],
  ['ACI014', 'unobserved-open-path', 'Open paths never observed in the flow-log window', 'low'],
  ['ACI015', 'expired-acceptance', 'Accepted risk past its expiry date', 'low'],
];

/** Rules about the intent file itself rather than the network: the finding they re-open keeps its controls. */
const NO_CONTROL_OF_THEIR_OWN = new Set(['ACI015']);

describe('rule catalogue', () => {
  it('pins every pack rule: id, name, title, severity, in ID order', () => {
    expect(RULES.map((r) => [r.meta.id, r.meta.name, r.meta.title, r.meta.severity])).toEqual(CATALOGUE);
  });

  it.each(RULES.map((r) => [r.meta.id, r]))(
    '%s has SARIF help text, a remediation and MCSB controls (unless it has none of its own)',
    (_id, rule) => {
      const { meta } = rule;
      expect(meta.id).toMatch(/^ACI\d{3}$/);
      expect(meta.name).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
      expect(SEVERITIES).toContain(meta.severity);
      expect(meta.description.split(/(?<=\.)\s/).length).toBeGreaterThanOrEqual(2);
      expect(meta.remediation.length).toBeGreaterThan(40);
      if (NO_CONTROL_OF_THEIR_OWN.has(meta.id)) expect(meta.controls).toEqual({ mcsb: [], cis: [] });
      else expect(meta.controls.mcsb.length).toBeGreaterThan(0);
      for (const c of meta.controls.mcsb) expect(c).toMatch(/^[A-Z]{2}-\d+$/);
      for (const c of meta.controls.cis) expect(c).toMatch(/^\d+\.\d+$/);
    },
  );

  it('keeps one file per rule, named after its ID and name (aci008-shadowed-rule.ts)', () => {
    const dir = path.join(__dirname, '../../../../src/analyze/rules');
    const files = fs.readdirSync(dir).filter((f) => /^aci\d{3}-/.test(f));
    expect(files.sort()).toEqual(RULES.map((r) => `${r.meta.id.toLowerCase()}-${r.meta.name}.ts`).sort());
  });
});
