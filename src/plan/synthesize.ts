/**
 * Synthesis: shaped required flows → allow-rule drafts per planned NSG and direction, aggregated the
 * way people write them: one rule per (local side, remote side, protocol) with its ports merged, then
 * rules that differ only in their remote CIDRs merged into one plural list. Platform rules (Azure DNS)
 * and the closing deny rules are added here too; names and priorities come later (rules.ts).
 */
import type { LocatedPart } from '../analyze/endpoints';
import type { Direction, SecurityRule } from '../model/snapshot';
import { parsePrefix } from '../net/address';
import { IntervalSet, ipv4Domain, portDomain, type Ipv4Set, type PortSet } from '../net/interval-set';
import { formatPortRange } from '../net/ports';
import { AZURE_HOST_IP, ipv4SetOf, subnetSpace, type PolicyEngine } from '../policy';
import type { RuleProvenance } from './model';
import type { Shaped } from './generalize';
import { trafficOf, type NeedProtocol } from './required';
import { isAciSubnet, type PlannedNsg } from './scope';
import { allowsAll, cidrsOf, rangesOf, type SubnetLocator } from './space';

/** Azure's limit on prefixes per rule side. */
export const MAX_PREFIXES_PER_SIDE = 4000;
/** Azure's limit on rules per NSG. */
export const MAX_RULES_PER_NSG = 1000;
/** The priority of the closing deny rules: the end of the custom range. */
export const DENY_PRIORITY = 4096;

/** A rule before it has a name and a priority. */
export interface Draft {
  nsg: PlannedNsg;
  direction: Direction;
  access: 'Allow' | 'Deny';
  protocol: NeedProtocol;
  /** Destination ports; null = `*`. */
  ports: PortSet | null;
  /** Address words per side: CIDRs, or one tag / `*`. */
  source: string[];
  destination: string[];
  /** Words for the rule name: the far side and the near side, as people call them. */
  remoteLabel: string;
  localLabel: string;
  provenance: RuleProvenance[];
  /** Platform and deny rules sort before (platform) or after (deny) the flow rules. */
  role: 'platform' | 'flow' | 'deny';
}

interface Bucket {
  nsg: PlannedNsg;
  direction: Direction;
  protocol: NeedProtocol;
  local: Ipv4Set;
  remote: Ipv4Set;
  remoteTag: string | null;
  ports: PortSet | null;
  observed: { flows: number; tuples: number; firstSeen: string; lastSeen: string } | null;
  intent: Map<string, RuleProvenance>;
  declared: Set<string>;
}

export interface SynthesisInput {
  shaped: readonly Shaped[];
  planned: readonly PlannedNsg[];
  nsgOfSubnet: ReadonlyMap<string, PlannedNsg>;
  engine: PolicyEngine;
  locator: SubnetLocator;
  names: AddressNames;
}

export interface Synthesis {
  drafts: Map<string, Draft[]>;
  /** Platform rules left out because the current policy does not allow them (they would widen). */
  notes: string[];
}

/** Builds every planned NSG's drafts. */
export function synthesize(input: SynthesisInput): Synthesis {
  const buckets = new Map<string, Bucket>();
  const add = (
    nsg: PlannedNsg,
    direction: Direction,
    local: Ipv4Set,
    remote: Ipv4Set,
    remoteTag: string | null,
    s: Shaped,
  ) => {
    const need = s.need;
    const protocol = need.protocol;
    const key = `${nsg.id}|${direction}|${protocol}|${local.key()}|${remoteTag ?? remote.key()}`;
    let b = buckets.get(key);
    if (!b) {
      b = {
        nsg,
        direction,
        protocol,
        local,
        remote,
        remoteTag,
        ports: need.ports,
        observed: null,
        intent: new Map(),
        declared: new Set(),
      };
      buckets.set(key, b);
    } else b.ports = b.ports === null || need.ports === null ? null : b.ports.union(need.ports);
    const o = need.origin;
    if (o.kind === 'observed') {
      if (!b.observed) b.observed = { flows: 0, tuples: 0, firstSeen: o.firstSeen, lastSeen: o.lastSeen };
      b.observed.flows += o.flows;
      b.observed.tuples += o.tuples;
      if (o.firstSeen < b.observed.firstSeen) b.observed.firstSeen = o.firstSeen;
      if (o.lastSeen > b.observed.lastSeen) b.observed.lastSeen = o.lastSeen;
    } else if (o.kind === 'intent') {
      const e = o.entry;
      b.intent.set(e.name, {
        kind: 'intent',
        entry: e.name,
        text: `intent require ${e.name}${s.widening ? ' (not allowed today: this rule widens)' : ''}${e.reason ? `: ${e.reason}` : ''}`,
      });
    } else b.declared.add(o.group);
  };

  for (const s of input.shaped) {
    const srcSet = rangesOf(s.src.parts);
    const dstSet = rangesOf(s.dst.parts);
    // Inbound, at each planned NSG that governs a destination address.
    for (const [nsg, local] of byPlannedNsg(s.dst.parts, input.nsgOfSubnet))
      add(nsg, 'Inbound', local, srcSet, null, s);
    for (const [nsg, local] of byPlannedNsg(s.src.parts, input.nsgOfSubnet))
      add(nsg, 'Outbound', local, dstSet, s.dst.tag, s);
  }

  // Rules that differ only in their remote CIDRs become one rule with a plural list.
  const merged = new Map<string, Bucket>();
  for (const b of buckets.values()) {
    const mergeable = b.remoteTag === null && !b.remote.isFull;
    const key = `${b.nsg.id}|${b.direction}|${b.protocol}|${b.ports?.key() ?? '*'}|${b.local.key()}|${mergeable ? 'cidrs' : (b.remoteTag ?? '*')}`;
    const m = merged.get(key);
    if (!m || !mergeable) {
      merged.set(key, { ...b, intent: new Map(b.intent), declared: new Set(b.declared) });
      continue;
    }
    m.remote = m.remote.union(b.remote);
    if (b.observed) {
      if (!m.observed) m.observed = { ...b.observed };
      else {
        m.observed.flows += b.observed.flows;
        m.observed.tuples += b.observed.tuples;
        if (b.observed.firstSeen < m.observed.firstSeen) m.observed.firstSeen = b.observed.firstSeen;
        if (b.observed.lastSeen > m.observed.lastSeen) m.observed.lastSeen = b.observed.lastSeen;
      }
    }
    for (const [k, v] of b.intent) m.intent.set(k, v);
    for (const g of b.declared) m.declared.add(g);
  }

  const drafts = new Map<string, Draft[]>(input.planned.map((p) => [p.id, []]));
  for (const b of merged.values()) drafts.get(b.nsg.id)!.push(...draftsOf(b, input.names));
  const notes: string[] = [];
  const groupSubnets = new Set(input.engine.index.snapshot.containerGroups.flatMap((g) => g.subnetIds));
  for (const nsg of input.planned) {
    const platform = platformDrafts(nsg, input, notes, groupSubnets);
    // A flow rule the platform rule already covers (DNS seen in the flow logs) becomes its provenance.
    const list = drafts.get(nsg.id)!.filter((d) => {
      const cover = platform.find((p) => covers(p, d));
      if (!cover) return true;
      cover.provenance.push(...d.provenance);
      return false;
    });
    list.push(...platform, denyDraft(nsg, 'Inbound'), denyDraft(nsg, 'Outbound'));
    drafts.set(nsg.id, list);
  }
  return { drafts, notes };
}

/** Whether allow draft `a` matches every flow draft `b` matches (same NSG and direction). */
function covers(a: Draft, b: Draft): boolean {
  if (a.direction !== b.direction || a.access !== b.access) return false;
  if (a.protocol !== '*' && a.protocol !== b.protocol) return false;
  if (b.protocol === 'Icmp' || b.protocol === '*') {
    if (a.protocol !== '*' || a.ports !== null) return false;
  } else if (a.ports !== null && (b.ports === null || !b.ports.isSubsetOf(a.ports))) return false;
  const set = (words: readonly string[]) =>
    words.every((w) => parsePrefix(w)?.family === 4) ? ipv4SetOf(words) : null;
  const within = (x: readonly string[], y: readonly string[]) => {
    const sx = set(x);
    const sy = set(y);
    return sx !== null && sy !== null && sx.isSubsetOf(sy);
  };
  return within(b.source, a.source) && within(b.destination, a.destination);
}

/** The addresses of `parts` that each planned NSG governs. */
function byPlannedNsg(
  parts: readonly LocatedPart[],
  nsgOfSubnet: ReadonlyMap<string, PlannedNsg>,
): Map<PlannedNsg, Ipv4Set> {
  const out = new Map<PlannedNsg, Ipv4Set>();
  for (const p of parts) {
    if (p.kind !== 'subnet') continue;
    const nsg = nsgOfSubnet.get(p.subnet.id);
    if (!nsg) continue;
    out.set(nsg, (out.get(nsg) ?? IntervalSet.empty(ipv4Domain)).union(p.ranges));
  }
  return out;
}

function provenanceOf(b: Bucket): RuleProvenance[] {
  const out: RuleProvenance[] = [];
  if (b.observed) {
    const o = b.observed;
    out.push({
      kind: 'observed',
      text: `observed ${o.flows.toLocaleString('en-US')} flows (${o.tuples.toLocaleString('en-US')} tuples) ${o.firstSeen} – ${o.lastSeen}`,
      observed: { ...o },
    });
  }
  for (const key of [...b.intent.keys()].sort()) out.push(b.intent.get(key)!);
  if (b.declared.size > 0)
    out.push({
      kind: 'declared-port',
      text: `ports declared by ${[...b.declared].sort().join(', ')}`,
    });
  return out;
}

function draftsOf(b: Bucket, names: AddressNames): Draft[] {
  const localWords = cidrsOf(b.local);
  const remoteWords = b.remoteTag !== null ? [b.remoteTag] : b.remote.isFull ? ['*'] : cidrsOf(b.remote);
  const provenance = provenanceOf(b);
  const out: Draft[] = [];
  // Azure allows 4,000 prefixes per rule side: longer lists are split over several rules.
  for (let i = 0; i < remoteWords.length; i += MAX_PREFIXES_PER_SIDE) {
    const remote = remoteWords.slice(i, i + MAX_PREFIXES_PER_SIDE);
    for (let j = 0; j < localWords.length; j += MAX_PREFIXES_PER_SIDE) {
      const local = localWords.slice(j, j + MAX_PREFIXES_PER_SIDE);
      out.push({
        nsg: b.nsg,
        direction: b.direction,
        access: 'Allow',
        protocol: b.protocol,
        ports: b.protocol === 'Icmp' || b.ports?.isFull ? null : b.ports,
        source: b.direction === 'Inbound' ? remote : local,
        destination: b.direction === 'Inbound' ? local : remote,
        remoteLabel: b.remoteTag ?? names.label(b.remote),
        localLabel: names.label(b.local),
        provenance,
        role: 'flow',
      });
    }
  }
  return out;
}

/** Azure DNS (168.63.129.16, UDP and TCP 53) kept explicit for ACI subnets — when allowed today. */
function platformDrafts(
  nsg: PlannedNsg,
  input: SynthesisInput,
  notes: string[],
  groupSubnets: ReadonlySet<string>,
): Draft[] {
  const aci = nsg.subnets.filter((s) => isAciSubnet(s, groupSubnets));
  if (aci.length === 0) return [];
  let local = IntervalSet.empty(ipv4Domain);
  for (const s of aci) local = local.union(subnetSpace(s));
  const dns = IntervalSet.of(portDomain, [[53, 53]]);
  const traffic = trafficOf('*', dns);
  const host = IntervalSet.range(ipv4Domain, AZURE_HOST_IP, AZURE_HOST_IP);
  if (!allowsAll(input.engine, input.locator.locate(local), input.locator.locate(host), traffic)) {
    notes.push(`${nsg.name}: Azure DNS (168.63.129.16 port 53) is not allowed today, so no rule keeps it`);
    return [];
  }
  return [
    {
      nsg,
      direction: 'Outbound',
      access: 'Allow',
      protocol: '*',
      ports: dns,
      source: cidrsOf(local),
      destination: ['168.63.129.16/32'],
      remoteLabel: 'azure-dns',
      localLabel: input.names.label(local),
      provenance: [
        {
          kind: 'platform',
          text: 'platform: container groups resolve names through Azure DNS at 168.63.129.16 (UDP and TCP 53)',
        },
      ],
      role: 'platform',
    },
  ];
}

function denyDraft(nsg: PlannedNsg, direction: Direction): Draft {
  const defaults =
    direction === 'Inbound'
      ? 'AllowVnetInBound and AllowAzureLoadBalancerInBound'
      : 'AllowVnetOutBound and AllowInternetOutBound';
  return {
    nsg,
    direction,
    access: 'Deny',
    protocol: '*',
    ports: null,
    source: ['*'],
    destination: ['*'],
    remoteLabel: 'all',
    localLabel: '',
    provenance: [
      {
        kind: 'default-deny',
        text: `default-deny: neutralises ${defaults}, so only the rules above allow ${direction.toLowerCase()} traffic (written with * because VirtualNetwork can mean every address)`,
      },
    ],
    role: 'deny',
  };
}

/** Names address sets for rule names: a subnet, a container group, `any`, or the CIDR. */
export class AddressNames {
  private readonly bySet = new Map<string, string>();
  constructor(
    subnets: readonly { name: string; addressPrefixes: readonly string[] }[],
    groups: readonly { name: string; ip: string | null }[],
    vnets: readonly { name: string; addressPrefixes: readonly string[] }[] = [],
  ) {
    for (const s of [...subnets, ...vnets]) {
      const key = ipv4SetOf(s.addressPrefixes).key();
      if (!this.bySet.has(key)) this.bySet.set(key, s.name);
    }
    for (const g of groups) {
      if (!g.ip) continue;
      const p = parsePrefix(g.ip);
      if (p?.family !== 4) continue;
      const key = IntervalSet.range(ipv4Domain, p.start, p.end).key();
      if (!this.bySet.has(key)) this.bySet.set(key, g.name);
    }
  }

  label(set: Ipv4Set): string {
    if (set.isFull) return 'any';
    const known = this.bySet.get(set.key());
    if (known) return known;
    const cidrs = cidrsOf(set);
    if (cidrs.length === 1) return cidrs[0]!.replace(/[./]/g, '-');
    return `${cidrs[0]!.replace(/[./]/g, '-')}-and-${cidrs.length - 1}-more`;
  }
}

/** The rule a draft prints as, before its name and priority are set. */
export function ruleOf(d: Draft, name: string, priority: number, description: string | null): SecurityRule {
  return {
    name,
    description,
    priority,
    direction: d.direction,
    access: d.access,
    protocol: d.protocol,
    sourceAddressPrefixes: d.source,
    sourcePortRanges: ['*'],
    destinationAddressPrefixes: d.destination,
    destinationPortRanges:
      d.ports === null ? ['*'] : d.ports.intervals().map(([lo, hi]) => formatPortRange({ lo, hi })),
    sourceApplicationSecurityGroupIds: [],
    destinationApplicationSecurityGroupIds: [],
  };
}
