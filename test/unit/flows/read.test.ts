/**
 * Flow-log records → observed flows: the accepted layouts, the aggregation key and counts, the
 * time window, key order, diagnostics (file, line, column, JSON path), and determinism.
 */
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { FlowLogReader, requireCompleteFlowLogs, parseTimeBound } from '../../../src/collect/flows';
import { exitCodeFor, InputError, UsageError } from '../../../src/errors';
import { formatDiagnostic } from '../../../src/diagnostics';
import { codes, NSG_ID, nsgRecord, readDocuments, vnetRecord, where } from './helpers';

const wrap = (...records: unknown[]) => JSON.stringify({ records }, null, 2);

describe('layouts', () => {
  const v4 = vnetRecord({
    acl1: { UserRule_web: ['1764496800000,10.0.0.4,10.1.0.5,50000,443,6,O,B,NX,0,0,0,0'] },
  });
  const v2 = nsgRecord(2, { UserRule_web: ['1764496800,10.0.0.4,10.1.0.5,50000,443,T,O,A,B,,,,'] });
  const v1 = nsgRecord(1, { UserRule_web: ['1764496800,10.0.0.4,10.1.0.5,50000,443,T,O,A'] });

  it.each([
    ['the records wrapper', wrap(v4, v2, v1)],
    ['one record per line (no wrapper)', [v4, v2, v1].map((r) => JSON.stringify(r)).join('\n')],
    ['records concatenated', [v4, v2, v1].map((r) => JSON.stringify(r)).join('')],
    ['a bare array of records', JSON.stringify([v4, v2, v1])],
    ['records nested in records', JSON.stringify({ records: [v4, { records: [v2, { records: [v1] }] }] })],
  ])('%s', (_, text) => {
    const r = readDocuments({ 'PT1H.json': text });
    expect(r.diagnostics).toEqual([]);
    expect([...r.flows].map((f) => f.log).sort()).toEqual(['nsg-v1', 'nsg-v2', 'vnet-v4']);
    expect(r.stats.totals).toMatchObject({ records: 3, tuples: 3, aggregated: 3 });
  });

  it('reads a gzip document in memory, told by its bytes, not its name', () => {
    const reader = new FlowLogReader();
    reader.addDocument('PT1H.json', zlib.gzipSync(wrap(v4)));
    expect(reader.finish().stats.totals.aggregated).toBe(1);
  });
});

describe('aggregation', () => {
  const tuples = [
    // one connection, begin / continuing / end, from two source ports
    '1764496800000,10.0.0.4,10.1.0.5,50000,443,6,O,B,NX,0,0,0,0',
    '1764496860000,10.0.0.4,10.1.0.5,50000,443,6,O,C,NX,3,300,2,2000',
    '1764496920000,10.0.0.4,10.1.0.5,50001,443,6,O,E,NX,1,100,1,1000',
    // denied twice
    '1764496800500,203.0.113.9,10.0.0.4,41000,22,6,I,D,NX,0,0,0,0',
    '1764496801500,203.0.113.9,10.0.0.4,41001,22,6,I,D,NX,0,0,0,0',
    // encrypted: a different key
    '1764496800000,10.0.0.4,10.1.0.5,50002,443,6,O,B,X,0,0,0,0',
    // ICMP (no ports)
    '1764496800000,10.0.0.4,10.1.0.5,,,1,O,B,NX,0,0,0,0',
  ];
  const r = readDocuments({ 'a.json': wrap(vnetRecord({ acl1: { UserRule_web: tuples } })) });

  it('one flow per (source, destination, protocol, port, direction, decision, encryption, rule): source ports merge', () => {
    expect(r.diagnostics).toEqual([]);
    expect(
      [...r.flows].map(
        (f) =>
          `${f.source}>${f.destination} ${f.protocol}/${f.destinationPort} ${f.decision} ${f.encryption}`,
      ),
    ).toEqual([
      '10.0.0.4>10.1.0.5 Icmp/null allow NX',
      '10.0.0.4>10.1.0.5 Tcp/443 allow NX',
      '10.0.0.4>10.1.0.5 Tcp/443 allow X',
      '203.0.113.9>10.0.0.4 Tcp/22 deny NX',
    ]);
  });

  it('counts tuples, connections begun, packets and bytes, and first / last seen', () => {
    expect([...r.flows][1]).toEqual({
      log: 'vnet-v4',
      evaluatedBy: 'acl1',
      rule: 'UserRule_web',
      source: '10.0.0.4',
      destination: '10.1.0.5',
      protocol: 'Tcp',
      destinationPort: 443,
      direction: 'Outbound',
      decision: 'allow',
      encryption: 'NX',
      tuples: 3,
      flowsStarted: 1,
      packets: { sourceToDestination: 4, destinationToSource: 3 },
      bytes: { sourceToDestination: 400, destinationToSource: 3000 },
      firstSeen: '2025-11-30T10:00:00.000Z',
      lastSeen: '2025-11-30T10:02:00.000Z',
    });
    expect([...r.flows][3]).toMatchObject({
      tuples: 2,
      flowsStarted: 2,
      direction: 'Inbound',
      decision: 'deny',
    });
  });

  it('NSG logs: seconds, T/U letters, the record resourceId as evaluator, no counts in version 1', () => {
    const n = readDocuments({
      'n.json': wrap(
        nsgRecord(1, { DefaultRule_DenyAllInBound: ['1764496800,198.51.100.7,10.0.0.4,53,1732,U,I,D'] }),
        nsgRecord(
          2,
          { UserRule_dns: ['1764496805,10.0.0.4,10.0.0.10,50000,53,U,O,A,E,1,80,1,120'] },
          '2026-11-30T10:01:00Z',
        ),
      ),
    });
    expect([...n.flows]).toMatchObject([
      {
        log: 'nsg-v2',
        evaluatedBy: NSG_ID,
        protocol: 'Udp',
        packets: { sourceToDestination: 1 },
        flowsStarted: 0,
      },
      { log: 'nsg-v1', protocol: 'Udp', decision: 'deny', packets: null, bytes: null, flowsStarted: 1 },
    ]);
    expect(n.window).toEqual({
      since: null,
      until: null,
      first: '2025-11-30T10:00:00.000Z',
      last: '2025-11-30T10:00:05.000Z',
    });
  });

  it('an NSG record without Version is read by its tuples’ field count', () => {
    const n = readDocuments({
      'n.json': wrap(
        nsgRecord(null, {
          r: ['1764496800,10.0.0.4,10.0.0.5,1,2,T,O,A', '1764496800,10.0.0.4,10.0.0.5,1,2,T,O,A,B,,,,'],
        }),
      ),
    });
    expect([...n.flows].map((f) => f.log)).toEqual(['nsg-v1', 'nsg-v2']);
  });

  it('flows come sorted, addresses numerically (IPv4 before IPv6), the same on every iteration', () => {
    const n = readDocuments({
      'n.json': wrap(
        vnetRecord({
          b: {
            r: [
              '1764496800000,10.0.0.10,10.0.0.1,1,443,6,O,B,NX,0,0,0,0',
              '1764496800000,2001:db8::1,10.0.0.1,1,80,6,I,B,NX,0,0,0,0',
            ],
          },
          a: {
            r: [
              '1764496800000,10.0.0.9,10.0.0.1,1,443,17,O,B,NX,0,0,0,0',
              '1764496800000,10.0.0.9,10.0.0.1,1,443,6,O,D,NX,0,0,0,0',
              '1764496800000,10.0.0.9,10.0.0.1,1,80,6,O,B,NX,0,0,0,0',
              '1764496800000,10.0.0.9,10.0.0.1,,,1,O,B,NX,0,0,0,0',
              '1764496800000,10.0.0.9,10.0.0.1,1,80,6,I,B,NX,0,0,0,0',
            ],
          },
        }),
      ),
    });
    const shown = [...n.flows].map(
      (f) => `${f.source} ${f.protocol}/${f.destinationPort} ${f.direction} ${f.decision}`,
    );
    expect(shown).toEqual([
      '10.0.0.9 Icmp/null Outbound allow',
      '10.0.0.9 Tcp/80 Inbound allow',
      '10.0.0.9 Tcp/80 Outbound allow',
      '10.0.0.9 Tcp/443 Outbound deny',
      '10.0.0.9 Udp/443 Outbound allow',
      '10.0.0.10 Tcp/443 Outbound allow',
      '2001:db8::1 Tcp/80 Inbound allow',
    ]);
    expect([...n.flows]).toEqual([...n.flows]);
    expect(n.flows.size).toBe(7);
  });

  it('IPv6 addresses are kept, lower-cased', () => {
    const n = readDocuments({
      'n.json': wrap(
        vnetRecord({ a: { r: ['1764496800000,2001:DB8::1,2001:db8::2,1,443,6,O,B,NX,0,0,0,0'] } }),
      ),
    });
    expect([...n.flows].map((f) => [f.source, f.destination])).toEqual([['2001:db8::1', '2001:db8::2']]);
  });
});

describe('time window', () => {
  const tuples = ['1764496799999', '1764496800000', '1764500399999', '1764500400000'].map(
    (t) => `${t},10.0.0.4,10.1.0.5,50000,443,6,O,B,NX,0,0,0,0`,
  );
  const doc = wrap(vnetRecord({ a: { r: tuples } }));

  it('since is inclusive, until exclusive; the observed window is the first and last tuple kept', () => {
    const r = readDocuments(
      { 'a.json': doc },
      { since: '2025-11-30T10:00:00Z', until: '2025-11-30T11:00:00Z' },
    );
    expect(r.stats.totals).toMatchObject({ tuples: 4, aggregated: 2, outsideWindow: 2 });
    expect(r.window).toEqual({
      since: '2025-11-30T10:00:00.000Z',
      until: '2025-11-30T11:00:00.000Z',
      first: '2025-11-30T10:00:00.000Z',
      last: '2025-11-30T10:59:59.999Z',
    });
    expect([...r.flows][0]!.tuples).toBe(2);
  });

  it('no tuple in the window: no flows and an empty observed window', () => {
    const r = readDocuments({ 'a.json': doc }, { since: '2026-01-01' });
    expect([...r.flows]).toEqual([]);
    expect(r.window.first).toBeNull();
  });

  it.each(['yesterday', '2026-11-30T10:00:00', '2026-13-01', '30/11/2026'])('%j is a usage error', (t) => {
    expect(() => parseTimeBound(t, '--since')).toThrow(UsageError);
    expect(() => new FlowLogReader({ until: t })).toThrow(/--until .* is not an ISO time/);
  });

  it('since must come before until', () => {
    expect(() => new FlowLogReader({ since: '2026-11-30', until: '2026-11-30' })).toThrow(UsageError);
  });
});

describe('key order and chunking do not matter', () => {
  it('Version after flows, rule after flowTuples, time last: same flows', () => {
    const normal = readDocuments({
      'a.json': wrap(nsgRecord(2, { r1: ['1764496800,10.0.0.4,10.0.0.5,1,80,T,O,A,B,,,,'] })),
    });
    const reordered = `{"records":[{"properties":{"flows":[{"flows":[{"flowTuples":["1764496800,10.0.0.4,10.0.0.5,1,80,T,O,A,B,,,,"],"mac":"000D3A000001"}],"rule":"r1"}],"Version":2},"resourceId":"${NSG_ID}","category":"NetworkSecurityGroupFlowEvent","time":"2026-11-30T10:00:00.0000000Z"}]}`;
    const r = readDocuments({ 'a.json': reordered });
    expect(r.diagnostics).toEqual([]);
    expect([...r.flows]).toEqual([...normal.flows]);
  });

  it('an unsupported Version after the tuples is still refused', () => {
    const text = `{"time":"t","category":"c","resourceId":"x","properties":{"flows":[{"rule":"r","flows":[{"flowTuples":["1764496800,10.0.0.4,10.0.0.5,1,80,T,O,A"]}]}],"Version":3}}`;
    const r = readDocuments({ 'a.json': text });
    expect(codes(r)).toEqual(['FLOW_LOG_UNSUPPORTED_VERSION']);
    expect([...r.flows]).toEqual([]);
    expect(r.stats.totals).toMatchObject({ tuples: 1, unsupported: 1 });
  });

  it('any chunking and any record order give the same flows and window', () => {
    const records = Array.from({ length: 6 }, (_, i) =>
      vnetRecord(
        {
          [`acl${i % 2}`]: {
            [`rule${i % 3}`]: [
              `${1764496800000 + i * 1000},10.0.0.${i % 3},10.1.0.5,5000${i},443,6,O,${'BCED'[i % 4]},NX,1,10,1,10`,
            ],
          },
        },
        `2026-11-30T10:0${i}:00Z`,
      ),
    );
    const expected = readDocuments({ 'a.json': wrap(...records) });
    fc.assert(
      fc.property(
        fc.shuffledSubarray(records, { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 1, max: 200 }),
        (order, chunk) => {
          const r = readDocuments({ 'a.json': wrap(...order) }, {}, chunk);
          expect([...r.flows]).toEqual([...expected.flows]);
          expect(r.window).toEqual(expected.window);
        },
      ),
      { seed: 3, numRuns: 60 },
    );
  });
});

describe('malformed input: a diagnostic with file, line, column and JSON path; never a crash, never silent', () => {
  it('a malformed tuple', () => {
    const text = wrap(
      vnetRecord({
        a: {
          r: [
            '1764496800000,10.0.0.4,10.1.0.5,50000,443,6,O,B,NX,0,0,0,0',
            '1764496800000,10.0.0.400,10.1.0.5,1,443,6,O,B,NX,0,0,0,0',
          ],
        },
      }),
    );
    const r = readDocuments({ 'logs/PT1H.json': text });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      `error: logs/PT1H.json: $.records[0].flowRecords.flows[0].flowGroups[0].flowTuples[1]: ${where(text, '"1764496800000,10.0.0.400')}: flow tuple "1764496800000,10.0.0.400,10.1.0.5,1,443,6,O,B,NX,0,0,0,0" is malformed: the source is not an IP address [FLOW_LOG_MALFORMED]`,
    ]);
    expect(r.stats.totals).toMatchObject({ tuples: 2, aggregated: 1, rejected: 1 });
  });

  it.each([
    ['1764496800,10.0.0.4,10.0.0.5,1,80,T,O', 2, '7 fields; NSG flow log version 2 tuples have 13'],
    ['1764496800,10.0.0.4,10.0.0.5,1,80,T,O,A', 2, '8 fields; NSG flow log version 2 tuples have 13'],
    ['1764496800,10.0.0.4,10.0.0.5,1,80,X,O,A', 1, 'the protocol is not T (TCP) or U (UDP)'],
    ['1764496800,10.0.0.4,10.0.0.5,1,70000,T,O,A', 1, 'the destination port is not a number in 0–65535'],
    ['1764496800,10.0.0.4,10.0.0.5,1,80,T,X,A', 1, 'the direction is not I or O'],
    ['1764496800,10.0.0.4,10.0.0.5,1,80,T,O,Z', 1, 'the decision is not A or D'],
    ['1764496800,10.0.0.4,10.0.0.5,1,80,T,O,A,Q,,,,', 2, 'the flow state is not B, C or E'],
    [
      '1764496800,10.0.0.4,10.0.0.5,1,80,T,O,A,E,1,x,1,1',
      2,
      'a packet or byte count (fields 10–13) is not a whole number',
    ],
    ['17644968e0,10.0.0.4,10.0.0.5,1,80,T,O,A', 1, 'the timestamp is not a whole number'],
    ['1764496800,010.0.0.4,10.0.0.5,1,80,T,O,A', 1, 'the source is not an IP address'],
    ['1764496800,10.0.0.4,host,1,80,T,O,A', 1, 'the destination is not an IP address'],
  ])('NSG tuple %j (version %d): %s', (tuple, version, problem) => {
    const r = readDocuments({ 'a.json': wrap(nsgRecord(version, { r: [tuple] })) });
    expect(codes(r)).toEqual(['FLOW_LOG_MALFORMED']);
    expect(r.diagnostics[0]!.message).toContain(`is malformed: ${problem}`);
  });

  it.each([
    ['1764496800000,10.0.0.4,10.1.0.5,1,443,T,O,B,NX,0,0,0,0', 'the protocol is not an IANA protocol number'],
    ['1764496800000,10.0.0.4,10.1.0.5,1,443,6,O,A,NX,0,0,0,0', 'the flow state is not B, C, E or D'],
    ['1764496800000,10.0.0.4,10.1.0.5,1,443,6,O,B,nx,0,0,0,0', 'the encryption field is not X, NX or NX_…'],
    ['1764496800000,10.0.0.4,10.1.0.5,,443,6,O,B,NX,0,0,0,0', 'the source port is not a number in 0–65535'],
  ])('VNet tuple %j: %s', (tuple, problem) => {
    const r = readDocuments({ 'a.json': wrap(vnetRecord({ a: { r: [tuple] } })) });
    expect(r.diagnostics[0]!.message).toContain(problem);
  });

  it('a flow tuple that is not a string, flowTuples that is not an array', () => {
    const text = `{"time":"t","category":"c","resourceId":"x","properties":{"Version":1,"flows":[{"rule":"r","flows":[{"flowTuples":[5]},{"flowTuples":"1764496800,10.0.0.4,10.0.0.5,1,80,T,O,A"}]}]}}`;
    const r = readDocuments({ 'a.json': text });
    expect(r.diagnostics.map((d) => `${d.code} ${d.path} ${d.message}`)).toEqual([
      `FLOW_LOG_MALFORMED $.properties.flows[0].flows[0].flowTuples[0] ${where(text, '5]')}: a flow tuple must be a string`,
      `FLOW_LOG_MALFORMED $.properties.flows[0].flows[1].flowTuples ${where(text, '"1764')}: "flowTuples" must be an array of strings`,
    ]);
  });

  it('invalid JSON: the open record’s kept tuples are counted as dropped; the next line starting with { is read', () => {
    const good = JSON.stringify(
      vnetRecord({ a: { r: ['1764496800000,10.0.0.4,10.1.0.5,1,443,6,O,B,NX,0,0,0,0'] } }),
    );
    const broken = `{"flowRecords":{"flows":[{"aclID":"a","flowGroups":[{"rule":"r","flowTuples":["1764496800000,10.0.0.4,10.1.0.6,1,443,6,O,B,NX,0,0,0,0" "x"]}]}]}}`;
    const text = `${good}\n${broken}\n${good.replace('10:00', '10:01')}\n`;
    const r = readDocuments({ 'x.ndjson': text });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      `error: x.ndjson: $.flowRecords.flows[0].flowGroups[0].flowTuples[0]: ${where(text, '"x"')}: invalid JSON: expected ',' or ']', found '"'; 1 tuple(s) of the record at $ read so far are not counted; reading resumes at the next line that starts with '{', if any [FLOW_LOG_MALFORMED]`,
    ]);
    expect(r.stats.totals).toMatchObject({ tuples: 3, aggregated: 2, dropped: 1 });
  });

  it('a truncated file', () => {
    const text = wrap(vnetRecord({ a: { r: ['1764496800000,10.0.0.4,10.1.0.5,1,443,6,O,B,NX,0,0,0,0'] } }));
    const r = readDocuments({ 'a.json': text.slice(0, text.length - 40) });
    expect(codes(r)).toEqual(['FLOW_LOG_MALFORMED']);
    expect(r.diagnostics[0]!.message).toMatch(
      /ends inside the document, \d bracket\(s\) still open \(truncated\?\)/,
    );
  });

  it('an unsupported VNet flowLogVersion', () => {
    const r = readDocuments({
      'a.json': wrap(
        vnetRecord({ a: { r: ['1764496800000,10.0.0.4,10.1.0.5,1,443,6,O,B,NX,0,0,0,0'] } }, 't', 5),
      ),
    });
    expect(r.diagnostics.map((d) => [d.code, d.path, d.message])).toEqual([
      [
        'FLOW_LOG_UNSUPPORTED_VERSION',
        '$.records[0].flowLogVersion',
        'VNet flow-log record at line 3 has flowLogVersion 5; aciseg reads VNet flow logs version 4, so its 1 tuple(s) are not counted',
      ],
    ]);
  });

  it('JSON that is no flow log', () => {
    const r = readDocuments({
      'nsg.json': JSON.stringify({ name: 'nsg', properties: { securityRules: [] } }),
      'n.json': '42',
    });
    expect(r.diagnostics.map((d) => `${d.file} ${d.code} ${d.path}`)).toEqual([
      'nsg.json UNRECOGNISED_SHAPE $',
      'n.json FLOW_LOG_MALFORMED $',
    ]);
  });

  it('a repeated record is counted once, with a warning', () => {
    const rec = vnetRecord({ a: { r: ['1764496800000,10.0.0.4,10.1.0.5,1,443,6,O,B,NX,0,0,0,0'] } });
    const r = readDocuments({ 'a.json': wrap(rec, rec) });
    expect(codes(r)).toEqual(['FLOW_LOG_DUPLICATE_RECORD']);
    expect([...r.flows][0]!.tuples).toBe(1);
    // The same record in another file (another blob) is not a repeat.
    expect([...readDocuments({ 'a.json': wrap(rec), 'b.json': wrap(rec) }).flows][0]!.tuples).toBe(2);
  });

  it('after ten diagnostics of one code in a file, the rest are counted in one', () => {
    const bad = Array.from({ length: 25 }, (_, i) => `${i},bad`);
    const r = readDocuments({ 'a.json': wrap(nsgRecord(1, { r: bad })) });
    expect(codes(r)).toEqual(Array(11).fill('FLOW_LOG_MALFORMED'));
    expect(r.diagnostics[10]!.message).toBe('15 more like the above in this file');
    expect(r.stats.totals.rejected).toBe(25);
  });

  it('every tuple is accounted for, whatever goes wrong (random damage to a valid log)', () => {
    const rec = (i: number) =>
      nsgRecord(
        2,
        {
          r: [
            `1764496800,10.0.0.${i},10.0.0.5,1,80,T,O,A,B,,,,`,
            `1764496801,10.0.0.${i},10.0.0.5,1,80,T,O,A,E,1,2,3,4`,
          ],
        },
        `2026-11-30T10:0${i}:00Z`,
      );
    const text = JSON.stringify({ records: [rec(1), rec(2), rec(3), rec(1)] });
    fc.assert(
      fc.property(fc.nat(text.length - 1), fc.constantFrom('', 'x', ',', '"', '}', '\n{'), (at, insert) => {
        const damaged = text.slice(0, at) + insert + text.slice(at + 1);
        const s = readDocuments({ 'a.json': damaged }).stats.totals;
        expect(s.aggregated + s.outsideWindow + s.rejected + s.unsupported + s.duplicate + s.dropped).toBe(
          s.tuples,
        );
      }),
      { seed: 5, numRuns: 400 },
    );
  });

  it('fatal diagnostics make the result unusable: an InputError, exit code 2', () => {
    const r = readDocuments({ 'a.json': '{"records": [' });
    let error: unknown;
    try {
      requireCompleteFlowLogs(r);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(exitCodeFor(error)).toBe(2);
    expect((error as InputError).diagnostics.map((d) => d.file)).toEqual(['a.json']);
    // Warnings alone do not stop anything.
    const ok = readDocuments({
      'b.json': '[{"time":"t","category":"c","resourceId":"x","properties":{"Version":1,"flows":[],}}]',
    });
    expect(codes(ok)).toEqual(['FLOW_LOG_LENIENT_JSON']);
    expect(requireCompleteFlowLogs(ok)).toBe(ok);
  });
});
