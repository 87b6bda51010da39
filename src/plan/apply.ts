/**
 * The proposed snapshot: the input with every proposed NSG applied — rule sets replaced, new NSGs
 * added (with Azure's default rules) and associated with their subnets. Arrays stay in snapshot
 * order, so the value reads like any imported snapshot.
 */
import { DEFAULT_SECURITY_RULES, compareRules } from '../model/normalize/security-rules';
import type { NetworkSecurityGroup, Snapshot } from '../model/snapshot';
import type { ProposedNsg } from './model';

export function applyProposal(snapshot: Snapshot, nsgs: readonly ProposedNsg[]): Snapshot {
  const byId = new Map(nsgs.map((n) => [n.id, n]));
  const groups: NetworkSecurityGroup[] = snapshot.networkSecurityGroups.map((g) => {
    const p = byId.get(g.id);
    return p ? { ...g, securityRules: p.rules.map((r) => r.rule).sort(compareRules) } : g;
  });
  for (const p of nsgs) {
    if (!p.isNew) continue;
    groups.push({
      id: p.id,
      name: p.name,
      resourceGroup: p.resourceGroup,
      subscriptionId: p.subscriptionId,
      location: p.location,
      securityRules: p.rules.map((r) => r.rule).sort(compareRules),
      defaultSecurityRules: DEFAULT_SECURITY_RULES.map((r) => ({ ...r })),
    });
  }
  groups.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const association = new Map<string, string>();
  for (const p of nsgs) if (p.isNew) for (const s of p.subnets) association.set(s, p.id);
  const subnets = snapshot.subnets.map((s) =>
    association.has(s.id) ? { ...s, networkSecurityGroupId: association.get(s.id)! } : s,
  );
  return { ...snapshot, networkSecurityGroups: groups, subnets };
}
