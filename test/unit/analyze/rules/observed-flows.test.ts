/**
 * ACI013 observed-flow-denied and ACI014 unobserved-open-path on a hand-made estate with hand-made
 * observed flows: ends inside and outside the snapshot, ICMP, IPv6 and other protocols, the window.
 */
import type { Snapshot } from '../../../../src/model/snapshot';
import type { ObservedFlowInput, ObservedFlowsInput } from '../../../../src/analyze/rules';
import { observedFlowDenied } from '../../../../src/analyze/rules/aci013-observed-flow-denied';
import { unobservedOpenPath } from '../../../../src/analyze/rules/aci014-unobserved-open-path';
import type { Finding } from '../../../../src/analyze/findings';
import {
  ACI_DELEGATION,
  containerGroup,
  ids,
  nsg,
  rule,
  snapshotOf,
  subnet,
  vnet,
} from '../../../oracle/tiny-estate';
import { findingsOf } from './rule-context';

/** vnet app: snet web (443 from Internet, no SSH, no DNS to the Internet) and snet db (5432 from web only); a public group. */
function estate(): Snapshot {
  return snapshotOf({
    virtualNetworks: [vnet('app', ['10.1.0.0/16'])],
    subnets: [
      subnet('app', 'web', ['10.1.1.0/24'], {
        networkSecurityGroupId: ids.nsg('nsg-web'),
        delegations: [ACI_DELEGATION],
      }),
      subnet('app', 'db', ['10.1.2.0/24'], {
        networkSecurityGroupId: ids.nsg('nsg-db'),
        delegations: [ACI_DELEGATION],
      }),
    ],
    networkSecurityGroups: [
      nsg('nsg-web', [
        rule({
          name: 'allow-https',
          priority: 100,
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          src: ['Internet'],
          dstPorts: ['443'],
        }),
        rule({
          name: 'deny-ssh',
          priority: 200,
          direction: 'Inbound',
          access: 'Deny',
          protocol: 'Tcp',
          dstPorts: ['22'],
        }),
        rule({
          name: 'deny-dns-out',
          priority: 300,
          direction: 'Outbound',
          access: 'Deny',
          protocol: 'Udp',
          dst: ['Internet'],
          dstPorts: ['53'],
        }),
      ]),
      nsg('nsg-db', [
        rule({
          name: 'allow-pg-web',
          priority: 100,
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          src: ['10.1.1.0/24'],
          dstPorts: ['5432'],
        }),
        rule({
          name: 'deny-vnet',
          priority: 4000,
          direction: 'Inbound',
          access: 'Deny',
          src: ['VirtualNetwork'],
        }),
      ]),
    ],
    containerGroups: [
      containerGroup('web-1', '10.1.1.4', [{ port: 443, protocol: 'TCP' }], ids.subnet('app', 'web')),
      containerGroup('db-1', '10.1.2.5', [{ port: 5432, protocol: 'TCP' }], ids.subnet('app', 'db')),
      containerGroup('pub', '20.50.0.4', [{ port: 80, protocol: 'TCP' }]),
    ],
  });
}

function seen(
  source: string,
  destination: string,
  protocol: string,
  destinationPort: number | null,
  decision: 'allow' | 'deny',
  extra: Partial<ObservedFlowInput> = {},
): ObservedFlowInput {
  return {
    source,
    destination,
    protocol,
    destinationPort,
    direction: 'Inbound',
    decision,
    tuples: 2,
    flowsStarted: 1,
    firstSeen: '2026-11-30T08:00:00.000Z',
    lastSeen: '2026-11-30T09:00:00.000Z',
    ...extra,
  };
}

const WINDOW = {
  first: '2026-11-30T08:00:00.000Z',
  last: '2026-11-30T20:00:00.000Z',
  since: null,
  until: null,
  files: 1,
  tuples: 40,
};
const EMPTY_WINDOW = { first: null, last: null, since: null, until: null, files: 0, tuples: 0 };

function observed(flows: ObservedFlowInput[]): ObservedFlowsInput {
  return { flows, window: WINDOW };
}

const byPair = (findings: Finding[]) =>
  Object.fromEntries(findings.map((f) => [`${f.flows[0]!.from} → ${f.flows[0]!.to}`, f]));

describe('ACI013 observed-flow-denied', () => {
  const flows = [
    seen('10.1.1.4', '10.1.2.5', 'Tcp', 6379, 'deny', { rule: 'UserRule_deny-vnet', tuples: 7 }),
    seen('10.1.1.9', '10.1.2.5', 'Tcp', 6379, 'deny', { tuples: 1, firstSeen: '2026-11-30T07:00:00.000Z' }),
    seen('198.51.100.7', '10.1.1.4', 'Tcp', 22, 'deny', { rule: 'UserRule_deny-ssh' }),
    seen('10.1.2.5', '10.1.1.4', 'Icmp', null, 'deny'),
    seen('10.1.1.4', '8.8.8.8', 'Udp', 53, 'deny', { direction: 'Outbound' }),
    seen('2001:db8::1', '10.1.1.4', 'Tcp', 443, 'deny'),
    seen('10.9.9.9', '10.1.1.4', 'Tcp', 8080, 'deny'),
    seen('198.51.100.7', '10.1.1.4', '47', null, 'deny'),
    seen('198.51.100.7', '10.1.1.4', 'Tcp', 443, 'allow'),
  ];

  it('stays silent without flow logs, and on allowed flows only', () => {
    expect(findingsOf(observedFlowDenied, estate())).toEqual([]);
    expect(findingsOf(observedFlowDenied, estate(), { observed: observed([flows[8]!]) })).toEqual([]);
  });

  it('aggregates denied flows per source and destination, with what was seen and the denying rule', () => {
    const found = byPair(findingsOf(observedFlowDenied, estate(), { observed: observed(flows) }));
    expect(Object.keys(found).sort()).toEqual([
      'IPv6 or unparsed addresses → app/web',
      'Internet → app/web',
      'app/db → app/web',
      'app/web → Internet',
      'app/web → app/db',
      'private space outside every VNet → app/web',
    ]);
    const db = found['app/web → app/db']!;
    expect(db.severity).toBe('medium');
    expect(db.flows).toEqual([
      {
        from: 'app/web',
        to: 'app/db',
        fromKey: null,
        toKey: null,
        protocol: 'tcp',
        ports: '6379',
        verdict: 'deny',
        observed: {
          tuples: 8,
          flowsStarted: 2,
          firstSeen: '2026-11-30T07:00:00.000Z',
          lastSeen: '2026-11-30T09:00:00.000Z',
        },
      },
    ]);
    expect(db.rules.map((r) => r.name)).toEqual(['deny-vnet']);
    expect(db.message).toContain('logged as UserRule_deny-vnet');
    expect(db.message).toContain('2026-11-30T08:00:00.000Z … 2026-11-30T20:00:00.000Z');
    expect(db.explain).toBe('aciseg explain <snapshot> --from 10.1.1.4 --to 10.1.2.5 --port 6379');
    expect(db.resources.map((r) => r.name)).toEqual(['app/web', 'app/db', 'nsg-db/deny-vnet']);

    const ssh = found['Internet → app/web']!;
    expect(ssh.severity).toBe('low');
    expect(ssh.rules.map((r) => r.name)).toEqual(['deny-ssh']);

    const dns = found['app/web → Internet']!;
    expect(dns.rules.map((r) => `${r.name} ${r.direction}`)).toEqual(['deny-dns-out Outbound']);
    expect(dns.flows[0]!.protocol).toBe('udp');
  });

  it('says so when the snapshot now allows what was denied (ICMP within the VNet: info)', () => {
    const found = byPair(findingsOf(observedFlowDenied, estate(), { observed: observed(flows) }));
    const icmp = found['app/db → app/web']!;
    expect(icmp.severity).toBe('info');
    expect(icmp.flows[0]).toMatchObject({ protocol: 'icmp', ports: '-', verdict: 'allow' });
    expect(icmp.message).toContain('now allows');
  });

  it('keeps flows whose ends are outside the snapshot or not IPv4, with an unknown or engine verdict', () => {
    const found = byPair(findingsOf(observedFlowDenied, estate(), { observed: observed(flows) }));
    expect(found['IPv6 or unparsed addresses → app/web']!.flows[0]!.verdict).toBe('unknown');
    expect(found['IPv6 or unparsed addresses → app/web']!.explain).toBeNull();
    // 10.9.9.9 is in no VNet: no policy on its side; web's defaults deny 8080 from outside the VNet.
    const priv = found['private space outside every VNet → app/web']!;
    expect(priv.flows[0]!.verdict).toBe('deny');
    expect(priv.rules.map((r) => r.name)).toEqual(['DenyAllInBound']);
  });

  it('has stable fingerprints: per pair of places, whatever the ports and counts', () => {
    const a = findingsOf(observedFlowDenied, estate(), { observed: observed([flows[0]!]) });
    const b = findingsOf(observedFlowDenied, estate(), {
      observed: observed([{ ...flows[0]!, destinationPort: 6380, tuples: 99 }]),
    });
    expect(a[0]!.fingerprint).toBe(b[0]!.fingerprint);
  });
});

describe('ACI014 unobserved-open-path', () => {
  it('stays silent without flow logs', () => {
    expect(findingsOf(unobservedOpenPath, estate())).toEqual([]);
  });

  it('lists, per destination, the open paths no allowed flow used, with the window', () => {
    const used = [
      seen('198.51.100.7', '10.1.1.4', 'Tcp', 443, 'allow'),
      seen('10.1.1.4', '10.1.2.5', 'Tcp', 5432, 'deny'),
    ];
    const found = findingsOf(unobservedOpenPath, estate(), { observed: observed(used) });
    const summary = Object.fromEntries(
      found.map((f) => [
        f.resources[0]!.name,
        { severity: f.severity, flows: f.flows.map((x) => `${x.from} ${x.protocol} ${x.ports}`) },
      ]),
    );
    expect(summary).toEqual({
      // Internet → web was used (443 allowed); the VNet defaults leave the rest open, but deny-ssh
      // closes 22 from anywhere, and the public group's address is Internet to web's NSG: 443 only.
      'app/web': {
        severity: 'info',
        flows: [
          'app/db tcp 0-21,23-65535',
          'app/db udp *',
          'app/db icmp -',
          'app/web tcp 0-21,23-65535',
          'app/web udp *',
          'app/web icmp -',
          'pub (public container group) tcp 443',
        ],
      },
      // A denied flow does not use a path: web → db 5432 is still a candidate.
      'app/db': { severity: 'info', flows: ['app/web tcp 5432'] },
      pub: { severity: 'low', flows: ['Internet tcp 80', 'app/db tcp 80', 'app/web tcp 80'] },
    });
    const db = found.find((f) => f.resources[0]!.name === 'app/db')!;
    expect(db.message).toBe(
      '1 open path into app/db carried no allowed flow in 2026-11-30T08:00:00.000Z … 2026-11-30T20:00:00.000Z (40 tuples): from app/web',
    );
    expect(db.explain).toBe('aciseg explain <snapshot> --from app/web --to app/db --port 5432');
  });

  it('drops a path once an allowed flow used it', () => {
    const used = [seen('10.1.1.4', '10.1.2.5', 'Tcp', 5432, 'allow')];
    const found = findingsOf(unobservedOpenPath, estate(), { observed: observed(used) });
    expect(found.map((f) => f.resources[0]!.name).sort()).toEqual(['app/web', 'pub']);
  });

  it('counts a path only for traffic allowed whatever the unknowns, not for traffic left unknown', () => {
    // From the Internet only an unresolved service tag's 8443 may pass (unknown without a tags file);
    // the subnet's own VNet reaches it on everything else. Only that path is a candidate.
    const snapshot = snapshotOf({
      virtualNetworks: [vnet('app', ['10.1.0.0/16'])],
      subnets: [
        subnet('app', 'api', ['10.1.3.0/24'], {
          networkSecurityGroupId: ids.nsg('nsg-api'),
          delegations: [ACI_DELEGATION],
        }),
      ],
      networkSecurityGroups: [
        nsg('nsg-api', [
          rule({
            priority: 100,
            direction: 'Inbound',
            access: 'Allow',
            protocol: 'Tcp',
            src: ['AzureCloud'],
            dstPorts: ['8443'],
          }),
          rule({ priority: 200, direction: 'Inbound', access: 'Deny', src: ['Internet'] }),
        ]),
      ],
    });
    const found = findingsOf(unobservedOpenPath, snapshot, { observed: { flows: [], window: EMPTY_WINDOW } });
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('1 open path into app/api');
    expect(found[0]!.flows.map((x) => `${x.from} ${x.protocol} ${x.ports}`)).toEqual([
      'app/api tcp *',
      'app/api udp *',
      'app/api icmp -',
    ]);
  });

  it('lists at most FLOWS_PER_FINDING flows per destination and counts the sources left out', () => {
    const subnets = Array.from({ length: 25 }, (_, i) =>
      subnet('big', `s${i}`, [`10.2.${i}.0/24`], { delegations: [ACI_DELEGATION] }),
    );
    const snapshot = snapshotOf({ virtualNetworks: [vnet('big', ['10.2.0.0/16'])], subnets });
    const found = findingsOf(unobservedOpenPath, snapshot, { observed: { flows: [], window: EMPTY_WINDOW } });
    expect(found).toHaveLength(25);
    for (const f of found) {
      // 26 sources (the Internet and every subnet, itself included), each open on tcp, udp and icmp.
      expect(f.flows).toHaveLength(18);
      expect(f.flowsOmitted).toBe(20);
      expect(f.severity).toBe('low');
      expect(f.message).toContain('26 open paths');
      expect(f.message).toContain('an empty window');
    }
  });
});
