/**
 * ACI004: a custom allow rule that opens more than a rule should, on an NSG attached to a subnet (an
 * NSG attached to nothing decides nothing: ACI007). Breadths, each named in the message:
 * - any port: `*` in the destination ports;
 * - a wide port range: more than `settings.widePortRange` destination ports;
 * - any address on the remote side: an inbound source `*`, `0.0.0.0/0` or `Internet`, an outbound
 *   destination `*` or `0.0.0.0/0` (outbound to `Internet` is ACI005's);
 * - a broad prefix on the remote side: an IPv4 CIDR wider than `/settings.broadPrefixLength`.
 * The local side (an inbound destination, an outbound source) is bounded by the subnet anyway, and
 * every port for AzureLoadBalancer alone (the platform's health probes) is not broad.
 * High when any address meets any port, a wide range, or a remote administration or data port; low
 * for any address on a few other ports (a web front end on 443 is often meant); medium otherwise.
 * One finding per NSG, naming its broad rules, most severe first (one per rule gave 46,000 findings
 * on the typical synthetic estate: nobody reads those).
 */
import type { NetworkSecurityGroup, SecurityRule, Subnet } from '../../model/snapshot';
import { parsePrefix } from '../../net/address';
import { portSetOf } from '../../net/ports';
import { CIS_INTERNET_ACCESS } from './controls';
import type { PortSet } from '../../net/interval-set';
import { severityRank, type FindingFlow, type FindingSeverity } from '../findings';
import { categoryPorts } from '../risk';
import { categorize, exposureRisk } from './exposure';
import {
  capFlows,
  endpointNames,
  explainCommand,
  namesText,
  nsgResource,
  nsgRuleRef,
  portWords,
  SnapshotPointers,
  subnetResource,
} from './flow-words';
import type { FindingDraft, PackRule, RuleContext } from './rule';

const ANY_WORDS = new Set(['*', '0.0.0.0/0', 'any']);

export const aci004: PackRule = {
  meta: {
    id: 'ACI004',
    name: 'over-broad-allow-rule',
    title: 'Over-broad allow rule',
    severity: 'medium',
    description:
      'A custom allow rule opens any port, a wide port range, any source (or destination), or an address prefix wider than the threshold. Broad rules admit far more than the flows they were written for and hide what the workload really needs. High when any address meets any port or a wide range.',
    remediation:
      'Narrow the rule to the flows it is for: the source subnets or addresses that need it (the Application Gateway subnet, Azure Bastion, a partner range) and the ports the containers serve; split a wide range into the ports in use.',
    controls: { mcsb: ['NS-1'], cis: CIS_INTERNET_ACCESS },
  },
  standalone: true,
  run(context: RuleContext): FindingDraft[] {
    const { snapshot, settings, engine } = context;
    const names = endpointNames(engine.index);
    const pointers = SnapshotPointers.of(snapshot);
    const attached = new Map<string, Subnet[]>();
    for (const s of snapshot.subnets) {
      if (s.networkSecurityGroupId === null) continue;
      const list = attached.get(s.networkSecurityGroupId);
      if (list) list.push(s);
      else attached.set(s.networkSecurityGroupId, [s]);
    }
    const ports = new PortMemo();
    const drafts: FindingDraft[] = [];
    for (const nsg of snapshot.networkSecurityGroups) {
      const subnets = (attached.get(nsg.id) ?? []).sort((a, b) => (a.id < b.id ? -1 : 1));
      if (subnets.length === 0) continue;
      const broad: BroadRule[] = [];
      for (const rule of nsg.securityRules) {
        if (rule.access !== 'Allow') continue;
        // Most rules are narrow: skip them before parsing their port sets.
        if (!mayBeBroad(rule, settings.broadPrefixLength, settings.widePortRange)) continue;
        const dst = ports.of(rule.destinationPortRanges);
        const breadth = breadthOf(rule, dst, settings.broadPrefixLength, settings.widePortRange);
        if (breadth !== null) broad.push({ rule, breadth, ports: dst, severity: severityOf(breadth, dst) });
      }
      if (broad.length > 0) drafts.push(draftFor(nsg, broad, subnets, names, pointers));
    }
    return drafts;
  },
};

interface BroadRule {
  rule: SecurityRule;
  breadth: Breadth;
  ports: PortSet;
  severity: FindingSeverity;
}

/** A quick test that never misses a broad rule: any remote word that is not a long prefix, or many ports. */
function mayBeBroad(rule: SecurityRule, prefixLength: number, widePortRange: number): boolean {
  let ports = 0;
  for (const r of rule.destinationPortRanges) {
    if (r === '*') return true;
    const dash = r.indexOf('-');
    ports += dash < 0 ? 1 : Number(r.slice(dash + 1)) - Number(r.slice(0, dash)) + 1;
  }
  if (ports > widePortRange) return true;
  const remote = rule.direction === 'Inbound' ? rule.sourceAddressPrefixes : rule.destinationAddressPrefixes;
  for (const p of remote) {
    const slash = p.indexOf('/');
    if (slash < 0 || Number(p.slice(slash + 1)) < prefixLength) return true;
  }
  return false;
}

/** Port fields parsed once per distinct text (rule sets repeat the same few lists). */
class PortMemo {
  private readonly memo = new Map<string, PortSet>();
  of(ranges: readonly string[]): PortSet {
    const key = ranges.join(',');
    let set = this.memo.get(key);
    if (!set) this.memo.set(key, (set = portSetOf(ranges)));
    return set;
  }
}

interface Breadth {
  anyPort: boolean;
  widePorts: number | null;
  anyAddress: string | null;
  broadPrefixes: string[];
}

/** What is broad about a rule, or null when nothing is. */
export function breadthOf(
  rule: SecurityRule,
  ports: PortSet,
  prefixLength: number,
  widePortRange: number,
): Breadth | null {
  const remote = rule.direction === 'Inbound' ? rule.sourceAddressPrefixes : rule.destinationAddressPrefixes;
  const icmpOnly = rule.protocol === 'Icmp';
  // The platform's health probes (AzureLoadBalancer, one address) on every port are Azure's own advice.
  const probesOnly = remote.length > 0 && remote.every((p) => p.toLowerCase() === 'azureloadbalancer');
  const portsMatter = !icmpOnly && !probesOnly;
  const anyPort = portsMatter && ports.isFull;
  const widePorts = portsMatter && !anyPort && ports.size() > widePortRange ? ports.size() : null;
  const anyAddress =
    remote.find(
      (p) =>
        ANY_WORDS.has(p.toLowerCase()) || (rule.direction === 'Inbound' && p.toLowerCase() === 'internet'),
    ) ?? null;
  const broadPrefixes = remote.filter((p) => {
    const prefix = parsePrefix(p);
    return prefix !== null && prefix.family === 4 && prefix.length > 0 && prefix.length < prefixLength;
  });
  if (!anyPort && widePorts === null && anyAddress === null && broadPrefixes.length === 0) return null;
  return { anyPort, widePorts, anyAddress, broadPrefixes };
}

function severityOf(b: Breadth, ports: PortSet): FindingSeverity {
  if (b.anyAddress === null) return 'medium';
  const sensitive = !categoryPorts(ports, 'management').isEmpty || !categoryPorts(ports, 'data').isEmpty;
  return b.anyPort || b.widePorts !== null || sensitive ? 'high' : 'low';
}

/** How many of an NSG's broad rules a finding details in `rules` and `flows`. */
const BROAD_RULES_DETAILED = 3;

function draftFor(
  nsg: NetworkSecurityGroup,
  broad: BroadRule[],
  subnets: Subnet[],
  names: ReturnType<typeof endpointNames>,
  pointers: SnapshotPointers,
): FindingDraft {
  // Most severe first, then in the NSG's order (direction, priority).
  const ordered = [...broad].sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
  const refs = ordered.map((b) => nsgRuleRef(nsg, b.rule, false));
  const localText = namesText(subnets.map((s) => names.subnetName(s)));
  // The worst few rules in full (rules and flows); the others are counted (the message names them).
  const flows: FindingFlow[] = [];
  let flowsOfOthers = 0;
  ordered.forEach((b, i) => {
    const flow = flowOf(b, localText);
    if (flow && i < BROAD_RULES_DETAILED) flows.push(flow);
    else if (flow) flowsOfOthers++;
  });
  const listed = capFlows(flows);
  const worst = ordered[0]!;
  const texts = ordered.map((b) => `${b.rule.name} (${breadthWords(b).join(', ')})`);
  return {
    severity: worst.severity,
    message: `${nsg.name} has ${broad.length} over-broad allow rule${broad.length === 1 ? '' : 's'}: ${namesText(texts)}`,
    // The rules are in `rules`; resources name the NSG and where it applies.
    resources: [nsgResource(nsg), ...subnets.map((s) => subnetResource(names, s))],
    flows: listed.flows,
    flowsOmitted: listed.flowsOmitted + flowsOfOthers,
    rules: refs.slice(0, BROAD_RULES_DETAILED),
    ...(refs.length > BROAD_RULES_DETAILED ? { rulesOmitted: refs.length - BROAD_RULES_DETAILED } : {}),
    explain: explainOf(worst, names.subnetEndpoint(subnets[0]!)),
    location: { snapshotPointer: pointers.rule(refs[0]!)! },
    risk: ruleRisk(worst),
    identity: [nsg.id],
  };
}

function breadthWords(b: BroadRule): string[] {
  const side = b.rule.direction === 'Inbound' ? 'source' : 'destination';
  const words: string[] = [];
  if (b.breadth.anyAddress !== null) words.push(`any ${side} (${b.breadth.anyAddress})`);
  if (b.breadth.broadPrefixes.length > 0) words.push(`broad ${side} ${namesText(b.breadth.broadPrefixes)}`);
  if (b.breadth.anyPort) words.push('any port');
  if (b.breadth.widePorts !== null) words.push(`${b.breadth.widePorts} ports`);
  return words;
}

function protocolWord(rule: SecurityRule): FindingFlow['protocol'] | null {
  switch (rule.protocol) {
    case 'Tcp':
      return 'tcp';
    case 'Udp':
      return 'udp';
    case 'Icmp':
      return 'icmp';
    case '*':
      return '*';
    default:
      return null; // ESP and AH have no flows aciseg analyses
  }
}

function flowOf(b: BroadRule, localText: string): FindingFlow | null {
  const protocol = protocolWord(b.rule);
  if (protocol === null) return null;
  const inbound = b.rule.direction === 'Inbound';
  const remote = inbound ? b.rule.sourceAddressPrefixes : b.rule.destinationAddressPrefixes;
  const remoteText = namesText(remote.length > 0 ? remote : ['application security groups']);
  return {
    from: inbound ? remoteText : localText,
    to: inbound ? localText : remoteText,
    fromKey: null,
    toKey: null,
    protocol,
    ports: protocol === 'icmp' ? '-' : portWords(b.ports),
    verdict: 'allow',
  };
}

/** explain from the broad remote word (a CIDR or a tag endpoint) to the subnet, or back. */
function explainOf(b: BroadRule, local: string): string | null {
  const protocol = protocolWord(b.rule);
  if (protocol === null) return null;
  const inbound = b.rule.direction === 'Inbound';
  const remote = inbound ? b.rule.sourceAddressPrefixes : b.rule.destinationAddressPrefixes;
  const any = b.breadth.anyAddress;
  const endpoint =
    any?.toLowerCase() === 'internet'
      ? 'Internet'
      : (any ?? b.breadth.broadPrefixes[0] ?? remote.find((p) => parsePrefix(p)?.family === 4) ?? null);
  if (endpoint === null) return null;
  const port = b.ports.has(22) ? 22 : (b.ports.first() ?? null);
  const query = protocol === '*' ? 'tcp' : protocol;
  return inbound
    ? explainCommand(endpoint, local, query, port)
    : explainCommand(local, endpoint, query, port);
}

/** The worst rule's exposure (exposureRisk): from the Internet when its source is any address or Internet. */
function ruleRisk(b: BroadRule): number {
  const protocol = b.rule.protocol;
  const exposures = [
    ...(protocol === 'Tcp' || protocol === '*' ? categorize('tcp', b.ports) : []),
    ...(protocol === 'Udp' || protocol === '*' ? categorize('udp', b.ports) : []),
  ];
  return exposureRisk(exposures, 0, b.rule.direction === 'Inbound' && b.breadth.anyAddress !== null);
}
