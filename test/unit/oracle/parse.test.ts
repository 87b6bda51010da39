/**
 * The oracle's own address and port readers (test/oracle/parse.ts): hand-checked values, no import
 * of the engine's parsers by the oracle, and agreement with those parsers on random text (two
 * independent readings of one notation).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parsePrefix } from '../../../src/net/address';
import { parsePortRange } from '../../../src/net/ports';
import { oracleIpv4, oraclePortRange, oraclePrefix } from '../../oracle/parse';

const SEED = Number(process.env.FC_SEED ?? 20260801);

describe('oracle parsers', () => {
  it('read IPv4 addresses and prefixes as first and last address', () => {
    expect(oracleIpv4('10.1.2.3')).toBe(0x0a010203);
    expect(oraclePrefix('10.1.0.0/16')).toEqual({ family: 4, start: 0x0a010000, end: 0x0a01ffff });
    expect(oraclePrefix('0.0.0.0/0')).toEqual({ family: 4, start: 0, end: 0xffffffff });
    expect(oraclePrefix('168.63.129.16')).toEqual({ family: 4, start: 0xa83f8110, end: 0xa83f8110 });
    expect(oraclePrefix('2001:db8::/32')).toEqual({ family: 6 });
    for (const bad of [
      '010.0.0.1',
      '10.0.0.256',
      '10.0.0.0/33',
      '10.0.0/8',
      'Storage',
      '10.0.0.0/08',
      '1.2.3.4/5/6',
    ])
      expect(oraclePrefix(bad)).toBeNull();
  });

  it('read port ranges', () => {
    expect(oraclePortRange('*')).toEqual({ lo: 0, hi: 65535 });
    expect(oraclePortRange('443')).toEqual({ lo: 443, hi: 443 });
    expect(oraclePortRange('8000-8100')).toEqual({ lo: 8000, hi: 8100 });
    for (const bad of ['80-70', '65536', '-1', '08', '1-2-3', '']) expect(oraclePortRange(bad)).toBeNull();
  });

  it('are the only address and port parsers the oracle uses', () => {
    for (const file of fs.readdirSync(path.join(__dirname, '../../oracle'))) {
      const text = fs.readFileSync(path.join(__dirname, '../../oracle', file), 'utf8');
      expect({ file, imports: /src\/(policy|net)\/(address|ports)'/.test(text) }).toEqual({
        file,
        imports: false,
      });
    }
  });

  it('agree with the engine on IPv4 prefixes and port ranges written every which way', () => {
    const part = fc.oneof(fc.nat(300).map(String), fc.constantFrom('00', '01', '', '-1', '999'));
    const ipv4Text = fc
      .tuple(part, part, part, part, fc.option(fc.oneof(fc.nat(40).map(String), fc.constant('08'))))
      .map(([a, b, c, d, len]) => `${a}.${b}.${c}.${d}${len === null ? '' : `/${len}`}`);
    fc.assert(
      fc.property(ipv4Text, (text) => {
        const engine = parsePrefix(text);
        const expected = engine === null ? null : { family: 4, start: engine.start, end: engine.end };
        expect(oraclePrefix(text)).toEqual(expected);
      }),
      { seed: SEED, numRuns: 2000 },
    );
    const port = fc.oneof(fc.nat(70000).map(String), fc.constantFrom('*', '0', '00', '65535', '65536', ''));
    const portText = fc.oneof(
      port,
      fc.tuple(port, port).map(([a, b]) => `${a}-${b}`),
    );
    fc.assert(
      fc.property(portText, (text) => expect(oraclePortRange(text)).toEqual(parsePortRange(text))),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
