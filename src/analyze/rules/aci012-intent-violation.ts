/**
 * ACI012: an intent entry in force that fails, decided exactly as `aciseg check` decides it
 * (checkIntent): a `require` whose verdict is not allow, a `forbid` whose verdict is not deny.
 * Expired entries are not violations (check reports them apart). High for a failing forbid (a flow
 * that must be closed is open, or may be), medium for a failing require (a needed flow is blocked).
 * Entries whose endpoints resolve to nothing throw IntentError, as in check.
 */
import type { Snapshot } from '../../model/snapshot';
import { checkIntent, type CheckResult } from '../intent';
import type { SideEntry } from '../explain';
import type { FindingRuleRef } from '../findings';
import { explainCommand, nsgRuleRef, SnapshotPointers, sortedRuleRefs } from './flow-words';
import type { FindingDraft, PackRule, RuleContext } from './rule';

export const aci012: PackRule = {
  meta: {
    id: 'ACI012',
    name: 'intent-violation',
    title: 'Intent violated',
    severity: 'high',
    description:
      'An entry of the intent file (--intent) does not hold: a flow listed under forbid is allowed (or may be), or a flow listed under require is not allowed. The verdict is the one aciseg check gives; expired entries do not count. High for a failing forbid, medium for a failing require.',
    remediation:
      'For a forbid: change or remove the rules that allow the flow (named in the finding). For a require: add an allow rule above the rules that deny it. If the intent itself is out of date, update the entry.',
    controls: { mcsb: ['NS-1'], cis: [] },
  },
  // It reads no reachability.
  pairPaths: () => 'none',
  run(context: RuleContext): FindingDraft[] {
    if (context.intent === null) return [];
    const { engine, snapshot } = context;
    const { entries, file } = context.intent;
    const report = checkIntent(engine, entries, context.today, file);
    const pointers = SnapshotPointers.of(snapshot);
    const drafts: FindingDraft[] = [];
    report.results.forEach((r, k) => {
      if (r.expired || r.pass) return;
      const entry = entries[k]!;
      const wanted = r.kind === 'forbid' ? 'deny' : 'allow';
      // The rules that decided against the entry: allows for a forbid, denies for a require.
      const sides = r.explanation.parts ? r.explanation.parts.flatMap((p) => p.sides) : r.explanation.sides;
      const against = sides.filter((s) =>
        r.kind === 'forbid' ? s.outcome !== 'deny' : s.outcome === 'deny',
      );
      const rules = sortedRuleRefs(against.flatMap((s) => ruleRefOf(snapshot, s)));
      const protocol =
        r.protocol === 'Tcp' ? 'tcp' : r.protocol === 'Udp' ? 'udp' : r.protocol === 'Icmp' ? 'icmp' : '*';
      const ports = protocol === 'icmp' ? '-' : r.ports;
      drafts.push({
        severity: r.kind === 'forbid' ? 'high' : 'medium',
        message: `${r.kind} ${JSON.stringify(r.name)} fails: ${r.from} → ${r.to} ${protocol} ${ports} is ${r.verdict} (must be ${wanted})${entry.owner ? `; owner ${entry.owner}` : ''}`,
        resources: [],
        flows: [{ from: r.from, to: r.to, fromKey: null, toKey: null, protocol, ports, verdict: r.verdict }],
        flowsOmitted: 0,
        rules,
        explain: explainCommand(r.from, r.to, protocol, entry.ports?.first() ?? null),
        location: firstPointer(pointers, rules),
        identity: identityOf(r),
      });
    });
    return drafts;
  },
};

function identityOf(r: CheckResult): string[] {
  return [
    `intent:${r.kind}`,
    `name:${r.name}`,
    `from:${r.from}`,
    `to:${r.to}`,
    `protocol:${r.protocol}`,
    `ports:${r.ports}`,
  ];
}

function firstPointer(pointers: SnapshotPointers, rules: FindingRuleRef[]) {
  for (const r of rules) {
    const p = pointers.rule(r);
    if (p !== null) return { snapshotPointer: p };
  }
  return null;
}

/** The snapshot rule a side entry names (explanations name NSGs by name: the first NSG holding such a rule). */
function ruleRefOf(snapshot: Snapshot, s: SideEntry): FindingRuleRef[] {
  if (s.rule === null || s.nsg === null) return [];
  const rule = s.rule;
  if (s.policy === 'avnm') {
    const collection = snapshot.securityAdminRuleCollections
      .filter((c) => c.name === s.nsg)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .find((c) =>
        snapshot.securityAdminRules.some((a) => a.ruleCollectionId === c.id && a.name === rule.name),
      );
    if (!collection) return [];
    const admin = snapshot.securityAdminRules.find(
      (a) => a.ruleCollectionId === collection.id && a.name === rule.name,
    )!;
    return [
      {
        id: admin.id.toLowerCase(),
        policy: 'avnm',
        containerName: collection.name,
        name: admin.name,
        direction: admin.direction,
        priority: admin.priority,
        access: admin.access === 'Deny' ? 'Deny' : 'Allow',
        isDefault: false,
      },
    ];
  }
  for (const nsg of [...snapshot.networkSecurityGroups].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (nsg.name !== s.nsg) continue;
    for (const [list, isDefault] of [
      [nsg.securityRules, false],
      [nsg.defaultSecurityRules, true],
    ] as const) {
      const found = list.find(
        (x) => x.name === rule.name && x.direction === rule.direction && x.priority === rule.priority,
      );
      if (found) return [nsgRuleRef(nsg, found, isDefault)];
    }
  }
  return [];
}
