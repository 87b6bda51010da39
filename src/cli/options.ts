/** Option parsers shared by commands; a bad value is a usage error (exit code 2). */
import { InvalidArgumentError } from 'commander';
import type { QueryProtocol } from '../analyze/explain';

const PROTOCOLS: Record<string, QueryProtocol> = { tcp: 'Tcp', udp: 'Udp', icmp: 'Icmp', '*': '*', any: '*' };

/** `--protocol`: tcp, udp, icmp or * (case-insensitive). */
export function parseProtocolOption(value: string): QueryProtocol {
  const p = PROTOCOLS[value.toLowerCase()];
  if (!p) throw new InvalidArgumentError('expected tcp, udp, icmp or *');
  return p;
}

/** `--port`: one destination port, 0–65535. */
export function parsePortOption(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return Number(value);
}

/** A positive whole number (e.g. `--limit`). */
export function parsePositiveInt(value: string): number {
  if (!/^[1-9]\d{0,8}$/.test(value)) throw new InvalidArgumentError('expected a whole number greater than 0');
  return Number(value);
}
