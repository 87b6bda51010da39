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
import { InputError, UsageError } from '../errors';
import { nsgGroups, type NsgGroup } from './plan-groups';
import {
  arr,
  call,
  description,
  int,
  obj,
  printBicep,
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

/** The first words of every file plan writes (how `--force` recognises a previous output). */
export const PLAN_DESCRIPTION =
  'Least-privilege NSG rules proposed by aciseg plan; every rule says why it exists.';

/** The plan's Bicep syntax tree for NSGs in one resource group (printed by printBicep and printArmTemplate). */
export function planBicepTree(result: PlanResult): BicepFile {
  return groupTree(result, result.nsgs);
}

function proofLine(result: PlanResult): string {
  return result.proof.ok
    ? 'Proof: ok (every required flow allowed, nothing newly allowed, every forbid entry denied).'
    : 'Proof: FAILED. Do not deploy: see the failing flows with --format markdown or json.';
}

/** The resource-group-scoped file of `nsgs` (all in one group): the whole plan, or one module of it. */
export function groupTree(result: PlanResult, nsgs: readonly ProposedNsg[]): BicepFile {
  const group = nsgs[0]?.resourceGroup ?? '<resource group>';
  const statements: Statement[] = [
    {
      kind: 'metadata',
      name: 'description',
      value: str(PLAN_DESCRIPTION),
      comments: [
        proofLine(result),
        `Deploy: az deployment group create --resource-group ${group} --template-file <this file>`,
      ],
    },
  ];
  const fresh = nsgs.filter((n) => n.isNew);
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
  for (const nsg of nsgs) statements.push(nsgResource(nsg, result.proposed));
  return { statements };
}

/** `nsg-a, nsg-b (new)`, or for many the count, the first three and the last (module comments stay one short line). */
function nsgList(nsgs: readonly ProposedNsg[]): string {
  const name = (n: ProposedNsg) => (n.isNew ? `${n.name} (new)` : n.name);
  if (nsgs.length <= 4) return nsgs.map(name).join(', ');
  const fresh = nsgs.filter((n) => n.isNew).length;
  return `${nsgs.length} NSGs${fresh > 0 ? ` (${fresh} new)` : ''}: ${nsgs.slice(0, 3).map(name).join(', ')}, …, ${name(nsgs[nsgs.length - 1]!)}`;
}

/** A module file of a plan over several resource groups: where main.bicep finds it, and its tree. */
export interface ModuleFile {
  /** Relative to main.bicep, `/`-separated: `modules/<group stem>.bicep`. */
  path: string;
  tree: BicepFile;
}

/** The subscription-scoped main file of a plan over several groups (its own text and the ARM's). */
export interface PlanModules {
  main: BicepFile;
  modules: ModuleFile[];
}

/**
 * The plan over several resource groups: a subscription-scoped main file with one module per
 * group (`scope: resourceGroup(sub, rg)`), each module the group's file as one group prints it.
 * `deployFile` names the main file in its deploy line (`main.bicep`, or `<this file>` for ARM).
 */
export function planModules(
  result: PlanResult,
  groups: readonly NsgGroup[],
  deployFile: string,
): PlanModules {
  const unscoped = groups.filter((g) => g.resourceGroup === null);
  if (unscoped.length > 0)
    throw new InputError(
      `NSG ${unscoped[0]!.nsgs[0]!.name} has no known resource group, so no deployment can target it (the snapshot does not say where it is); use --format json or markdown`,
    );
  const region = result.nsgs.find((n) => n.location !== null)?.location ?? 'westeurope';
  const subscriptions = new Set(groups.map((g) => g.subscriptionId ?? ''));
  const statements: Statement[] = [
    {
      kind: 'targetScope',
      scope: 'subscription',
      comments: [
        proofLine(result),
        `The NSGs are in ${groups.length === 1 ? 'one resource group' : `${groups.length} resource groups`}${subscriptions.size > 1 ? ` of ${subscriptions.size} subscriptions` : ''}: one deployment per group, each`,
        'naming its subscription and group (they must exist; the deploying identity needs rights in each).',
        'The --location of the deploy command only says where Azure keeps the deployment record.',
      ],
    },
    { kind: 'metadata', name: 'description', value: str(PLAN_DESCRIPTION) },
    {
      kind: 'metadata',
      name: 'deploy',
      value: str(`az deployment sub create --location ${region} --template-file ${deployFile}`),
    },
  ];
  const modules: ModuleFile[] = [];
  for (const g of groups) {
    const path = `modules/${g.stem}.bicep`;
    modules.push({ path, tree: groupTree(result, g.nsgs) });
    const fresh = g.nsgs.find((n) => n.isNew);
    const scopeArgs =
      g.subscriptionId === null ? [str(g.resourceGroup!)] : [str(g.subscriptionId), str(g.resourceGroup!)];
    statements.push({
      kind: 'module',
      name: g.stem,
      path,
      comments: [`${g.subscriptionId ?? '<this subscription>'}/${g.resourceGroup!}: ${nsgList(g.nsgs)}.`],
      scope: call('resourceGroup', ...scopeArgs),
      body: props(
        ['name', str(`aciseg-plan-${g.stem}`)],
        ...(fresh === undefined
          ? []
          : [['params', obj(['location', str(fresh.location ?? region)])] as const]),
      ),
    });
  }
  return { main: { statements }, modules };
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

/** One file of the Bicep output: `path` null for the one file of a plan in one resource group. */
export interface PlanBicepFile {
  path: string | null;
  text: string;
}

/**
 * The Bicep output: one file for one resource group, else (or when a directory is asked for, so a
 * script gets one layout whatever the estate) `main.bicep` and `modules/<group>.bicep`.
 */
export function planBicepFiles(result: PlanResult, asDirectory = false): PlanBicepFile[] {
  const groups = nsgGroups(result.nsgs);
  if (groups.length <= 1 && !asDirectory) return [{ path: null, text: printBicep(planBicepTree(result)) }];
  const { main, modules } = planModules(result, groups, 'main.bicep');
  return [
    { path: 'main.bicep', text: printBicep(main) },
    ...modules.map((m) => ({ path: m.path, text: printBicep(m.tree) })),
  ];
}

/** The files of a plan's Bicep directory (how `--force` tells a previous output from other content). */
export const PLAN_BICEP_LAYOUT = {
  isOwnFile: (relative: string): boolean =>
    relative === 'main.bicep' || /^modules\/[A-Za-z0-9_][A-Za-z0-9._-]*\.bicep$/.test(relative),
  isOwnDirectory: (relative: string): boolean => relative === 'modules',
  marker: `metadata description = '${PLAN_DESCRIPTION}'`,
  describe: 'main.bicep and modules/*.bicep',
};

/** Why a plan over several resource groups cannot print its Bicep to standard output. */
export function severalFilesRefusal(
  nsgs: readonly { subscriptionId: string | null; resourceGroup: string | null }[],
): string {
  const groups = new Set(nsgs.map((n) => `${n.subscriptionId ?? '?'}/${n.resourceGroup ?? '?'}`));
  return `the planned NSGs are in several resource groups (${[...groups].join(', ')}): the Bicep output is main.bicep and one module file per group, which cannot go to standard output; pass -o <directory> (or use --format arm, json or markdown)`;
}

/** The Bicep of a plan in one resource group; several groups are several files (planBicepFiles). */
export function renderPlanBicep(result: PlanResult): string {
  const files = planBicepFiles(result);
  if (files.length > 1) throw new UsageError(severalFilesRefusal(result.nsgs));
  return files[0]!.text;
}
