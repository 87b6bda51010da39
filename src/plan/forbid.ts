/**
 * Forbid entries no planned NSG can deny: after the main proposal, a `forbid` whose traffic is still
 * allowed (or possibly allowed) between ends the plan does not govern is denied on the subnet its
 * destination covers (Inbound), or else its source (Outbound) — the narrowest change:
 *   - a subnet without an NSG gets a new NSG holding only those deny rules (Azure's default rules keep
 *     everything else as it is today, so nothing is newly allowed and observed flows stay allowed);
 *   - a subnet with an NSG keeps every rule as it is and gains the deny rules at free priorities above
 *     every existing rule of that direction (so above whichever rule allows the forbidden traffic).
 * When no such slot exists, or both ends lie outside every subnet, nothing is added: proof (c) says so.
 */
import { cellsBetween } from '../analyze/cells';
import type { LocatedPart } from '../analyze/endpoints';
import type { Direction, SecurityRule, Subnet } from '../model/snapshot';
import type { SnapshotIndex } from '../model/snapshot-index';
import { IntervalSet, ipv4Domain, type Ipv4Set } from '../net/interval-set';
import { formatPortRange } from '../net/ports';
import type { PolicyEngine } from '../policy';
import type { ProposedNsg, ProposedRule } from './model';
import type { Guard } from './required';
import { ruleName } from './rules';
import { newNsgFor } from './scope';
import { cidrsOf, clipPart, isSelfCell, relocate } from './space';
import { MAX_PREFIXES_PER_SIDE } from './synthesize';

const FIRST_PRIORITY = 100;
const LAST_PRIORITY = 4096;
const STEP = 10;

export interface ForbidInput {
  /** The engine on the snapshot with the main proposal applied. */
  after: PolicyEngine;
  /** The input snapshot's index (subnets and NSGs as they are today). */
  beforeIndex: SnapshotIndex;
  guards: readonly Guard[];
  /** Subnets whose NSG the main proposal writes. */
  planned: ReadonlySet<string>;
  /** NSG ids (and lower-cased names) already taken, including the main proposal's new ones. */
  takenIds: Set<string>;
  takenNames: Set<string>;
}

export interface ForbidResult {
  /** New NSGs and changed existing NSGs, by id. */
  nsgs: ProposedNsg[];
  /** Forbid entries that could not be placed, for people. */
  notes: string[];
}

/** One deny to write: a forbid entry on one NSG (existing or new) and direction. */
interface Denial {
  guard: Guard;
  direction: Direction;
  local: Ipv4Set;
  remote: Ipv4Set;
}

interface Target {
  /** The NSG as it is today; null for a subnet that has none. */
  nsgId: string | null;
  subnets: Subnet[];
  denials: Denial[];
}

export function forbidDenies(input: ForbidInput): ForbidResult {
  const targets = new Map<string, Target>();
  const notes: string[] = [];
  for (const guard of input.guards) {
    const src = relocate(guard.src, input.after.index);
    const dst = relocate(guard.dst, input.after.index);
    for (const s of src)
      for (const d of dst) {
        const open = openCells(input.after, s, d, guard);
        if (open === null) continue;
        // The destination's subnet if the plan does not govern it, else the source's.
        const [part, direction] = unplanned(d, input.planned)
          ? [d, 'Inbound' as const]
          : unplanned(s, input.planned)
            ? [s, 'Outbound' as const]
            : [null, null];
        if (part === null || part.kind !== 'subnet') continue;
        const subnet = input.beforeIndex.subnets.get(part.subnet.id)!;
        const nsgId = subnet.networkSecurityGroupId;
        if (nsgId !== null && !input.beforeIndex.networkSecurityGroups.has(nsgId)) continue; // dangling: unknown
        const key = nsgId ?? `subnet:${subnet.id}`;
        let t = targets.get(key);
        if (!t) {
          t = { nsgId, subnets: [], denials: [] };
          targets.set(key, t);
        }
        if (!t.subnets.some((x) => x.id === subnet.id)) t.subnets.push(subnet);
        const local = direction === 'Inbound' ? open.dst : open.src;
        const far = direction === 'Inbound' ? open.src : open.dst;
        const same = t.denials.find((x) => x.guard === guard && x.direction === direction);
        if (same) {
          same.local = same.local.union(local);
          same.remote = same.remote.union(far);
        } else t.denials.push({ guard, direction, local, remote: far });
      }
  }
  const out: ProposedNsg[] = [];
  for (const t of [...targets.values()]) {
    const nsg = t.nsgId === null ? null : input.beforeIndex.networkSecurityGroups.get(t.nsgId)!;
    const subnets =
      nsg === null
        ? t.subnets
        : input.beforeIndex.snapshot.subnets.filter((s) => s.networkSecurityGroupId === nsg.id);
    const fresh =
      nsg === null ? newNsgFor(t.subnets[0]!, input.beforeIndex, input.takenNames, input.takenIds) : null;
    const existing = nsg?.securityRules ?? [];
    const rules: ProposedRule[] = existing.map((r) => ({
      rule: r,
      status: 'kept',
      provenance: [{ kind: 'kept', text: `existing rule ${r.name} kept as it is`, replaces: [r.name] }],
    }));
    const names = new Set(existing.map((r) => r.name.toLowerCase()));
    for (const direction of ['Inbound', 'Outbound'] as const) {
      const denials = t.denials
        .filter((x) => x.direction === direction)
        .sort((a, b) => (a.guard.entry.name < b.guard.entry.name ? -1 : 1));
      const drafts = denials.flatMap((x) => rulesOf(x, nsg === null));
      const priorities = freePriorities(
        existing.filter((r) => r.direction === direction).map((r) => r.priority),
        drafts.length,
      );
      if (priorities === null) {
        notes.push(
          `${nsg?.name ?? '?'}: no free ${direction.toLowerCase()} priority above its existing rules, so forbid ${denials.map((x) => x.guard.entry.name).join(', ')} is not denied there`,
        );
        continue;
      }
      drafts.forEach((d, i) => {
        let name = d.rule.name;
        for (let n = 2; names.has(name.toLowerCase()); n++) name = `${d.rule.name.slice(0, 75)}-${n}`;
        names.add(name.toLowerCase());
        rules.push({ ...d, rule: { ...d.rule, name, priority: priorities[i]! } });
      });
    }
    if (!rules.some((r) => r.status === 'added')) continue;
    rules.sort(
      (a, b) =>
        (a.rule.direction < b.rule.direction ? -1 : a.rule.direction > b.rule.direction ? 1 : 0) ||
        a.rule.priority - b.rule.priority,
    );
    const base = fresh ?? {
      id: nsg!.id,
      name: nsg!.name,
      resourceGroup: nsg!.resourceGroup,
      subscriptionId: nsg!.subscriptionId,
      location: nsg!.location,
    };
    out.push({
      id: base.id,
      name: base.name,
      resourceGroup: base.resourceGroup,
      subscriptionId: base.subscriptionId,
      location: base.location,
      isNew: nsg === null,
      subnets: subnets.map((s) => s.id).sort(),
      rules,
      removed: [],
    });
  }
  out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { nsgs: out, notes };
}

function unplanned(p: LocatedPart, planned: ReadonlySet<string>): boolean {
  return p.kind === 'subnet' && !planned.has(p.subnet.id);
}

/** The addresses of each side where the guard's traffic is allowed or possibly allowed; null when none. */
function openCells(
  engine: PolicyEngine,
  s: LocatedPart,
  d: LocatedPart,
  guard: Guard,
): { src: Ipv4Set; dst: Ipv4Set } | null {
  let src = IntervalSet.empty(ipv4Domain);
  let dst = IntervalSet.empty(ipv4Domain);
  for (const cell of cellsBetween(engine, s, d)) {
    if (isSelfCell(s, d, cell)) continue;
    if (cell.result.allow.union(cell.result.unknown).intersect(guard.traffic).isEmpty) continue;
    src = src.union(clipPart(s, cell.srcLo, cell.srcHi)!.ranges);
    dst = dst.union(clipPart(d, cell.dstLo, cell.dstHi)!.ranges);
  }
  return src.isEmpty ? null : { src, dst };
}

/**
 * The deny rules of one denial: the whole forbidden traffic between the open addresses. The far side
 * is written as the intent writes it when that is `Internet` or `*`; otherwise as CIDRs.
 */
function rulesOf(x: Denial, fresh: boolean): ProposedRule[] {
  const e = x.guard.entry;
  const farWord = (x.direction === 'Inbound' ? e.from : e.to).trim().toLowerCase();
  const remote =
    farWord === '*' || farWord === 'any'
      ? ['*']
      : farWord === 'internet'
        ? ['Internet']
        : x.remote.isFull
          ? ['*']
          : cidrsOf(x.remote);
  const local = cidrsOf(x.local);
  const protocol = e.protocol === '*' ? '*' : e.protocol;
  const ports =
    e.ports === null || e.ports.isFull || protocol === 'Icmp'
      ? ['*']
      : e.ports.intervals().map(([lo, hi]) => formatPortRange({ lo, hi }));
  // A subnet without an NSG allows everything today; the new NSG's default rules close more.
  const defaults = fresh
    ? "; the new NSG also brings Azure's default rules, which close inbound from outside the virtual network and outbound to private addresses outside it"
    : '';
  const text = `intent forbid ${e.name}: ${e.from} → ${e.to} ${e.protocol.toLowerCase()} ${e.portsText}${e.reason ? ` (${e.reason})` : ''}${defaults}`;
  const description = `intent forbid ${e.name}`;
  const out: ProposedRule[] = [];
  for (let i = 0; i < remote.length; i += MAX_PREFIXES_PER_SIDE)
    for (let j = 0; j < local.length; j += MAX_PREFIXES_PER_SIDE) {
      const far = remote.slice(i, i + MAX_PREFIXES_PER_SIDE);
      const near = local.slice(j, j + MAX_PREFIXES_PER_SIDE);
      const rule: SecurityRule = {
        name: ruleName(['deny', e.name]),
        description: description.length <= 140 ? description : `${description.slice(0, 139)}…`,
        priority: 0,
        direction: x.direction,
        access: 'Deny',
        protocol,
        sourceAddressPrefixes: x.direction === 'Inbound' ? far : near,
        sourcePortRanges: ['*'],
        destinationAddressPrefixes: x.direction === 'Inbound' ? near : far,
        destinationPortRanges: ports,
        sourceApplicationSecurityGroupIds: [],
        destinationApplicationSecurityGroupIds: [],
      };
      out.push({ rule, status: 'added', provenance: [{ kind: 'forbid', entry: e.name, text }] });
    }
  return out;
}

/**
 * `count` free priorities, ascending, all below every used one (so the denies come first); null when
 * they do not fit. Without existing rules they start at 100 in steps of 10.
 */
function freePriorities(used: readonly number[], count: number): number[] | null {
  if (count === 0) return [];
  const top = used.length === 0 ? LAST_PRIORITY + 1 : Math.min(...used);
  const room = top - FIRST_PRIORITY;
  if (room < count) return null;
  const step = used.length === 0 ? STEP : Math.max(1, Math.min(STEP, Math.floor(room / count)));
  const start = used.length === 0 ? FIRST_PRIORITY : top - step * count;
  return Array.from({ length: count }, (_, i) => start + i * step);
}
