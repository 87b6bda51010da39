/**
 * The plan as Markdown for review: the proof first, then per NSG a table of its rules after the
 * change (rule, why, before → after) and the rules it drops, then the effect. Every name from the
 * input is escaped for Markdown and HTML, so a hostile name cannot add markup.
 */
import type { FindingFlow } from '../analyze/findings';
import type { PlanResult, ProofCheck, ProposedNsg, ProposedRule } from '../plan/model';
import type { SecurityRule } from '../model/snapshot';
import { printable } from '../util/escape';

/** Text safe in a Markdown table cell: no markup, no HTML, no line breaks. */
export function mdCell(text: string): string {
  return printable(text)
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/([`*_[\]#~])/g, '\\$1');
}

const MAX_LISTED = 50;
const MAX_ROWS = 200;

export function renderPlanMarkdown(result: PlanResult): string {
  const out: string[] = ['# Proposed NSG rules (aciseg plan)', ''];
  out.push(...proofSection(result), '');
  for (const nsg of result.nsgs) out.push(...nsgSection(nsg, result), '');
  out.push(...effectSection(result));
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

function proofSection(result: PlanResult): string[] {
  const { proof } = result;
  const line = (label: string, c: ProofCheck) =>
    `| ${label} | ${c.ok ? 'ok' : '**FAILED**'} | ${c.checked.toLocaleString('en-US')} | ${c.failures.length} |`;
  const out = [
    `## Proof: ${proof.ok ? 'ok' : 'FAILED — do not deploy'}`,
    '',
    'Computed with the engine on the proposed snapshot.',
    '',
    '| check | result | checked | failures listed |',
    '| --- | --- | ---: | ---: |',
    line('(a) every required flow is allowed', proof.required),
    line('(b) nothing is allowed that was not allowed before', proof.noWidening),
    line('(c) every forbid entry is denied', proof.forbidden),
  ];
  const failures = [...proof.required.failures, ...proof.noWidening.failures, ...proof.forbidden.failures];
  if (failures.length > 0) {
    out.push('', '### Failures', '');
    for (const f of failures.slice(0, MAX_LISTED))
      out.push(`- ${flowText(f.flow)}${f.entry ? ` (${mdCell(f.entry)})` : ''}: ${mdCell(f.detail)}`);
  }
  if (proof.noWidening.widening.length > 0) {
    out.push('', '### Widening demanded by intent', '');
    for (const w of proof.noWidening.widening)
      out.push(`- require ${mdCell(w.entry ?? '')}: ${flowText(w.flow)} (not allowed today)`);
  }
  const observed = result.required.filter((r) => r.source === 'observed').length;
  out.push(
    '',
    `Required flows: ${result.required.length.toLocaleString('en-US')} (${observed.toLocaleString('en-US')} observed, ${result.required.filter((r) => r.source === 'intent').length} intent, ${result.required.filter((r) => r.source === 'declared-port').length} declared ports).`,
  );
  for (const e of (result.excluded ?? []).slice(0, MAX_LISTED))
    out.push(`- left out: ${flowText(e.flow)}: ${mdCell(e.detail)}`);
  for (const n of result.notes ?? []) out.push(`- note: ${mdCell(n)}`);
  return out;
}

function flowText(f: FindingFlow): string {
  return `${mdCell(f.from)} → ${mdCell(f.to)} ${f.protocol} ${mdCell(f.ports)}`;
}

function words(list: readonly string[]): string {
  return list.map(mdCell).join(', ');
}

function ruleCells(r: SecurityRule): string {
  return `${r.priority} | ${mdCell(r.name)} | ${r.direction} | ${r.access} | ${mdCell(r.protocol)} | ${words(r.sourceAddressPrefixes)} | ${words(r.destinationAddressPrefixes)} | ${words(r.destinationPortRanges)}`;
}

function beforeAfter(r: ProposedRule): string {
  if (r.status === 'kept') return 'unchanged';
  const replaces = [...new Set(r.provenance.flatMap((p) => p.replaces ?? []))];
  if (r.status === 'added')
    return replaces.length > 0 ? `new; replaces ${replaces.map(mdCell).join(', ')}` : 'new';
  const old = r.previous;
  return old
    ? `was: ${old.priority} ${old.access} ${old.protocol} ${words(old.sourceAddressPrefixes)} → ${words(old.destinationAddressPrefixes)} ${words(old.destinationPortRanges)}`
    : 'changed';
}

function nsgSection(nsg: ProposedNsg, result: PlanResult): string[] {
  const counts = result.effect.rules.find((r) => r.nsg === nsg.id);
  const out = [
    `## ${mdCell(nsg.name)}${nsg.isNew ? ' (new)' : ''}`,
    '',
    `${nsg.isNew ? 'New NSG' : 'Existing NSG'} in ${mdCell(nsg.resourceGroup ?? '?')} (${mdCell(nsg.location ?? '?')}); subnets: ${nsg.subnets.map((id) => mdCell(subnetName(id, result))).join(', ')}. Rules: ${counts?.before ?? 0} → ${counts?.after ?? nsg.rules.length}.`,
    '',
    '| priority | rule | direction | access | protocol | source | destination | ports | status | why | before → after |',
    '| ---: | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of nsg.rules)
    out.push(
      `| ${ruleCells(r.rule)} | ${r.status} | ${r.provenance.map((p) => mdCell(p.text)).join('<br>')} | ${beforeAfter(r)} |`,
    );
  if (nsg.removed.length > 0) {
    out.push(
      '',
      'Removed:',
      '',
      '| priority | rule | direction | access | protocol | source | destination | ports |',
      '| ---: | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const r of nsg.removed) out.push(`| ${ruleCells(r)} |`);
  }
  return out;
}

function effectSection(result: PlanResult): string[] {
  const { effect } = result;
  const out = [
    '## Effect',
    '',
    `Closed: ${BigInt(effect.closedFlowSpace).toLocaleString('en-US')} (source address, destination address, protocol, destination port) tuples that were allowed and no longer are.`,
    '',
    `Findings resolved: ${effect.findingsResolved.length}; remaining: ${effect.findingsRemaining.length}.`,
    '',
    'Per endpoint pair, most closed tuples first: `deny` traffic is closed between the whole pair, the rest narrowed for some addresses.',
    '',
    '| from | to | closed |',
    '| --- | --- | --- |',
  ];
  // One row per endpoint pair, its protocols together.
  const rows: { from: string; to: string; parts: string[] }[] = [];
  for (const f of effect.closed) {
    const last = rows[rows.length - 1];
    const part = `${f.protocol === 'icmp' ? 'icmp' : `${f.protocol} ${f.ports}`}${f.verdict === 'partial' ? ' (narrowed)' : ''}`;
    if (last && last.from === f.from && last.to === f.to) last.parts.push(part);
    else rows.push({ from: f.from, to: f.to, parts: [part] });
  }
  for (const r of rows.slice(0, MAX_ROWS))
    out.push(`| ${mdCell(r.from)} | ${mdCell(r.to)} | ${r.parts.map(mdCell).join('; ')} |`);
  const pairs = effect.closedPairs ?? rows.length;
  if (pairs > Math.min(rows.length, MAX_ROWS))
    out.push(
      '',
      `${pairs.toLocaleString('en-US')} endpoint pairs in all; the ${Math.min(rows.length, MAX_ROWS)} that close most are listed${rows.length > MAX_ROWS ? ' (up to 1,000 in --format json)' : ''}.`,
    );
  return out;
}

function subnetName(id: string, result: PlanResult): string {
  const s = result.proposed.subnets.find((x) => x.id === id);
  const v = s && result.proposed.virtualNetworks.find((x) => x.id === s.virtualNetworkId);
  return s ? `${v?.name ?? '?'}/${s.name}` : id;
}
