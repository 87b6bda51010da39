/**
 * Walking what changed: the proposal changes only the sides of planned subnets, so every flow whose
 * verdict can differ has a planned subnet at one end. `changedPairs` yields, for one engine, the
 * located (source, destination) pairs of a planned subnet's side table whose decision may let
 * something through — inbound with every source, outbound with destinations outside planned
 * subnets (those pairs are the inbound walk's) — so callers compare cells only where it matters.
 */
import type { LocatedPart } from '../analyze/endpoints';
import { runsWithin } from '../analyze/cells';
import type { Direction, Subnet } from '../model/snapshot';
import {
  AZURE_HOST_IP,
  subnetSpace,
  PUBLIC_IPV4,
  type Decision,
  type PolicyEngine,
  type TrafficSet,
} from '../policy';
import { formatPorts } from '../analyze/explain';
import type { FindingFlow } from '../analyze/findings';
import type { SubnetLocator } from './space';
import { IntervalSet, IPV4_MAX, ipv4Domain } from '../net/interval-set';

export function* changedPairs(
  engine: PolicyEngine,
  locator: SubnetLocator,
  subnets: readonly Subnet[],
  planned: ReadonlySet<string>,
  open: (d: Decision) => boolean,
): Generator<[LocatedPart, LocatedPart]> {
  for (const subnet of subnets) {
    for (const direction of ['Inbound', 'Outbound'] as Direction[]) {
      const table = engine.sideTable(subnet, direction);
      for (const [lo, hi] of subnetSpace(subnet).intervals()) {
        for (const [a, b, key] of runsWithin(table.local, lo, hi)) {
          if (key < 0) continue;
          const local: LocatedPart = {
            kind: 'subnet',
            subnet,
            ranges: IntervalSet.range(ipv4Domain, a, b),
          };
          for (const [c, d, id] of runsWithin(table.remote[key]!, 0, IPV4_MAX)) {
            if (!open(engine.decision(id))) continue;
            for (const remote of splitPublic(locator.locate(IntervalSet.range(ipv4Domain, c, d)))) {
              if (direction === 'Inbound') yield [remote, local];
              else if (!(remote.kind === 'subnet' && planned.has(remote.subnet.id))) yield [local, remote];
            }
          }
        }
      }
    }
  }
}

/** The Azure host address (DNS, load-balancer probes): a part of its own, not "the Internet". */
export const HOST = IntervalSet.range(ipv4Domain, AZURE_HOST_IP, AZURE_HOST_IP);

/** External parts cut into public space (the Internet), the Azure host and the rest, so effects read per kind. */
function splitPublic(parts: LocatedPart[]): LocatedPart[] {
  const out: LocatedPart[] = [];
  for (const p of parts) {
    if (p.kind !== 'external') {
      out.push(p);
      continue;
    }
    const publicSpace = PUBLIC_IPV4.subtract(HOST);
    for (const ranges of [
      p.ranges.intersect(publicSpace),
      p.ranges.intersect(HOST),
      p.ranges.subtract(PUBLIC_IPV4).subtract(HOST),
    ])
      if (!ranges.isEmpty) out.push({ kind: 'external', ranges });
  }
  return out;
}

/** Traffic as flows for people, one per protocol: `tcp 22,80`, `icmp -`. */
export function trafficFlows(
  traffic: TrafficSet,
  from: string,
  to: string,
  verdict: FindingFlow['verdict'],
): FindingFlow[] {
  const out: FindingFlow[] = [];
  for (const [protocol, region] of [
    ['tcp', traffic.tcp],
    ['udp', traffic.udp],
  ] as const) {
    if (!region.isEmpty)
      out.push({
        from,
        to,
        fromKey: null,
        toKey: null,
        protocol,
        ports: formatPorts(region.destinationPorts()).join(','),
        verdict,
      });
  }
  if (traffic.icmp) out.push({ from, to, fromKey: null, toKey: null, protocol: 'icmp', ports: '-', verdict });
  return out;
}

/** Destination-port tuples of a traffic set: TCP ports + UDP ports (with some source port) + 1 for ICMP. */
export function tupleCount(traffic: TrafficSet): bigint {
  const ports = (r: TrafficSet['tcp']) => BigInt(r.destinationPorts().size());
  return ports(traffic.tcp) + ports(traffic.udp) + (traffic.icmp ? 1n : 0n);
}
