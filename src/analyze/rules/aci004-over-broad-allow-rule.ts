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
 * High when any address meets any port or a wide range, low for any address on a few ports (a web
 * front end on 443 is often meant), medium otherwise. One finding per rule.
 */
import type { NetworkSecurityGroup, SecurityRule, Subnet } from '../../model/snapshot';
import { parsePrefix } from '../../net/address';
import { portSetOf } from '../../net/ports';
import type { FindingSeverity } from '../findings';
import {
  endpointNames,
  explainCommand,
  namesText,
  nsgResource,
  nsgRuleRef,
  portWords,
  ruleResource,
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
    controls: { mcsb: ['NS-1'], cis: ['6.1', '6.2', '6.3', '6.4'] },
  },
  run(context: RuleContext): FindingDraft[] {
    const { snapshot, settings, engine } = context;
    const names = endpointNames(engine.index);
    const pointers = new SnapshotPointers(snapshot);
    const attached = new Map<string, Subnet[]>();
    for (const s of snapshot.subnets) {
      if (s.networkSecurityGroupId === null) continue;
      const list = attached.get(s.networkSecurityGroupId);
      if (list) list.push(s);
      else attached.set(s.networkSecurityGroupId, [s]);
    }
    const drafts: FindingDraft[] = [];
    for (const nsg of snapshot.networkSecurityGroups) {
      const subnets = (attached.get(nsg.id) ?? []).sort((a, b) => (a.id < b.id ? -1 : 1));
      if (subnets.length === 0) continue;
      for (const rule of nsg.securityRules) {
        if (rule.access !== 'Allow') continue;
        const breadth = breadthOf(rule, settings.broadPrefixLength, settings.widePortRange);
        if (breadth === null) continue;
        drafts.push(draftFor(nsg, rule, subnets, breadth, names, pointers));
      }
    }
    return drafts;
  },
};

interface Breadth {
  anyPort: boolean;
  widePorts: number | null;
  anyAddress: string | null;
  broadPrefixes: string[];
}

/** What is broad about a rule, or null when nothing is. */
export function breadthOf(rule: SecurityRule, prefixLength: number, widePortRange: number): Breadth | null {
  const remote = rule.direction === 'Inbound' ? rule.sourceAddressPrefixes : rule.destinationAddressPrefixes;
  const ports = portSetOf(rule.destinationPortRanges);
  const icmpOnly = rule.protocol === 'Icmp';
  // The platform's health probes (AzureLoadBalancer, one address) on every port are Azure's own advice.
  const probesOnly = remote.length > 0 && remote.every((p) => p.toLowerCase() === 'azureloadbalancer');
  const portsMatter = !icmpOnly && !probesOnly;
  const anyPort = portsMatter && ports.isFull;
  const widePorts = portsMatter && !anyPort && ports.size() > widePortRange ? ports.size() : null;
  const anyAddress =
    remote.find(
      (p) => ANY_WORDS.has(p.toLowerCase()) || (rule.direction === 'Inbound' && p.toLowerCase() === 'internet'),
    ) ?? null;
  const broadPrefixes = remote.filter((p) => {
    const prefix = parsePrefix(p);
    return prefix !== null && prefix.family === 4 && prefix.length > 0 && prefix.length < prefixLength;
  });
  if (!anyPort && widePorts === null && anyAddress === null && broadPrefixes.length === 0) return null;
  return { anyPort, widePorts, anyAddress, broadPrefixes };
}

function severityOf(b: Breadth): FindingSeverity {
  if (b.anyAddress !== null) return b.anyPort || b.widePorts !== null ? 'high' : 'low';
  return 'medium';
}

function draftFor(
  nsg: NetworkSecurityGroup,
  rule: SecurityRule,
  subnets: Subnet[],
  b: Breadth,
  names: ReturnType<typeof endpointNames>,
  pointers: SnapshotPointers,
): FindingDraft {
  const ref = nsgRuleRef(nsg, rule, false);
  const inbound = rule.direction === 'Inbound';
  const remoteSide = inbound ? 'source' : 'destination';
  const words: string[] = [];
  if (b.anyAddress !== null) words.push(`any ${remoteSide} (${b.anyAddress})`);
  if (b.broadPrefixes.length > 0) words.push(`broad ${remoteSide} ${namesText(b.broadPrefixes)}`);
  if (b.anyPort) words.push('any port');
  if (b.widePorts !== null) words.push(`${b.widePorts} ports`);
  const ports = portSetOf(rule.destinationPortRanges);
  const remote = inbound ? rule.sourceAddressPrefixes : rule.destinationAddressPrefixes;
  const remoteText = namesText(remote.length > 0 ? remote : ['application security groups']);
  const localText = namesText(subnets.map((s) => names.subnetName(s)));
  const protocol =
    rule.protocol === 'Tcp' ? 'tcp' : rule.protocol === 'Udp' ? 'udp' : rule.protocol === 'Icmp' ? 'icmp' : '*';
  const flowProtocol = rule.protocol === 'Esp' || rule.protocol === 'Ah' ? null : protocol;
  // explain from the broad remote word (a CIDR or a tag endpoint) to the first subnet, or back.
  const remoteEndpoint =
    b.anyAddress?.toLowerCase() === 'internet'
      ? 'Internet'
      : (b.anyAddress ?? b.broadPrefixes[0] ?? remote.find((p) => parsePrefix(p)?.family === 4) ?? null);
  const local = names.subnetEndpoint(subnets[0]!);
  const port = ports.has(22) ? 22 : (ports.first() ?? null);
  const explain =
    remoteEndpoint === null || flowProtocol === null
      ? null
      : inbound
        ? explainCommand(remoteEndpoint, local, flowProtocol === '*' ? 'tcp' : flowProtocol, port)
        : explainCommand(local, remoteEndpoint, flowProtocol === '*' ? 'tcp' : flowProtocol, port);
  return {
    severity: severityOf(b),
    message: `${nsg.name}/${rule.name} (${rule.direction.toLowerCase()}, priority ${rule.priority}) allows ${words.join(', ')}`,
    resources: [ruleResource(ref), nsgResource(nsg), ...subnets.map((s) => subnetResource(names, s))],
    flows:
      flowProtocol === null
        ? []
        : [
            {
              from: inbound ? remoteText : localText,
              to: inbound ? localText : remoteText,
              fromKey: null,
              toKey: null,
              protocol: flowProtocol,
              ports: flowProtocol === 'icmp' ? '-' : portWords(ports),
              verdict: 'allow',
            },
          ],
    flowsOmitted: 0,
    rules: [ref],
    explain,
    location: { snapshotPointer: pointers.rule(ref)! },
    identity: [ref.key],
  };
}
