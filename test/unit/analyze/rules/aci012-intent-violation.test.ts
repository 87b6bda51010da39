import { parseIntent } from '../../../../src/analyze/intent';
import { aci012 } from '../../../../src/analyze/rules/aci012-intent-violation';
import { estate, LOCKDOWN, rule } from './support-estate';
import { findingsOf, TODAY } from './support-context';

function intent(yaml: string) {
  const parsed = parseIntent(yaml, 'intent.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.entries;
}

const sshOpen = [
  rule({ name: 'AllowSsh', priority: 100, source: 'Internet', destinationPorts: '22' }),
  ...LOCKDOWN,
];

describe('ACI012 intent-violation', () => {
  it('reports a failing forbid as high, with the rules that allow it', () => {
    const entries = intent(
      `forbid:\n  - name: no-ssh\n    from: Internet\n    to: vnet-app/snet-aci\n    protocol: tcp\n    ports: 22\n`,
    );
    const [f, ...rest] = findingsOf(estate({ aciRules: sshOpen }), [aci012], { intent: entries });
    expect(rest).toEqual([]);
    expect(f!.severity).toBe('high');
    expect(f!.message).toBe(
      'forbid "no-ssh" fails: Internet → vnet-app/snet-aci tcp 22 is allow (must be deny)',
    );
    expect(f!.rules.map((r) => r.name)).toEqual(['AllowSsh']);
    expect(f!.flows).toEqual([
      {
        from: 'Internet',
        to: 'vnet-app/snet-aci',
        fromKey: null,
        toKey: null,
        protocol: 'tcp',
        ports: '22',
        verdict: 'allow',
      },
    ]);
    expect(f!.explain).toBe('aciseg explain <snapshot> --from Internet --to vnet-app/snet-aci --port 22');
  });

  it('reports a failing require as medium, with the rule that denies it', () => {
    const entries = intent(
      `require:\n  - name: vm-to-web\n    from: vnet-app/snet-vm\n    to: cg:web\n    protocol: tcp\n    ports: 80\n`,
    );
    const [f] = findingsOf(estate({ aciRules: LOCKDOWN }), [aci012], { intent: entries });
    expect(f!.severity).toBe('medium');
    expect(f!.rules.map((r) => `${r.name}:${r.access}`)).toEqual(['DenyAllIn:Deny']);
  });

  it('is silent for passing entries, expired entries and without --intent', () => {
    const passing = intent(
      `forbid:\n  - name: no-ssh\n    from: Internet\n    to: vnet-app/snet-aci\n    protocol: tcp\n    ports: 22\n`,
    );
    expect(findingsOf(estate({ aciRules: LOCKDOWN }), [aci012], { intent: passing })).toEqual([]);
    const expired = intent(
      `forbid:\n  - name: no-ssh\n    from: Internet\n    to: vnet-app/snet-aci\n    protocol: tcp\n    ports: 22\n    reason: migration\n    owner: ops\n    expires: 2020-01-01\n`,
    );
    expect('2020-01-01' < TODAY).toBe(true);
    expect(findingsOf(estate({ aciRules: sshOpen }), [aci012], { intent: expired })).toEqual([]);
    expect(findingsOf(estate({ aciRules: sshOpen }), [aci012])).toEqual([]);
  });
});
