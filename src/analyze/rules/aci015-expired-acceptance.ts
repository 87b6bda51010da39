/**
 * ACI015 expired-acceptance: an intent `accept` entry whose `expires` date has passed. The finding it
 * covered is reported again at its own severity (it is no longer accepted); this finding says that the
 * acceptance needs a decision — renew it with a new date and reason, or fix what it covered.
 * Severity low: the risk itself is already reported by the finding it covered.
 */
import { describeAcceptance, EXPIRED_ACCEPTANCE_RULE, isExpired } from '../accept';
import { keyDraft, type FindingDraft, type PackRule } from './rule';

export const expiredAcceptance: PackRule = {
  meta: {
    id: EXPIRED_ACCEPTANCE_RULE,
    name: 'expired-acceptance',
    title: 'Accepted risk past its expiry date',
    severity: 'low',
    description:
      'An accept entry of the intent file has expired. The finding it accepted counts again (it fails --fail-on at its own severity), and the acceptance should be reviewed rather than left to rot.',
    remediation:
      'Review the risk with its owner: fix what the finding reports and delete the accept entry, or renew it with a new expires date and an up-to-date reason.',
    // No benchmark control of its own: the finding it covered keeps its controls.
    controls: { mcsb: [], cis: [] },
  },
  // It reads no reachability.
  pairPaths: () => 'none',
  run(context) {
    const drafts: FindingDraft[] = [];
    for (const a of context.intent?.accept ?? []) {
      if (!isExpired(a, context.today)) continue;
      const identity =
        a.fingerprint !== null ? ['fingerprint', a.fingerprint] : ['rule', a.rule!, a.resource!];
      drafts.push({
        // The finding names no resource, flow or rule: its keys and a message.
        ...keyDraft(identity, undefined, undefined),
        message: `acceptance ${describeAcceptance(a)} in ${context.intent!.file} expired on ${a.expires} (owner ${a.owner}; reason: ${a.reason})`,
      });
    }
    return drafts;
  },
};
