/**
 * The `plan` preset's required flows, one seeded choice for the in-process measurement
 * (measure-plan.ts) and the command as users run it (plan-cli.ts): container-group pairs, mostly in
 * one VNet, on a declared port of the destination or a common one.
 */
import type { Snapshot } from '../../src/model/snapshot';
import { mulberry32 } from '../support/synthetic-estate';

export interface RequiredPick {
  source: string;
  destination: string;
  port: number;
  /** Tuples the flow logs saw (1–50). */
  tuples: number;
}

/** `count` draws (a draw whose two ends are one group is skipped, so slightly fewer flows). */
export function requiredPicks(snapshot: Snapshot, count: number): RequiredPick[] {
  const random = mulberry32(11);
  const groups = snapshot.containerGroups.filter((g) => g.ipAddress?.ip && g.subnetIds.length > 0);
  const byVnet = new Map<string, typeof groups>();
  for (const g of groups) {
    const vnet = g.subnetIds[0]!.split('/subnets/')[0]!;
    byVnet.set(vnet, [...(byVnet.get(vnet) ?? []), g]);
  }
  const out: RequiredPick[] = [];
  for (let i = 0; i < count; i++) {
    const src = groups[Math.floor(random() * groups.length)]!;
    const peers = random() < 0.9 ? byVnet.get(src.subnetIds[0]!.split('/subnets/')[0]!)! : groups;
    const dst = peers[Math.floor(random() * peers.length)]!;
    if (dst === src) continue;
    const declared = dst.ipAddress!.ports;
    const port =
      declared.length > 0 && random() < 0.8
        ? declared[Math.floor(random() * declared.length)]!.port
        : [443, 8080, 5432, 6379][Math.floor(random() * 4)]!;
    out.push({
      source: src.ipAddress!.ip!,
      destination: dst.ipAddress!.ip!,
      port,
      tuples: 1 + Math.floor(random() * 50),
    });
  }
  return out;
}
