/**
 * Names and priorities. A draft identical to an existing rule keeps that rule's name and priority
 * (`kept`); a draft that replaces exactly one existing allow rule takes its name and priority
 * (`changed`); every other draft gets a meaningful new name and a free priority (`added`). Priorities
 * are unique per direction in 100–4096 with gaps of 10 where room allows; the closing denies sit at 4096.
 */
import { diagnostic } from '../diagnostics';
import { InputError } from '../errors';
import type { SecurityRule } from '../model/snapshot';
import { parsePrefix } from '../net/address';
import { IntervalSet, ipv4Domain } from '../net/interval-set';
import { portSetOf } from '../net/ports';
import { PUBLIC_IPV4 } from '../policy';
import type { ProposedNsg, ProposedRule, RuleProvenance } from './model';
import { portsText } from './required';
import type { PlannedNsg } from './scope';
import { DENY_PRIORITY, MAX_RULES_PER_NSG, ruleOf, type Draft } from './synthesize';

const FIRST_PRIORITY = 100;
const STEP = 10;
const NAME_MAX = 80;

/**
 * Comparable content of a rule: everything but name, priority and description. Each list is written
 * with its length and each entry with its own, so no two contents share a key (direction, access and
 * protocol are validated words without `|`); cheaper than JSON for the 100,000s of rules of an estate.
 */
export function contentKey(r: SecurityRule): string {
  return (
    `${r.direction}|${r.access}|${r.protocol.toLowerCase()}` +
    listKey(sorted(r.sourceAddressPrefixes, true)) +
    listKey(sorted(r.sourcePortRanges, false)) +
    listKey(sorted(r.destinationAddressPrefixes, true)) +
    listKey(sorted(r.destinationPortRanges, false)) +
    listKey(sorted(r.sourceApplicationSecurityGroupIds, false)) +
    listKey(sorted(r.destinationApplicationSecurityGroupIds, false))
  );
}

function listKey(list: readonly string[]): string {
  let key = `|${list.length}`;
  for (const entry of list) key += `:${entry.length}:${entry}`;
  return key;
}

/** The content as JSON: the order drafts of one name are listed in (kept as earlier plans wrote them). */
function contentOrder(r: SecurityRule): string {
  return JSON.stringify([
    r.direction,
    r.access,
    r.protocol.toLowerCase(),
    sorted(r.sourceAddressPrefixes, true),
    sorted(r.sourcePortRanges, false),
    sorted(r.destinationAddressPrefixes, true),
    sorted(r.destinationPortRanges, false),
    sorted(r.sourceApplicationSecurityGroupIds, false),
    sorted(r.destinationApplicationSecurityGroupIds, false),
  ]);
}

/** A list sorted (lower-cased first when asked), copied only when it has two or more entries. */
function sorted(list: readonly string[], lower: boolean): readonly string[] {
  if (list.length === 0) return list;
  if (list.length === 1) return lower ? [list[0]!.toLowerCase()] : list;
  return (lower ? list.map((p) => p.toLowerCase()) : [...list]).sort();
}

const PRIVATE_IPV4 = PUBLIC_IPV4.complement();

/**
 * Whether two sides' words may share an address, roughly (for "does this rule replace that one" only,
 * never for a verdict): CIDRs exactly, `*` everything, `VirtualNetwork` private space, `Internet`
 * public space; another service tag only meets `*` or the same tag (its prefixes are not known here).
 */
interface SideSpace {
  out: ReturnType<typeof IntervalSet.empty<number>>;
  tags: Set<string>;
}

function sideSpace(words: readonly string[]): SideSpace {
  let out = IntervalSet.empty(ipv4Domain);
  const tags = new Set<string>();
  for (const w of words) {
    const p = parsePrefix(w);
    const lower = w.toLowerCase();
    if (p !== null) {
      if (p.family === 4) out = out.union(IntervalSet.range(ipv4Domain, p.start, p.end));
    } else if (lower === '*') out = IntervalSet.full(ipv4Domain);
    else if (lower === 'virtualnetwork') out = out.union(PRIVATE_IPV4);
    else if (lower === 'internet') out = out.union(PUBLIC_IPV4);
    else tags.add(lower);
  }
  return { out, tags };
}

function spacesOverlap(x: SideSpace, y: SideSpace): boolean {
  if (x.out.overlaps(y.out)) return true;
  if (x.out.isFull && y.tags.size > 0) return true;
  if (y.out.isFull && x.tags.size > 0) return true;
  for (const t of x.tags) if (y.tags.has(t)) return true;
  return false;
}

interface RuleShape {
  rule: SecurityRule;
  protocol: string;
  ports: ReturnType<typeof portSetOf>;
  /** Made when first compared (most pairs already differ in protocol or ports). */
  source: SideSpace | null;
  destination: SideSpace | null;
}

/**
 * Rule shapes, their port sets and side spaces made once per distinct field (the same ports and
 * prefixes recur across the rules of an estate's NSGs). One per plan.
 */
export class RuleShapes {
  private readonly ports = new Map<string, RuleShape['ports']>();
  private readonly sides = new Map<string, SideSpace>();

  of(rule: SecurityRule): RuleShape {
    return {
      rule,
      protocol: rule.protocol.toLowerCase(),
      ports: this.portsOf(rule.destinationPortRanges),
      source: null,
      destination: null,
    };
  }

  /** Whether an existing rule and a proposed one could match a common flow (the one may replace the other). */
  mayOverlap(old: RuleShape, now: RuleShape): boolean {
    if (old.rule.direction !== now.rule.direction || old.rule.access !== now.rule.access) return false;
    if (old.protocol !== '*' && now.protocol !== '*' && old.protocol !== now.protocol) return false;
    if (!old.ports.overlaps(now.ports)) return false;
    return (
      spacesOverlap(this.sourceOf(old), this.sourceOf(now)) &&
      spacesOverlap(this.destinationOf(old), this.destinationOf(now))
    );
  }

  private sourceOf(shape: RuleShape): SideSpace {
    return (shape.source ??= this.sideOf(shape.rule.sourceAddressPrefixes));
  }

  private destinationOf(shape: RuleShape): SideSpace {
    return (shape.destination ??= this.sideOf(shape.rule.destinationAddressPrefixes));
  }

  private portsOf(ranges: readonly string[]): RuleShape['ports'] {
    const key = ranges.length === 1 ? ranges[0]! : ranges.join(',');
    let set = this.ports.get(key);
    if (set === undefined) this.ports.set(key, (set = portSetOf(ranges)));
    return set;
  }

  private sideOf(words: readonly string[]): SideSpace {
    // One word (most rules) is its own key; a list cannot collide with it (its JSON starts with `[`,
    // which no address word does).
    const key = words.length === 1 && !words[0]!.startsWith('[') ? words[0]! : JSON.stringify(words);
    let side = this.sides.get(key);
    if (side === undefined) this.sides.set(key, (side = sideSpace(words)));
    return side;
  }
}

/** A valid NSG rule name: word characters, `.`, `-`, `_`; starts with a word character, ends with one or `_`. */
export function ruleName(parts: readonly string[]): string {
  let name = parts
    .filter((p) => p !== '')
    .join('-')
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .toLowerCase();
  name = name
    .slice(0, NAME_MAX)
    .replace(/^[^A-Za-z0-9_]+/, '')
    .replace(/[^A-Za-z0-9_]+$/, '');
  return name === '' ? 'rule' : name;
}

function draftName(d: Draft): string {
  if (d.role === 'deny')
    return ruleName(['deny', 'other', d.direction === 'Inbound' ? 'inbound' : 'outbound']);
  const protocol = d.protocol === '*' ? 'any' : d.protocol.toLowerCase();
  const ports =
    d.protocol === 'Icmp' ? '' : portsText(d.protocol, d.ports).replace(/,/g, '-').replace('*', 'all');
  const direction = d.direction === 'Inbound' ? 'from' : 'to';
  return ruleName(['allow', direction, d.remoteLabel, protocol, ports]);
}

function order(d: Draft): number {
  return d.role === 'platform' ? 0 : d.role === 'flow' ? 1 : 2;
}

/** Turns one NSG's drafts into its proposed rule set. */
export function nameAndNumber(
  nsg: PlannedNsg,
  drafts: readonly Draft[],
  shapes: RuleShapes = new RuleShapes(),
): ProposedNsg {
  const existing = nsg.existing?.securityRules ?? [];
  const byContent = new Map(existing.map((r) => [contentKey(r), r]));
  // The existing rules a draft may replace share its direction and access: shaped only when asked.
  const candidates = new Map<string, RuleShape[]>();
  const candidatesFor = (rule: SecurityRule): RuleShape[] => {
    const key = `${rule.direction}|${rule.access}`;
    let list = candidates.get(key);
    if (list === undefined) {
      list = existing
        .filter((r) => r.direction === rule.direction && r.access === rule.access)
        .map((r) => shapes.of(r));
      candidates.set(key, list);
    }
    return list;
  };
  const rules: ProposedRule[] = [];
  for (const direction of ['Inbound', 'Outbound'] as const) {
    const list = drafts
      .filter((d) => d.direction === direction)
      .map((d) => {
        const rule = ruleOf(d, draftName(d), 0, null);
        return { d, rule, key: contentKey(rule) };
      })
      .sort(
        (a, b) =>
          order(a.d) - order(b.d) ||
          (a.rule.name < b.rule.name ? -1 : a.rule.name > b.rule.name ? 1 : 0) ||
          (contentOrder(a.rule) < contentOrder(b.rule) ? -1 : 1),
      );
    const used = new Set<number>();
    const names = new Set<string>();
    const placed: (ProposedRule | null)[] = list.map(() => null);
    // 1. Unchanged rules keep name and priority (an allow only below the closing deny).
    list.forEach(({ d, rule, key }, i) => {
      const same = byContent.get(key);
      if (!same) return;
      const fits = d.role === 'deny' ? true : same.priority < DENY_PRIORITY;
      if (!fits || used.has(same.priority) || names.has(same.name.toLowerCase())) return;
      used.add(same.priority);
      names.add(same.name.toLowerCase());
      placed[i] = {
        rule: { ...rule, name: same.name, priority: same.priority, description: same.description },
        status: 'kept',
        provenance: [
          ...d.provenance,
          { kind: 'kept', text: `existing rule ${same.name} kept as it is`, replaces: [same.name] },
        ],
      };
    });
    // 2. A rule that replaces exactly one existing allow rule takes its name and priority.
    const replacedBy = new Map<string, number[]>();
    const replaces = list.map(({ d, rule }, i) => {
      if (placed[i] || d.role !== 'flow') return [];
      const shape = shapes.of(rule);
      const olds = candidatesFor(rule)
        .filter((o) => shapes.mayOverlap(o, shape))
        .map((o) => o.rule);
      for (const o of olds) replacedBy.set(o.name, [...(replacedBy.get(o.name) ?? []), i]);
      return olds;
    });
    list.forEach(({ d, rule }, i) => {
      if (placed[i]) return;
      const olds = replaces[i]!;
      const only = olds.length === 1 ? olds[0]! : null;
      const names2 = olds.map((o) => o.name);
      const provenance =
        names2.length > 0 ? d.provenance.map((p) => ({ ...p, replaces: names2 })) : d.provenance;
      if (
        only &&
        replacedBy.get(only.name)!.length === 1 &&
        only.priority < DENY_PRIORITY &&
        !used.has(only.priority) &&
        !names.has(only.name.toLowerCase())
      ) {
        used.add(only.priority);
        names.add(only.name.toLowerCase());
        placed[i] = {
          rule: { ...rule, name: only.name, priority: only.priority },
          status: 'changed',
          provenance,
          previous: only,
        };
        return;
      }
      placed[i] = { rule, status: 'added', provenance };
    });
    // 3. New rules: unique names, priorities from 100 in steps of 10 (closer when many), denies at 4096.
    const fresh = placed.filter((p) => p!.status === 'added' && p!.rule.access === 'Allow').length;
    const step = Math.max(
      1,
      Math.min(STEP, Math.floor((DENY_PRIORITY - FIRST_PRIORITY) / Math.max(fresh + used.size, 1))),
    );
    let next = FIRST_PRIORITY;
    for (const p of placed) {
      if (p!.status !== 'added') continue;
      let name = p!.rule.name;
      for (let n = 2; names.has(name.toLowerCase()); n++)
        name = `${p!.rule.name.slice(0, NAME_MAX - 1 - String(n).length)}-${n}`;
      names.add(name.toLowerCase());
      let priority: number;
      if (p!.rule.access === 'Deny') priority = DENY_PRIORITY;
      else {
        while (used.has(next)) next += step;
        priority = next;
        next += step;
      }
      if (priority >= DENY_PRIORITY && p!.rule.access === 'Allow')
        throw new InputError(
          `${nsg.name}: the plan needs more ${direction.toLowerCase()} rules than fit between priorities 100 and 4095`,
          [
            diagnostic(
              'INVALID_PRIORITY',
              `${nsg.name}: ${fresh} new ${direction.toLowerCase()} rules do not fit in the custom priority range`,
            ),
          ],
        );
      used.add(priority);
      p!.rule = { ...p!.rule, name, priority };
    }
    // A kept deny above an allow would shadow it: the deny moves to the end of the range.
    const lastAllow = Math.max(
      0,
      ...placed.filter((p) => p!.rule.access === 'Allow').map((p) => p!.rule.priority),
    );
    for (const p of placed) {
      if (p!.rule.access !== 'Deny' || p!.rule.priority > lastAllow) continue;
      const previous = existing.find((r) => r.name === p!.rule.name);
      p!.rule = { ...p!.rule, priority: DENY_PRIORITY };
      p!.status = 'changed';
      if (previous) p!.previous = previous;
    }
    rules.push(...placed.map((p) => p!).sort((a, b) => a.rule.priority - b.rule.priority));
  }
  if (rules.length > MAX_RULES_PER_NSG)
    throw new InputError(
      `${nsg.name}: the plan needs ${rules.length} rules; Azure allows ${MAX_RULES_PER_NSG} per NSG`,
      [
        diagnostic(
          'INVALID_VALUE',
          `${nsg.name}: ${rules.length} rules needed, more than the ${MAX_RULES_PER_NSG} Azure allows per NSG (fewer, wider required flows — e.g. intent entries per subnet — would fit)`,
        ),
      ],
    );
  for (const r of rules) r.rule.description = descriptionOf(r);
  const keptNames = new Set(rules.map((r) => r.rule.name.toLowerCase()));
  return {
    id: nsg.id,
    name: nsg.name,
    resourceGroup: nsg.resourceGroup,
    subscriptionId: nsg.subscriptionId,
    location: nsg.location,
    isNew: nsg.existing === null,
    subnets: nsg.subnets.map((s) => s.id),
    rules,
    removed: existing.filter((r) => !keptNames.has(r.name.toLowerCase())),
  };
}

/** The deployed description (Azure: ≤ 140 characters): each reason in short, the full text in comments. */
function descriptionOf(r: ProposedRule): string | null {
  if (r.status === 'kept') return r.rule.description;
  const text = [...new Set(r.provenance.map(shortReason))].join('; ');
  return text.length <= 140 ? text : `${text.slice(0, 139)}…`;
}

function shortReason(p: RuleProvenance): string {
  switch (p.kind) {
    case 'observed':
      return p.observed
        ? `observed ${p.observed.flows} flows ${p.observed.firstSeen.slice(0, 10)}..${p.observed.lastSeen.slice(0, 10)}`
        : 'observed';
    case 'intent':
      return `intent ${p.entry ?? ''}`.trim();
    case 'platform':
      return 'platform: Azure DNS';
    case 'default-deny':
      return 'closes what the default rules allow';
    case 'declared-port':
      return p.text;
    case 'kept':
      return 'kept';
    case 'forbid':
      return `intent forbid ${p.entry ?? ''}`.trim();
  }
}
