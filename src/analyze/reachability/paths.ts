/**
 * Path storage. All-pairs results are far too many to hold as objects, so open paths are kept as
 * integer lists: a path is (its source class list, its target lists, two decision ids). The pair and
 * external phases append to it; readers take views with `pathSources` / `pathTargets`.
 */
import { IntList } from '../../util/int-list';

/**
 * Open paths in compact form: path i goes from each of its source classes (`pathSources`) to each
 * of its target classes (`pathTargets`), all with the result of meeting decisions `out[i]` and
 * `in[i]` (see `PolicyEngine.trafficBetween`). Only pairs that allow something, or leave something
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

/** Empty path storage. */
export function emptyPaths(): Paths {
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
  return paths;
}

/** Stores a class list; returns its id. */
export function listOf(paths: Paths, members: ArrayLike<number>): number {
  for (let i = 0; i < members.length; i++) paths.members.push(members[i]!);
  paths.listStart.push(paths.members.length);
  return paths.listStart.length - 2;
}

/** Starts path i (its target lists follow through `paths.targetLists`). */
export function startPath(paths: Paths, sourceList: number, out: number, inbound: number): void {
  paths.sources.push(sourceList);
  paths.out.push(out);
  paths.in.push(inbound);
  paths.targetStart.push(paths.targetLists.length);
  paths.count++;
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
