/**
 * planSegmentation on hand-built estates: what it writes (subnet CIDRs, merged ports, closing denies,
 * platform DNS, kept names and priorities, service tags), what it proves, and the input it refuses.
 */
import { parseIntent, type IntentEntry } from '../../../src/analyze/intent';
import {
  DEFAULT_RULE_SETTINGS,
  RULES,
  runRules,
  type ObservedFlowInput,
  type PackRule,
} from '../../../src/analyze/rules';
import { InputError } from '../../../src/errors';
import type { Snapshot } from '../../../src/model/snapshot';
import { compilePolicy, parseServiceTags } from '../../../src/policy';
import {
  measureEffect,
  planSegmentation,
  proposeAndProve,
  type PlanInput,
  type PlanResult,
} from '../../../src/plan';
import {
  ACI_DELEGATION,
  containerGroup,
  ids,
  nsg,
  rule,
  snapshotOf,
  subnet,
  vnet,
} from '../../oracle/tiny-estate';

const TODAY = '2026-12-01';

/** vnet-a 10.0.0.0/16: snet-web (ACI, nsg-web) 10.0.1.0/24, snet-api (ACI, nsg-api) 10.0.2.0/24, snet-db (no NSG) 10.0.3.0/24. */
function estate(
  webRules = [
    rule({
      name: 'AllowSsh',
      priority: 100,
      direction: 'Inbound',
      access: 'Allow',
      protocol: 'Tcp',
      src: ['Internet'],
      dstPorts: ['22'],
    }),
  ],
): Snapshot {
  return snapshotOf({
    virtualNetworks: [vnet('vnet-a', ['10.0.0.0/16'])],
    subnets: [
      subnet('vnet-a', 'snet-web', ['10.0.1.0/24'], {
        networkSecurityGroupId: ids.nsg('nsg-web'),
        delegations: [ACI_DELEGATION],
      }),
      subnet('vnet-a', 'snet-api', ['10.0.2.0/24'], {
        networkSecurityGroupId: ids.nsg('nsg-api'),
        delegations: [ACI_DELEGATION],
      }),
      subnet('vnet-a', 'snet-db', ['10.0.3.0/24']),
    ],
    networkSecurityGroups: [nsg('nsg-api'), nsg('nsg-web', webRules)],
    containerGroups: [
      containerGroup('web', '10.0.1.4', [{ port: 443, protocol: 'TCP' }], ids.subnet('vnet-a', 'snet-web')),
      containerGroup('api', '10.0.2.4', [{ port: 8443, protocol: 'TCP' }], ids.subnet('vnet-a', 'snet-api')),
    ],
  });
}

function observed(list: [string, string, 'Tcp' | 'Udp', number][]): PlanInput['observed'] {
  const flows: ObservedFlowInput[] = list.map(([source, destination, protocol, destinationPort]) => ({
    source,
    destination,
    protocol,
    destinationPort,
    direction: 'Inbound',
    decision: 'allow',
    tuples: 3,
    flowsStarted: 2,
    firstSeen: '2026-11-30T00:00:00.000Z',
    lastSeen: '2026-11-30T12:00:00.000Z',
  }));
  return {
    flows,
    window: { first: null, last: null, since: null, until: null, files: 1, tuples: flows.length * 3 },
  };
}

function intentOf(yaml: string): { file: string; entries: IntentEntry[] } {
  const p = parseIntent(yaml, 'intent.yaml');
  if (!p.ok) throw new Error(JSON.stringify(p.diagnostics));
  return { file: 'intent.yaml', entries: p.entries };
}

function plan(snapshot: Snapshot, extra: Partial<PlanInput> = {}): PlanResult {
  return planSegmentation({
    snapshot,
    engine: compilePolicy(snapshot, extra.serviceTags ? { serviceTags: extra.serviceTags } : {}),
    observed: null,
    intent: null,
    today: TODAY,
    ...extra,
  });
}

const rulesOf = (r: PlanResult, name: string) =>
  r.nsgs.find((n) => n.name === name)!.rules.map((x) => x.rule);

describe('planSegmentation', () => {
  it('writes observed flows as subnet-CIDR rules with merged ports, keeps DNS, closes with denies at 4096, and proves it', () => {
    const r = plan(estate(), {
      observed: observed([
        ['10.0.1.4', '10.0.2.4', 'Tcp', 8443],
        ['10.0.1.5', '10.0.2.4', 'Tcp', 8444],
      ]),
    });
    expect(r.proof.ok).toBe(true);
    const api = rulesOf(r, 'nsg-api');
    const inbound = api.filter((x) => x.direction === 'Inbound');
    expect(
      inbound.map((x) => [
        x.access,
        x.sourceAddressPrefixes,
        x.destinationAddressPrefixes,
        x.destinationPortRanges,
        x.priority,
      ]),
    ).toEqual([
      ['Allow', ['10.0.1.0/24'], ['10.0.2.0/24'], ['8443-8444'], 100],
      ['Deny', ['*'], ['*'], ['*'], 4096],
    ]);
    const web = rulesOf(r, 'nsg-web').filter((x) => x.direction === 'Outbound');
    expect(web.map((x) => x.name)).toEqual([
      'allow-to-azure-dns-any-53',
      'allow-to-snet-api-tcp-8443-8444',
      'deny-other-outbound',
    ]);
    expect(web[0]!.destinationAddressPrefixes).toEqual(['168.63.129.16/32']);
    // The SSH rule from the Internet is gone, and the effect says what closed.
    expect(r.nsgs.find((n) => n.name === 'nsg-web')!.removed.map((x) => x.name)).toEqual(['AllowSsh']);
    expect(r.effect.closed).toContainEqual(
      expect.objectContaining({ from: 'Internet', to: 'vnet-a/snet-web', protocol: 'tcp', ports: '22' }),
    );
    expect(BigInt(r.effect.closedFlowSpace) > 0n).toBe(true);
    // The proposed snapshot carries the rule sets.
    expect(r.proposed.networkSecurityGroups.find((g) => g.name === 'nsg-api')!.securityRules).toHaveLength(
      api.length,
    );
  });

  it('keeps the name and priority of a rule that stays the same, and reuses the name of the one rule a change replaces', () => {
    const keep = rule({
      name: 'AllowWebToApi',
      priority: 300,
      direction: 'Inbound',
      access: 'Allow',
      protocol: 'Tcp',
      src: ['10.0.1.0/24'],
      dst: ['10.0.2.0/24'],
      dstPorts: ['8443'],
    });
    const s = estate();
    s.networkSecurityGroups = [
      nsg('nsg-api', [keep]),
      nsg('nsg-web', [
        rule({
          name: 'AllowOut',
          priority: 250,
          direction: 'Outbound',
          access: 'Allow',
          protocol: 'Tcp',
          src: ['10.0.1.0/24'],
          dst: ['10.0.2.0/24'],
          dstPorts: ['8000-9000'],
        }),
      ]),
    ];
    const r = plan(s, { observed: observed([['10.0.1.4', '10.0.2.4', 'Tcp', 8443]]) });
    expect(r.proof.ok).toBe(true);
    const kept = r.nsgs
      .find((n) => n.name === 'nsg-api')!
      .rules.find((x) => x.rule.name === 'AllowWebToApi')!;
    expect([kept.status, kept.rule.priority]).toEqual(['kept', 300]);
    const changed = r.nsgs.find((n) => n.name === 'nsg-web')!.rules.find((x) => x.rule.name === 'AllowOut')!;
    expect([
      changed.status,
      changed.rule.priority,
      changed.rule.destinationPortRanges,
      changed.previous?.destinationPortRanges,
    ]).toEqual(['changed', 250, ['8443'], ['8000-9000']]);
  });

  it('singles out a group when the subnet-wide rule would open something closed today', () => {
    const s = estate();
    // Today only 10.0.1.4 may reach the API: widening to snet-web would open new flows.
    s.networkSecurityGroups = [
      nsg('nsg-api', [
        rule({
          priority: 100,
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          src: ['10.0.1.4/32'],
          dstPorts: ['8443'],
        }),
        rule({ priority: 200, direction: 'Inbound', access: 'Deny', src: ['*'] }),
      ]),
      nsg('nsg-web'),
    ];
    const r = plan(s, { observed: observed([['10.0.1.4', '10.0.2.4', 'Tcp', 8443]]) });
    expect(r.proof.ok).toBe(true);
    const inbound = rulesOf(r, 'nsg-api').filter((x) => x.direction === 'Inbound' && x.access === 'Allow');
    expect(inbound.map((x) => x.sourceAddressPrefixes)).toEqual([['10.0.1.4/32']]);
  });

  it('writes Internet egress with the narrowest service tag that holds it (--service-tags)', () => {
    const parsed = parseServiceTags(
      {
        values: [
          { name: 'AzureCloud', properties: { addressPrefixes: ['20.0.0.0/8'] } },
          { name: 'AzureContainerRegistry.WestEurope', properties: { addressPrefixes: ['20.50.0.0/16'] } },
        ],
      },
      'tags.json',
    );
    if (!parsed.ok) throw new Error('tags');
    const r = plan(estate(), {
      observed: observed([['10.0.1.4', '20.50.1.1', 'Tcp', 443]]),
      serviceTags: parsed.serviceTags,
    });
    expect(r.proof.ok).toBe(true);
    const out = rulesOf(r, 'nsg-web').filter(
      (x) => x.direction === 'Outbound' && x.access === 'Allow' && x.destinationPortRanges[0] === '443',
    );
    expect(out.map((x) => x.destinationAddressPrefixes)).toEqual([['AzureContainerRegistry.westeurope']]);
  });

  it('adds a new NSG for an ACI subnet without one and associates it in the proposed snapshot', () => {
    const s = estate();
    s.subnets = s.subnets.map((x) => (x.name === 'snet-api' ? { ...x, networkSecurityGroupId: null } : x));
    s.networkSecurityGroups = s.networkSecurityGroups.filter((g) => g.name !== 'nsg-api');
    const r = plan(s, { observed: observed([['10.0.1.4', '10.0.2.4', 'Tcp', 8443]]) });
    const fresh = r.nsgs.find((n) => n.isNew)!;
    expect(fresh.name).toBe('nsg-snet-api');
    expect(r.proposed.subnets.find((x) => x.name === 'snet-api')!.networkSecurityGroupId).toBe(fresh.id);
    expect(
      r.proposed.networkSecurityGroups.find((g) => g.id === fresh.id)!.defaultSecurityRules,
    ).toHaveLength(6);
    expect(r.proof.ok).toBe(true);
  });

  it('lists a require the current policy denies as widening, with its entry, and still proves (b)', () => {
    const r = plan(estate([rule({ priority: 100, direction: 'Inbound', access: 'Deny', src: ['*'] })]), {
      intent: intentOf(
        'require:\n  - name: api-to-web\n    from: api\n    to: web\n    protocol: tcp\n    ports: "443"\n',
      ),
    });
    expect(r.proof.ok).toBe(true);
    expect(r.proof.noWidening.widening.map((w) => w.entry)).toEqual(['api-to-web']);
    const allow = rulesOf(r, 'nsg-web').find((x) => x.direction === 'Inbound' && x.access === 'Allow')!;
    expect([allow.sourceAddressPrefixes, allow.destinationAddressPrefixes]).toEqual([
      ['10.0.2.4/32'],
      ['10.0.1.4/32'],
    ]);
  });

  it('denies a forbid no planned NSG governs with a new deny-only NSG on the destination subnet, and proves it', () => {
    const r = plan(estate(), {
      observed: observed([
        ['10.0.1.4', '10.0.2.4', 'Tcp', 8443],
        ['10.0.2.4', '10.0.3.7', 'Tcp', 1433],
      ]),
      intent: intentOf(
        'forbid:\n  - name: no-db-from-internet\n    from: Internet\n    to: vnet-a/snet-db\n    protocol: tcp\n    ports: "1433"\n',
      ),
    });
    expect(r.proof.ok).toBe(true);
    const fresh = r.nsgs.find((n) => n.name === 'nsg-snet-db')!;
    expect(fresh.isNew).toBe(true);
    expect(fresh.subnets).toEqual([ids.subnet('vnet-a', 'snet-db')]);
    expect(fresh.rules.map((x) => [x.rule, x.status, x.provenance.map((p) => [p.kind, p.entry])])).toEqual([
      [
        expect.objectContaining({
          name: 'deny-no-db-from-internet',
          priority: 100,
          direction: 'Inbound',
          access: 'Deny',
          protocol: 'Tcp',
          sourceAddressPrefixes: ['Internet'],
          destinationAddressPrefixes: ['10.0.3.0/24'],
          destinationPortRanges: ['1433'],
        }),
        'added',
        [['forbid', 'no-db-from-internet']],
      ],
    ]);
    expect(r.proposed.subnets.find((x) => x.name === 'snet-db')!.networkSecurityGroupId).toBe(fresh.id);
    // The observed flow into snet-db stays allowed on the proposed snapshot.
    expect(r.proof.required.checked).toBe(2);
  });

  it('adds the deny above every rule of an existing NSG on a non-ACI subnet and keeps its other rules', () => {
    const s = estate();
    s.subnets = s.subnets.map((x) =>
      x.name === 'snet-db' ? { ...x, networkSecurityGroupId: ids.nsg('nsg-db') } : x,
    );
    const dbRules = [
      rule({
        name: 'AllowSqlFromAnywhere',
        priority: 200,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        src: ['*'],
        dstPorts: ['1433'],
      }),
      rule({
        name: 'AllowHttps',
        priority: 300,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        src: ['*'],
        dstPorts: ['443'],
      }),
      rule({ name: 'DenyOut', priority: 100, direction: 'Outbound', access: 'Deny', protocol: 'Udp' }),
    ];
    s.networkSecurityGroups = [...s.networkSecurityGroups, nsg('nsg-db', dbRules)];
    const r = plan(s, {
      observed: observed([['10.0.1.4', '10.0.2.4', 'Tcp', 8443]]),
      intent: intentOf(
        'forbid:\n  - name: no-db-from-internet\n    from: Internet\n    to: vnet-a/snet-db\n    protocol: tcp\n    ports: "1433"\n',
      ),
    });
    expect(r.proof.ok).toBe(true);
    const db = r.nsgs.find((n) => n.name === 'nsg-db')!;
    expect(db.isNew).toBe(false);
    expect(db.removed).toEqual([]);
    expect(db.rules.map((x) => [x.rule.direction, x.rule.priority, x.rule.name, x.status])).toEqual([
      ['Inbound', 190, 'deny-no-db-from-internet', 'added'],
      ['Inbound', 200, 'AllowSqlFromAnywhere', 'kept'],
      ['Inbound', 300, 'AllowHttps', 'kept'],
      ['Outbound', 100, 'DenyOut', 'kept'],
    ]);
    const after = r.proposed.networkSecurityGroups.find((g) => g.name === 'nsg-db')!.securityRules;
    for (const x of dbRules) expect(after).toContainEqual(x);
    // Nothing else changes for snet-db: 443 from the Internet stays allowed, 1433 from the VNet too.
    const engine = compilePolicy(r.proposed);
    const verdict = (src: string, port: number) =>
      engine.evaluateFlow({
        src: { kind: 'external', ip: src },
        dst: { kind: 'subnet', subnetId: ids.subnet('vnet-a', 'snet-db'), ip: '10.0.3.9' },
        protocol: 'Tcp',
        srcPort: 50000,
        dstPort: port,
      });
    expect([verdict('203.0.113.9', 1433), verdict('203.0.113.9', 443)]).toEqual(['deny', 'allow']);
  });

  it('keeps the failure message when a forbid lies outside every subnet (no NSG can deny it)', () => {
    const r = plan(estate(), {
      observed: observed([['10.0.1.4', '10.0.2.4', 'Tcp', 8443]]),
      intent: intentOf(
        'forbid:\n  - name: no-outside\n    from: Internet\n    to: 192.168.7.7\n    protocol: tcp\n    ports: "1433"\n',
      ),
    });
    expect(r.proof.ok).toBe(false);
    expect(r.nsgs.every((n) => !n.rules.some((x) => x.provenance.some((p) => p.kind === 'forbid')))).toBe(
      true,
    );
    expect(r.proof.forbidden.failures[0]!.entry).toBe('no-outside');
    expect(r.proof.forbidden.failures[0]!.detail).toContain(
      'neither end is in a subnet whose NSG the plan writes',
    );
  });

  it('leaves out an observed flow a forbid covers (forbid wins) and lists it', () => {
    const r = plan(estate(), {
      observed: observed([
        ['203.0.113.9', '10.0.1.4', 'Tcp', 22],
        ['10.0.1.4', '10.0.2.4', 'Tcp', 8443],
      ]),
      intent: intentOf(
        'forbid:\n  - name: no-ssh\n    from: Internet\n    to: vnet-a/snet-web\n    protocol: tcp\n    ports: "22"\n',
      ),
    });
    expect(r.proof.ok).toBe(true);
    expect(r.excluded!.map((e) => e.entry)).toEqual(['no-ssh']);
    expect(r.required).toHaveLength(1);
  });

  it('counts findings resolved with the rule pack run on the proposed snapshot', () => {
    const sshRule: PackRule = {
      meta: {
        id: 'TST001',
        name: 'ssh-open',
        title: 'SSH from the Internet',
        severity: 'high',
        description: '',
        remediation: '',
        controls: { mcsb: [], cis: [] },
      },
      run: (ctx) =>
        ctx.snapshot.networkSecurityGroups.flatMap((g) =>
          g.securityRules
            .filter((x) => x.access === 'Allow' && x.destinationPortRanges.includes('22'))
            .map((x) => ({
              message: `${g.name}/${x.name}`,
              resources: [],
              flows: [],
              flowsOmitted: 0,
              rules: [],
              explain: null,
              location: null,
              identity: [g.id, x.name],
            })),
        ),
    };
    const r = plan(estate(), {
      observed: observed([['10.0.1.4', '10.0.2.4', 'Tcp', 8443]]),
      rules: [sshRule],
    });
    expect(r.effect.findingsResolved).toHaveLength(1);
    expect(r.effect.findingsRemaining).toEqual([]);
  });

  it('measureEffect takes the findings of rules made elsewhere on the snapshot before, and makes them itself when that failed', () => {
    const snapshot = estate();
    const input: PlanInput = {
      snapshot,
      engine: compilePolicy(snapshot),
      observed: observed([['10.0.1.4', '10.0.2.4', 'Tcp', 8443]]),
      intent: null,
      today: TODAY,
    };
    const whole = planSegmentation(input);
    const standalone = RULES.filter((x) => x.standalone === true);
    const made = measureEffect(input, proposeAndProve(input), { rules: standalone, findings: null });
    expect(made.effect).toEqual(whole.effect);
    // The pack's own findings on the snapshot before, of the standalone rules: taken as given, not remade.
    const before = runRules(
      {
        snapshot,
        engine: input.engine,
        reachability: () => {
          throw new Error('standalone rules read no reachability');
        },
        intent: null,
        observed: null,
        today: TODAY,
        settings: DEFAULT_RULE_SETTINGS,
      },
      standalone,
    ).findings;
    expect(before.length).toBeGreaterThan(0);
    const resolvedHere = new Set(before.map((f) => f.fingerprint));
    expect(whole.effect.findingsResolved.some((f) => resolvedHere.has(f))).toBe(true);
    const given = measureEffect(input, proposeAndProve(input), { rules: standalone, findings: before });
    expect(given.effect).toEqual(whole.effect);
    const none = measureEffect(input, proposeAndProve(input), { rules: standalone, findings: [] });
    expect(none.effect.findingsResolved.filter((f) => resolvedHere.has(f))).toEqual([]);
    expect(none.effect.findingsResolved.length).toBeLessThan(whole.effect.findingsResolved.length);
  });
});

describe('planSegmentation refuses input no plan can serve (InputError, exit code 2)', () => {
  const thrown = (f: () => unknown): InputError => {
    try {
      f();
    } catch (e) {
      if (e instanceof InputError) return e;
      throw e;
    }
    throw new Error('no error');
  };

  it('a require that contradicts a forbid, naming both entries and the path', () => {
    const e = thrown(() =>
      plan(estate(), {
        intent: intentOf(
          'require:\n  - name: web-in\n    from: Internet\n    to: web\n    protocol: tcp\n    ports: "443"\nforbid:\n  - name: no-web\n    from: Internet\n    to: vnet-a/snet-web\n    protocol: "*"\n    ports: "*"\n',
        ),
      }),
    );
    expect(e.diagnostics[0]!.message).toContain('require "web-in" contradicts forbid "no-web"');
    expect([e.diagnostics[0]!.file, e.diagnostics[0]!.path]).toEqual(['intent.yaml', '$.require[0]']);
  });

  it('a required flow no rule the plan writes can allow (an address outside every planned subnet)', () => {
    const s = estate();
    s.subnets.push(
      subnet('vnet-a', 'snet-locked', ['10.0.9.0/24'], { networkSecurityGroupId: ids.nsg('nsg-locked') }),
    );
    s.networkSecurityGroups.push(
      nsg('nsg-locked', [rule({ priority: 100, direction: 'Inbound', access: 'Deny' })]),
    );
    const e = thrown(() =>
      plan(s, {
        intent: intentOf(
          'require:\n  - name: to-locked\n    from: Internet\n    to: 10.0.9.5\n    protocol: tcp\n    ports: "80"\n',
        ),
      }),
    );
    expect(e.diagnostics[0]!.message).toContain('neither end is in a subnet whose NSG the plan writes');
    expect(e.diagnostics[0]!.path).toBe('$.require[0]');
  });

  it('a snapshot with no ACI subnet', () => {
    const s = snapshotOf({
      virtualNetworks: [vnet('v', ['10.0.0.0/16'])],
      subnets: [subnet('v', 's', ['10.0.0.0/24'])],
    });
    const e = thrown(() => plan(s, { observed: observed([]) }));
    expect(e.diagnostics[0]!.code).toBe('EMPTY_INPUT');
    expect(e.message).toContain('no subnet that holds container groups');
  });
});
