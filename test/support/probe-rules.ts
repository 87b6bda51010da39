/**
 * Small pack rules for tests of the findings runner, acceptances and renderers (the real pack is
 * tested rule by rule). They read the snapshot only, so their findings follow from it:
 * - ACI901 (high): one finding per NSG security rule that allows inbound traffic, naming the rule,
 *   its NSG and a flow from its source to its destination.
 * - ACI902 (critical): one finding per subnet with no NSG.
 */
import { SNAPSHOT_PLACEHOLDER, type RuleMeta } from '../../src/analyze/findings';
import type { FindingDraft, PackRule } from '../../src/analyze/rules';

const meta = (id: string, name: string, title: string, severity: RuleMeta['severity']): RuleMeta => ({
  id,
  name,
  title,
  severity,
  description: `${title} (a test rule).`,
  remediation: 'Remove the rule or narrow its source and ports to what the workload needs.',
  controls: { mcsb: ['NS-1'], cis: [] },
});

export const PROBE_ALLOW_RULE: PackRule = {
  meta: meta('ACI901', 'probe-inbound-allow', 'Inbound allow rule', 'high'),
  run(context) {
    const drafts: FindingDraft[] = [];
    context.snapshot.networkSecurityGroups.forEach((nsg, n) => {
      nsg.securityRules.forEach((rule, r) => {
        if (rule.direction !== 'Inbound' || rule.access !== 'Allow') return;
        const source = rule.sourceAddressPrefixes[0] ?? '*';
        const ports = rule.destinationPortRanges.join(',') || '*';
        drafts.push({
          message: `${nsg.name}/${rule.name} allows ${source} in on tcp ${ports}`,
          resources: [
            {
              kind: 'securityRule',
              id: `${nsg.id}/securityRules/${rule.name.toLowerCase()}`,
              name: rule.name,
            },
            { kind: 'networkSecurityGroup', id: nsg.id, name: nsg.name },
          ],
          flows: [
            {
              from: source,
              to: nsg.name,
              fromKey: null,
              toKey: null,
              protocol: 'tcp',
              ports,
              verdict: 'allow',
            },
          ],
          flowsOmitted: 0,
          rules: [
            {
              id: `${nsg.id}/securityrules/${rule.name.toLowerCase()}`,
              policy: 'nsg',
              containerName: nsg.name,
              name: rule.name,
              direction: 'Inbound',
              priority: rule.priority,
              access: 'Allow',
              isDefault: false,
            },
          ],
          explain: `aciseg explain ${SNAPSHOT_PLACEHOLDER} --from Internet --to ${nsg.name} --port 22`,
          location: { snapshotPointer: `/networkSecurityGroups/${n}/securityRules/${r}` },
          identity: [nsg.id, rule.name],
        });
      });
    });
    return drafts;
  },
};

export const PROBE_BARE_SUBNET_RULE: PackRule = {
  meta: meta('ACI902', 'probe-bare-subnet', 'Subnet without an NSG', 'critical'),
  run(context) {
    return context.snapshot.subnets
      .map((subnet, i) => ({ subnet, i }))
      .filter(({ subnet }) => subnet.networkSecurityGroupId === null)
      .map(({ subnet, i }) => ({
        message: `subnet ${subnet.name} has no NSG: every flow to it is allowed`,
        resources: [{ kind: 'subnet' as const, id: subnet.id, name: subnet.name }],
        flows: [],
        flowsOmitted: 0,
        rules: [],
        explain: `aciseg explain ${SNAPSHOT_PLACEHOLDER} --from Internet --to ${subnet.name} --port 22`,
        location: { snapshotPointer: `/subnets/${i}` },
        identity: [subnet.id],
      }));
  },
};

export const PROBE_RULES: readonly PackRule[] = [PROBE_ALLOW_RULE, PROBE_BARE_SUBNET_RULE];
