/**
 * Reading the reachability's open paths cheaply: a path's source list and target lists are shared by
 * many paths, so per-list facts are computed once per list (memoized by list id), never per pair.
 */
import type { Paths } from '../reachability';

/** The classes of stored list `list`. */
export function listMembers(paths: Paths, list: number): Int32Array {
  return paths.members.slice(paths.listStart.get(list), paths.listStart.get(list + 1));
}

/** A fact per list id, computed on first use (an array indexed by list id: lookups are per path). */
export class ListMemo<T> {
  private readonly memo: (T | undefined)[];
  constructor(
    private readonly paths: Paths,
    private readonly compute: (members: Int32Array, list: number) => T,
  ) {
    this.memo = new Array<T | undefined>(paths.listStart.length);
  }

  get(list: number): T {
    let v = this.memo[list];
    if (v === undefined) {
      v = this.compute(listMembers(this.paths, list), list);
      this.memo[list] = v;
    }
    return v;
  }
}

/**
 * Where path i's target lists end in `paths.targetLists` (they start at `paths.targetStart.get(i)`).
 * Hot loops read them as `for (let k = start; k < end; k++) paths.targetLists.get(k)`: a callback
 * per path would allocate a closure for each of millions of paths.
 */
export function targetListsEnd(paths: Paths, i: number): number {
  return i + 1 < paths.count ? paths.targetStart.get(i + 1) : paths.targetLists.length;
}

/** Calls `visit` with each target list id of path i (no array made per path). */
export function forEachTargetList(paths: Paths, i: number, visit: (list: number) => void): void {
  const end = targetListsEnd(paths, i);
  for (let k = paths.targetStart.get(i); k < end; k++) visit(paths.targetLists.get(k));
}
