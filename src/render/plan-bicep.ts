/**
 * The plan as a Bicep file (and, from the same tree, an ARM template: plan-arm.ts): one
 * `Microsoft.Network/networkSecurityGroups` resource per proposed NSG with its full rule set, each
 * rule's provenance in comments above it and in its `description`. Existing NSGs keep their name and
 * location; new ones take `location` as a parameter (declared only when a new NSG uses it) and come
 * with the subnet association as a clearly commented separate step (docs: a subnet PUT replaces the
 * whole subnet, and the snapshot does not hold every subnet property).
 */
import type { PlanResult, ProposedNsg, ProposedRule } from '../plan/model';
import type { SecurityRule, Snapshot } from '../model/snapshot';
import {
  arr,
  description,
  int,
  obj,
  props,
  ref,
  str,
  type BicepFile,
  type Expr,
  type Item,
  type Statement,
} from './bicep';

/** An API version of Microsoft.Network the Bicep compiler knows. */
export const NETWORK_API_VERSION = '2025-05-01';

/** The plan's Bicep syntax tree (printed by printBicep and printArmTemplate). */
export function planBicepTree(result: PlanResult): BicepFile {
  const proofLine = result.proof.ok
    ? 'Proof: ok (every required flow allowed, nothing newly allowed, every forbid entry denied).'
    : 'Proof: FAILED. Do not deploy: see the failing flows with --format markdown or json.';
  const group = result.nsgs[0]?.resourceGroup ?? '<resource group>';
  const statements: Statement[] = [
    {
      kind: 'metadata',
      name: 'description',
      value: str('Least-privilege NSG rules proposed by aciseg plan; every rule says why it exists.'),
      comments: [
        proofLine,
        `Deploy: az deployment group create --resource-group ${group} --template-file <this file>`,
      ],
    },
  ];
  const fresh = result.nsgs.filter((n) => n.isNew);
  if (fresh.length > 0)
    statements.push({
      kind: 'param',
      name: 'location',
      type: 'string',
      decorators: [
        description(
          `Region of the new NSGs: it must be the region of the virtual network of their subnets (${[...new Set(fresh.map((n) => n.location ?? 'unknown'))].join(', ')}).`,
        ),
      ],
      defaultValue: str(fresh[0]!.location ?? 'westeurope'),
    });
  for (const nsg of result.nsgs) statements.push(nsgResource(nsg, result.proposed));
  return { statements };
}

function nsgResource(nsg: ProposedNsg, proposed: Snapshot): Statement {
  const comments: string[] = [];
  comments.push(
    nsg.isNew
      ? `New NSG ${nsg.name} for ${subnetNames(nsg, proposed).join(', ')} (none is attached today).`
      : `${nsg.name}: the full custom rule set after the change (${nsg.rules.length} rules, ${nsg.removed.length} removed: ${nsg.removed.map((r) => r.name).join(', ') || 'none'}).`,
  );
  if (nsg.isNew) comments.push(...associationStep(nsg, proposed));
  return {
    kind: 'resource',
    name: nsg.name,
    type: 'Microsoft.Network/networkSecurityGroups',
    apiVersion: NETWORK_API_VERSION,
    existing: false,
    comments,
    body: props(
      ['name', str(nsg.name)],
      ['location', nsg.isNew || nsg.location === null ? ref('location') : str(nsg.location)],
      ['properties', obj(['securityRules', arr(...nsg.rules.map(ruleItem))])],
    ),
  };
}

function subnetNames(nsg: ProposedNsg, proposed: Snapshot): string[] {
  return nsg.subnets.map((id) => {
    const s = proposed.subnets.find((x) => x.id === id);
    const v = s && proposed.virtualNetworks.find((x) => x.id === s.virtualNetworkId);
    return s ? `${v?.name ?? '?'}/${s.name}` : id;
  });
}

/** The association as a separate, commented step: it changes only the subnet's NSG. */
function associationStep(nsg: ProposedNsg, proposed: Snapshot): string[] {
  const lines = [
    'Association (a separate step, after this deployment): attach the NSG to its subnet without',
    'restating the subnet; a subnet declared here would replace every property this file does not',
    'know (service endpoints, policies, …). For example:',
  ];
  for (const id of nsg.subnets) {
    const s = proposed.subnets.find((x) => x.id === id);
    const v = s && proposed.virtualNetworks.find((x) => x.id === s.virtualNetworkId);
    if (!s) continue;
    lines.push(
      `  az network vnet subnet update --resource-group ${v?.resourceGroup ?? s.resourceGroup ?? '<rg>'} --vnet-name ${v?.name ?? '<vnet>'} --name ${s.name} --network-security-group ${nsg.name}`,
    );
  }
  return lines;
}

function ruleItem(r: ProposedRule): Item {
  return { value: ruleObject(r.rule), comments: r.provenance.map((p) => p.text) };
}

/** One address form and one port form per side, as Azure requires. */
function ruleObject(rule: SecurityRule): Expr {
  const entries: [string, Expr][] = [];
  if (rule.description !== null) entries.push(['description', str(rule.description)]);
  entries.push(
    ['priority', int(rule.priority)],
    ['direction', str(rule.direction)],
    ['access', str(rule.access)],
    ['protocol', str(rule.protocol)],
    ...addressSide('source', rule.sourceAddressPrefixes),
    ...portSide('source', rule.sourcePortRanges),
    ...addressSide('destination', rule.destinationAddressPrefixes),
    ...portSide('destination', rule.destinationPortRanges),
  );
  return obj(['name', str(rule.name)], ['properties', obj(...entries)]);
}

function addressSide(side: 'source' | 'destination', words: readonly string[]): [string, Expr][] {
  if (words.length === 1) return [[`${side}AddressPrefix`, str(words[0]!)]];
  return [[`${side}AddressPrefixes`, arr(...words.map((w) => str(w)))]];
}

function portSide(side: 'source' | 'destination', ranges: readonly string[]): [string, Expr][] {
  if (ranges.length === 1) return [[`${side}PortRange`, str(ranges[0]!)]];
  return [[`${side}PortRanges`, arr(...ranges.map((w) => str(w)))]];
}
