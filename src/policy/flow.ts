/**
 * The vocabulary of single flows, shared by the engine and by the brute-force oracle in test/.
 * A flow end says where the address sits, because the same address can exist in two unpeered VNets:
 * the location decides which policy governs that side (docs/semantics.md decision 5).
 */

/** One end of a flow. */
export type FlowEnd =
  /** An address inside this subnet's prefixes, governed by its NSG (and the admin rules of its VNet). */
  | { kind: 'subnet'; subnetId: string; ip: string }
  /** An address with no policy on its side (outside every known subnet: Internet, on-premises, a VNet gap). */
  | { kind: 'external'; ip: string }
  /** A public container group (no VNet): its address is `ipAddress.ip`; inbound it admits exactly its `ipAddress.ports`. */
  | { kind: 'publicContainerGroup'; containerGroupId: string };

export type FlowProtocol = 'Tcp' | 'Udp' | 'Icmp';

/** A concrete flow: 5-tuple plus where each end sits. Ports are ignored for ICMP. */
export interface Flow {
  src: FlowEnd;
  dst: FlowEnd;
  protocol: FlowProtocol;
  srcPort: number;
  dstPort: number;
}

/** `unknown` when the answer depends on something the snapshot does not resolve (docs/semantics.md decision 7). */
export type FlowVerdict = 'allow' | 'deny' | 'unknown';
