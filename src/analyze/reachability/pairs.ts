/**
 * The pair matrix (phase 4): every ordered pair of internal classes, one (source block, destination
 * block) at a time. Inside a block pair, classes that neither table involved tells apart form one
 * rectangle with one pair of decisions; only rectangles whose decisions may let something pass are
 * kept. Open rectangles of one source block are merged per (source group, decisions) before they are
 * written as paths, so a path's targets are a few shared lists. This is the hot loop of the analysis:
 * entries live in reused typed arrays, not objects.
 */
import type { PolicyEngine, Runs } from '../../policy';
import { IntPairMap } from '../../util/int-pair-map';
import type { Block, Columns } from './blocks';
import type { EndpointClass, SubnetTables } from './classes';
import { listOf, startPath, type Paths } from './paths';

/** Which pairs of side decisions (outbound, inbound) to keep paths for: see ReachabilityOptions.keepPair. */
export type PairTest = (outId: number, inId: number) => boolean;

/** Pairs walked and pairs kept open. */
export interface PairCounts {
  evaluated: number;
  openPairs: number;
}

/** Writes the open rectangles of every block pair to `paths`; drops each source block's outbound columns after it. */
export function pairMatrix(
  engine: PolicyEngine,
  tables: SubnetTables,
  classes: readonly EndpointClass[],
  blocks: readonly Block[],
  columns: Columns,
  paths: Paths,
  progress: (message: string) => void,
  keep: PairTest | null = null,
): PairCounts {
  const { outTables } = tables;
  /**
   * Splits `members` by `values[member]` into [value, group id, members][]. A group holding all the
   * members gets `wholeId`; smaller groups get ids above every whole id, fixed per source block.
   */
  const groupIds = new Map<string, number>();
  const splitBy = (
    members: number[],
    values: ((member: number) => number) | null,
    constant: number,
    wholeId: number,
  ): [number, number, number[]][] => {
    if (values === null) return [[constant, wholeId, members]];
    const groups = new Map<number, number[]>();
    for (const m of members) {
      const v = values(m);
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
  const dsts = destinations(tables, blocks, columns, paths);
  const J = dsts.count;
  const Q = dsts.columnCount;
  const { inbound, column, start: dstStart, members: dstMembers } = dsts;
  const noPolicy = engine.noPolicy.id;
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
  /**
   * A rectangle of pairs with decisions dOut and dIn, from `fromGroup` to `toGroup` (null: all of
   * destination j, whose list id is `targetList`; a part of it is stored as a list if the rectangle is open).
   */
  const emit = (
    fromId: number,
    fromGroup: number[],
    dOut: number,
    dIn: number,
    j: number,
    toGroup: number[] | null,
    self: boolean,
  ) => {
    const toCount = toGroup === null ? dstStart[j + 1]! - dstStart[j]! : toGroup.length;
    evaluated += fromGroup.length * toCount;
    if (keep !== null && dOut !== noPolicy && dIn !== noPolicy && !keep(dOut, dIn)) return;
    if (!engine.mayPass(dOut, dIn)) return;
    const targetList = toGroup === null ? dsts.list[j]! : -1;
    // An address to itself is not a flow: a one-address class never targets itself.
    if (self) {
      const group = toGroup ?? dsts.membersOf[j]!;
      const targetSet = new Set(group);
      const loners = fromGroup.filter((c) => targetSet.has(c) && classes[c]!.ranges.size() === 1);
      if (loners.length > 0) {
        const rest = fromGroup.filter((c) => !loners.includes(c));
        if (rest.length > 0) record(groupId(rest), rest, dOut, dIn, group, targetList);
        for (const c of loners) {
          const targets = group.filter((t) => t !== c);
          if (targets.length > 0) record(groupId([c]), [c], dOut, dIn, targets, -1);
        }
        return;
      }
    }
    record(fromId, fromGroup, dOut, dIn, toGroup, targetList, toCount);
  };
  /**
   * Adds an open rectangle to the current source block's entries, merging targets per (source group,
   * decisions); `targets` may be null when `targetList` names them.
   */
  const record = (
    fromId: number,
    fromGroup: number[],
    dOut: number,
    dIn: number,
    targets: number[] | null,
    targetList: number,
    targetCount = targets!.length,
  ) => {
    openPairs += fromGroup.length * targetCount;
    const chunk = chunks++;
    if (chunk >= chunkNext.length) {
      chunkNext = grow(chunkNext, chunkNext.length * 2);
      chunkList = grow(chunkList, chunkNext.length);
    }
    chunkList[chunk] = targetList >= 0 ? targetList : listOf(paths, targets!);
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
        sources = listOf(paths, entryFromGroup[e]!);
        sourceLists.set(entryFrom[e]!, sources);
      }
      startPath(paths, sources, entryOut[e]!, entryIn[e]!);
      for (let c = entryChunks[e]!; c >= 0; c = chunkNext[c]!) paths.targetLists.push(chunkList[c]!);
    }
    entries = 0;
    entryFromGroup.length = 0;
    chunks = 0;
    sourceLists.clear();
    pendingIndex.clear();
  };
  const outCol = new Int32Array(columns.internalCount);
  /**
   * The rectangles of source key `ok` × destination j (column q) when a table tells their classes
   * apart. Apart from the loop: closures over q inside it would make a context per destination.
   */
  const emitSplit = (
    ok: number,
    srcMembers: number[],
    j: number,
    q: number,
    hasOut: boolean,
    self: boolean,
  ) => {
    const members = dsts.membersOf[j]!;
    const inValues = (m: number) => inbound[m * Q + q]!;
    const outValues = hasOut ? (m: number) => outCol[m]! : null;
    for (const [dIn, fromId, fromGroup] of splitBy(srcMembers, inValues, -1, ok)) {
      for (const [dOut, , toGroup] of splitBy(members, outValues, noPolicy, -1)) {
        emit(fromId, fromGroup, dOut, dIn, j, toGroup.length === members.length ? null : toGroup, self);
      }
    }
  };
  const srcRows: number[] = [];
  blocks.forEach((src, blockNo) => {
    groupIds.clear();
    for (let ok = 0; ok < src.outKeys.length; ok++) {
      const srcMembers = src.outKeys[ok]!.members;
      const hasOut = src.subnet >= 0;
      if (hasOut) columns.fill(outTables[src.subnet]!.remote[src.outKeys[ok]!.key]!, outCol);
      srcRows.length = 0;
      for (const m of srcMembers) srcRows.push(m * Q);
      const k = srcMembers.length;
      const row0 = srcRows[0]!;
      for (let j = 0; j < J; j++) {
        const q = column[j]!;
        const dIn = inbound[row0 + q]!;
        let uniform = true;
        for (let i = 1; i < k && uniform; i++) if (inbound[srcRows[i]! + q] !== dIn) uniform = false;
        const from = dstStart[j]!;
        const to = dstStart[j + 1]!;
        const dOut = hasOut ? outCol[dstMembers[from]!]! : noPolicy;
        if (hasOut)
          for (let x = from + 1; x < to && uniform; x++) if (outCol[dstMembers[x]!] !== dOut) uniform = false;
        const self = dsts.block[j] === blockNo;
        // The usual case: neither table tells the blocks' classes apart — one rectangle.
        if (uniform) {
          emit(ok, srcMembers, dOut, dIn, j, null, self);
          continue;
        }
        emitSplit(ok, srcMembers, j, q, hasOut, self);
      }
    }
    flush();
    if (blockNo % 250 === 249) progress(`pairs: ${blockNo + 1}/${blocks.length} source blocks`);
  });
  return { evaluated, openPairs };
}

/**
 * Every destination of the pair matrix (an inbound key of a block), flattened in block order: the
 * inner loop runs blocks² times, and reading typed arrays one after another there costs a fraction
 * of chasing each block's objects across a large heap.
 */
export interface Destinations {
  count: number;
  /** Block index of destination j. */
  block: Int32Array;
  /** Destination j's classes are members[start[j] .. start[j + 1]). */
  start: Int32Array;
  members: Int32Array;
  /** The same, as arrays (for the rare rectangles that must be split). */
  membersOf: number[][];
  /** List id (in `paths`) of destination j's classes: the targets of most rectangles. */
  list: Int32Array;
  /** Destination j's column in `inbound`: destinations with the same remote map (or constant) share one. */
  column: Int32Array;
  columnCount: number;
  /**
   * Class-major inbound decisions: inbound[c * columnCount + column[j]] is destination j's inbound
   * decision for traffic from class c (a public group's constant decision for every c).
   */
  inbound: Int32Array;
}

export function destinations(
  tables: SubnetTables,
  blocks: readonly Block[],
  columns: Columns,
  paths: Paths,
): Destinations {
  const keys = blocks.flatMap((b, bi) => b.inKeys.map((k) => ({ b, bi, k })));
  const count = keys.length;
  const classCount = columns.internalCount;
  const start = new Int32Array(count + 1);
  keys.forEach(({ k }, j) => (start[j + 1] = start[j]! + k.members.length));
  const members = new Int32Array(start[count]!);
  const block = new Int32Array(count);
  const list = new Int32Array(count);
  keys.forEach(({ bi, k }, j) => {
    members.set(k.members, start[j]!);
    block[j] = bi;
    list[j] = listOf(paths, k.members);
  });
  // Subnets with one NSG in one VNet share remote maps: one column each, not one per destination.
  const column = new Int32Array(count);
  const byRuns = new Map<Runs, number>();
  const byConstant = new Map<number, number>();
  const sources: (Runs | number)[] = [];
  keys.forEach(({ b, k }, j) => {
    const source = b.subnet < 0 ? k.constant : tables.inTables[b.subnet]!.remote[k.key]!;
    let q = typeof source === 'number' ? byConstant.get(source) : byRuns.get(source);
    if (q === undefined) {
      q = sources.length;
      sources.push(source);
      if (typeof source === 'number') byConstant.set(source, q);
      else byRuns.set(source, q);
    }
    column[j] = q;
  });
  const columnCount = sources.length;
  // Written column by column: a class's row is touched once per column, but consecutive columns
  // reuse the same cache lines, so this costs little more than a sequential fill.
  const inbound = new Int32Array(classCount * columnCount);
  sources.forEach((source, q) => {
    if (typeof source === 'number')
      for (let c = 0; c < classCount; c++) inbound[c * columnCount + q] = source;
    else columns.fill(source, inbound, q, columnCount);
  });
  const membersOf = keys.map(({ k }) => k.members);
  return { count, block, start, members, membersOf, list, column, columnCount, inbound };
}
