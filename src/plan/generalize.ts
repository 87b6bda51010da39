/**
 * How far a required flow's ends may be widened when written as a rule, the way a careful engineer
 * writes it: an end inside a subnet becomes the whole subnet (container group IPs change on restart),
 * an external destination becomes the narrowest service tag that holds it (with `--service-tags`) —
 * but only when the current policy already allows the widened rectangle, so the widening opens nothing
 * new. Otherwise the end is singled out as it is.
 */
import type { LocatedPart } from '../analyze/endpoints';
import type { Subnet } from '../model/snapshot';
import { canonicalServiceTagName } from '../model/service-tag-names';
import type { Ipv4Set } from '../net/interval-set';
import { ipv4SetOf, subnetSpace, type PolicyEngine, type ServiceTags, type TrafficSet } from '../policy';
import type { Need } from './required';
import { allowedEverywhere, allowsAll, rangesOf, type SubnetLocator } from './space';

/** One end as a rule will write it: located parts, and the service tag that names them, if any. */
export interface RuleEnd {
  parts: LocatedPart[];
  tag: string | null;
}

export interface Shaped {
  need: Need;
  src: RuleEnd;
  dst: RuleEnd;
  /** True when the current policy does not allow the flow: an intent `require` that widens. */
  widening: boolean;
}

/**
 * Whole subnets as parts, each made once (100,000 needs name a few thousand subnets), with the
 * key partsKey reads for it.
 */
class WholeSubnets {
  private readonly parts = new Map<string, LocatedPart>();
  private readonly keys = new WeakMap<LocatedPart, string>();
  /** Per end (needs that end at one address share its parts): its wide form, and that form's key. */
  private readonly wideOf = new WeakMap<readonly LocatedPart[], LocatedPart[]>();
  private readonly listKeys = new WeakMap<readonly LocatedPart[], string>();

  /** The subnet-wide form of an end: every subnet part becomes its whole subnet (never changed in place). */
  wide(parts: readonly LocatedPart[]): LocatedPart[] {
    let out = this.wideOf.get(parts);
    if (out === undefined) this.wideOf.set(parts, (out = this.widen(parts)));
    return out;
  }

  private widen(parts: readonly LocatedPart[]): LocatedPart[] {
    const bySubnet = new Map<string, LocatedPart>();
    const rest: LocatedPart[] = [];
    for (const p of parts) {
      if (p.kind !== 'subnet') rest.push(p);
      else if (!bySubnet.has(p.subnet.id)) bySubnet.set(p.subnet.id, this.whole(p.subnet));
    }
    return [...bySubnet.values(), ...rest];
  }

  private whole(subnet: Subnet): LocatedPart {
    let part = this.parts.get(subnet.id);
    if (part === undefined) {
      part = { kind: 'subnet', subnet, ranges: subnetSpace(subnet) };
      this.parts.set(subnet.id, part);
      this.keys.set(part, partKey(part));
    }
    return part;
  }

  partsKey(parts: readonly LocatedPart[]): string {
    let key = this.listKeys.get(parts);
    if (key === undefined) {
      key = parts
        .map((p) => this.keys.get(p) ?? partKey(p))
        .sort()
        .join(';');
      this.listKeys.set(parts, key);
    }
    return key;
  }
}

function partKey(p: LocatedPart): string {
  return p.kind === 'subnet' ? `s:${p.subnet.id}:${p.ranges.key()}` : `${p.kind}:${p.ranges.key()}`;
}

/** The narrowest service tag (fewest IPv4 addresses) whose IPv4 prefixes hold every address of `set`. */
export class TagFinder {
  private readonly tags: { name: string; set: Ipv4Set; size: number }[] = [];
  private readonly cache = new Map<string, { name: string; set: Ipv4Set } | null>();

  constructor(serviceTags: ServiceTags | undefined) {
    for (const [name, prefixes] of serviceTags?.tags ?? []) {
      const set = ipv4SetOf(prefixes.filter((p) => !p.includes(':')));
      if (set.isEmpty) continue;
      this.tags.push({ name: canonicalServiceTagName(name), set, size: set.size() });
    }
    this.tags.sort((a, b) => a.size - b.size || (a.name < b.name ? -1 : 1));
  }

  narrowest(set: Ipv4Set): { name: string; set: Ipv4Set } | null {
    if (this.tags.length === 0) return null;
    const key = set.key();
    if (this.cache.has(key)) return this.cache.get(key)!;
    const found = this.tags.find((t) => set.isSubsetOf(t.set)) ?? null;
    const out = found && { name: found.name, set: found.set };
    this.cache.set(key, out);
    return out;
  }
}

/**
 * Chooses each need's rule ends. Needs are first tried together per (widened ends, protocol) with
 * their ports merged — one engine question for many observed flows — and one by one only when that fails.
 */
export function shapeNeeds(
  needs: readonly Need[],
  engine: PolicyEngine,
  locator: SubnetLocator,
  tags: TagFinder,
): Shaped[] {
  const wideSrc = new Map<Need, LocatedPart[]>();
  const wideDst = new Map<Need, RuleEnd>();
  const groups = new Map<string, Need[]>();
  const whole = new WholeSubnets();
  for (const need of needs) {
    const src = whole.wide(need.src);
    let dst: RuleEnd = { parts: whole.wide(need.dst), tag: null };
    if (need.dst.every((p) => p.kind === 'external')) {
      const tag = tags.narrowest(rangesOf(need.dst));
      if (tag) dst = { parts: locator.locate(tag.set), tag: tag.name };
    }
    wideSrc.set(need, src);
    wideDst.set(need, dst);
    const key = `${whole.partsKey(src)}|${whole.partsKey(dst.parts)}|${need.protocol}`;
    const list = groups.get(key);
    if (list) list.push(need);
    else groups.set(key, [need]);
  }
  const out: Shaped[] = [];
  for (const list of groups.values()) {
    const first = list[0]!;
    let traffic = first.traffic;
    for (const n of list) traffic = traffic.union(n.traffic);
    const src = wideSrc.get(first)!;
    const dst = wideDst.get(first)!;
    // Every need of the group has these wide ends: what they allow, walked once.
    const wideAllowed = allowedEverywhere(engine, src, dst.parts);
    if (traffic.subtract(wideAllowed).isEmpty) {
      for (const need of list) out.push({ need, src: { parts: src, tag: null }, dst, widening: false });
      continue;
    }
    for (const need of list) out.push(shapeOne(need, src, dst, wideAllowed, engine));
  }
  return out;
}

function shapeOne(
  need: Need,
  wideSrc: LocatedPart[],
  wideDst: RuleEnd,
  wideAllowed: TrafficSet,
  engine: PolicyEngine,
): Shaped {
  const exactDst: RuleEnd = { parts: need.dst, tag: null };
  // Not allowed as it is: no wider rule is either (one question instead of four).
  if (!allowsAll(engine, need.src, need.dst, need.traffic))
    return { need, src: { parts: need.src, tag: null }, dst: exactDst, widening: true };
  if (need.traffic.subtract(wideAllowed).isEmpty)
    return { need, src: { parts: wideSrc, tag: null }, dst: wideDst, widening: false };
  const candidates: [LocatedPart[], RuleEnd][] = [
    [wideSrc, exactDst],
    [need.src, wideDst],
  ];
  for (const [src, dst] of candidates) {
    if (allowsAll(engine, src, dst.parts, need.traffic))
      return { need, src: { parts: src, tag: null }, dst, widening: false };
  }
  return { need, src: { parts: need.src, tag: null }, dst: exactDst, widening: false };
}

/**
 * Only an intent `require` may widen: an observed or declared flow that the snapshot does not
 * certainly allow today (the logs disagree with the snapshot, or an unresolved tag decides it) is
 * left out of the required set, with the reason.
 */
export function withoutUnsupportedWidening(shaped: readonly Shaped[]): { kept: Shaped[]; left: Shaped[] } {
  const kept: Shaped[] = [];
  const left: Shaped[] = [];
  for (const s of shaped) (s.widening && s.need.origin.kind !== 'intent' ? left : kept).push(s);
  return { kept, left };
}
