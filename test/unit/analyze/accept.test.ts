/**
 * Accepted risk: the intent file's `accept` entries are read strictly (reason, owner and expires
 * required, a known rule ID with one resource or a fingerprint, no wildcards), match findings by rule
 * and resource (ID or name) or by fingerprint, expire, and an expired one is an ACI015 finding.
 */
import { applyAcceptances, parseAcceptances, type AcceptParse } from '../../../src/analyze/accept';
import { parseIntent } from '../../../src/analyze/intent';
import { computeFindings } from '../../../src/analyze/run-findings';
import { RULES } from '../../../src/analyze/rules';
import { expiredAcceptance } from '../../../src/analyze/rules/aci015-expired-acceptance';
import { compilePolicy } from '../../../src/policy';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';
import { PROBE_RULES } from '../../support/probe-rules';

const KNOWN = ['ACI901', 'ACI902', 'ACI015'];
const TODAY = '2026-11-26';

function parse(yaml: string): AcceptParse {
  return parseAcceptances(yaml, 'intent.yaml', KNOWN);
}

function problems(yaml: string): string[] {
  const r = parse(yaml);
  if (r.ok) throw new Error('expected problems');
  return r.diagnostics.map((d) => `${d.path} ${d.code}: ${d.message}`);
}

const entry = (fields: string) => `accept:\n  - {${fields}}\n`;
const OK = 'reason: r, owner: o, expires: 2027-01-31';

describe('parseAcceptances', () => {
  it('reads rule + resource entries and fingerprint entries', () => {
    const r = parse(
      `accept:\n  - {rule: aci901, resource: AllowSshFromInternet, ${OK}}\n  - {fingerprint: 0123456789ABCDEF0123456789abcdef, ${OK}}\n`,
    );
    expect(r).toEqual({
      ok: true,
      acceptances: [
        {
          path: '$.accept[0]',
          rule: 'ACI901',
          resource: 'AllowSshFromInternet',
          fingerprint: null,
          reason: 'r',
          owner: 'o',
          expires: '2027-01-31',
        },
        {
          path: '$.accept[1]',
          rule: null,
          resource: null,
          fingerprint: '0123456789abcdef0123456789abcdef',
          reason: 'r',
          owner: 'o',
          expires: '2027-01-31',
        },
      ],
    });
  });

  it('an unknown rule ID is UNKNOWN_RULE at the entry’s rule, listing the pack', () => {
    expect(problems(entry(`rule: ACI099, resource: x, ${OK}`))).toEqual([
      '$.accept[0].rule UNKNOWN_RULE: unknown rule ID ACI099: the rule pack has ACI901, ACI902, ACI015',
    ]);
    expect(problems(entry(`rule: "ACI*", resource: x, ${OK}`))).toEqual([
      '$.accept[0].rule UNKNOWN_RULE: rule must be one rule ID such as ACI001, not "ACI*"',
    ]);
  });

  it('reason, owner and expires are each required, and expires must be a real date', () => {
    expect(problems(entry('rule: ACI901, resource: x'))).toEqual([
      '$.accept[0].reason INVALID_VALUE: reason is required: why the risk is accepted',
      '$.accept[0].owner INVALID_VALUE: owner is required: who accepted it',
      '$.accept[0].expires INVALID_VALUE: expires is required: the date (YYYY-MM-DD) until which the risk is accepted',
    ]);
    expect(problems(entry('rule: ACI901, resource: x, reason: " ", owner: o, expires: 2027-02-30'))).toEqual([
      '$.accept[0].reason INVALID_VALUE: reason must not be empty: why the risk is accepted',
      '$.accept[0].expires INVALID_VALUE: expires must be a real date written YYYY-MM-DD',
    ]);
  });

  it('there is no blanket skip: a rule needs one resource, and wildcards are refused', () => {
    expect(problems(entry(`rule: ACI901, ${OK}`))).toEqual([
      '$.accept[0] MISSING_FIELD: resource is required with rule ACI901: the resource ID or name of the finding (there is no blanket skip)',
    ]);
    expect(problems(entry(`rule: ACI901, resource: "*", ${OK}`))).toEqual([
      '$.accept[0].resource INVALID_VALUE: resource must name one resource: no wildcards (there is no blanket skip)',
    ]);
    expect(problems(entry(`resource: nsg-web, ${OK}`))).toEqual([
      '$.accept[0] MISSING_FIELD: an accept entry needs a rule and a resource, or a fingerprint',
    ]);
    expect(problems(entry(`fingerprint: abc, ${OK}`))).toEqual([
      '$.accept[0].fingerprint INVALID_VALUE: fingerprint must be the 32 hex digits a finding shows',
    ]);
    expect(problems(entry(`fingerprint: 0123456789abcdef0123456789abcdef, rule: ACI901, ${OK}`))).toEqual([
      '$.accept[0] INVALID_VALUE: an accept entry names either a fingerprint or a rule and a resource, not both',
    ]);
  });

  it('refuses unknown fields, accepting ACI015 itself, and the same finding twice', () => {
    expect(problems(entry(`rule: ACI901, resource: x, skip: true, ${OK}`))[0]).toMatch(
      /^\$\.accept\[0\] INVALID_VALUE: Unrecognized key: "skip"/,
    );
    expect(problems(entry(`rule: ACI015, resource: x, ${OK}`))).toEqual([
      "$.accept[0].rule INVALID_VALUE: ACI015 reports an expired acceptance: renew that entry's expires instead",
    ]);
    expect(
      problems(`accept:\n  - {rule: ACI901, resource: X, ${OK}}\n  - {rule: ACI901, resource: x, ${OK}}\n`),
    ).toEqual(['$.accept[1] INVALID_VALUE: the same finding is accepted at $.accept[0]']);
  });

  it('check’s reader ignores accept entries (a file with them still checks)', () => {
    const text = `forbid:\n  - {name: n, from: Internet, to: web-frontend, protocol: tcp, ports: "22"}\n${entry(`rule: ACI901, resource: x, ${OK}`)}`;
    const r = parseIntent(text, 'intent.yaml');
    expect(r.ok).toBe(true);
    expect(r.entries.map((e) => e.name)).toEqual(['n']);
  });
});

describe('applying acceptances', () => {
  const engine = compilePolicy(hubSpokeSnapshot());
  const run = (yaml: string, today = TODAY) => {
    const parsed = parseAcceptances(yaml, 'intent.yaml', KNOWN);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
    return computeFindings({
      engine,
      intent: { file: 'intent.yaml', entries: [], accept: parsed.acceptances },
      today,
      rules: [...PROBE_RULES, expiredAcceptance],
    });
  };

  it('without acceptances nothing is accepted', () => {
    const { result, unmatched } = run('accept: []\n');
    expect(result.findings.length).toBeGreaterThan(2);
    expect(result.findings.every((f) => f.accepted === null)).toBe(true);
    expect(result.accepted).toBe(0);
    expect(unmatched).toEqual([]);
  });

  it('a rule + resource entry accepts the findings of that rule naming the resource (ID or name, any case)', () => {
    const before = run('accept: []\n').result;
    const ssh = before.findings.find((f) => f.ruleId === 'ACI901' && /AllowSshFromInternet/.test(f.message))!;
    const { result, unmatched } = run(entry(`rule: ACI901, resource: allowsshfrominternet, ${OK}`));
    const after = result.findings.find((f) => f.fingerprint === ssh.fingerprint)!;
    expect(after.accepted).toEqual({ entry: 'accept[0]', reason: 'r', owner: 'o', expires: '2027-01-31' });
    expect(result.accepted).toBe(1);
    expect(result.counts.high).toBe(before.counts.high - 1);
    expect(unmatched).toEqual([]);
    // By the NSG's resource ID: every ACI901 finding of that NSG.
    const nsgId = ssh.resources.find((r) => r.kind === 'networkSecurityGroup')!.id;
    const byId = run(entry(`rule: ACI901, resource: "${nsgId.toUpperCase()}", ${OK}`)).result;
    expect(byId.accepted).toBe(before.findings.filter((f) => f.resources.some((r) => r.id === nsgId)).length);
    // Another rule's ID does not match it.
    expect(run(entry(`rule: ACI902, resource: allowsshfrominternet, ${OK}`)).result.accepted).toBe(0);
  });

  it('a fingerprint entry accepts exactly that finding', () => {
    const target = run('accept: []\n').result.findings[0]!;
    const { result } = run(entry(`fingerprint: ${target.fingerprint}, ${OK}`));
    expect(result.findings.filter((f) => f.accepted !== null).map((f) => f.fingerprint)).toEqual([
      target.fingerprint,
    ]);
  });

  it('an acceptance that matches nothing comes back as unmatched', () => {
    const { result, unmatched } = run(entry(`rule: ACI901, resource: no-such-rule, ${OK}`));
    expect(result.accepted).toBe(0);
    expect(unmatched.map((a) => a.path)).toEqual(['$.accept[0]']);
  });

  it('an expired acceptance covers nothing and is itself an ACI015 finding (low)', () => {
    const yaml = entry(
      'rule: ACI901, resource: AllowSshFromInternet, reason: r, owner: o, expires: 2026-11-25',
    );
    const inForce = run(yaml, '2026-11-25').result;
    expect(inForce.accepted).toBe(1);
    expect(inForce.findings.some((f) => f.ruleId === 'ACI015')).toBe(false);
    const { result, unmatched } = run(yaml, '2026-11-26');
    expect(result.accepted).toBe(0);
    expect(unmatched).toEqual([]);
    const expired = result.findings.filter((f) => f.ruleId === 'ACI015');
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({
      severity: 'low',
      title: 'Accepted risk past its expiry date',
      accepted: null,
    });
    expect(expired[0]!.message).toBe(
      'acceptance accept[0] (ACI901 on AllowSshFromInternet) in intent.yaml expired on 2026-11-25 (owner o; reason: r)',
    );
    expect(result.counts.low).toBe(1);
  });

  it('applyAcceptances recounts: accepted findings leave the severity counts', () => {
    const { result } = run('accept: []\n');
    const parsed = parseAcceptances(
      entry(`fingerprint: ${result.findings[0]!.fingerprint}, ${OK}`),
      'i',
      KNOWN,
    );
    if (!parsed.ok) throw new Error('bad');
    const applied = applyAcceptances(result, parsed.acceptances, TODAY).result;
    const sev = result.findings[0]!.severity;
    expect(applied.counts[sev]).toBe(result.counts[sev] - 1);
    expect(applied.accepted).toBe(1);
  });

  it('ACI015 is in the pack', () => {
    expect(RULES.map((r) => r.meta.id)).toContain('ACI015');
  });
});
