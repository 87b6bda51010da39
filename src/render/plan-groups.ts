/**
 * The planned NSGs by deployment scope (subscription + resource group): one resource-group-scoped
 * template deploys to one group, so several groups need one module (Bicep) or nested deployment
 * (ARM) each. Every group gets a stem that is a safe file name and deployment name: ASCII letters,
 * digits, `.`, `_` and `-` only, no leading dot or dash, at most 40 characters; a stem that had to
 * change, or that two groups share (names compared without case), ends in 8 hex digits of a hash of
 * the group, so it stays unique and stable across runs (a crafted clash is numbered).
 */
import { createHash } from 'node:crypto';
import type { ProposedNsg } from '../plan/model';

export interface NsgGroup {
  /** `<subscription or ''>/<resource group, lower case>`: what tells groups apart (Azure names ignore case). */
  key: string;
  subscriptionId: string | null;
  /** The resource group as the first of its NSGs spells it. */
  resourceGroup: string | null;
  nsgs: ProposedNsg[];
  /** The group's safe file name / deployment name part (see the module comment). */
  stem: string;
}

/** The grouping key of an NSG's scope (also used to count scopes before planning). */
export function scopeKey(n: { subscriptionId: string | null; resourceGroup: string | null }): string {
  return `${n.subscriptionId ?? ''}/${(n.resourceGroup ?? '').toLowerCase()}`;
}

/** The NSGs by scope, in the order of their first NSG (the plan sorts NSGs by id). */
export function nsgGroups(nsgs: readonly ProposedNsg[]): NsgGroup[] {
  const byKey = new Map<string, Omit<NsgGroup, 'stem'>>();
  for (const nsg of nsgs) {
    const key = scopeKey(nsg);
    const group = byKey.get(key);
    if (group) group.nsgs.push(nsg);
    else
      byKey.set(key, {
        key,
        subscriptionId: nsg.subscriptionId,
        resourceGroup: nsg.resourceGroup,
        nsgs: [nsg],
      });
  }
  const groups = [...byKey.values()];
  const stems = safeStems(groups.map((g) => ({ key: g.key, name: g.resourceGroup ?? '' })));
  return groups.map((g, i) => ({ ...g, stem: stems[i]! }));
}

const MAX_STEM = 40;
/** Names Windows will not create as files, whatever the extension. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** One safe, unique stem per entry (see the module comment); `key` identifies the entry for the hash. */
export function safeStems(entries: readonly { key: string; name: string }[]): string[] {
  const cleaned = entries.map(({ name }) => {
    const plain = name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[.-]+/, '')
      .slice(0, MAX_STEM)
      .replace(/[.-]+$/, '');
    const ok = plain !== '' && !WINDOWS_DEVICE.test(plain);
    return { plain: ok ? plain : 'group', changed: !ok || plain !== name };
  });
  const counts = new Map<string, number>();
  for (const c of cleaned) counts.set(c.plain.toLowerCase(), (counts.get(c.plain.toLowerCase()) ?? 0) + 1);
  const stems = cleaned.map((c, i) => {
    if (!c.changed && counts.get(c.plain.toLowerCase()) === 1) return c.plain;
    const hash = createHash('sha256').update(entries[i]!.key, 'utf8').digest('hex').slice(0, 8);
    return `${c.plain.slice(0, MAX_STEM - 9)}-${hash}`;
  });
  // A name crafted to equal another's hashed stem: number the later ones, so no file is written twice.
  const taken = new Set<string>();
  return stems.map((stem) => {
    let unique = stem;
    for (let n = 2; taken.has(unique.toLowerCase()); n++) unique = `${stem.slice(0, MAX_STEM - 4)}-${n}`;
    taken.add(unique.toLowerCase());
    return unique;
  });
}
