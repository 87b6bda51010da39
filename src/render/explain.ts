/** Text for people from an `explain` answer (the JSON form is the Explanation object itself). */
import type { Explanation, ExplainPart, SideEntry } from '../analyze/explain';
import { printable } from './summary';

/** One line describing what one side did. */
export function sideLine(e: SideEntry): string {
  const who = e.side === 'source' ? 'source side' : 'destination side';
  if (e.rule) {
    const layer = e.policy === 'avnm' ? 'security admin rule' : 'NSG';
    return `${who}: ${layer} ${e.nsg} / ${e.rule.name} (priority ${e.rule.priority}, ${e.rule.direction}, ${e.rule.access}) → ${e.outcome}${e.note ? ` (${e.note})` : ''}`;
  }
  return `${who}: ${e.note ?? e.policy} → ${e.outcome}`;
}

function portsText(part: ExplainPart): string {
  if (!part.ports) return 'icmp';
  return part.ports
    .map((p) => {
      const dst = p.destinationPorts.join(',') === '*' ? 'all ports' : p.destinationPorts.join(', ');
      const src = p.sourcePorts.join(',') === '*' ? '' : ` from source ports ${p.sourcePorts.join(', ')}`;
      return `${part.protocol.toLowerCase()} ${dst}${src}`;
    })
    .join('; ');
}

function list(values: string[], limit = 4): string {
  return values.length <= limit
    ? values.join(', ')
    : `${values.slice(0, limit).join(', ')} … (+${values.length - limit} more)`;
}

/** One part as text: its verdict, ports and addresses, then the rules that decide it (unprinted lines). */
export function partLines(part: ExplainPart, indent: string): string[] {
  const lines = [
    `${indent}${part.verdict.padEnd(7)} ${portsText(part)}: from ${list(part.from)} to ${list(part.to)}`,
  ];
  const inner = `${indent}        `;
  for (const s of part.sides) lines.push(`${inner}${sideLine(s)}`);
  if (part.unknowns) lines.push(`${inner}depends on: ${part.unknowns.join('; ')}`);
  return lines;
}

/** The explanation as text: the verdict line, then the deciding rules or the parts that differ. */
export function renderExplanationText(x: Explanation): string {
  const what =
    x.protocol === 'Icmp'
      ? 'icmp'
      : `${x.protocol === '*' ? 'tcp/udp/icmp' : x.protocol.toLowerCase()} ${x.port ?? x.ports?.join(', ') ?? ''}`.trim();
  const lines = [
    `${x.verdict.toUpperCase()}  ${what}`,
    `  from ${x.from.description}`,
    `  to   ${x.to.description}`,
  ];
  for (const s of x.sides) lines.push(`  ${sideLine(s)}`);
  for (const part of x.parts ?? []) lines.push(...partLines(part, '  '));
  if (x.partsOmitted) lines.push(`  … ${x.partsOmitted} more parts (use --format json for all listed parts)`);
  if (x.unknowns && x.verdict === 'unknown' && !x.parts) lines.push(`  depends on: ${x.unknowns.join('; ')}`);
  return `${lines.map(printable).join('\n')}\n`;
}
