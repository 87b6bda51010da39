/** How traffic sets are written in reports: per protocol, destination ports with their source ports. */
import { formatPorts, portPairs, type PortPairs } from '../analyze/explain';
import type { PortRegion, TrafficSet } from '../policy';

export interface TrafficDescription {
  tcp: PortPairs[];
  udp: PortPairs[];
  icmp: boolean;
}

/** The JSON description of a traffic set. */
export function describeTraffic(t: TrafficSet): TrafficDescription {
  return { tcp: portPairs(t.tcp), udp: portPairs(t.udp), icmp: t.icmp };
}

function regionText(name: string, region: PortRegion): string[] {
  return region.layers.map(([src, dst]) => {
    const ports = dst.isFull ? 'all ports' : formatPorts(dst).join(', ');
    return src.isFull ? `${name} ${ports}` : `${name} ${ports} (source ports ${formatPorts(src).join(', ')})`;
  });
}

/** One line of text, e.g. `tcp 22, 443; udp 53; icmp` (`nothing` when empty). */
export function trafficText(t: TrafficSet): string {
  if (t.isAll) return 'all traffic (tcp, udp, icmp; all ports)';
  const parts = [...regionText('tcp', t.tcp), ...regionText('udp', t.udp)];
  if (t.icmp) parts.push('icmp');
  return parts.length === 0 ? 'nothing' : parts.join('; ');
}
