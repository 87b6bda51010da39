/**
 * The effect of the proposal, from one all-pairs analysis of each snapshot (the same analyses the
 * analyze rule pack reads for "findings resolved"): per endpoint pair (a subnet, a public container
 * group, the Internet, the Azure host 168.63.129.16, private space outside every subnet) with a
 * planned subnet at one end, the (source address, destination address, protocol, destination port)
 * tuples certainly allowed before and after (a tuple counts when some source port of it is allowed;
 * a flow from an address to itself is none). Closed = before − after: exact when the proof holds with
 * no widening (nothing opens), else the net reduction. Rules before/after per NSG.
 */
import type { Finding, FindingFlow } from '../analyze/findings';
import type { IntentEntry } from '../analyze/intent';
import {
  computeReachability,
  type EndpointClass,
  type Paths,
  type Reachability,
} from '../analyze/reachability';
import { ReachabilityView } from '../analyze/results';
import {
  DEFAULT_RULE_SETTINGS,
  packResult,
  ruleFindings,
  RULES,
  type ObservedFlowsInput,
  type PackRule,
  type RuleContext,
} from '../analyze/rules';
import { PUBLIC_IPV4, TrafficSet, type Decision, type PolicyEngine } from '../policy';
import { HOST, trafficFlows } from './compare';
import { AllowUnion, PairTuples } from './pair-tuples';
import type { PlanEffect, ProposedNsg } from './model';
import type { Labels } from './required';
import { ShareSums } from './share-sums';

export interface EffectInput {
  before: PolicyEngine;
  after: PolicyEngine;
  planned: ReadonlySet<string>;
  labels: Labels;
  nsgs: readonly ProposedNsg[];
  rulesInput: {
    intent: { file: string; entries: readonly IntentEntry[] } | null;
    observed: ObservedFlowsInput | null;
    today: string;
    rules?: readonly PackRule[];
  };
  progress: (m: string) => void;
  /** Findings of some rules on the snapshot before, made elsewhere (those rules are not run again here). */
  beforeElsewhere?: { rules: readonly PackRule[]; findings: Finding[] | null };
}

/** At most this many endpoint pairs are listed in `closed` (the most closed tuples first); all are counted. */
export const MAX_CLOSED_PAIRS = 1000;

/** Per pair id: its certainly allowed tuples. */
interface PairSpaces {
  /** Every certainly allowed tuple with a planned subnet at one end (flows to oneself left out). */
  total: bigint;
  table: PairTable;
}

/**
 * Tuples per pair id in flat typed arrays (numbers while exact, a bigint beside once a sum leaves
 * the safe range): pair ids are dense — every share pair when told per pair, else "share to any"
 * and "any to share" — so no map entry is made per pair or per addition.
 */
class PairTable {
  private readonly values: Float64Array;
  private readonly bigs = new Map<number, bigint>();
  private readonly touched: Uint8Array;
  /** Pair ids in the order first added (the order the closed list breaks exact ties in). */
  readonly keys: number[] = [];

  constructor(
    private readonly shares: number,
    readonly detailed: boolean,
    private readonly any: number,
  ) {
    const size = detailed ? shares * shares : 2 * shares;
    this.values = new Float64Array(size);
    this.touched = new Uint8Array(size);
  }

  /** The slot of a pair id, or -1 when this table holds no such pair. */
  slot(key: number): number {
    const s = Math.floor(key / PAIR);
    const t = key % PAIR;
    if (s >= this.shares || t >= this.shares) return -1;
    if (this.detailed) return s * this.shares + t;
    if (t === this.any) return s;
    if (s === this.any) return this.shares + t;
    return -1;
  }

  add(s: number, t: number, amount: number | bigint): void {
    const slot = this.detailed ? s * this.shares + t : t === this.any ? s : this.shares + t;
    if (this.touched[slot] === 0) {
      this.touched[slot] = 1;
      this.keys.push(s * PAIR + t);
      if (typeof amount === 'bigint') this.bigs.set(slot, amount);
      else this.values[slot] = amount;
    } else {
      const big = this.bigs.get(slot);
      if (big !== undefined) this.bigs.set(slot, big + BigInt(amount));
      else {
        const was = this.values[slot]!;
        if (typeof amount === 'number' && Number.isSafeInteger(was + amount))
          this.values[slot] = was + amount;
        else this.bigs.set(slot, BigInt(was) + BigInt(amount));
      }
    }
  }

  get(key: number): number | bigint | undefined {
    const slot = this.slot(key);
    if (slot < 0 || this.touched[slot] === 0) return undefined;
    return this.bigs.get(slot) ?? this.values[slot]!;
  }
}

/** The endpoints effects are told by: a subnet, a public group, the Internet, the Azure host, other private space. */
class Shares {
  readonly labels: string[] = [];
  readonly planned: boolean[] = [];
  private readonly ids = new Map<string, number>();

  id(key: string, label: string, planned: boolean): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.labels.length;
      this.ids.set(key, id);
      this.labels.push(label);
      this.planned.push(planned);
    }
    return id;
  }
}

/** A class's addresses by share: one for a subnet or a public group, up to three for external space. */
function sharesOf(
  c: EndpointClass,
  planned: ReadonlySet<string>,
  labels: Labels,
  shares: Shares,
): [number, number][] {
  if (c.kind === 'subnet')
    return [
      [
        shares.id(`s:${c.subnet!.id}`, labels.subnet(c.subnet!.id), planned.has(c.subnet!.id)),
        c.ranges.size(),
      ],
    ];
  if (c.kind === 'publicContainerGroup')
    return [[shares.id(`g:${c.group!.id}`, c.group!.name, false), c.ranges.size()]];
  const out: [number, number][] = [];
  const internet = c.ranges.intersect(PUBLIC_IPV4).subtract(HOST);
  const host = c.ranges.intersect(HOST);
  const rest = c.ranges.subtract(PUBLIC_IPV4).subtract(HOST);
  if (!internet.isEmpty) out.push([shares.id('internet', 'Internet', false), internet.size()]);
  if (!host.isEmpty) out.push([shares.id('host', 'Azure host 168.63.129.16', false), 1]);
  if (!rest.isEmpty)
    out.push([shares.id('private', 'private addresses outside every subnet', false), rest.size()]);
  return out;
}

/**
 * One side's paths read per endpoint (share): the certainly allowed tuples per endpoint pair that
 * has a planned subnet at one end (pair id = source * PAIR + target), and, for the few pairs the
 * effect lists, their traffic. Holds the paths and the class shares, not the classes.
 */
class SideSpaces {
  private readonly paths: Paths;
  private readonly decisions: readonly Decision[];
  private readonly classShares: [number, number][][];
  /** Per class list: its shares' summed sizes. */
  private readonly sums: ShareSums;
  private readonly classCount: number;
  /** Per path: the tuples it certainly allows per (source, target) address pair; 0: nothing. */
  private readonly pathTuples: Int32Array;

  constructor(
    engine: PolicyEngine,
    reach: Reachability,
    planned: ReadonlySet<string>,
    labels: Labels,
    private readonly shares: Shares,
  ) {
    this.paths = reach.paths;
    this.sums = new ShareSums(Math.max(0, reach.paths.listStart.length - 1));
    this.classCount = reach.classes.length;
    this.classShares = reach.classes.map((c) => sharesOf(c, planned, labels, shares));
    this.decisions = engine.decisions();
    const { paths } = this;
    const tuples = new PairTuples(this.decisions);
    this.pathTuples = new Int32Array(paths.count);
    for (let i = 0; i < paths.count; i++) this.pathTuples[i] = tuples.of(paths.out.get(i), paths.in.get(i));
  }

  /** Where list `list`'s share sums start in `sums.pool` (summed on first use; the pool may move). */
  private listShares(list: number): number {
    const known = this.sums.startOf(list);
    return known >= 0 ? known : this.sums.sum(list, this.entriesOf(list));
  }

  /** The (share id, size) entries of a class list's members. */
  private *entriesOf(list: number): Generator<readonly [number, number]> {
    const { paths } = this;
    const to = paths.listStart.get(list + 1);
    for (let k = paths.listStart.get(list); k < to; k++) yield* this.classShares[paths.members.get(k)]!;
  }

  /** Where path i's target lists end in `paths.targetLists` (they start at `targetStart[i]`). */
  private targetEnd(i: number): number {
    const { paths } = this;
    return i + 1 < paths.count ? paths.targetStart.get(i + 1) : paths.targetLists.length;
  }

  counts(): PairSpaces {
    const { paths, shares } = this;
    // Pairs of shares cost |sources| × |targets| per path: above DETAILED_SHARES endpoints, each planned
    // subnet's pairs are summed as "to / from any endpoint" instead (the total stays exact).
    const detailed = shares.labels.length <= DETAILED_SHARES;
    const any = shares.id('*', 'any endpoint', false);
    const table = new PairTable(shares.labels.length, detailed, any);
    const sAcc = new Float64Array(shares.labels.length + 1);
    const tAcc = new Float64Array(shares.labels.length + 1);
    const from = new IdBag(shares.labels.length);
    const to = new IdBag(shares.labels.length);
    const accumulate = (list: number, acc: Float64Array, touched: IdBag): void => {
      const start = this.listShares(list);
      const { pool, end: ends } = this.sums;
      for (let k = start, end = ends[list]!; k < end; k += 2) {
        const id = pool[k]!;
        if (acc[id] === 0) touched.push(id);
        acc[id]! += pool[k + 1]!;
      }
    };
    // The running total: a number while exact, folded into the bigint before it would round.
    let total = 0n;
    let part = 0;
    const addTotal = (v: number | bigint) => {
      if (typeof v === 'number' && Number.isSafeInteger(part + v)) part += v;
      else {
        total += BigInt(part) + BigInt(v);
        part = 0;
      }
    };
    // Source classes of the current path, marked with its number + 1 (for flows to oneself).
    const sourceMark = new Int32Array(this.classCount);
    for (let i = 0; i < paths.count; i++) {
      const tuples = this.pathTuples[i]!;
      if (tuples === 0) continue;
      const sourceList = paths.sources.get(i);
      const targetFrom = paths.targetStart.get(i);
      const targetTo = this.targetEnd(i);
      from.clear();
      to.clear();
      accumulate(sourceList, sAcc, from);
      for (let k = targetFrom; k < targetTo; k++) accumulate(paths.targetLists.get(k), tAcc, to);
      let sAll = 0;
      let sUnplanned = 0;
      let tAll = 0;
      let tUnplanned = 0;
      for (let a = 0; a < from.size; a++) {
        const x = from.ids[a]!;
        sAll += sAcc[x]!;
        if (!shares.planned[x]) sUnplanned += sAcc[x]!;
      }
      for (let b = 0; b < to.size; b++) {
        const x = to.ids[b]!;
        tAll += tAcc[x]!;
        if (!shares.planned[x]) tUnplanned += tAcc[x]!;
      }
      addTotal(times(sAll, tAll, tuples));
      const unplanned = times(sUnplanned, tUnplanned, tuples);
      addTotal(-unplanned);
      if (detailed) {
        for (let a = 0; a < from.size; a++) {
          const s = from.ids[a]!;
          for (let b = 0; b < to.size; b++) {
            const t = to.ids[b]!;
            if (shares.planned[s] || shares.planned[t]) table.add(s, t, times(sAcc[s]!, tAcc[t]!, tuples));
          }
        }
      } else {
        for (let a = 0; a < from.size; a++) {
          const s = from.ids[a]!;
          if (shares.planned[s]) table.add(s, any, times(sAcc[s]!, tAll, tuples));
        }
        for (let b = 0; b < to.size; b++) {
          const t = to.ids[b]!;
          if (shares.planned[t]) table.add(any, t, times(sAll, tAcc[t]!, tuples));
        }
      }
      for (let a = 0; a < from.size; a++) sAcc[from.ids[a]!] = 0;
      for (let b = 0; b < to.size; b++) tAcc[to.ids[b]!] = 0;
      // A class in both lists holds flows from each address to itself: not network flows.
      const mark = i + 1;
      const sFrom = paths.listStart.get(sourceList);
      const sTo = paths.listStart.get(sourceList + 1);
      for (let k = sFrom; k < sTo; k++) sourceMark[paths.members.get(k)] = mark;
      for (let k = targetFrom; k < targetTo; k++) {
        const list = paths.targetLists.get(k);
        const mTo = paths.listStart.get(list + 1);
        for (let m = paths.listStart.get(list); m < mTo; m++) {
          const c = paths.members.get(m);
          if (sourceMark[c] !== mark) continue;
          for (const [id, size] of this.classShares[c]!) {
            if (!shares.planned[id]) continue;
            const self = Number.isSafeInteger(size * tuples)
              ? -size * tuples
              : -BigInt(size) * BigInt(tuples);
            addTotal(self);
            if (detailed) table.add(id, id, self);
            else {
              table.add(id, any, self);
              table.add(any, id, self);
            }
          }
        }
      }
    }
    return { total: total + BigInt(part), table };
  }

  /**
   * The traffic certainly allowed between each listed pair (by pair id; the pairs `counts` told):
   * the union of what every path adding to the pair allows.
   */
  traffic(listed: ReadonlySet<number>, detailed: boolean): Map<number, TrafficSet> {
    const { paths, shares } = this;
    const unions = new Map<number, AllowUnion>();
    const sureSets = new Map<number, TrafficSet>();
    const union = (key: number) => {
      let u = unions.get(key);
      if (u === undefined) unions.set(key, (u = new AllowUnion(sureSets)));
      return u;
    };
    const any = shares.id('*', 'any endpoint', false);
    // Not told per pair: a share's "to any" and "from any" unions by share id, no map lookup per path.
    const fromAny: (AllowUnion | undefined)[] = [];
    const toAny: (AllowUnion | undefined)[] = [];
    // Shares at the source (target) end of some listed pair: only their paths are read.
    const sourceListed = new Uint8Array(shares.labels.length + 1);
    const targetListed = new Uint8Array(shares.labels.length + 1);
    for (const key of listed) {
      const s = Math.floor(key / PAIR);
      const t = key % PAIR;
      if (detailed || t === any) sourceListed[s] = 1;
      if (detailed || s === any) targetListed[t] = 1;
    }
    const sSeen = new Uint8Array(shares.labels.length + 1);
    const tSeen = new Uint8Array(shares.labels.length + 1);
    const from = new IdBag(shares.labels.length);
    const to = new IdBag(shares.labels.length);
    const gather = (list: number, listedHere: Uint8Array, seen: Uint8Array, into: IdBag) => {
      const start = this.listShares(list);
      const { pool, end: ends } = this.sums;
      for (let k = start, end = ends[list]!; k < end; k += 2) {
        const id = pool[k]!;
        if (listedHere[id] === 1 && seen[id] === 0) {
          seen[id] = 1;
          into.push(id);
        }
      }
    };
    for (let i = 0; i < paths.count; i++) {
      if (this.pathTuples[i] === 0) continue;
      from.clear();
      to.clear();
      gather(paths.sources.get(i), sourceListed, sSeen, from);
      if (detailed && from.size === 0) continue;
      const targetTo = this.targetEnd(i);
      for (let k = paths.targetStart.get(i); k < targetTo; k++)
        gather(paths.targetLists.get(k), targetListed, tSeen, to);
      for (let a = 0; a < from.size; a++) sSeen[from.ids[a]!] = 0;
      for (let b = 0; b < to.size; b++) tSeen[to.ids[b]!] = 0;
      if (from.size === 0 && to.size === 0) continue;
      const out = this.decisions[paths.out.get(i)]!;
      const inbound = this.decisions[paths.in.get(i)]!;
      if (detailed) {
        for (let a = 0; a < from.size; a++)
          for (let b = 0; b < to.size; b++) {
            const key = from.ids[a]! * PAIR + to.ids[b]!;
            if (listed.has(key)) union(key).add(out, inbound, true);
          }
      } else {
        for (let a = 0; a < from.size; a++) {
          const s = from.ids[a]!;
          (fromAny[s] ??= union(s * PAIR + any)).add(out, inbound, true);
        }
        for (let b = 0; b < to.size; b++) {
          const t = to.ids[b]!;
          (toAny[t] ??= union(any * PAIR + t)).add(out, inbound, false);
        }
      }
    }
    return new Map([...unions].map(([key, u]) => [key, u.result()]));
  }
}

/** Tuples of an address-pair product: a number while exact, else a bigint. */
function times(a: number, b: number, tuples: number): number | bigint {
  const product = a * b * tuples;
  return Number.isSafeInteger(product) ? product : BigInt(a) * BigInt(b) * BigInt(tuples);
}

/** Share ids gathered for one path, each at most once (the callers check): reused, never reallocated. */
class IdBag {
  readonly ids: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.ids = new Int32Array(capacity + 1);
  }

  push(id: number): void {
    this.ids[this.size++] = id;
  }

  clear(): void {
    this.size = 0;
  }
}

/** Pair ids: source share * PAIR + target share. */
const PAIR = 1 << 20;

/** Up to this many endpoints (subnets, public groups, external kinds), closed tuples are told per pair. */
export const DETAILED_SHARES = 400;

/**
 * The fingerprints of the rule pack's findings on one snapshot, in the pack's order; those of the
 * rules `elsewhere` made are taken from it (when it has them). In a function of its own so that what
 * the pack builds on the analysis (its view of the paths) is garbage once it returns.
 */
function packFindings(
  engine: PolicyEngine,
  reach: Reachability,
  rulesInput: EffectInput['rulesInput'],
  elsewhere: EffectInput['beforeElsewhere'],
): string[] {
  let view: ReachabilityView | null = null;
  const context: RuleContext = {
    snapshot: engine.index.snapshot,
    engine,
    reachability: () => ({ reach, view: (view ??= new ReachabilityView(engine, reach)) }),
    intent: rulesInput.intent,
    observed: rulesInput.observed,
    today: rulesInput.today,
    settings: DEFAULT_RULE_SETTINGS,
    // Only fingerprints (in the pack's order) are compared: the rules skip their deciding rules and text.
    detail: 'keys',
  };
  const pack = rulesInput.rules ?? RULES;
  const there = elsewhere?.rules.filter((r) => pack.includes(r)) ?? [];
  const findings = ruleFindings(
    context,
    pack.filter((r) => !there.includes(r)),
  );
  const theirs = new Set(there.map((r) => r.meta.id));
  const made = elsewhere?.findings?.filter((f) => theirs.has(f.ruleId)) ?? ruleFindings(context, there);
  findings.push(...made);
  return packResult(findings, pack, null).findings.map((f) => f.fingerprint);
}

const big = (v: number | bigint | undefined): bigint => (v === undefined ? 0n : BigInt(v));

export function computeEffect(input: EffectInput): PlanEffect {
  const shares = new Shares();
  const sides: { paths: SideSpaces; spaces: PairSpaces; findings: string[] }[] = [];
  for (const [name, engine] of [
    ['before', input.before],
    ['after', input.after],
  ] as const) {
    input.progress(`effect: all-pairs analysis of the snapshot ${name} the change`);
    const reach = computeReachability(engine);
    input.progress(`effect: rule pack on the snapshot ${name} the change`);
    const findings = packFindings(
      engine,
      reach,
      input.rulesInput,
      name === 'before' ? input.beforeElsewhere : undefined,
    );
    // The pack was the last to explain points of this snapshot: its kept compiled rules can go.
    engine.releaseCompiledRules();
    input.progress(`effect: tuples per endpoint pair ${name} the change`);
    const paths = new SideSpaces(engine, reach, input.planned, input.labels, shares);
    sides.push({ paths, spaces: paths.counts(), findings });
  }
  const [before, after] = sides as [(typeof sides)[0], (typeof sides)[0]];
  const total = before.spaces.total - after.spaces.total;
  const reduced: { key: number; reduction: bigint }[] = [];
  for (const key of before.spaces.table.keys) {
    const reduction = big(before.spaces.table.get(key)) - big(after.spaces.table.get(key));
    if (reduction > 0n) reduced.push({ key, reduction });
  }
  const label = (key: number) =>
    [shares.labels[Math.floor(key / PAIR)]!, shares.labels[key % PAIR]!] as const;
  reduced.sort((a, b) => {
    if (a.reduction !== b.reduction) return a.reduction > b.reduction ? -1 : 1;
    const [af, at] = label(a.key);
    const [bf, bt] = label(b.key);
    return af < bf ? -1 : af > bf ? 1 : at < bt ? -1 : at > bt ? 1 : 0;
  });
  // Traffic only for the pairs listed (a path's traffic is a meet of two decisions: costly for all).
  const listed = reduced.slice(0, MAX_CLOSED_PAIRS);
  input.progress(`effect: traffic of the ${listed.length} pairs listed`);
  const keys = new Set(listed.map((r) => r.key));
  const [wasByKey, nowByKey] = sides.map((side) => side.paths.traffic(keys, side.spaces.table.detailed)) as [
    Map<number, TrafficSet>,
    Map<number, TrafficSet>,
  ];
  const closed: FindingFlow[] = [];
  for (const { key } of listed) {
    const [from, to] = label(key);
    const was = wasByKey.get(key) ?? TrafficSet.none;
    const gone = was.subtract(nowByKey.get(key) ?? TrafficSet.none);
    // Traffic no longer allowed anywhere between the pair is `deny`; a pair narrowed only for some addresses is `partial`.
    closed.push(
      ...(gone.isEmpty ? trafficFlows(was, from, to, 'partial') : trafficFlows(gone, from, to, 'deny')),
    );
  }
  const remaining = new Set(after.findings);
  return {
    closed,
    closedPairs: reduced.length,
    closedFlowSpace: total.toString(),
    findingsResolved: before.findings.filter((f) => !remaining.has(f)),
    findingsRemaining: [...remaining],
    rules: input.nsgs.map((n) => ({
      nsg: n.id,
      name: n.name,
      before: input.before.index.networkSecurityGroups.get(n.id)?.securityRules.length ?? 0,
      after: n.rules.length,
    })),
  };
}
