/** Observed flows joined to endpoint groups through a resolver the caller supplies. */
import { groupObservedFlows } from '../../../src/collect/flows';
import { readDocuments, vnetRecord } from './helpers';

const r = readDocuments({
  'a.json': JSON.stringify({
    records: [
      vnetRecord({
        aclOut: {
          UserRule_app: [
            '1764496800000,10.0.0.4,10.1.0.5,50000,443,6,O,B,NX,0,0,0,0',
            '1764496860000,10.0.0.5,10.1.0.6,50000,443,6,O,B,NX,0,0,0,0',
            '1764496870000,10.0.0.9,10.1.0.5,50000,443,6,O,B,NX,0,0,0,0',
          ],
        },
        aclIn: { UserRule_db: ['1764496800500,10.0.0.4,10.1.0.5,50000,443,6,I,B,NX,0,0,0,0'] },
        aclDeny: {
          DefaultRule_DenyAllInBound: ['1764496900000,203.0.113.9,10.1.0.5,41000,22,6,I,D,NX,0,0,0,0'],
        },
      }),
    ],
  }),
});

describe('groupObservedFlows', () => {
  const calls: string[] = [];
  const resolve = (a: string): string | null => {
    calls.push(a);
    if (a.startsWith('10.0.0.') && a !== '10.0.0.9') return 'subnet-web';
    if (a.startsWith('10.1.0.')) return 'subnet-db';
    return a === '203.0.113.9' ? 'Internet' : null;
  };
  const grouped = groupObservedFlows([...r.flows], resolve);

  it('merges flows between the same groups on one protocol, port and decision; unresolved addresses stay apart', () => {
    expect(
      grouped.map(
        (g) =>
          `${g.sourceGroup}>${g.destinationGroup} ${g.protocol}/${g.destinationPort} ${g.decision} ×${g.observedFlows}`,
      ),
    ).toEqual([
      'Internet>subnet-db Tcp/22 deny ×1',
      'subnet-web>subnet-db Tcp/443 allow ×3',
      'null>subnet-db Tcp/443 allow ×1',
    ]);
  });

  it('sums tuples and connections, spans first to last seen, names the addresses and who logged them', () => {
    expect(grouped[1]).toEqual({
      sourceGroup: 'subnet-web',
      destinationGroup: 'subnet-db',
      protocol: 'Tcp',
      destinationPort: 443,
      decision: 'allow',
      tuples: 3,
      flowsStarted: 3,
      firstSeen: '2025-11-30T10:00:00.000Z',
      lastSeen: '2025-11-30T10:01:00.000Z',
      sources: ['10.0.0.4', '10.0.0.5'],
      destinations: ['10.1.0.5', '10.1.0.6'],
      moreSources: false,
      moreDestinations: false,
      loggedBy: ['Inbound aclIn UserRule_db', 'Outbound aclOut UserRule_app'],
      observedFlows: 3,
    });
  });

  it('asks the resolver once per address', () => {
    expect([...calls].sort()).toEqual([...new Set(calls)].sort());
  });
});

it('names at most the eight lowest addresses of a side, and says when there were more', () => {
  const tuples = Array.from(
    { length: 12 },
    (_, i) => `1764496800000,203.0.113.${20 - i},10.1.0.${(i * 7) % 12},1,22,6,I,D,NX,0,0,0,0`,
  );
  const r = readDocuments({ 'a.json': JSON.stringify({ records: [vnetRecord({ a: { r: tuples } })] }) });
  const [g] = groupObservedFlows(r.flows, (a) => (a.startsWith('10.') ? 'db' : 'Internet'));
  expect(g!.sources).toEqual([9, 10, 11, 12, 13, 14, 15, 16].map((n) => `203.0.113.${n}`));
  expect(g!.destinations).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => `10.1.0.${n}`));
  expect([g!.moreSources, g!.moreDestinations, g!.observedFlows]).toEqual([true, true, 12]);
});
