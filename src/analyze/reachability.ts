/**
 * Exact all-pairs reachability.
 *
 * Inside subnets, the address space is cut into atoms that no compiled table can tell apart; endpoint
 * classes are (subnet, atoms) that behave identically as local and as remote address in every table
 * (found by 64-bit signatures), plus one class per public container group. Every ordered pair of
 * those classes gets one pair result, memoized on the pair of side decisions.
 *
 * Addresses outside every subnet (Internet, on-premises, peered networks not in the snapshot) have no
 * policy of their own, so what they can do is read straight off each class's inbound and outbound
 * runs: external groups are the address sets those runs cut out, created as paths need them.
 */
import type { ContainerGroup, Subnet } from '../model/snapshot';
import { parseIpv4 } from '../net/address';
import { ipv4SetOf, type PolicyEngine, publicGroupsOf, runIndex, type Runs, type SideTable } from '../policy';
import { IPV4_MAX, IntervalSet, ipv4Domain, type Ipv4Set } from '../net/interval-set';
import { IntList } from '../util/int-list';
import { HashPool } from '../util/hash-pool';
import { IntPairMap } from '../util/int-pair-map';
import { lastAtOrBelow, sortedDistinct } from '../util/sorted-search';

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

/**
 * Open paths in compact form: path i goes from each of its source classes (`pathSources`) to each
 * of its target classes (`pathTargets`), all with the result of meeting decisions `out[i]` and
 * `in[i]` (see `DecisionStore.trafficBetween`). Only pairs that allow something, or leave something
 * unknown, are kept. Class lists are stored once and shared: a block's classes with one local key
 * are the sources or targets of thousands of paths.
 */
export interface Paths {
  count: number;
  /** Class lists: list l is `members` from `listStart[l]` to `listStart[l + 1]`. */
  members: IntList;
  listStart: IntList;
  /** Per path: the list of its source classes. */
  sources: IntList;
  /** Per path: its target lists (their classes, in order, are its targets), from `targetStart[i]`. */
  targetStart: IntList;
  targetLists: IntList;
  /** The source side's outbound decision and the destination side's inbound decision (decision ids). */
  out: IntList;
  in: IntList;
}

export interface Reachability {
  classes: EndpointClass[];
  paths: Paths;
  stats: ReachabilityStats;
}

export interface ReachabilityStats {
  atoms: number;
  /** Subnet and public-container-group classes (the pair matrix). */
  internalClasses: number;
  externalGroups: number;
  pairsEvaluated: number;
  openPairs: number;
  distinctDecisions: number;
  milliseconds: { tables: number; classes: number; pairs: number; external: number };
}

export interface ReachabilityOptions {
  /** Called now and then with a progress message for long runs. */
  progress?: (message: string) => void;
  /** Injected clock for the phase timings (the analysis never reads the time itself). */
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
    if ((i + 1) % 250 === 0) progress(`compiled ${i + 1}/${subnets.length} subnets`);
  });
  engine.compiler.releaseCaches();
  const t1 = now();

  // 1. Atoms: every run boundary of every remote map, every local slice boundary, every subnet edge.
  const allRemote: Runs[] = [];
  let cutCount = 1;
  for (const t of [...outTables, ...inTables]) {
    for (const r of t.remote) {
      allRemote.push(r);
      cutCount += r.starts.length;
    }
    cutCount += t.local.starts.length;
  }
  const cuts = new Float64Array(cutCount); // cuts[0] = 0: the axis start
  let filled = 1;
  for (const t of [...outTables, ...inTables]) {
    for (const r of t.remote) {
      cuts.set(r.starts, filled);
      filled += r.starts.length;
    }
    cuts.set(t.local.starts, filled);
    filled += t.local.starts.length;
  }
  const atoms = Float64Array.from(sortedDistinct(cuts, filled));
  const atomEnd = (i: number) => (i + 1 < atoms.length ? atoms[i + 1]! - 1 : IPV4_MAX);

  // 2. Remote signature of every atom: XOR of a hash of (map, decision) over all maps, via prefix-XOR of differences.
  const sigA = new Uint32Array(atoms.length + 1);
  const sigB = new Uint32Array(atoms.length + 1);
  allRemote.forEach((runs, m) => {
    for (let i = 0; i < runs.starts.length; i++) {
      const a = lastAtOrBelow(atoms, runs.starts[i]!);
      const b = i + 1 < runs.starts.length ? lastAtOrBelow(atoms, runs.starts[i + 1]!) : atoms.length;
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

  // 3. Subnet classes, then one class per public container group.
  const classes: EndpointClass[] = [];
  const classByKey = new Map<string, { cls: EndpointClass; pieces: [number, number][] }>();
  // A public container group's address is that group's alone (docs/semantics.md decision 4), in a subnet or outside.
  const publics = publicGroupsOf(engine.index);
  let inSubnets = IntervalSet.empty(ipv4Domain);
  subnets.forEach((subnet, si) => {
    const space = ipv4SetOf(subnet.addressPrefixes).subtract(publics.addresses);
    inSubnets = inSubnets.union(space);
    const out = outTables[si]!.local;
    const inb = inTables[si]!.local;
    for (const [lo, hi] of space.intervals()) {
      for (let a = lastAtOrBelow(atoms, lo); a < atoms.length && atoms[a]! <= hi; a++) {
        const outKey = out.values[runIndex(out, atoms[a]!)]!;
        const inKey = inb.values[runIndex(inb, atoms[a]!)]!;
        const key = `${si}|${outKey}|${inKey}|${sigA[a]}|${sigB[a]}`;
        let entry = classByKey.get(key);
        if (!entry) {
          entry = {
            cls: {
              index: -1,
              kind: 'subnet',
              subnet,
              group: null,
              ranges: IntervalSet.empty(ipv4Domain),
              outKey,
              inKey,
            },
            pieces: [],
          };
          classByKey.set(key, entry);
        }
        entry.pieces.push([Math.max(atoms[a]!, lo), Math.min(atomEnd(a), hi)]);
      }
    }
  });
  for (const { cls, pieces } of classByKey.values()) {
    cls.ranges = IntervalSet.of(ipv4Domain, pieces);
    cls.index = classes.length;
    classes.push(cls);
  }
  for (const g of publics.owners) {
    const ip = parseIpv4(g.ipAddress!.ip!)!;
    classes.push({
      index: classes.length,
      kind: 'publicContainerGroup',
      subnet: null,
      group: g,
      ranges: IntervalSet.range(ipv4Domain, ip, ip),
      outKey: -1,
      inKey: -1,
    });
  }
  const internalCount = classes.length;
  const subnetIndex = new Map(subnets.map((s, i) => [s.id, i]));
  const outRuns = (c: EndpointClass) => outTables[subnetIndex.get(c.subnet!.id)!]!.remote[c.outKey]!;
  const inRuns = (c: EndpointClass) => inTables[subnetIndex.get(c.subnet!.id)!]!.remote[c.inKey]!;
  const t2 = now();
  progress(`${atoms.length} atoms, ${internalCount} endpoint classes inside subnets or public`);

  // 4. The pair matrix between those classes, one (source subnet, destination subnet) block at a time:
  // inside a block, classes that the two tables involved do not tell apart form one rectangle.
  const reps = classes.map((c) => c.ranges.first()!);
  const columnCache = new Map<Runs, Int32Array>();
  /** The decision of a remote map at every class's representative address. */
  // Class representatives in address order, so a column is one merge walk over the runs.
  const byAddress = Int32Array.from(reps.map((_, i) => i).sort((a, b) => reps[a]! - reps[b]!));
  // The representatives' addresses in that order, unboxed (addresses above 2^31 are not small integers).
  const sortedReps = Float64Array.from(byAddress, (c) => reps[c]!);
  const column = (runs: Runs): Int32Array => {
    let col = columnCache.get(runs);
    if (!col) {
      col = new Int32Array(internalCount);
      const { starts, values } = runs;
      let r = 0;
      for (let k = 0; k < internalCount; k++) {
        const address = sortedReps[k]!;
        while (r + 1 < starts.length && starts[r + 1]! <= address) r++;
        col[byAddress[k]!] = values[r]!;
      }
      columnCache.set(runs, col);
    }
    return col;
  };
  const paths: Paths = {
    count: 0,
    members: new IntList(1 << 16),
    listStart: new IntList(),
    sources: new IntList(),
    targetStart: new IntList(),
    targetLists: new IntList(),
    out: new IntList(),
    in: new IntList(),
  };
  paths.listStart.push(0);
  /** Stores a class list; returns its id. */
  const listOf = (members: ArrayLike<number>): number => {
    for (let i = 0; i < members.length; i++) paths.members.push(members[i]!);
    paths.listStart.push(paths.members.length);
    return paths.listStart.length - 2;
  };
  /** Starts path i (its target lists follow through `paths.targetLists`). */
  const startPath = (sourceList: number, out: number, inbound: number) => {
    paths.sources.push(sourceList);
    paths.out.push(out);
    paths.in.push(inbound);
    paths.targetStart.push(paths.targetLists.length);
    paths.count++;
  };

  // Blocks: every subnet with its classes split by local key, and the public container groups grouped
  // by their inbound decision (their port list; they have no outbound policy), so groups that policy
  // treats alike form one rectangle with every other block.
  interface Block {
    classes: number[];
    /** Per local key of the outbound (or inbound) table: the block's classes with that key. */
    byOutKey: Map<number, number[]>;
    byInKey: Map<number, number[]>;
    outKeys: { key: number; members: number[] }[];
    /** Per inbound key: its members, the inbound table's column, or the constant inbound decision of a public group. */
    inKeys: { key: number; members: number[]; column: Int32Array | null; constant: number }[];
    subnet: number; // index into subnets, or -1 for a public container group
  }
  const blocks: Block[] = [];
  const blockOfSubnet = new Map<number, Block>();
  const publicBlocks = new Map<number, Block>();
  const publicDecision = new Map<Block, number>();
  for (const c of classes) {
    if (c.index >= internalCount) break;
    if (c.kind === 'publicContainerGroup') {
      const d = engine.publicPortsDecision(c.group!).id;
      let b = publicBlocks.get(d);
      if (!b) {
        b = { classes: [], byOutKey: new Map(), byInKey: new Map(), outKeys: [], inKeys: [], subnet: -1 };
        publicBlocks.set(d, b);
        publicDecision.set(b, d);
        blocks.push(b);
      }
      b.classes.push(c.index);
      continue;
    }
    const si = subnetIndex.get(c.subnet!.id)!;
    let b = blockOfSubnet.get(si);
    if (!b) {
      b = { classes: [], byOutKey: new Map(), byInKey: new Map(), outKeys: [], inKeys: [], subnet: si };
      blockOfSubnet.set(si, b);
      blocks.push(b);
    }
    b.classes.push(c.index);
    b.byOutKey.set(c.outKey, [...(b.byOutKey.get(c.outKey) ?? []), c.index]);
    b.byInKey.set(c.inKey, [...(b.byInKey.get(c.inKey) ?? []), c.index]);
  }

  for (const b of blocks) {
    if (b.subnet < 0) {
      b.outKeys = [{ key: -1, members: b.classes }];
      b.inKeys = [{ key: -1, members: b.classes, column: null, constant: publicDecision.get(b)! }];
      continue;
    }
    b.outKeys = [...b.byOutKey].map(([key, members]) => ({ key, members }));
    b.inKeys = [...b.byInKey].map(([key, members]) => ({
      key,
      members,
      column: column(inTables[b.subnet]!.remote[key]!),
      constant: -1,
    }));
  }

  /**
   * Splits `members` by `values[member]` into [value, group id, members][]. A group holding all the
   * members gets `wholeId`; smaller groups get ids above every whole id, fixed per source block.
   */
  const groupIds = new Map<string, number>();
  const splitBy = (
    members: number[],
    values: Int32Array | null,
    constant: number,
    wholeId: number,
  ): [number, number, number[]][] => {
    if (values === null) return [[constant, wholeId, members]];
    const groups = new Map<number, number[]>();
    for (const m of members) {
      const v = values[m]!;
      const g = groups.get(v);
      if (g) g.push(m);
      else groups.set(v, [m]);
    }
    return [...groups].map(([v, g]) => [v, g.length === members.length ? wholeId : groupId(g), g]);
  };
  /** An id for a group of source classes, the same for the same classes within one source block. */
  const groupId = (members: number[]): number => {
    const key = members.join(',');
    let id = groupIds.get(key);
    if (id === undefined) {
      id = 1_000_000 + groupIds.size;
      groupIds.set(key, id);
    }
    return id;
  };

  let evaluated = 0;
  let openPairs = 0;
  // Open pairs of the current source block, grouped by (source classes, out decision, in decision):
  // entries and their target lists live in reused typed arrays (no object per pair).
  const pendingIndex = new IntPairMap(1 << 10);
  let entryCap = 1024;
  let entryFrom = new Int32Array(entryCap);
  let entryOut = new Int32Array(entryCap);
  let entryIn = new Int32Array(entryCap);
  let entryNext = new Int32Array(entryCap);
  let entryChunks = new Int32Array(entryCap);
  let entryLastChunk = new Int32Array(entryCap);
  const entryFromGroup: number[][] = [];
  /** List ids of the current source block's source groups, by group id (see `groupId`). */
  const sourceLists = new Map<number, number>();
  // Every block's classes with one inbound key are stored as a list once: the targets of most rectangles.
  const inKeyLists = blocks.map((b) => b.inKeys.map((k) => listOf(k.members)));
  let entries = 0;
  /** Per recorded rectangle: the list id of its targets. */
  let chunkList = new Int32Array(4096);
  let chunks = 0;
  let chunkNext = new Int32Array(4096);
  const grow = (a: Int32Array, size: number) => {
    const b = new Int32Array(size);
    b.set(a);
    return b;
  };
  /** Whether a uniform list of `values` over `members` holds. */
  const uniformOver = (members: number[], values: Int32Array): boolean => {
    const first = values[members[0]!]!;
    for (let i = 1; i < members.length; i++) if (values[members[i]!] !== first) return false;
    return true;
  };
  /**
   * A rectangle of pairs with decisions dOut and dIn; `targetList` is the list id of `toGroup` when it
   * is stored already (a block's classes with one inbound key), -1 to store it if the rectangle is open.
   */
  const emit = (
    fromId: number,
    fromGroup: number[],
    dOut: number,
    dIn: number,
    toGroup: number[],
    targetList: number,
    self: boolean,
  ) => {
    evaluated += fromGroup.length * toGroup.length;
    if (!engine.store.mayPass(dOut, dIn)) return;
    // An address to itself is not a flow: a one-address class never targets itself.
    if (self) {
      const targetSet = new Set(toGroup);
      const loners = fromGroup.filter((c) => targetSet.has(c) && classes[c]!.ranges.size() === 1);
      if (loners.length > 0) {
        const rest = fromGroup.filter((c) => !loners.includes(c));
        if (rest.length > 0) record(groupId(rest), rest, dOut, dIn, toGroup, targetList);
        for (const c of loners) {
          const targets = toGroup.filter((t) => t !== c);
          if (targets.length > 0) record(groupId([c]), [c], dOut, dIn, targets, -1);
        }
        return;
      }
    }
    record(fromId, fromGroup, dOut, dIn, toGroup, targetList);
  };
  /** Adds an open rectangle to the current source block's entries, merging targets per (source group, decisions). */
  const record = (
    fromId: number,
    fromGroup: number[],
    dOut: number,
    dIn: number,
    targets: number[],
    targetList: number,
  ) => {
    openPairs += fromGroup.length * targets.length;
    const chunk = chunks++;
    if (chunk >= chunkNext.length) {
      chunkNext = grow(chunkNext, chunkNext.length * 2);
      chunkList = grow(chunkList, chunkNext.length);
    }
    chunkList[chunk] = targetList >= 0 ? targetList : listOf(targets);
    chunkNext[chunk] = -1;
    let at = pendingIndex.get(dOut, dIn);
    const head = at;
    while (at >= 0 && entryFrom[at] !== fromId) at = entryNext[at]!;
    if (at >= 0) {
      chunkNext[entryLastChunk[at]!] = chunk;
      entryLastChunk[at] = chunk;
      return;
    }
    if (entries === entryCap) {
      entryCap *= 2;
      entryFrom = grow(entryFrom, entryCap);
      entryOut = grow(entryOut, entryCap);
      entryIn = grow(entryIn, entryCap);
      entryNext = grow(entryNext, entryCap);
      entryChunks = grow(entryChunks, entryCap);
      entryLastChunk = grow(entryLastChunk, entryCap);
    }
    entryFrom[entries] = fromId;
    entryOut[entries] = dOut;
    entryIn[entries] = dIn;
    entryNext[entries] = head;
    entryChunks[entries] = chunk;
    entryLastChunk[entries] = chunk;
    entryFromGroup[entries] = fromGroup;
    pendingIndex.set(dOut, dIn, entries);
    entries++;
  };
  /** Writes the current block's entries as paths, in the order they were first seen. */
  const flush = () => {
    for (let e = 0; e < entries; e++) {
      let sources = sourceLists.get(entryFrom[e]!);
      if (sources === undefined) {
        sources = listOf(entryFromGroup[e]!);
        sourceLists.set(entryFrom[e]!, sources);
      }
      startPath(sources, entryOut[e]!, entryIn[e]!);
      for (let c = entryChunks[e]!; c >= 0; c = chunkNext[c]!) paths.targetLists.push(chunkList[c]!);
    }
    entries = 0;
    entryFromGroup.length = 0;
    chunks = 0;
    sourceLists.clear();
    pendingIndex.clear();
  };
  blocks.forEach((src, blockNo) => {
    groupIds.clear();
    for (let ok = 0; ok < src.outKeys.length; ok++) {
      const srcMembers = src.outKeys[ok]!.members;
      const outCol = src.subnet >= 0 ? column(outTables[src.subnet]!.remote[src.outKeys[ok]!.key]!) : null;
      for (let bi = 0; bi < blocks.length; bi++) {
        const dst = blocks[bi]!;
        for (let ik = 0; ik < dst.inKeys.length; ik++) {
          const inKey = dst.inKeys[ik]!;
          const dstMembers = inKey.members;
          const inCol = inKey.column;
          const dstConst = inKey.constant;
          // The usual case: neither table tells the blocks' classes apart — one rectangle.
          if (
            (inCol === null || uniformOver(srcMembers, inCol)) &&
            (outCol === null || uniformOver(dstMembers, outCol))
          ) {
            const dIn = inCol === null ? dstConst : inCol[srcMembers[0]!]!;
            const dOut = outCol === null ? engine.noPolicy.id : outCol[dstMembers[0]!]!;
            emit(ok, srcMembers, dOut, dIn, dstMembers, inKeyLists[bi]![ik]!, src === dst);
            continue;
          }
          for (const [dIn, fromId, fromGroup] of splitBy(srcMembers, inCol, dstConst, ok)) {
            for (const [dOut, , toGroup] of splitBy(dstMembers, outCol, engine.noPolicy.id, -1)) {
              const whole = toGroup.length === dstMembers.length;
              emit(fromId, fromGroup, dOut, dIn, toGroup, whole ? inKeyLists[bi]![ik]! : -1, src === dst);
            }
          }
        }
      }
    }
    flush();
    if (src.subnet >= 0)
      for (const k of src.outKeys) columnCache.delete(outTables[src.subnet]!.remote[k.key]!);
    if (blockNo % 250 === 249) progress(`pairs: ${blockNo + 1}/${blocks.length} source blocks`);
  });
  columnCache.clear();
  const t3 = now();

  // 5. External groups: what addresses outside every subnet can reach, and be reached from, each class.
  const outside = inSubnets.union(publics.addresses).complement().intervals();
  // Equal address sets are one group: pooled by hash and equality. Piece sets are cached per remote
  // map, so the same set object comes back often: its group is remembered by identity too.
  const externalSets = new HashPool<Ipv4Set>();
  const externalBySet = new Map<Ipv4Set, number>();
  const externalGroup = (ranges: Ipv4Set): number => {
    const known = externalBySet.get(ranges);
    if (known !== undefined) return known;
    const pooled = externalSets.intern(ranges);
    let index = externalBySet.get(pooled);
    if (index === undefined) {
      index = classes.length;
      classes.push({ index, kind: 'external', subnet: null, group: null, ranges, outKey: -1, inKey: -1 });
      externalBySet.set(pooled, index);
    }
    externalBySet.set(ranges, index);
    return index;
  };
  // For each remote map: its open pieces over the outside, grouped by decision.
  const pieceCache = new Map<Runs, Map<number, Ipv4Set>>();
  const outsidePieces = (runs: Runs): Map<number, Ipv4Set> => {
    let byDecision = pieceCache.get(runs);
    if (!byDecision) {
      const lists = new Map<number, [number, number][]>();
      for (const [lo, hi] of outside) {
        for (let i = runIndex(runs, lo); i < runs.starts.length && runs.starts[i]! <= hi; i++) {
          const start = Math.max(runs.starts[i]!, lo);
          const end = Math.min(i + 1 < runs.starts.length ? runs.starts[i + 1]! - 1 : IPV4_MAX, hi);
          const d = runs.values[i]!;
          const list = lists.get(d);
          if (list) list.push([start, end]);
          else lists.set(d, [[start, end]]);
        }
      }
      byDecision = new Map([...lists].map(([d, l]) => [d, IntervalSet.of(ipv4Domain, l)]));
      pieceCache.set(runs, byDecision);
    }
    return byDecision;
  };
  const external: { from: number; out: number; in: number; targets: number[] }[] = [];
  // One side of every external pair has no policy: entries are keyed by (source, the other decision),
  // apart for outside sources (inbound decisions) and outside targets (outbound decisions).
  const fromOutside = new IntPairMap(1 << 14);
  const toOutside = new IntPairMap(1 << 14);
  /** Records an open pair between a class and a set of outside addresses (the group is made only when open). */
  const addExternal = (
    outsideIsSource: boolean,
    ranges: Ipv4Set,
    c: number,
    out: number,
    inbound: number,
  ) => {
    if (!engine.store.mayPass(out, inbound)) return;
    openPairs++;
    const group = externalGroup(ranges);
    const from = outsideIsSource ? group : c;
    const target = outsideIsSource ? c : group;
    const keys = outsideIsSource ? fromOutside : toOutside;
    const decision = outsideIsSource ? inbound : out;
    const at = keys.get(from, decision);
    if (at >= 0) external[at]!.targets.push(target);
    else {
      keys.set(from, decision, external.length);
      external.push({ from, out, in: inbound, targets: [target] });
    }
  };
  const everythingOutside = IntervalSet.of(ipv4Domain, outside);
  for (let c = 0; c < internalCount; c++) {
    const cls = classes[c]!;
    if (cls.kind === 'publicContainerGroup') {
      addExternal(true, everythingOutside, c, engine.noPolicy.id, engine.publicPortsDecision(cls.group!).id);
      continue;
    }
    for (const [d, ranges] of outsidePieces(inRuns(cls))) addExternal(true, ranges, c, engine.noPolicy.id, d);
    for (const [d, ranges] of outsidePieces(outRuns(cls)))
      addExternal(false, ranges, c, d, engine.noPolicy.id);
  }
  for (const e of external.sort((x, y) => x.from - y.from || x.out - y.out || x.in - y.in)) {
    startPath(listOf([e.from]), e.out, e.in);
    paths.targetLists.push(listOf(e.targets));
  }
  const t4 = now();
  progress(`${paths.count} open paths, ${classes.length - internalCount} external groups`);
  return {
    classes,
    paths,
    stats: {
      atoms: atoms.length,
      internalClasses: internalCount,
      externalGroups: classes.length - internalCount,
      pairsEvaluated: evaluated,
      openPairs,
      distinctDecisions: engine.store.decisions.length,
      milliseconds: { tables: t1 - t0, classes: t2 - t1, pairs: t3 - t2, external: t4 - t3 },
    },
  };
}

/** Source classes of path i (a view into the shared storage). */
export function pathSources(paths: Paths, i: number): Int32Array {
  return listMembers(paths, paths.sources.get(i));
}

/** Targets of path i (a view into the shared storage when it has one target list). */
export function pathTargets(paths: Paths, i: number): Int32Array {
  const from = paths.targetStart.get(i);
  const to = i + 1 < paths.count ? paths.targetStart.get(i + 1) : paths.targetLists.length;
  if (to - from === 1) return listMembers(paths, paths.targetLists.get(from));
  const lists = [];
  for (let k = from; k < to; k++) lists.push(listMembers(paths, paths.targetLists.get(k)).slice());
  const out = new Int32Array(lists.reduce((n, l) => n + l.length, 0));
  let at = 0;
  for (const l of lists) {
    out.set(l, at);
    at += l.length;
  }
  return out;
}

function listMembers(paths: Paths, list: number): Int32Array {
  return paths.members.slice(paths.listStart.get(list), paths.listStart.get(list + 1));
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
