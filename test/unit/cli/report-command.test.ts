/** `aciseg report` with flow logs, an intent file and a proposed snapshot: what reaches the embedded data. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReportData } from '../../../src/render/report-model';
import type { Snapshot } from '../../../src/model/snapshot';
import { runCapture } from '../../support/cli';
import { hubSpokeProposal } from '../../support/report-estate';

const ROOT = path.join(__dirname, '..', '..', '..');
const SAMPLE = path.join(ROOT, 'samples', 'hub-spoke');
let dir: string;
let snap: string;

/** The report page's embedded data (the page bundle is built: this runs after npm run build). */
function embedded(html: string): ReportData {
  const m = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)!;
  return JSON.parse(m[1]!) as ReportData;
}

const hasBundle = fs.existsSync(path.join(ROOT, 'dist', 'viz', 'report.js'));
const describeBuilt = hasBundle ? describe : describe.skip;
if (!hasBundle) console.warn('report command tests skipped: dist/viz/report.js is missing (npm run build)');

describeBuilt('aciseg report', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-report-cmd-'));
    snap = path.join(dir, 'hub-spoke.json');
    expect((await runCapture(['import', SAMPLE, '-o', snap, '-q'], ROOT)).code).toBe(0);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('embeds findings, the observed window from --flows and intent violations from --intent', async () => {
    const r = await runCapture(
      [
        'report',
        snap,
        '--flows',
        path.join(ROOT, 'samples', 'hub-spoke-flow-logs'),
        '--intent',
        path.join(SAMPLE, 'intent.yaml'),
        '--today',
        '2026-12-01',
        '-q',
      ],
      ROOT,
    );
    expect(r.code).toBe(0);
    const data = embedded(r.stdout);
    expect(data.summary.observed!.tuples).toBeGreaterThan(0);
    expect(data.summary.findings).toBeDefined();
    expect(data.findings.length).toBeGreaterThan(0);
    expect(data.findings.map((f) => f.ruleId)).toContain('ACI012');
    // The plan from the same flows and intent is the After view, with its rule changes.
    expect(data.views.after).toBeDefined();
    expect(data.proposedRules.length).toBeGreaterThan(0);
    expect(data.proposedRules.every((r) => r.why.length > 0)).toBe(true);
    expect(typeof data.summary.proofOk).toBe('boolean');
    expect(data.summary.diff!.closed + data.summary.diff!.narrowed).toBeGreaterThan(0);
  });

  it('--no-plan leaves the After view out', async () => {
    const r = await runCapture(
      [
        'report',
        snap,
        '--intent',
        path.join(SAMPLE, 'intent.yaml'),
        '--no-plan',
        '--today',
        '2026-12-01',
        '-q',
      ],
      ROOT,
    );
    expect(r.code).toBe(0);
    const data = embedded(r.stdout);
    expect(data.views.after).toBeUndefined();
    expect(data.proposedRules).toEqual([]);
  });

  it('adds the After view from --proposed', async () => {
    const snapshot = JSON.parse(fs.readFileSync(snap, 'utf8')) as Snapshot;
    const proposed = path.join(dir, 'proposed.json');
    fs.writeFileSync(proposed, JSON.stringify(hubSpokeProposal(snapshot)));
    const r = await runCapture(['report', snap, '--proposed', proposed, '-q'], ROOT);
    expect(r.code).toBe(0);
    const data = embedded(r.stdout);
    expect(data.views.after).toBeDefined();
    expect(data.summary.diff!.closed).toBeGreaterThan(0);
  });

  it('refuses --since without --flows, and a bad intent file, with exit code 2 and no output', async () => {
    const out = path.join(dir, 'never.html');
    const since = await runCapture(['report', snap, '--since', '2026-11-30', '-o', out], ROOT);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since and --until bound the flow logs of --flows: give --flows too');
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'require:\n  - name: x\n    from: Internet\n');
    const intent = await runCapture(['report', snap, '--intent', bad, '-o', out], ROOT);
    expect(intent.code).toBe(2);
    expect(intent.stderr).toContain('bad.yaml');
    expect(fs.existsSync(out)).toBe(false);
  });
});
