/**
 * What every findings format shares: the report it is given, the `aciseg explain` command with the
 * real snapshot path, and the one-line forms of flows and rules.
 */
import {
  SNAPSHOT_PLACEHOLDER,
  type Finding,
  type FindingFlow,
  type FindingRuleRef,
  type FindingsResult,
  type SeverityCounts,
} from '../analyze/findings';
import { RESOURCE_ARRAYS, type ResourceOrigin, type Snapshot } from '../model/snapshot';

/** Where the snapshot is, for commands people paste and for SARIF locations. */
export interface SnapshotRef {
  /** The path as the user named it (in `aciseg explain …` commands). */
  path: string;
  /** The path relative to the working directory, `/`-separated (SARIF `artifactLocation.uri`). */
  uri: string;
  /** The 1-based line of a resource (`/networkSecurityGroups/2/…`), or null when unknown. */
  lineOf(pointer: string): number | null;
  /**
   * Where import read the resource a pointer names (a rule: its NSG), as a SARIF URI and a JSON path
   * in that file; null when the snapshot does not say (collected, or written before origins).
   */
  originOf?(pointer: string): { uri: string; path: string } | null;
}

/** What `analyze` hands to its findings renderers. */
export interface FindingsReport {
  result: FindingsResult;
  snapshot: SnapshotRef;
  /** Text format: how many findings are shown in full (the rest are counted per rule). */
  limit: number;
  /** Text format: ANSI colours (only for a terminal, never with NO_COLOR). */
  color: boolean;
}

/** A word safe to paste into a POSIX shell: as is when it holds only harmless characters, else single-quoted. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The finding's `aciseg explain …` command with the real snapshot path, or null. */
export function explainCommand(finding: Finding, snapshotPath: string): string | null {
  if (finding.explain === null) return null;
  return finding.explain.replace(SNAPSHOT_PLACEHOLDER, () => shellQuote(snapshotPath));
}

/** `Internet → vnet-app/snet-aci-web tcp 22` (ICMP has no ports). */
export function flowText(flow: FindingFlow): string {
  const what =
    flow.protocol === 'icmp' ? 'icmp' : `${flow.protocol} ${flow.ports === '*' ? 'all ports' : flow.ports}`;
  return `${flow.from} → ${flow.to} ${what}`;
}

/** `nsg-aci-web/AllowVnetInBound (Inbound 65000 Allow, default)`. */
export function ruleText(rule: FindingRuleRef): string {
  const tags = [`${rule.direction} ${rule.priority} ${rule.access}`];
  if (rule.isDefault) tags.push('default');
  if (rule.policy === 'avnm') tags.push('admin rule');
  return `${rule.containerName}/${rule.name} (${tags.join(', ')})`;
}

/** `2 critical, 3 high, 0 medium, 1 low, 0 info` (unaccepted findings). */
export function countsText(counts: SeverityCounts): string {
  return `${counts.critical} critical, ${counts.high} high, ${counts.medium} medium, ${counts.low} low, ${counts.info} info`;
}

/** The observed-flow window in words, or null without flow logs. */
export function windowText(result: FindingsResult): string | null {
  const w = result.window;
  if (w === null) return null;
  const span = w.first === null ? 'no tuple in the window' : `${w.first} to ${w.last}`;
  const bounds = [w.since === null ? null : `since ${w.since}`, w.until === null ? null : `until ${w.until}`]
    .filter((b) => b !== null)
    .join(', ');
  return `${w.tuples} tuples in ${w.files} files, ${span}${bounds === '' ? '' : ` (${bounds})`}`;
}

/**
 * Lines of resources in a snapshot written by aciseg (one resource per line, src/model/snapshot-codec):
 * the header, then per resource array its opening line, one line per item and its closing line (an
 * empty array is one line). `lines` is the file's line count in that layout, so a caller can tell a
 * hand-formatted file (other line count) and give no lines for it.
 */
export function snapshotLineIndex(snapshot: Snapshot): {
  lines: number;
  lineOf(pointer: string): number | null;
} {
  const firstItem = new Map<string, number>();
  let line = 2;
  for (const name of RESOURCE_ARRAYS) {
    const count = (snapshot[name] as readonly unknown[]).length;
    if (count === 0) {
      line += 1;
      continue;
    }
    firstItem.set(name, line + 1);
    line += count + 2;
  }
  return {
    lines: line - 1,
    lineOf: (pointer) => {
      const m = /^\/([A-Za-z]+)\/(\d+)(?:\/|$)/.exec(pointer);
      if (!m) return null;
      const first = firstItem.get(m[1]!);
      const items = (snapshot as unknown as Record<string, readonly unknown[] | undefined>)[m[1]!];
      const index = Number(m[2]);
      if (first === undefined || items === undefined || index >= items.length) return null;
      return first + index;
    },
  };
}

/**
 * The import origin of the resource a snapshot pointer names (its first two segments: a rule's is its
 * NSG's), with `toUri` turning the file as import named it into a SARIF URI.
 */
export function snapshotOrigins(
  snapshot: Snapshot,
  toUri: (file: string) => string,
): (pointer: string) => { uri: string; path: string } | null {
  const byId = new Map<string, ResourceOrigin>(snapshot.origins.map((o) => [o.id, o]));
  return (pointer) => {
    const m = /^\/([A-Za-z]+)\/(\d+)(?:\/|$)/.exec(pointer);
    if (!m || byId.size === 0 || !(RESOURCE_ARRAYS as readonly string[]).includes(m[1]!)) return null;
    const items = (snapshot as unknown as Record<string, readonly { id?: string }[]>)[m[1]!]!;
    const id = items[Number(m[2])]?.id;
    const origin = id === undefined ? undefined : byId.get(id);
    return origin === undefined || origin.file === STDIN_NAME
      ? null
      : { uri: toUri(origin.file), path: origin.path };
  };
}

/** Standard input as import names it: it has no file to point at. */
const STDIN_NAME = '-';

/** `1 flow`, `3 flows`. */
export function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
