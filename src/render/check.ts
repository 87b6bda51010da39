/** Text and JSON for `check` results. */
import { MAX_PARTS } from '../analyze/explain';
import type { CheckReport, CheckResult } from '../analyze/intent';
import { partLines, sideLine } from './explain';
import { printable } from './summary';

/** At most this many parts of one entry are printed as text (JSON lists what explain lists). */
const TEXT_PARTS = 10;

/**
 * The JSON form: `{results: [{name, kind, verdict, pass, expired, …, sides, parts?, …}], passed,
 * failed, expired}`. `parts` is explain's: the address and port sub-ranges whose verdicts differ.
 */
export function checkReportJson(report: CheckReport): unknown {
  return {
    results: report.results.map((r) => ({
      name: r.name,
      kind: r.kind,
      verdict: r.verdict,
      pass: r.pass,
      expired: r.expired,
      expires: r.expires,
      from: r.from,
      to: r.to,
      protocol: r.protocol,
      ports: r.ports,
      reason: r.reason,
      owner: r.owner,
      sides: r.explanation.sides,
      ...(r.explanation.parts ? { parts: r.explanation.parts } : {}),
      ...(r.explanation.partsOmitted ? { partsOmitted: r.explanation.partsOmitted } : {}),
      ...(r.explanation.unknowns ? { unknowns: r.explanation.unknowns } : {}),
    })),
    passed: report.passed,
    failed: report.failed,
    expired: report.expired,
  };
}

/**
 * One line per entry (PASS / FAIL / EXPIRED), the evidence of failed and expired ones (the deciding
 * rules, or the parts with their ports and rules), then the totals: `N passed, N failed, N expired`.
 */
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
    if (!r.pass || r.expired) lines.push(...evidenceLines(r));
  }
  lines.push(`${report.passed} passed, ${report.failed} failed, ${report.expired} expired`);
  return `${lines.map(printable).join('\n')}\n`;
}

function evidenceLines(r: CheckResult): string[] {
  const x = r.explanation;
  const indent = '          ';
  const lines = x.sides.map((s) => `${indent}${sideLine(s)}`);
  const parts = x.parts ?? [];
  for (const part of parts.slice(0, TEXT_PARTS)) lines.push(...partLines(part, indent));
  if (parts.length > TEXT_PARTS)
    lines.push(`${indent}… ${parts.length - TEXT_PARTS} more parts (--format json lists them)`);
  if (x.partsOmitted)
    lines.push(`${indent}… ${x.partsOmitted} more parts not listed (at most ${MAX_PARTS} are listed)`);
  if (x.unknowns && !x.parts) lines.push(`${indent}depends on: ${x.unknowns.join('; ')}`);
  return lines;
}
