/**
 * The endpoints that a diff aggregates to and the report draws edges between: subnets, public
 * container groups, and three external endpoints (the Internet, the Azure platform address, other
 * space). An external class with any Internet address is the Internet, so the Internet is one box.
 */
import type { EndpointClass } from '../analyze/reachability';
import { IntervalSet, ipv4Domain } from '../net/interval-set';
import { AZURE_HOST_IP, PUBLIC_IPV4 } from '../policy';

export const EXTERNAL_ENDPOINTS = [
  { id: 'external:internet', name: 'Internet', detail: 'public IPv4 space outside every VNet' },
  { id: 'external:azure-host', name: 'Azure platform', detail: '168.63.129.16 (AzureLoadBalancer)' },
  {
    id: 'external:other',
    name: 'Other address space',
    detail:
      'private space outside every subnet: on-premises, unassigned VNet space, peered networks not in the snapshot',
  },
] as const;

export type ExternalEndpointId = (typeof EXTERNAL_ENDPOINTS)[number]['id'];

const AZURE_HOST = IntervalSet.range(ipv4Domain, AZURE_HOST_IP, AZURE_HOST_IP);
const INTERNET = PUBLIC_IPV4.subtract(AZURE_HOST);

/** Which external endpoint an external class belongs to: any Internet address makes it the Internet. */
export function externalEndpointOf(c: EndpointClass): ExternalEndpointId {
  if (!c.ranges.intersect(INTERNET).isEmpty) return 'external:internet';
  if (c.ranges.has(AZURE_HOST_IP)) return 'external:azure-host';
  return 'external:other';
}

/** The endpoint of a class: its subnet's ID, its public container group's ID, or an external endpoint. */
export function endpointIdOf(c: EndpointClass): string {
  if (c.kind === 'subnet') return c.subnet!.id;
  if (c.kind === 'publicContainerGroup') return c.group!.id;
  return externalEndpointOf(c);
}
