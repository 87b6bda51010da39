/**
 * The exposure rules on the bundled samples: hub-spoke shows the mistakes its README lists, the
 * segmented estate gives few or none; every explain command and snapshot pointer of every finding
 * resolves to what the finding names.
 */
import { resolveEndpoint } from '../../../../src/analyze/endpoints';
import { parseIntent } from '../../../../src/analyze/intent';
import { RULES } from '../../../../src/analyze/rules';
import { indexSnapshot } from '../../../../src/model/snapshot-index';
import type { Finding } from '../../../../src/analyze/findings';
import type { Snapshot } from '../../../../src/model/snapshot';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findingsOf, sampleSnapshot } from './support-context';

const REPO = path.join(__dirname, '..', '..', '..', '..');

function sampleFindings(name: 'hub-spoke' | 'segmented'): { snapshot: Snapshot; findings: Finding[] } {
  const snapshot = sampleSnapshot(name);
  const parsed = parseIntent(
    fs.readFileSync(path.join(REPO, 'samples', name, 'intent.yaml'), 'utf8'),
    'intent.yaml',
  );
  if (!parsed.ok) throw new Error('sample intent does not parse');
  return { snapshot, findings: findingsOf(snapshot, RULES, { intent: parsed.entries }) };
}

const hubSpoke = sampleFindings('hub-spoke');
const segmented = sampleFindings('segmented');
const of = (findings: Finding[], id: string) => findings.filter((f) => f.ruleId === id);

/** The words of a command line, single quotes removed. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] ?? m[2]!).replace(/'\\''/g, "'"));
}

/** The snapshot value a JSON pointer names. */
function at(snapshot: Snapshot, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], snapshot);
}

describe('exposure rules on samples/hub-spoke', () => {
  const { findings } = hubSpoke;

  it('reports Internet into snet-aci-web (SSH included) as a critical ACI002', () => {
    const web = of(findings, 'ACI002').find((f) => f.resources[0]!.name === 'vnet-app/snet-aci-web')!;
    expect(web.severity).toBe('critical');
    expect(
      web.flows.some(
        (f) => f.from === 'Internet' && f.protocol === 'tcp' && (f.ports === '*' || f.ports === '22'),
      ),
    ).toBe(true);
    expect(web.explain).toBe(
      'aciseg explain <snapshot> --from Internet --to vnet-app/snet-aci-web --port 22',
    );
    expect(
      of(findings, 'ACI002')
        .map((f) => f.resources[0]!.name)
        .sort(),
    ).toEqual(['vnet-app/snet-aci-api', 'vnet-app/snet-aci-web']);
  });

  it('reports the public group status-page (ACI001), the flat network (ACI003) and the widened tag (ACI010)', () => {
    expect(of(findings, 'ACI001').map((f) => [f.resources[0]!.name, f.severity])).toEqual([
      ['status-page', 'high'],
    ]);
    expect(
      of(findings, 'ACI003')
        .map((f) => f.resources[0]!.name)
        .sort(),
    ).toEqual(['vnet-app/snet-aci-api', 'vnet-app/snet-aci-web']);
    const [widened] = of(findings, 'ACI010');
    expect(widened!.resources[0]).toMatchObject({ kind: 'routeTable', name: 'rt-spoke-egress' });
    expect(widened!.rules.map((r) => `${r.containerName}/${r.name}`)).toContain(
      'nsg-aci-web/AllowVnetInBound',
    );
  });

  it('reports the SSH rule from the Internet as over-broad, the spoke egress, and the failing forbids', () => {
    const broad = of(findings, 'ACI004').find((f) => f.resources[0]!.name === 'nsg-aci-web')!;
    expect(broad.rules.map((r) => r.name)).toContain('AllowSshFromInternet');
    expect(broad.severity).toBe('high');
    expect(
      of(findings, 'ACI005')
        .map((f) => f.resources[0]!.name)
        .sort(),
    ).toEqual(['vnet-app/snet-aci-api', 'vnet-app/snet-aci-web']);
    expect(of(findings, 'ACI012').length).toBeGreaterThan(0);
    expect(of(findings, 'ACI012').every((f) => f.severity === 'high' || f.severity === 'medium')).toBe(true);
  });

  it('does not report snet-data (no containers) as a container subnet without an NSG', () => {
    expect(of(findings, 'ACI006')).toEqual([]);
  });
});

describe('exposure rules on samples/segmented', () => {
  it('gives none of the exposure findings and only a low over-broad rule (HTTPS from the Internet into the ingress)', () => {
    const { findings } = segmented;
    for (const id of ['ACI001', 'ACI002', 'ACI003', 'ACI005', 'ACI006', 'ACI007', 'ACI010', 'ACI012'])
      expect([id, of(findings, id)]).toEqual([id, []]);
    expect(of(findings, 'ACI004').map((f) => f.severity)).toEqual(['low']);
    expect(of(findings, 'ACI011').every((f) => f.severity === 'info')).toBe(true);
  });
});

describe.each([
  ['hub-spoke', hubSpoke],
  ['segmented', segmented],
])('findings on %s', (_name, { snapshot, findings }) => {
  const index = indexSnapshot(snapshot);

  it('have explain commands whose endpoints resolve', () => {
    for (const f of findings) {
      if (f.explain === null) continue;
      const words = shellWords(f.explain);
      expect(words.slice(0, 3)).toEqual(['aciseg', 'explain', '<snapshot>']);
      for (const flag of ['--from', '--to']) {
        const text = words[words.indexOf(flag) + 1]!;
        expect([f.ruleId, text, resolveEndpoint(index, text).ok]).toEqual([f.ruleId, text, true]);
      }
    }
  });

  it('point at snapshot entries that exist and name what the finding names', () => {
    for (const f of findings) {
      if (f.location === null) continue;
      const entry = at(snapshot, f.location.snapshotPointer) as { id?: string; name?: string };
      expect([f.ruleId, entry]).toEqual([f.ruleId, expect.anything()]);
      const named = [...f.resources.map((r) => r.name), ...f.rules.map((r) => r.name)];
      const names =
        named.some((n) => n === entry.name || n.endsWith(`/${entry.name}`)) ||
        f.message.includes(entry.name!);
      expect([f.ruleId, entry.name, names]).toEqual([f.ruleId, entry.name, true]);
    }
  });

  it('keep labels short and identities content-only', () => {
    for (const f of findings) {
      for (const flow of f.flows) expect(flow.from.length + flow.to.length).toBeLessThan(300);
      expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    }
  });
});
