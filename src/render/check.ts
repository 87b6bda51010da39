/** Text and JSON for `check` results. */
import type { CheckReport } from '../analyze/intent';
import { enveloped } from './envelope';
import { sideLine } from './explain';
import { printable } from './summary';

/** The JSON form: `{results: [{name, kind, verdict, pass, …}], passed, failed}`. */
export function checkReportJson(report: CheckReport): unknown {
  return enveloped('aciseg.check', {
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
  });
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
      if (r.explanation.parts) {
        // The rules that decide, over all the parts (they differ by address or port).
        const seen = new Set<string>();
        for (const part of r.explanation.parts)
          for (const s of part.sides) seen.add(`${part.verdict}: ${sideLine(s)}`);
        const list = [...seen];
        for (const line of list.slice(0, 6)) lines.push(`          ${line}`);
        if (list.length > 6 || r.explanation.partsOmitted)
          lines.push('          … (aciseg explain lists every part)');
      }
      if (r.explanation.unknowns) lines.push(`          depends on: ${r.explanation.unknowns.join('; ')}`);
    }
  }
  lines.push(`${report.passed} passed, ${report.failed} failed`);
  return `${lines.map(printable).join('\n')}\n`;
}
