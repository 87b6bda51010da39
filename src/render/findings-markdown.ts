/**
 * Findings as Markdown for a pull-request comment: a summary line, a table of the most severe
 * findings and one collapsible `<details>` each, capped (MARKDOWN_FINDINGS, and a size budget below
 * GitHub's 65,536-character comment limit) with a note of how many more there are. Every name is
 * escaped as HTML character references, so no name can open a table cell, a code span, a link or a
 * tag.
 */
import type { Finding } from '../analyze/findings';
import { printable } from '../util/escape';
import {
  count,
  countsText,
  explainCommand,
  flowText,
  ruleText,
  windowText,
  type FindingsReport,
} from './findings-common';

/** Findings listed in the table and as details. */
export const MARKDOWN_FINDINGS = 50;
/** Stop adding details past this many characters (GitHub refuses comments above 65,536). */
const MARKDOWN_BUDGET = 60_000;
const MARKDOWN_FLOWS = 5;
const MARKDOWN_RULES = 5;

/**
 * Text made inert in Markdown and HTML: line breaks become spaces, control characters escapes, and
 * every character that opens something in either (`| \\ \` * _ [ ] < > & ~`) a numeric character
 * reference, which both decode to the character itself. Text that starts a line (`lineStart`) also
 * gets a first character that would start a list, heading or quote escaped.
 */
export function mdText(text: string, lineStart = false): string {
  const inert = printable(text.replace(/\r\n|[\r\n]/g, ' ')).replace(
    /[\\`*_[\]<>&|~]/g,
    (ch) => `&#${ch.charCodeAt(0)};`,
  );
  if (!lineStart) return inert;
  return inert.replace(/^(?:[-+#>=]|\d+(?=[.)]))/, (m) => `&#${m.charCodeAt(0)};${m.slice(1)}`);
}

/** Inline code made of escaped text (never backticks, so a name holding one cannot close it). */
function code(text: string): string {
  return `<code>${mdText(text)}</code>`;
}

const MARK: Record<string, string> = { critical: '🟥', high: '🟧', medium: '🟨', low: '🟦', info: '⬜' };

export function renderFindingsMarkdown(report: FindingsReport): string {
  const { result } = report;
  const open = result.findings.filter((f) => f.accepted === null);
  const accepted = result.findings.filter((f) => f.accepted !== null);
  const out: string[] = [];
  out.push(
    `### aciseg: ${open.length} findings (${countsText(result.counts)})${result.accepted > 0 ? `, ${result.accepted} accepted` : ''}`,
    '',
  );
  const window = windowText(result);
  if (window !== null) out.push(`Observed flows: ${mdText(window)}.`, '');
  if (open.length === 0) {
    out.push(
      `No open findings from the ${result.rules.length} ${result.rules.length === 1 ? 'rule' : 'rules'} of the pack.`,
      '',
    );
  } else {
    const shown = open.slice(0, MARKDOWN_FINDINGS);
    out.push('| # | Severity | Rule | Finding |', '| --- | --- | --- | --- |');
    shown.forEach((f, i) =>
      out.push(`| ${i + 1} | ${MARK[f.severity]} ${f.severity} | ${f.ruleId} | ${mdText(f.message)} |`),
    );
    out.push('');
    let size = out.join('\n').length;
    let detailed = 0;
    for (const f of shown) {
      const block = details(f, detailed + 1, report);
      if (size + block.length > MARKDOWN_BUDGET) break;
      out.push(block);
      size += block.length + 1;
      detailed++;
    }
    const notShown = open.length - shown.length;
    if (notShown > 0 || detailed < shown.length) {
      const parts: string[] = [];
      if (notShown > 0)
        parts.push(`${count(notShown, 'more finding')} ${notShown === 1 ? 'is' : 'are'} not listed`);
      if (detailed < shown.length)
        parts.push(`details are shown for the first ${detailed} of ${shown.length}`);
      out.push(
        `> ${parts.join('; ')}: run \`aciseg analyze --format json\` (or \`--format sarif\`) for all of them.`,
        '',
      );
    }
  }
  if (accepted.length > 0) {
    out.push(
      `<details><summary>${accepted.length} accepted findings (never failing <code>--fail-on</code>)</summary>`,
      '',
    );
    for (const f of accepted.slice(0, MARKDOWN_FINDINGS)) {
      const a = f.accepted!;
      out.push(
        `- ${f.ruleId} ${f.severity}: ${mdText(f.message)} — accepted until ${mdText(a.expires)} by ${mdText(a.owner)} (${mdText(a.entry)}): ${mdText(a.reason)}`,
      );
    }
    if (accepted.length > MARKDOWN_FINDINGS) out.push(`- … ${accepted.length - MARKDOWN_FINDINGS} more`);
    out.push('', '</details>', '');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function details(f: Finding, n: number, report: FindingsReport): string {
  const lines = [
    `<details><summary><b>${n}. ${f.ruleId}</b> ${f.severity}: ${mdText(f.title)}</summary>`,
    '',
    mdText(f.message, true),
    '',
  ];
  if (f.flows.length > 0) {
    lines.push('**Flows**', '');
    for (const flow of f.flows.slice(0, MARKDOWN_FLOWS))
      lines.push(`- ${code(flowText(flow))} ${flow.verdict}`);
    const more = f.flows.length - MARKDOWN_FLOWS + f.flowsOmitted;
    if (more > 0) lines.push(`- … ${more} more`);
    lines.push('');
  }
  if (f.rules.length > 0) {
    lines.push('**Rules responsible**', '');
    for (const rule of f.rules.slice(0, MARKDOWN_RULES)) lines.push(`- ${code(ruleText(rule))}`);
    const moreRules = Math.max(0, f.rules.length - MARKDOWN_RULES) + (f.rulesOmitted ?? 0);
    if (moreRules > 0) lines.push(`- … ${moreRules} more`);
    lines.push('');
  }
  lines.push(`**Fix:** ${mdText(f.remediation)}`, '');
  const command = explainCommand(f, report.snapshot.path);
  if (command !== null) lines.push(`**Evidence:** ${code(command)}`, '');
  const controls = [...f.controls.mcsb.map((c) => `MCSB ${c}`), ...f.controls.cis.map((c) => `CIS ${c}`)];
  if (controls.length > 0) lines.push(`**Controls:** ${mdText(controls.join(', '))}`, '');
  lines.push(`Fingerprint ${code(f.fingerprint)}`, '', '</details>', '');
  return lines.join('\n');
}
