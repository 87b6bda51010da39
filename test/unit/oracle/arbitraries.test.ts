/**
 * The random estate and flow generators (test/support/arbitraries.ts): they must produce valid
 * snapshots and consistent flows, and they must keep producing the features the differential test
 * relies on (if a change to the generators stopped producing, say, admin rule ties, this fails).
 */
import fc from 'fast-check';
import { parseIpv4, parsePrefix } from '../../../src/net/address';
import { Snapshot } from '../../../src/model/snapshot';
import type { Flow } from '../../../src/policy/flow';
import { arbEstate, arbFlowFor, arbServiceTags } from '../../support/arbitraries';

const SEED = 20260801;
const estates = fc.sample(arbEstate(), { seed: SEED, numRuns: 300 });

const inPrefix = (ip: string, cidr: string): boolean => {
  const a = parseIpv4(ip);
  const p = parsePrefix(cidr);
  return a !== null && p !== null && p.family === 4 && p.start <= a && a <= p.end;
};

describe('arbEstate', () => {
  it('produces snapshots that pass the schema', () => {
    for (const s of estates) expect(Snapshot.safeParse(s).success).toBe(true);
  });

  it('produces every feature the differential test relies on', () => {
    const count = (predicate: (s: Snapshot) => boolean): number => estates.filter(predicate).length;
    const features: Record<string, number> = {
      'two VNets with the same address space': count((s) => {
        const spaces = s.virtualNetworks.map((v) => v.addressPrefixes[0]);
        return new Set(spaces).size < spaces.length;
      }),
      'a public-range VNet': count((s) =>
        s.virtualNetworks.some((v) => v.addressPrefixes.includes('12.0.0.0/22')),
      ),
      'an IPv6 VNet prefix': count((s) =>
        s.virtualNetworks.some((v) => v.addressPrefixes.some((p) => p.includes(':'))),
      ),
      'an ACI-delegated subnet': count((s) => s.subnets.some((x) => x.delegations.length > 0)),
      'a subnet without NSG': count((s) => s.subnets.some((x) => x.networkSecurityGroupId === null)),
      'a dangling NSG id': count((s) =>
        s.subnets.some(
          (x) =>
            x.networkSecurityGroupId !== null &&
            !s.networkSecurityGroups.some((n) => n.id === x.networkSecurityGroupId),
        ),
      ),
      'a dangling route table id': count((s) =>
        s.subnets.some((x) => x.routeTableId !== null && !s.routeTables.some((t) => t.id === x.routeTableId)),
      ),
      'a 0.0.0.0/0 route': count((s) =>
        s.routeTables.some((t) => t.routes.some((r) => r.addressPrefix === '0.0.0.0/0')),
      ),
      'a service-tag route': count((s) =>
        s.routeTables.some((t) => t.routes.some((r) => /^[A-Za-z]/.test(r.addressPrefix))),
      ),
      'a Connected peering': count((s) =>
        s.virtualNetworkPeerings.some((p) => p.peeringState?.toLowerCase() === 'connected'),
      ),
      'a peering not Connected': count((s) =>
        s.virtualNetworkPeerings.some((p) => p.peeringState?.toLowerCase() !== 'connected'),
      ),
      'a peering without VNet access': count((s) =>
        s.virtualNetworkPeerings.some((p) => !p.allowVirtualNetworkAccess),
      ),
      'an unknown peer space': count((s) =>
        s.virtualNetworkPeerings.some(
          (p) =>
            p.remoteAddressPrefixes === null &&
            !s.virtualNetworks.some((v) => v.id === p.remoteVirtualNetworkId),
        ),
      ),
      'a gateway': count((s) => s.virtualNetworks.some((v) => v.gatewayIds.length > 0)),
      useRemoteGateways: count((s) => s.virtualNetworkPeerings.some((p) => p.useRemoteGateways)),
      'a private container group': count((s) =>
        s.containerGroups.some((g) => g.ipAddress?.type === 'Private'),
      ),
      'a public container group': count((s) => s.containerGroups.some((g) => g.ipAddress?.type === 'Public')),
      'an ASG in a rule': count((s) =>
        s.networkSecurityGroups.some((n) =>
          n.securityRules.some((r) => r.sourceApplicationSecurityGroupIds.length > 0),
        ),
      ),
      'a plural address field': count((s) =>
        s.networkSecurityGroups.some((n) =>
          n.securityRules.some((r) => r.destinationAddressPrefixes.length > 1),
        ),
      ),
      'an ESP or AH rule': count((s) =>
        s.networkSecurityGroups.some((n) =>
          n.securityRules.some((r) => r.protocol === 'Esp' || r.protocol === 'Ah'),
        ),
      ),
      'an ICMP rule': count((s) =>
        s.networkSecurityGroups.some((n) => n.securityRules.some((r) => r.protocol === 'Icmp')),
      ),
      'a restricted source port': count((s) =>
        s.networkSecurityGroups.some((n) => n.securityRules.some((r) => !r.sourcePortRanges.includes('*'))),
      ),
      'twelve rules in one direction': count((s) =>
        s.networkSecurityGroups.some(
          (n) => n.securityRules.filter((r) => r.direction === 'Inbound').length === 12,
        ),
      ),
      'every admin action': count((s) => new Set(s.securityAdminRules.map((r) => r.access)).size === 3),
      'an admin priority tie across collections': count((s) =>
        s.securityAdminRules.some((a) =>
          s.securityAdminRules.some(
            (b) =>
              a.ruleCollectionId !== b.ruleCollectionId &&
              a.priority === b.priority &&
              a.direction === b.direction,
          ),
        ),
      ),
      'no admin rules': count((s) => s.securityAdminRules.length === 0),
    };
    const missing = Object.entries(features).filter(([, n]) => n < 3);
    expect(missing).toEqual([]);
  });
});

describe('arbFlowFor', () => {
  it('keeps every end consistent with the estate', () => {
    fc.assert(
      fc.property(
        arbEstate().chain((s) =>
          fc.tuple(fc.constant(s), fc.array(arbFlowFor(s), { minLength: 10, maxLength: 10 })),
        ),
        ([s, flows]: [Snapshot, Flow[]]) => {
          for (const f of flows)
            for (const end of [f.src, f.dst]) {
              if (end.kind === 'publicContainerGroup') {
                const g = s.containerGroups.find((x) => x.id === end.containerGroupId);
                expect(g?.ipAddress?.type).toBe('Public');
                expect(parseIpv4(g?.ipAddress?.ip ?? '')).not.toBeNull();
                continue;
              }
              expect(parseIpv4(end.ip)).not.toBeNull();
              const subnets = s.subnets.flatMap((x) => x.addressPrefixes);
              if (end.kind === 'external') expect(subnets.some((p) => inPrefix(end.ip, p))).toBe(false);
              if (end.kind === 'subnet') {
                const home = s.subnets.find((x) => x.id === end.subnetId);
                if (home !== undefined)
                  expect(home.addressPrefixes.some((p) => inPrefix(end.ip, p))).toBe(true);
              }
            }
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('arbServiceTags', () => {
  it('sometimes gives no file, and files that leave some tags unresolved', () => {
    const files = fc.sample(arbServiceTags(), { seed: SEED, numRuns: 200 });
    expect(files.filter((f) => f === undefined).length).toBeGreaterThan(20);
    expect(files.filter((f) => f !== undefined && f.tags.size === 3).length).toBeGreaterThan(5);
    expect(files.filter((f) => f !== undefined && f.tags.size < 3).length).toBeGreaterThan(20);
  });
});
