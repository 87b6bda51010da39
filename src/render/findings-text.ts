/**
 * Findings for people at a terminal: the counts line first, then the findings grouped by severity,
 * most severe first, each with what is wrong, the flows and rules concerned, the fix and the
 * `aciseg explain` command that shows the evidence. Lines fit 80 columns (words wrap; the command
 * wraps at its arguments with a shell `\`, so it still pastes). Colour only when asked for.
 */
import { SEVERITIES, severityRank, type Finding, type FindingSeverity } from '../analyze/findings';
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

export const TEXT_WIDTH = 80;
/** Flows and rules listed per finding in the text form (JSON lists up to FLOWS_PER_FINDING). */
const TEXT_FLOWS = 3;
const TEXT_RULES = 3;

const ANSI: Record<FindingSeverity | 'bold' | 'dim', string> = {
  critical: '\u001b[1;31m',
  high: '\u001b[31m',
  medium: '\u001b[33m',
  low: '\u001b[36m',
  info: '\u001b[2m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
};
const RESET = '\u001b[0m';

/** Breaks `text` into lines of at most `width` columns; the first line starts with `first`, the others with `rest`. */
export function wrap(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const raw of text.split(/\s+/).filter((w) => w !== '')) {
    let word = raw;
    // A word longer than a whole line (a resource ID, a port list) is cut, so no line passes the width.
    while (rest.length + word.length > width) {
      const room = width - line.length - (empty ? 0 : 1);
      if (room < 8) {
        lines.push(line);
        line = rest;
        empty = true;
        continue;
      }
      // After a comma or slash where one is near the end (a port list, a resource ID), not inside a number or name.
      const mark = Math.max(word.lastIndexOf(',', room - 1), word.lastIndexOf('/', room - 1));
      const cut = mark >= room / 2 ? mark + 1 : room;
      lines.push(`${line}${empty ? '' : ' '}${word.slice(0, cut)}`);
      word = word.slice(cut);
      line = rest;
      empty = true;
    }
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line = `${line}${empty ? '' : ' '}${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** A shell command wrapped at its arguments (`--flag value` kept together), continued with ` \`. */
export function wrapCommand(command: string, width: number, first: string, rest: string): string[] {
  const words = command.split(' ');
  const units: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if (w.startsWith('--') && next !== undefined && !next.startsWith('--')) {
      units.push(`${w} ${next}`);
      i++;
    } else units.push(w);
  }
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const unit of units) {
    if (!empty && line.length + 1 + unit.length + 2 > width) {
      lines.push(`${line} \\`);
      line = rest;
      empty = true;
    }
    line = `${line}${empty ? '' : ' '}${unit}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

export function renderFindingsText(report: FindingsReport): string {
  const { result } = report;
  const paint = (style: keyof typeof ANSI, text: string) =>
    report.color ? `${ANSI[style]}${text}${RESET}` : text;
  const out: string[] = [];
  const open = result.findings.filter((f) => f.accepted === null);
  const accepted = result.findings.filter((f) => f.accepted !== null);
  out.push(
    ...wrap(
      `${open.length} findings: ${countsText(result.counts)}${result.accepted > 0 ? `; ${result.accepted} accepted` : ''}`,
      TEXT_WIDTH,
      '',
      '  ',
    ),
  );
  if (open.length > 0) out.push(...wrap(`by rule: ${ruleCounts(open)}`, TEXT_WIDTH, '', '  '));
  const window = windowText(result);
  out.push(
    ...wrap(
      printable(`observed flows: ${window ?? 'none (add --flows to compare with flow logs)'}`),
      TEXT_WIDTH,
      '',
      '  ',
    ),
  );
  if (open.length === 0)
    out.push(
      '',
      `No open findings from the ${result.rules.length} ${result.rules.length === 1 ? 'rule' : 'rules'} of the pack.`,
    );

  const shown = open.slice(0, report.limit);
  let n = 0;
  for (const severity of SEVERITIES) {
    const group = shown.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    const total = open.filter((f) => f.severity === severity).length;
    out.push('', paint(severity, `${severity.toUpperCase()} (${total})`));
    for (const f of group) out.push(...findingLines(f, ++n, report, paint));
  }
  const rest = open.slice(shown.length);
  if (rest.length > 0) {
    out.push(
      '',
      `${count(rest.length, 'more finding')} not shown (--limit ${report.limit}; --format json lists all):`,
    );
    // Findings come sorted by severity, then risk: one line per (severity, rule), by severity then rule ID.
    const groups = new Map<string, { id: string; title: string; severity: FindingSeverity; count: number }>();
    for (const f of rest) {
      const key = `${severityRank(f.severity)}|${f.ruleId}`;
      const known = groups.get(key);
      if (known) known.count++;
      else groups.set(key, { id: f.ruleId, title: f.title, severity: f.severity, count: 1 });
    }
    for (const g of [...groups.keys()].sort().map((k) => groups.get(k)!))
      out.push(...wrap(printable(`${g.severity} ${g.id}: ${g.title} ×${g.count}`), TEXT_WIDTH, '  ', '    '));
  }
  if (accepted.length > 0) {
    out.push('', paint('dim', `ACCEPTED (${accepted.length}): reported, never failing --fail-on`));
    for (const f of accepted.slice(0, report.limit)) {
      const a = f.accepted!;
      out.push(
        ...wrap(
          printable(
            `${f.ruleId} ${f.severity}: ${f.message} — accepted until ${a.expires} by ${a.owner} (${a.entry}): ${a.reason}`,
          ),
          TEXT_WIDTH,
          '  ',
          '    ',
        ),
      );
    }
    if (accepted.length > report.limit) out.push(`  … ${accepted.length - report.limit} more accepted`);
  }
  return `${out.join('\n')}\n`;
}

function findingLines(
  f: Finding,
  n: number,
  report: FindingsReport,
  paint: (style: keyof typeof ANSI, text: string) => string,
): string[] {
  const lines: string[] = [];
  const head = `${String(n).padStart(2)}. `;
  const indent = ' '.repeat(head.length);
  const label = (name: string) => `${indent}${name.padEnd(9)}`;
  const labelled = (name: string, text: string) =>
    wrap(printable(text), TEXT_WIDTH, label(name), `${indent}${' '.repeat(9)}`);
  const [first = '', ...more] = wrap(`${f.ruleId} ${printable(f.message)}`, TEXT_WIDTH, head, indent);
  lines.push(`${head}${paint('bold', f.ruleId)}${first.slice(head.length + f.ruleId.length)}`, ...more);
  for (const flow of f.flows.slice(0, TEXT_FLOWS))
    lines.push(...labelled('flow', `${flowText(flow)} (${flow.verdict}${observedText(flow)})`));
  const moreFlows = f.flows.length - TEXT_FLOWS + f.flowsOmitted;
  if (moreFlows > 0) lines.push(`${label('')}… ${count(moreFlows, 'more flow')}`);
  for (const rule of f.rules.slice(0, TEXT_RULES)) lines.push(...labelled('rule', ruleText(rule)));
  const moreRules = Math.max(0, f.rules.length - TEXT_RULES) + (f.rulesOmitted ?? 0);
  if (moreRules > 0) lines.push(`${label('')}… ${count(moreRules, 'more rule')}`);
  lines.push(...labelled('fix', f.remediation));
  const command = explainCommand(f, report.snapshot.path);
  if (command !== null)
    lines.push(
      ...wrapCommand(printable(command), TEXT_WIDTH, label('evidence'), `${indent}${' '.repeat(11)}`),
    );
  lines.push(`${label('id')}${f.fingerprint}`);
  return lines;
}

function observedText(flow: Finding['flows'][number]): string {
  if (flow.observed === undefined) return '';
  return `; seen ${flow.observed.tuples} times, last ${flow.observed.lastSeen}`;
}

/** `ACI002 1992 (1670 critical), ACI004 2000, …`: open findings per rule in ID order, with the critical ones counted. */
function ruleCounts(open: readonly Finding[]): string {
  const byRule = new Map<string, { all: number; critical: number }>();
  for (const f of open) {
    const c = byRule.get(f.ruleId) ?? { all: 0, critical: 0 };
    c.all++;
    if (f.severity === 'critical') c.critical++;
    byRule.set(f.ruleId, c);
  }
  return [...byRule.keys()]
    .sort()
    .map((id) => {
      const c = byRule.get(id)!;
      return `${id} ${c.all}${c.critical > 0 && c.critical < c.all ? ` (${c.critical} critical)` : ''}`;
    })
    .join(', ');
}
