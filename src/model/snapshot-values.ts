/**
 * The value checks a snapshot's JSON Schema cannot express, run when a snapshot is read: a snapshot
 * holds exactly the values `import` writes, so a hand-edited file with a value the importer refuses
 * stops with its JSON path (exit 2) instead of failing deep in the engine or being read some other
 * way. Hand-written rather than zod refinements: import validates what it built with the schema, and
 * a refinement per string costs about 2.5 times a plain string check on large estates.
 */
import type { DiagnosticCode } from '../diagnostics';
import { parsePrefix } from '../net/address';
import { parsePortRange } from '../net/ports';
import { classifyPrefix } from './normalize/values';
import type { SecurityAdminRule, SecurityRule, Snapshot } from './snapshot';

export interface ValueProblem {
  code: DiagnosticCode;
  message: string;
  /** Steps from the snapshot root. */
  path: (string | number)[];
}

/** Every value of a structurally valid snapshot that `import` would not have written (up to `limit`). */
export function snapshotValueProblems(snapshot: Snapshot, limit = 20): ValueProblem[] {
  const out: ValueProblem[] = [];
  const add = (code: DiagnosticCode, message: string, path: (string | number)[]): void => {
    if (out.length < limit) out.push({ code, message, path });
  };
  /** The path of a list field is `at(field)`; whole paths are made only for values with a problem. */
  type At = (field: string) => (string | number)[];
  const prefixes = (list: readonly string[] | null, kind: PrefixKind, at: At, field: string) => {
    if (list === null) return;
    for (let i = 0; i < list.length; i++) {
      const problem = prefixProblem(list[i] as string, kind);
      if (problem !== null) add('INVALID_PREFIX', problem, [...at(field), i]);
    }
  };
  const single = (text: string, kind: PrefixKind, at: (string | number)[]) => {
    const problem = prefixProblem(text, kind);
    if (problem !== null) add('INVALID_PREFIX', problem, at);
  };
  const ports = (list: readonly string[], at: At, field: string) => {
    for (let i = 0; i < list.length; i++) {
      const text = list[i] as string;
      if (parsePortRange(text) === null)
        add('INVALID_PORT', `${JSON.stringify(text)} is not a valid port range (low > high)`, [
          ...at(field),
          i,
        ]);
    }
  };

  snapshot.virtualNetworks.forEach((v, i) =>
    prefixes(v.addressPrefixes, 'cidr', (f) => ['virtualNetworks', i, f], 'addressPrefixes'),
  );
  snapshot.subnets.forEach((s, i) =>
    prefixes(s.addressPrefixes, 'cidr', (f) => ['subnets', i, f], 'addressPrefixes'),
  );
  snapshot.virtualNetworkPeerings.forEach((p, i) =>
    prefixes(
      p.remoteAddressPrefixes,
      'cidr',
      (f) => ['virtualNetworkPeerings', i, f],
      'remoteAddressPrefixes',
    ),
  );
  snapshot.networkSecurityGroups.forEach((nsg, i) => {
    for (const [key, lo, hi] of [
      ['securityRules', 100, 4096],
      ['defaultSecurityRules', 65000, 65500],
    ] as const) {
      const rules: readonly SecurityRule[] = nsg[key];
      rules.forEach((rule, k) => {
        // Paths are built only for a problem: a large estate has hundreds of thousands of rule fields.
        const at = (field: string) => ['networkSecurityGroups', i, key, k, field];
        prefixes(rule.sourceAddressPrefixes, 'any', at, 'sourceAddressPrefixes');
        prefixes(rule.destinationAddressPrefixes, 'any', at, 'destinationAddressPrefixes');
        ports(rule.sourcePortRanges, at, 'sourcePortRanges');
        ports(rule.destinationPortRanges, at, 'destinationPortRanges');
        if (rule.priority < lo || rule.priority > hi) {
          add(
            'INVALID_PRIORITY',
            `priority ${rule.priority} is not valid here: these rules need ${lo} to ${hi}`,
            at('priority'),
          );
        }
      });
      uniquePriorities(rules, (r) => r.direction, ['networkSecurityGroups', i, key], add);
    }
  });
  snapshot.routeTables.forEach((t, i) =>
    t.routes.forEach((r, k) =>
      single(r.addressPrefix, 'any', ['routeTables', i, 'routes', k, 'addressPrefix']),
    ),
  );
  snapshot.containerGroups.forEach((g, i) => {
    const ip = g.ipAddress?.ip ?? null;
    if (ip !== null && !isCanonicalAddress(ip)) {
      add('INVALID_PREFIX', `${JSON.stringify(ip)} is not an IP address in canonical form`, [
        'containerGroups',
        i,
        'ipAddress',
        'ip',
      ]);
    }
  });
  snapshot.securityAdminRules.forEach((r, i) => {
    const path = ['securityAdminRules', i];
    const at = (field: string) => [...path, field];
    for (const side of ['sources', 'destinations'] as const) {
      r[side].forEach((a, k) =>
        single(a.addressPrefix, a.addressPrefixType === 'IPPrefix' ? 'ip-prefix' : 'tag', [
          ...path,
          side,
          k,
          'addressPrefix',
        ]),
      );
    }
    ports(r.sourcePortRanges, at, 'sourcePortRanges');
    ports(r.destinationPortRanges, at, 'destinationPortRanges');
  });
  uniquePriorities(
    snapshot.securityAdminRules,
    (r: SecurityAdminRule) => `${r.ruleCollectionId}\n${r.direction}`,
    ['securityAdminRules'],
    add,
  );
  return out;
}

/** Where a value sits: an address space (CIDRs), a rule side or route (anything), an admin rule's IPPrefix (CIDR or `*`) or ServiceTag. */
type PrefixKind = 'cidr' | 'any' | 'ip-prefix' | 'tag';

/** Why `import` would not have written this address value, or null when it would. */
function prefixProblem(text: string, kind: PrefixKind): string | null {
  const outcome = classifyPrefix(text);
  if (!outcome.ok) return outcome.message;
  const tag = !outcome.isAddress && outcome.value !== '*';
  if ((kind === 'cidr' && !outcome.isAddress) || (kind === 'ip-prefix' && tag))
    return `${JSON.stringify(text)} is not an IP address or CIDR prefix`;
  if (kind === 'tag' && !tag)
    return `${JSON.stringify(text)} is not a service tag but addressPrefixType is ServiceTag`;
  if (outcome.value !== text)
    return `${JSON.stringify(text)} is not in canonical form (write ${JSON.stringify(outcome.value)})`;
  return null;
}

function isCanonicalAddress(text: string): boolean {
  const parsed = text.includes('/') ? null : parsePrefix(text);
  return parsed !== null && parsed.canonical.slice(0, parsed.canonical.indexOf('/')) === text;
}

/** Two rules of one list with one priority in one scope: Azure forbids it, and their order would be a guess. */
function uniquePriorities<R extends { name: string; priority: number; direction: string }>(
  rules: readonly R[],
  scope: (rule: R) => string,
  at: (string | number)[],
  add: (code: DiagnosticCode, message: string, path: (string | number)[]) => void,
): void {
  const seen = new Map<string, string>();
  rules.forEach((rule, i) => {
    const key = `${scope(rule)}\n${rule.priority}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, rule.name);
    else {
      add(
        'DUPLICATE_PRIORITY',
        `rules ${JSON.stringify(first)} and ${JSON.stringify(rule.name)} both have ${rule.direction} priority ${rule.priority}`,
        [...at, i, 'priority'],
      );
    }
  });
}
