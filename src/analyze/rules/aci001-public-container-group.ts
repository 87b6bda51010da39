/**
 * ACI001: a container group with a public IP address. It sits in no customer VNet, so no NSG can
 * apply: every port in `ipAddress.ports` is open to the whole Internet (docs/semantics.md §6).
 */
import { isPublicGroup } from '../../policy';
import type { ContainerGroup } from '../../model/snapshot';
import { IntervalSet, portDomain } from '../../net/interval-set';
import type { FindingFlow } from '../findings';
import { CIS_INTERNET_ACCESS } from './controls';
import { categorize, exposureRisk, exposureText, sortExposures, worstCategory } from './exposure';
import { capFlows, endpointNames, explainCommand, portWords, SnapshotPointers } from './flow-words';
import type { FindingDraft, PackRule, RuleContext } from './rule';

export const aci001: PackRule = {
  meta: {
    id: 'ACI001',
    name: 'public-container-group',
    title: 'Container group with a public IP address',
    severity: 'high',
    description:
      'The container group has a public IP address and is not injected into a virtual network, so no network security group can filter its traffic: every port it lists in ipAddress.ports is reachable from the whole Internet. Critical when those ports include remote administration (SSH, RDP, WinRM) or a data store or broker port.',
    remediation:
      'Deploy the container group into a subnet delegated to Microsoft.ContainerInstance/containerGroups and put it behind an Application Gateway or Azure Firewall, with an NSG that admits only the front end; if it must stay public, expose only the ports it serves.',
    controls: { mcsb: ['NS-1', 'NS-2'], cis: CIS_INTERNET_ACCESS },
  },
  standalone: true,
  run(context: RuleContext): FindingDraft[] {
    const { snapshot } = context;
    const index = context.engine.index;
    const names = endpointNames(index);
    const pointers = SnapshotPointers.of(snapshot);
    return snapshot.containerGroups.filter(isPublicGroup).map((group) => {
      const exposures = sortExposures([
        ...categorize('tcp', portsOf(group, 'TCP')),
        ...categorize('udp', portsOf(group, 'UDP')),
      ]);
      const worst = worstCategory(exposures);
      const to = `public container group ${group.name} (${group.ipAddress!.ip})`;
      const flows: FindingFlow[] = exposures.map((e) => ({
        from: 'Internet',
        to,
        fromKey: null,
        toKey: `publicContainerGroup:${group.id}`,
        protocol: e.protocol === 'icmp' ? 'icmp' : e.protocol,
        ports: e.ports === null ? '-' : portWords(e.ports),
        verdict: 'allow',
      }));
      const first = exposures[0];
      return {
        // Data store and broker ports are critical here too: nothing but the container filters them.
        severity: worst === null ? 'low' : worst === 'other' || worst === 'icmp' ? 'high' : 'critical',
        message:
          exposures.length === 0
            ? `Container group ${group.name} has public IP ${group.ipAddress!.ip} (no ports listed, no NSG can apply)`
            : `Container group ${group.name} is open to the Internet on ${exposures.map(exposureText).join(', ')} at ${group.ipAddress!.ip} (no NSG can apply)`,
        resources: [{ kind: 'containerGroup', id: group.id, name: group.name }],
        ...capFlows(flows),
        rules: [],
        explain:
          first === undefined || first.ports === null
            ? null
            : explainCommand(
                'Internet',
                names.groupEndpoint(group),
                first.protocol === 'icmp' ? 'icmp' : first.protocol,
                first.ports.first() ?? null,
              ),
        location: { snapshotPointer: pointers.resource('containerGroups', group.id)! },
        risk: exposureRisk(exposures, 1, true),
        identity: [group.id],
      };
    });
  },
};

function portsOf(group: ContainerGroup, protocol: 'TCP' | 'UDP') {
  return IntervalSet.of(
    portDomain,
    (group.ipAddress?.ports ?? [])
      .filter((p) => p.protocol === protocol)
      .map((p) => [p.port, p.port] as [number, number]),
  );
}
