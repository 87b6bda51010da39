/**
 * The pair matrix (phase 4): every ordered pair of internal classes, one (source block, destination
 * block) at a time. Inside a block pair, classes that neither table involved tells apart form one
 * rectangle with one pair of decisions; only rectangles whose decisions may let something pass are
 * kept. Open rectangles of one source block are merged per (source group, decisions) before they are
 * written as paths, so a path's targets are a few shared lists. This is the hot loop of the analysis:
 * entries live in reused typed arrays, not objects.
 */
import type { PolicyEngine } from '../../policy';
import { IntPairMap } from '../../util/int-pair-map';
import type { Block, Columns } from './blocks';
import type { EndpointClass, SubnetTables } from './classes';
import { listOf, startPath, type Paths } from './paths';

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
): PairCounts {
  const { outTables } = tables;
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
  const inKeyLists = blocks.map((b) => b.inKeys.map((k) => listOf(paths, k.members)));
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
    if (!engine.mayPass(dOut, dIn)) return;
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
    chunkList[chunk] = targetList >= 0 ? targetList : listOf(paths, targets);
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
  blocks.forEach((src, blockNo) => {
    groupIds.clear();
    for (let ok = 0; ok < src.outKeys.length; ok++) {
      const srcMembers = src.outKeys[ok]!.members;
      const outCol =
        src.subnet >= 0 ? columns.get(outTables[src.subnet]!.remote[src.outKeys[ok]!.key]!) : null;
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
    if (src.subnet >= 0) for (const k of src.outKeys) columns.drop(outTables[src.subnet]!.remote[k.key]!);
    if (blockNo % 250 === 249) progress(`pairs: ${blockNo + 1}/${blocks.length} source blocks`);
  });
  columns.clear();
  return { evaluated, openPairs };
}
