/**
 * ACI010: user routes widen the VirtualNetwork tag. A subnet's VirtualNetwork holds the prefix of
 * every route on its route table, whatever the next hop (docs/semantics.md decision 2), so a
 * `0.0.0.0/0` route makes it every address and a route to public space adds that space. Allow rules
 * that use the tag on the subnets' NSGs (AllowVnetInBound first) then admit public addresses, unless a
 * plain earlier deny overrides them. One finding per route table, naming its widening routes, the
 * subnets that use it and those rules.
 */
import type { NetworkSecurityGroup, Route, SecurityRule, Subnet } from '../../model/snapshot';
import { parsePrefix } from '../../net/address';
import { IntervalSet, ipv4Domain } from '../../net/interval-set';
import { PUBLIC_IPV4 } from '../../policy';
import type { FindingResource, FindingRuleRef } from '../findings';
import {
  endpointNames,
  explainCommand,
  namesText,
  nsgRuleRef,
  SnapshotPointers,
  sortedRuleRefs,
  subnetResource,
} from './flow-words';
import type { FindingDraft, PackRule, RuleContext } from './rule';

/** At most this many rules are named per finding (the message counts the rest). */
const RULES_LISTED = 50;

export const aci010: PackRule = {
  meta: {
    id: 'ACI010',
    name: 'virtualnetwork-tag-widened',
    title: 'VirtualNetwork tag widened by user routes',
    severity: 'high',
    description:
      "Azure adds the prefix of every user-defined route on a subnet to that subnet's VirtualNetwork service tag. A 0.0.0.0/0 route (to a firewall or appliance) makes VirtualNetwork mean every address, and a route to public space adds that space, so AllowVnetInBound and every rule written for VirtualNetwork admit the Internet. High for 0.0.0.0/0, medium for other public prefixes.",
    remediation:
      'Do not rely on VirtualNetwork where the subnet has a default route: override AllowVnetInBound (and AllowVnetOutBound) with a custom Deny from VirtualNetwork at a priority such as 4000, and allow the needed sources by their subnet prefixes.',
    controls: { mcsb: ['NS-1'], cis: [] },
  },
  standalone: true,
  run(context: RuleContext): FindingDraft[] {
    const { snapshot, engine } = context;
    const { index } = engine;
    const names = endpointNames(index);
    const pointers = SnapshotPointers.of(snapshot);
    const subnetsByTable = new Map<string, Subnet[]>();
    for (const s of snapshot.subnets) {
      if (s.routeTableId === null) continue;
      const list = subnetsByTable.get(s.routeTableId);
      if (list) list.push(s);
      else subnetsByTable.set(s.routeTableId, [s]);
    }
    const drafts: FindingDraft[] = [];
    for (const table of snapshot.routeTables) {
      const widening = table.routes.filter(widensToPublic);
      const subnets = (subnetsByTable.get(table.id) ?? []).sort((a, b) => (a.id < b.id ? -1 : 1));
      if (widening.length === 0 || subnets.length === 0) continue;
      const rules: FindingRuleRef[] = [];
      const nsgs = new Map<string, NetworkSecurityGroup>();
      for (const s of subnets) {
        const nsg = s.networkSecurityGroupId
          ? index.networkSecurityGroups.get(s.networkSecurityGroupId)
          : undefined;
        if (!nsg) continue;
        nsgs.set(nsg.id, nsg);
        const all = [...nsg.securityRules, ...nsg.defaultSecurityRules];
        for (const r of nsg.securityRules)
          if (usesVirtualNetwork(r) && !overridden(r, all)) rules.push(nsgRuleRef(nsg, r, false));
        for (const r of nsg.defaultSecurityRules)
          if (usesVirtualNetwork(r) && !overridden(r, all)) rules.push(nsgRuleRef(nsg, r, true));
      }
      const sorted = sortedRuleRefs(rules);
      if (sorted.length === 0) continue;
      const everything = widening.some((r) => r.addressPrefix === '0.0.0.0/0');
      const listed = sorted.slice(0, RULES_LISTED);
      const resources: FindingResource[] = [
        { kind: 'routeTable', id: table.id, name: table.name },
        ...subnets.map((s) => subnetResource(names, s)),
        ...[...nsgs.values()].map((n) => ({ kind: 'networkSecurityGroup' as const, id: n.id, name: n.name })),
      ];
      const first = subnets.find((s) => s.networkSecurityGroupId !== null) ?? subnets[0]!;
      const routeText = namesText(widening.map((r) => `${r.name} (${r.addressPrefix} → ${r.nextHopType})`));
      drafts.push({
        severity: everything ? 'high' : 'medium',
        message: `Route${widening.length === 1 ? '' : 's'} ${routeText} of ${table.name} make${widening.length === 1 ? 's' : ''} VirtualNetwork ${everything ? 'every address' : 'include public space'} in ${namesText(subnets.map((s) => names.subnetName(s)))}, so ${namesText(sorted.map((r) => `${r.containerName}/${r.name}`))} admit${sorted.length === 1 ? 's' : ''} public addresses${sorted.length > RULES_LISTED ? ` (${RULES_LISTED} of ${sorted.length} rules listed)` : ''}`,
        resources,
        flows: [],
        flowsOmitted: 0,
        rules: listed,
        explain: explainCommand('Internet', names.subnetEndpoint(first), 'tcp', 22),
        location: {
          snapshotPointer: `${pointers.resource('routeTables', table.id)!}/routes/${table.routes.indexOf(widening[0]!)}`,
        },
        identity: [table.id, ...widening.map((r) => `route:${r.name}`)],
      });
    }
    return drafts;
  },
};

/** Whether a route's prefix brings public addresses into VirtualNetwork (a public CIDR or a service tag). */
function widensToPublic(route: Route): boolean {
  const prefix = parsePrefix(route.addressPrefix);
  if (prefix === null) return true; // a service tag in a UDR: Azure's public prefixes
  if (prefix.family !== 4) return false;
  return IntervalSet.range(ipv4Domain, prefix.start, prefix.end).overlaps(PUBLIC_IPV4);
}

/** An allow rule whose remote side names VirtualNetwork (inbound source, outbound destination). */
function usesVirtualNetwork(rule: SecurityRule): boolean {
  if (rule.access !== 'Allow') return false;
  const remote = rule.direction === 'Inbound' ? rule.sourceAddressPrefixes : rule.destinationAddressPrefixes;
  return remote.some((p) => p.toLowerCase() === 'virtualnetwork');
}

const WHOLE = new Set(['*', '0.0.0.0/0', 'virtualnetwork']);

/**
 * Whether an earlier deny of the same direction takes every flow the rule could match: any protocol
 * and port, and `*`, `0.0.0.0/0` or VirtualNetwork on both sides (the usual priority-4000 override).
 * Only such plain overrides are recognised; anything subtler is left to the engine (ACI002, ACI005).
 */
function overridden(rule: SecurityRule, all: readonly SecurityRule[]): boolean {
  const whole = (list: readonly string[]) => list.some((p) => WHOLE.has(p.toLowerCase()));
  return all.some(
    (d) =>
      d.access === 'Deny' &&
      d.direction === rule.direction &&
      d.priority < rule.priority &&
      d.protocol === '*' &&
      d.destinationPortRanges.includes('*') &&
      d.sourcePortRanges.includes('*') &&
      d.sourceApplicationSecurityGroupIds.length === 0 &&
      d.destinationApplicationSecurityGroupIds.length === 0 &&
      whole(d.sourceAddressPrefixes) &&
      whole(d.destinationAddressPrefixes),
  );
}
