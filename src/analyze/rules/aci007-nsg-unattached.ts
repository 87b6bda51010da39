/**
 * ACI007: an NSG attached to no subnet. The snapshot models no network interfaces (container groups
 * have none), so an NSG that only sits on a VM's NIC is reported too; hence low. Its rules decide
 * nothing, and it is easily mistaken for the one in force.
 */
import { nsgResource, SnapshotPointers } from './flow-words';
import type { FindingDraft, PackRule, RuleContext } from './rule';

export const aci007: PackRule = {
  meta: {
    id: 'ACI007',
    name: 'nsg-unattached',
    title: 'NSG attached to no subnet',
    severity: 'low',
    description:
      'A network security group is associated with no subnet in the snapshot, so its rules decide no flow. It may be a leftover, or the NSG someone believes protects a subnet that in fact has another (or none). The snapshot does not model network interfaces: an NSG used only on a VM NIC is reported too.',
    remediation:
      'Associate the NSG with the subnet it was written for, or delete it; if it is attached to a VM network interface, accept this finding for it.',
    controls: { mcsb: ['NS-1'], cis: [] },
  },
  standalone: true,
  run(context: RuleContext): FindingDraft[] {
    const { snapshot } = context;
    const attached = new Set(snapshot.subnets.map((s) => s.networkSecurityGroupId));
    const pointers = SnapshotPointers.of(snapshot);
    return snapshot.networkSecurityGroups
      .filter((nsg) => !attached.has(nsg.id))
      .map((nsg) => ({
        message: `${nsg.name} is attached to no subnet: its ${nsg.securityRules.length} custom rule${nsg.securityRules.length === 1 ? ' decides' : 's decide'} nothing`,
        resources: [nsgResource(nsg)],
        flows: [],
        flowsOmitted: 0,
        rules: [],
        explain: null,
        location: { snapshotPointer: pointers.resource('networkSecurityGroups', nsg.id)! },
        identity: [nsg.id],
      }));
  },
};
