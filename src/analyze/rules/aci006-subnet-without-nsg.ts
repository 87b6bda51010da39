/**
 * ACI006: a subnet that holds container groups (delegated to ACI, or named by a group) with no NSG.
 * Only security admin rules, if any, stand between its containers and every other address.
 */
import {
  aciSubnetIds,
  endpointNames,
  explainCommand,
  groupsBySubnet,
  SnapshotPointers,
  subnetWithGroups,
  groupsText,
} from './flow-words';
import type { FindingDraft, PackRule, RuleContext } from './rule';

export const aci006: PackRule = {
  meta: {
    id: 'ACI006',
    name: 'subnet-without-nsg',
    title: 'Container subnet without an NSG',
    severity: 'high',
    description:
      'A subnet that holds (or is delegated to) container groups has no network security group. Without one, NSG policy allows every flow to and from its containers; only security admin rules, if any apply, can stop traffic.',
    remediation:
      'Create an NSG that allows only the flows the containers need, ending in custom denies that override AllowVnetInBound and AllowInternetOutBound, and associate it with the subnet.',
    controls: { mcsb: ['NS-1'], cis: [] },
  },
  standalone: true,
  run(context: RuleContext): FindingDraft[] {
    const { snapshot, engine } = context;
    const aci = aciSubnetIds(snapshot);
    const names = endpointNames(engine.index);
    const pointers = SnapshotPointers.of(snapshot);
    const groupsIn = groupsBySubnet(snapshot);
    return snapshot.subnets
      .filter((s) => aci.has(s.id) && s.networkSecurityGroupId === null)
      .map((subnet) => {
        const groups = groupsIn.get(subnet.id) ?? [];
        return {
          message: `${names.subnetName(subnet)} has no NSG${groupsText(groups.length)}: NSG policy allows every flow to and from it`,
          resources: subnetWithGroups(names, subnet, groups),
          flows: [],
          flowsOmitted: 0,
          rules: [],
          explain: explainCommand('Internet', names.subnetEndpoint(subnet), 'tcp', 22),
          location: { snapshotPointer: pointers.resource('subnets', subnet.id)! },
          identity: [subnet.id],
        };
      });
  },
};
