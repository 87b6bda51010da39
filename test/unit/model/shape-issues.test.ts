/**
 * snapshotShapeIssues checks a parsed snapshot resource by resource and keeps the input itself: it
 * must find what one `Snapshot.safeParse` finds, at the same paths.
 */
import { Snapshot } from '../../../src/model/snapshot';
import { snapshotShapeIssues, validateSnapshot } from '../../../src/model/snapshot-codec';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';

const paths = (issues: { path: PropertyKey[] }[]) => issues.map((i) => i.path.join('/')).sort();
const json = () => JSON.parse(JSON.stringify(hubSpokeSnapshot())) as Record<string, unknown>;

describe('snapshotShapeIssues', () => {
  it('finds nothing in a valid snapshot, and the reader keeps the very object it was given', () => {
    const input = json();
    expect(snapshotShapeIssues(input)).toEqual([]);
    const read = validateSnapshot(input, 's.json');
    expect(read.ok && read.snapshot).toBe(input);
  });

  it.each([
    ['a missing array', (s: Record<string, unknown>) => delete s.subnets],
    ['a bad element', (s: Record<string, unknown>) => ((s.subnets as { name: unknown }[])[1]!.name = 7)],
    [
      'an unknown key in an element',
      (s: Record<string, unknown>) =>
        ((s.containerGroups as object[])[0]! = { ...(s.containerGroups as object[])[0]!, extra: 1 }),
    ],
    ['an unknown top-level key', (s: Record<string, unknown>) => (s.extra = [])],
    ['a wrong top-level type', (s: Record<string, unknown>) => (s.routeTables = {})],
  ])('reports %s where safeParse does', (_what, corrupt) => {
    const input = json();
    corrupt(input);
    const expected = Snapshot.safeParse(input);
    expect(expected.success).toBe(false);
    expect(paths(snapshotShapeIssues(input))).toEqual(paths(expected.error!.issues));
  });

  it('gives a snapshot written before origins an empty list of them', () => {
    const input = json();
    delete input.origins;
    const read = validateSnapshot(input, 's.json');
    expect(read.ok && read.snapshot.origins).toEqual([]);
  });
});
