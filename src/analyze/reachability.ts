/**
 * Exact all-pairs reachability. The address space is cut into atoms that no compiled table can tell
 * apart; endpoint classes are (location, atoms) with identical behaviour as local and as remote
 * address in every table (found by 64-bit signatures); every ordered pair of classes with a policy on
 * at least one side gets one pair result, memoized on the pair of side decisions.
 */
import type { ContainerGroup, Subnet } from '../model/snapshot';
import { parseIpv4 } from '../policy/address';
import type { Decision, PairResult } from '../policy/decision';
import type { PolicyEngine } from '../policy/engine';
import { ipv4SetOf } from '../policy/address-words';
import { IPV4_MAX, IntervalSet, ipv4Domain, type Ipv4Set } from '../policy/interval-set';
import { runIndex, type Runs, type SideTable } from '../policy/side-table';

export type ClassKind = 'subnet' | 'external' | 'publicContainerGroup';

/** A set of endpoints that every policy treats alike. */
export interface EndpointClass {
  index: number;
  kind: ClassKind;
  subnet: Subnet | null;
  group: ContainerGroup | null;
  /** Its addresses, ascending intervals. */
  ranges: Ipv4Set;
  /** Local keys in the subnet's outbound and inbound tables (-1 when not a subnet class). */
  outKey: number;
  inKey: number;
}

export interface ReachabilityRow {
  from: number;
  /** Destination class indices grouped by pair result id, in ascending result id order. */
  byResult: Map<number, number[]>;
}

export interface Reachability {
  classes: EndpointClass[];
  /** Pair results that allow something or leave something unknown. */
  rows: ReachabilityRow[];
  stats: ReachabilityStats;
}

export interface ReachabilityStats {
  atoms: number;
  classes: number;
  pairsEvaluated: number;
  pairsOpen: number;
  distinctDecisions: number;
  distinctPairResults: number;
  milliseconds: { tables: number; classes: number; pairs: number };
}

export interface ReachabilityOptions {
  /** Called now and then with a progress message for long runs. */
  progress?: (message: string) => void;
  /** Injected clock (the analysis itself never reads the time). */
  now?: () => number;
}

/** Computes all-pairs reachability over the whole snapshot. */
export function computeReachability(engine: PolicyEngine, options: ReachabilityOptions = {}): Reachability {
  const now = options.now ?? (() => 0);
  const progress = options.progress ?? (() => undefined);
  const t0 = now();
  const subnets = [...engine.index.snapshot.subnets].sort((a, b) => (a.id < b.id ? -1 : 1));
  const outTables: SideTable[] = [];
  const inTables: SideTable[] = [];
  subnets.forEach((s, i) => {
    outTables.push(engine.sideTable(s, 'Outbound'));
    inTables.push(engine.sideTable(s, 'Inbound'));
    if ((i + 1) % 200 === 0) progress(`compiled ${i + 1}/${subnets.length} subnets`);
  });
  const t1 = now();

  // 1. Atoms: every run boundary of every remote map, every local slice boundary and every subnet edge.
  const cutSet = new Set<number>([0]);
  const allRemote: Runs[] = [];
  for (const t of [...outTables, ...inTables]) {
    for (const r of t.remote) {
      allRemote.push(r);
      for (const s of r.starts) cutSet.add(s);
    }
    for (const s of t.local.starts) cutSet.add(s);
  }
  const publicGroups = engine.index.snapshot.containerGroups.filter(isPublicGroup);
  for (const g of publicGroups) {
    const ip = parseIpv4(g.ipAddress!.ip!)!;
    cutSet.add(ip);
    if (ip < IPV4_MAX) cutSet.add(ip + 1);
  }
  const atoms = Float64Array.from([...cutSet].sort((a, b) => a - b));
  const atomEnd = (i: number) => (i + 1 < atoms.length ? atoms[i + 1]! - 1 : IPV4_MAX);

  // 2. Remote signature of every atom: XOR of a hash of (map, decision) over all maps (prefix-XOR of differences).
  const sigA = new Uint32Array(atoms.length + 1);
  const sigB = new Uint32Array(atoms.length + 1);
  allRemote.forEach((runs, m) => {
    for (let i = 0; i < runs.starts.length; i++) {
      const a = atomIndex(atoms, runs.starts[i]!);
      const b = i + 1 < runs.starts.length ? atomIndex(atoms, runs.starts[i + 1]!) : atoms.length;
      const h1 = mix(m, runs.values[i]!, 0x9e3779b9);
      const h2 = mix(m, runs.values[i]!, 0x85ebca6b);
      sigA[a] = sigA[a]! ^ h1;
      sigA[b] = sigA[b]! ^ h1;
      sigB[a] = sigB[a]! ^ h2;
      sigB[b] = sigB[b]! ^ h2;
    }
  });
  for (let i = 1; i < atoms.length; i++) {
    sigA[i] = sigA[i]! ^ sigA[i - 1]!;
    sigB[i] = sigB[i]! ^ sigB[i - 1]!;
  }

  // 3. Classes.
  const classes: EndpointClass[] = [];
  const classByKey = new Map<string, EndpointClass>();
  const pieces = new Map<EndpointClass, [number, number][]>();
  const addPiece = (
    key: string,
    make: () => Omit<EndpointClass, 'index' | 'ranges'>,
    lo: number,
    hi: number,
  ) => {
    let c = classByKey.get(key);
    if (!c) {
      c = { ...make(), index: -1, ranges: IntervalSet.empty(ipv4Domain) };
      classByKey.set(key, c);
      pieces.set(c, []);
    }
    pieces.get(c)!.push([lo, hi]);
  };
  let inSubnets = IntervalSet.empty(ipv4Domain);
  subnets.forEach((subnet, si) => {
    const space = ipv4SetOf(subnet.addressPrefixes);
    inSubnets = inSubnets.union(space);
    for (const [lo, hi] of space.intervals()) {
      for (let a = atomIndex(atoms, lo); a < atoms.length && atoms[a]! <= hi; a++) {
        const outKey = outTables[si]!.local.values[runIndex(outTables[si]!.local, atoms[a]!)]!;
        const inKey = inTables[si]!.local.values[runIndex(inTables[si]!.local, atoms[a]!)]!;
        addPiece(
          `s|${si}|${outKey}|${inKey}|${sigA[a]}|${sigB[a]}`,
          () => ({ kind: 'subnet', subnet, group: null, outKey, inKey }),
          atoms[a]!,
          Math.min(atomEnd(a), hi),
        );
      }
    }
  });
  const outside = inSubnets.complement();
  for (const [lo, hi] of outside.intervals()) {
    for (let a = atomIndex(atoms, lo); a < atoms.length && atoms[a]! <= hi; a++) {
      addPiece(
        `x|${sigA[a]}|${sigB[a]}`,
        () => ({ kind: 'external', subnet: null, group: null, outKey: -1, inKey: -1 }),
        atoms[a]!,
        Math.min(atomEnd(a), hi),
      );
    }
  }
  for (const g of [...publicGroups].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const ip = parseIpv4(g.ipAddress!.ip!)!;
    addPiece(
      `p|${g.id}`,
      () => ({ kind: 'publicContainerGroup', subnet: null, group: g, outKey: -1, inKey: -1 }),
      ip,
      ip,
    );
  }
  for (const c of classByKey.values()) {
    c.ranges = IntervalSet.of(ipv4Domain, pieces.get(c)!);
    c.index = classes.length;
    classes.push(c);
  }
  const subnetIndex = new Map(subnets.map((s, i) => [s.id, i]));
  const reps = classes.map((c) => c.ranges.first()!);
  const t2 = now();
  progress(`${atoms.length} atoms, ${classes.length} endpoint classes`);

  // 4. Per (table, key): the decision seen at every class's representative address.
  const columnCache = new Map<Runs, Int32Array>();
  const column = (runs: Runs): Int32Array => {
    let col = columnCache.get(runs);
    if (!col) {
      col = new Int32Array(classes.length);
      for (let i = 0; i < classes.length; i++) col[i] = runs.values[runIndex(runs, reps[i]!)]!;
      columnCache.set(runs, col);
    }
    return col;
  };
  const decisions = engine.store.decisions;
  const inboundOf = (c: EndpointClass): Int32Array | Decision => {
    if (c.kind === 'subnet') return column(inTables[subnetIndex.get(c.subnet!.id)!]!.remote[c.inKey]!);
    if (c.kind === 'publicContainerGroup') return engine.publicPortsDecision(c.group!);
    return engine.noPolicy;
  };
  const inbound = classes.map(inboundOf);

  // 5. The pairs.
  const rows: ReachabilityRow[] = [];
  const openResults = new Set<number>();
  let evaluated = 0;
  let open = 0;
  for (const a of classes) {
    const outCol =
      a.kind === 'subnet' ? column(outTables[subnetIndex.get(a.subnet!.id)!]!.remote[a.outKey]!) : null;
    const byResult = new Map<number, number[]>();
    for (const b of classes) {
      if (!outCol && b.kind === 'external') continue; // no policy on either side
      if (a === b && a.ranges.size() === 1) continue; // an address to itself is not a flow
      const dOut = outCol ? decisions[outCol[b.index]!]! : engine.noPolicy;
      const inb = inbound[b.index]!;
      const dIn = inb instanceof Int32Array ? decisions[inb[a.index]!]! : inb;
      const result: PairResult = engine.store.meet(dOut, dIn);
      evaluated++;
      if (result.allow.isEmpty && result.unknown.isEmpty) continue;
      open++;
      openResults.add(result.id);
      const list = byResult.get(result.id);
      if (list) list.push(b.index);
      else byResult.set(result.id, [b.index]);
    }
    if (byResult.size > 0)
      rows.push({ from: a.index, byResult: new Map([...byResult].sort((x, y) => x[0] - y[0])) });
    if (outCol && a.kind === 'subnet')
      columnCache.delete(outTables[subnetIndex.get(a.subnet!.id)!]!.remote[a.outKey]!);
    if ((a.index + 1) % 1000 === 0) progress(`pairs: ${a.index + 1}/${classes.length} source classes`);
  }
  const t3 = now();
  return {
    classes,
    rows,
    stats: {
      atoms: atoms.length,
      classes: classes.length,
      pairsEvaluated: evaluated,
      pairsOpen: open,
      distinctDecisions: engine.store.decisions.length,
      distinctPairResults: openResults.size,
      milliseconds: { tables: t1 - t0, classes: t2 - t1, pairs: t3 - t2 },
    },
  };
}

/** A container group with a public IP (and no subnet): its own endpoint class. */
export function isPublicGroup(g: ContainerGroup): boolean {
  return g.ipAddress?.type === 'Public' && g.ipAddress.ip !== null && parseIpv4(g.ipAddress.ip) !== null;
}

function atomIndex(atoms: Float64Array, address: number): number {
  let lo = 0;
  let hi = atoms.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (atoms[mid]! <= address) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A 32-bit mix of (map index, decision id, seed): murmur3's finalizer over a combined word. */
function mix(map: number, value: number, seed: number): number {
  let h = Math.imul(map ^ seed, 0xcc9e2d51) ^ Math.imul(value + 0x632be5ab, 0x1b873593);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
