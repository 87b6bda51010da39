/** The hub-and-spoke sample's VNet flow logs: reproducible from their generator, and read as intended. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readFlowLogs, requireCompleteFlowLogs } from '../../../src/collect/flows';
import { SAMPLE_FLOW_LOGS, writeSampleFlowLogs } from '../../support/write-sample-flow-logs';

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('samples/hub-spoke-flow-logs', () => {
  it('is exactly what test/support/write-sample-flow-logs.ts writes', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-sample-flows-'));
    try {
      writeSampleFlowLogs(tmp);
      const files = filesUnder(tmp);
      expect(files).toEqual(filesUnder(SAMPLE_FLOW_LOGS));
      for (const f of files)
        expect(fs.readFileSync(path.join(SAMPLE_FLOW_LOGS, f))).toEqual(fs.readFileSync(path.join(tmp, f)));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('reads without a diagnostic: two hours, four NICs, the two denied flows the sample describes', async () => {
    const result = requireCompleteFlowLogs(await readFlowLogs([SAMPLE_FLOW_LOGS]));
    expect(result.diagnostics).toEqual([]);
    expect(result.stats.totals).toMatchObject({ files: 8, records: 48, tuples: 1824, distinctFlows: 19 });
    expect(result.window).toMatchObject({
      first: '2026-11-30T09:00:08.497Z',
      last: '2026-11-30T10:58:59.576Z',
    });
    const denied = [...result.flows]
      .filter((f) => f.decision === 'deny')
      .map((f) => `${f.source} → ${f.destination} ${f.protocol} ${f.destinationPort} ${f.rule}`);
    expect(denied).toEqual([
      '10.1.2.4 → 10.1.1.4 Tcp 22 UserRule_DenySshOutbound',
      '10.1.2.5 → 10.1.3.4 Tcp 22 UserRule_DenySshOutbound',
    ]);
    // Nothing from the Internet reaches the web tier's SSH port: the plan may close it.
    expect([...result.flows].some((f) => f.destinationPort === 22 && !f.source.startsWith('10.'))).toBe(
      false,
    );
  });
});
