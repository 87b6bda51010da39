/**
 * The exposure rules on real Azure data (../shared/external): every file that imports is analysed
 * on its own and all of them together; the rules never throw, their explain commands resolve and
 * their pointers exist. Skipped with a note when the folder is absent (a failure in CI).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveEndpoint } from '../../../../src/analyze/endpoints';
import { RULES } from '../../../../src/analyze/rules';
import { importPaths } from '../../../../src/collect/files';
import { indexSnapshot } from '../../../../src/model/snapshot-index';
import type { Snapshot } from '../../../../src/model/snapshot';
import { locateExternalData } from '../../../support/external-data';
import { findingsOf } from './support-context';

const data = locateExternalData();
const EXPOSURE = new Set([
  'ACI001',
  'ACI002',
  'ACI003',
  'ACI004',
  'ACI005',
  'ACI006',
  'ACI007',
  'ACI010',
  'ACI011',
]);
const rules = RULES.filter((r) => EXPOSURE.has(r.meta.id));

function jsonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? jsonFiles(full) : e.name.endsWith('.json') ? [full] : [];
  });
}

function expectSound(snapshot: Snapshot): void {
  const index = indexSnapshot(snapshot);
  for (const f of findingsOf(snapshot, rules)) {
    expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    if (f.location) {
      const entry = f.location.snapshotPointer
        .split('/')
        .slice(1)
        .reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], snapshot);
      expect([f.ruleId, f.location.snapshotPointer, entry !== undefined]).toEqual([
        f.ruleId,
        f.location.snapshotPointer,
        true,
      ]);
    }
    if (f.explain === null) continue;
    for (const m of f.explain.matchAll(/--(?:from|to) ('(?:[^']|'\\'')*'|\S+)/g)) {
      const text = m[1]!.startsWith("'") ? m[1]!.slice(1, -1).replace(/'\\''/g, "'") : m[1]!;
      expect([f.ruleId, text, resolveEndpoint(index, text).ok]).toEqual([f.ruleId, text, true]);
    }
  }
}

if (data.mode === 'fail')
  it('has the external data (CI is set, so this suite may not skip)', () => {
    throw new Error(data.note);
  });

(data.mode === 'run' ? describe : describe.skip)('exposure rules on ../shared/external', () => {
  const imported =
    data.mode === 'run'
      ? jsonFiles(data.root)
          .sort()
          .map((file) => ({ file, snapshot: importPaths([file], data.root, { allowEmpty: true }).snapshot }))
          .filter(
            (x): x is { file: string; snapshot: Snapshot } =>
              x.snapshot !== undefined &&
              (x.snapshot.subnets.length > 0 ||
                x.snapshot.networkSecurityGroups.length > 0 ||
                x.snapshot.containerGroups.length > 0),
          )
      : [];
  const snapshots = imported.map((x) => x.snapshot);

  it('finds estates to analyse', () => {
    expect(snapshots.length).toBeGreaterThan(3);
  });

  it('gives sound findings on every estate', () => {
    for (const s of snapshots) expectSound(s);
  });

  it('gives sound findings on all of them imported together', () => {
    const together = importPaths(
      imported.map((x) => x.file),
      data.root,
    ).snapshot;
    expect(together).toBeDefined();
    expectSound(together!);
    expect(findingsOf(together!, rules).length).toBeGreaterThan(0);
  });
});

if (data.mode === 'skip') console.warn(data.note);
