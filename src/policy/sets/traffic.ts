/**
 * Sets of traffic points (protocol, source port, destination port) for the three protocols flows use.
 * TCP and UDP carry port regions; ICMP has no ports, so it is simply in or out.
 */
import type { Protocol } from '../../model/snapshot';
import { FULL_PORTS, PortRegion } from './port-region';
import { IntervalSet, portDomain, type PortSet } from '../../net/interval-set';
import type { FlowProtocol } from '../flow';

export class TrafficSet {
  private keyCache: string | undefined;
  private hashCache: number | undefined;
  private allCache: boolean | undefined;

  constructor(
    readonly tcp: PortRegion,
    readonly udp: PortRegion,
    readonly icmp: boolean,
  ) {}

  static readonly none = new TrafficSet(PortRegion.empty, PortRegion.empty, false);
  static readonly all = new TrafficSet(PortRegion.full, PortRegion.full, true);

  /**
   * The traffic a rule's protocol and port fields match. `*` covers TCP, UDP and ICMP; ESP and AH match
   * none of them; an ICMP flow matches only when both port sets are the whole range (ICMP has no ports).
   */
  static forRule(protocol: Protocol, srcPorts: PortSet, dstPorts: PortSet): TrafficSet {
    const ports = PortRegion.of(srcPorts, dstPorts);
    const any = protocol === '*';
    return new TrafficSet(
      any || protocol === 'Tcp' ? ports : PortRegion.empty,
      any || protocol === 'Udp' ? ports : PortRegion.empty,
      (any || protocol === 'Icmp') && srcPorts.isFull && dstPorts.isFull,
    );
  }

  /**
   * TCP and UDP each from every source port to the destination ports of flat canonical bounds
   * [lo, hi, …] (sorted, disjoint, not touching), plus ICMP or not.
   */
  static anySourcePort(tcpDst: number[], udpDst: number[], icmp: boolean): TrafficSet {
    return new TrafficSet(
      PortRegion.of(FULL_PORTS, IntervalSet.fromCanonicalBounds(portDomain, tcpDst)),
      PortRegion.of(FULL_PORTS, IntervalSet.fromCanonicalBounds(portDomain, udpDst)),
      icmp,
    );
  }

  get isEmpty(): boolean {
    return this.tcp.isEmpty && this.udp.isEmpty && !this.icmp;
  }

  get isAll(): boolean {
    if (this.allCache === undefined) this.allCache = this.icmp && this.tcp.isFull && this.udp.isFull;
    return this.allCache;
  }

  region(protocol: 'Tcp' | 'Udp'): PortRegion {
    return protocol === 'Tcp' ? this.tcp : this.udp;
  }

  /** Whether one concrete point is in the set (ports are ignored for ICMP). */
  has(protocol: FlowProtocol, srcPort: number, dstPort: number): boolean {
    if (protocol === 'Icmp') return this.icmp;
    return this.region(protocol).has(srcPort, dstPort);
  }

  union(o: TrafficSet): TrafficSet {
    if (o === this || o.isEmpty) return this;
    if (this.isEmpty) return o;
    return new TrafficSet(this.tcp.union(o.tcp), this.udp.union(o.udp), this.icmp || o.icmp);
  }

  /** Whether the sets share a point (no allocation). */
  overlaps(o: TrafficSet): boolean {
    return (this.icmp && o.icmp) || this.tcp.overlaps(o.tcp) || this.udp.overlaps(o.udp);
  }

  intersect(o: TrafficSet): TrafficSet {
    if (o === this || o.isAll || this.isEmpty) return this;
    if (o.isEmpty) return o;
    if (this.isAll) return o;
    return new TrafficSet(this.tcp.intersect(o.tcp), this.udp.intersect(o.udp), this.icmp && o.icmp);
  }

  subtract(o: TrafficSet): TrafficSet {
    if (o.isEmpty || this.isEmpty) return this;
    return new TrafficSet(this.tcp.subtract(o.tcp), this.udp.subtract(o.udp), this.icmp && !o.icmp);
  }

  equals(o: TrafficSet): boolean {
    return (
      this === o ||
      (this.icmp === o.icmp && this.hash() === o.hash() && this.tcp.equals(o.tcp) && this.udp.equals(o.udp))
    );
  }

  /** A 30-bit hash (a small integer, cheap as a map key), equal for equal sets (cached). */
  hash(): number {
    if (this.hashCache === undefined) {
      this.hashCache =
        (Math.imul(this.tcp.hash() ^ 0x27d4eb2d, 0x165667b1) ^
          Math.imul(this.udp.hash(), 0x9e3779b1) ^
          (this.icmp ? 1 : 0)) &
        0x3fffffff;
    }
    return this.hashCache;
  }

  /** Stable text key: equal sets have equal keys. */
  key(): string {
    if (this.keyCache === undefined)
      this.keyCache = `${this.tcp.key()}/${this.udp.key()}/${this.icmp ? 1 : 0}`;
    return this.keyCache;
  }
}
