/** Text and JSON for `check` results. */
import type { CheckReport } from '../analyze/intent';
import { sideLine } from './explain';

/** The JSON form: `{results: [{name, kind, verdict, pass, …}], passed, failed}`. */
export function checkReportJson(report: CheckReport): unknown {
  return {
    results: report.results.map((r) => ({
      name: r.name,
      kind: r.kind,
      verdict: r.verdict,
      pass: r.pass,
      expired: r.expired,
      from: r.from,
      to: r.to,
      protocol: r.protocol,
      ports: r.ports,
      reason: r.reason,
      owner: r.owner,
      sides: r.explanation.sides,
      ...(r.explanation.unknowns ? { unknowns: r.explanation.unknowns } : {}),
    })),
    passed: report.passed,
    failed: report.failed,
  };
}

/** One line per entry (PASS / FAIL / EXPIRED), the deciding rules of failures, then the totals. */
export function renderCheckText(report: CheckReport): string {
  const lines: string[] = [];
  for (const r of report.results) {
    const status = r.expired ? 'EXPIRED' : r.pass ? 'PASS' : 'FAIL';
    const wanted = r.kind === 'require' ? 'must be allowed' : 'must be denied';
    const ports =
      r.protocol === 'Icmp'
        ? 'icmp'
        : `${r.protocol === '*' ? 'any protocol' : r.protocol.toLowerCase()} ${r.ports}`;
    lines.push(
      `${status.padEnd(7)} ${r.kind} ${r.name}: ${r.from} → ${r.to} ${ports} ${wanted}; verdict ${r.verdict}`,
    );
    if (!r.pass || r.expired) {
      for (const s of r.explanation.sides) lines.push(`          ${sideLine(s)}`);
      if (r.explanation.parts)
        lines.push(`          (verdict differs by address or port: run aciseg explain for the parts)`);
      if (r.explanation.unknowns) lines.push(`          depends on: ${r.explanation.unknowns.join('; ')}`);
    }
  }
  lines.push(`${report.passed} passed, ${report.failed} failed`);
  return `${lines.join('\n')}\n`;
}
