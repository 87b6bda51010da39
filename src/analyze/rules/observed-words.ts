/** Small words shared by the flow-log rules (ACI013, ACI014): shell-safe explain commands, port lists, rule refs. */
import type { PolicyEngine } from '../../policy';
import type { PortSet } from '../../net/interval-set';
import { SNAPSHOT_PLACEHOLDER, type FindingRuleRef } from '../findings';

/** A word as a POSIX shell reads it: plain when safe, else single-quoted (names may hold anything). */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9._:/@+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `aciseg explain <snapshot> --from A --to B --port N --protocol p`. */
export function explainCommand(
  from: string,
  to: string,
  protocol: 'tcp' | 'udp' | 'icmp',
  port: number,
): string {
  return [
    'aciseg explain',
    SNAPSHOT_PLACEHOLDER,
    '--from',
    shellWord(from),
    '--to',
    shellWord(to),
    '--port',
    String(port),
    '--protocol',
    protocol,
  ].join(' ');
}

/** Ports as an intent file writes them (`*`, `22`, `80-90,443`), at most `limit` ranges then `,…`. */
export function portsWords(ports: PortSet, limit = 8): string {
  if (ports.isFull) return '*';
  const ranges = ports.intervals().map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`));
  return ranges.length > limit ? `${ranges.slice(0, limit).join(',')},…` : ranges.join(',');
}

/** The finding's reference to a compiled rule (NSG or admin rule) by the engine's ref number. */
export function engineRuleRef(engine: PolicyEngine, ref: number): FindingRuleRef {
  const r = engine.ruleRef(ref);
  const admin = r.layer === 'admin';
  return {
    key: (admin ? `admin:${r.ownerId}/${r.name}` : `nsg:${r.ownerId}/${r.direction}/${r.name}`).toLowerCase(),
    policy: admin ? 'avnm' : 'nsg',
    container: r.ownerId,
    containerName: r.ownerName,
    name: r.name,
    direction: r.direction,
    priority: r.priority,
    access: r.access === 'Deny' ? 'Deny' : 'Allow',
    isDefault: r.isDefault,
  };
}
