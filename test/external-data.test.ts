/**
 * Real Azure data written by others (../shared/external, see its README.md and SOURCES.md files):
 * every JSON file there is imported on its own and its outcome is asserted exactly — what it holds,
 * what is skipped and why. The files are read in place, never copied. On a fresh clone without
 * ../shared the suite is skipped with a note; with `CI` set it fails instead (test/support/external-data.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importPaths, type ImportOutcome } from '../src/collect/files';
import type { Snapshot } from '../src/model/snapshot';
import { locateExternalData } from './support/external-data';

const data = locateExternalData();
const root = data.root;
const present = data.mode === 'run';
if (data.mode === 'skip') console.warn(data.note);
if (data.mode === 'fail') {
  describe('external data (../shared/external)', () => {
    it('is present (CI is set, so this suite may not skip)', () => {
      throw new Error(data.note);
    });
  });
}

interface Counts {
  virtualNetworks: number;
  subnets: number;
  peerings: number;
  nsgs: number;
  customRules: number;
  routeTables: number;
  routes: number;
  asgs: number;
  containerGroups: number;
  networkGroups: number;
  adminRuleCollections: number;
  adminRules: number;
}

interface Expected {
  /** Only the non-zero counts; every other count must be zero. */
  counts?: Partial<Counts>;
  skipped?: Record<string, number>;
  /** Warning codes and how many of each (exactly). */
  warnings?: Record<string, number>;
  /** The file must be refused: one fatal diagnostic with this code, at this path, saying this. */
  fatal?: { code: string; path: string | null; says: string };
  /** Further checks on the snapshot's content. */
  check?: (s: Snapshot) => void;
}

function countsOf(s: Snapshot): Counts {
  return {
    virtualNetworks: s.virtualNetworks.length,
    subnets: s.subnets.length,
    peerings: s.virtualNetworkPeerings.length,
    nsgs: s.networkSecurityGroups.length,
    customRules: s.networkSecurityGroups.reduce((n, g) => n + g.securityRules.length, 0),
    routeTables: s.routeTables.length,
    routes: s.routeTables.reduce((n, t) => n + t.routes.length, 0),
    asgs: s.applicationSecurityGroups.length,
    containerGroups: s.containerGroups.length,
    networkGroups: s.networkGroups.length,
    adminRuleCollections: s.securityAdminRuleCollections.length,
    adminRules: s.securityAdminRules.length,
  };
}

const ZERO: Counts = {
  virtualNetworks: 0,
  subnets: 0,
  peerings: 0,
  nsgs: 0,
  customRules: 0,
  routeTables: 0,
  routes: 0,
  asgs: 0,
  containerGroups: 0,
  networkGroups: 0,
  adminRuleCollections: 0,
  adminRules: 0,
};

const REST_NET =
  'Azure-azure-rest-api-specs/specification/network/resource-manager/Microsoft.Network/Network/stable';
const REST_ACI =
  'Azure-azure-rest-api-specs/specification/containerinstance/resource-manager/Microsoft.ContainerInstance/ContainerInstance/examples/2025-09-01';
const KICS =
  'Checkmarx-kics/assets/queries/azureResourceManager/network_security_group_with_unrestricted_access_to_ssh/test';
const CHECKOV = 'bridgecrewio-checkov/tests/arm/checks/resource';
const CONNECTOR = 'microsoft-AzureNetworkWatcherNSGFlowLogsConnector';
const PLACEHOLDER = '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/template/providers';
const FLOW_LOG = { code: 'UNRECOGNISED_SHAPE', path: '$', says: 'flow log' };
/** A template whose resources all get placeholder IDs warns once about it. */
const TEMPLATE_SCOPE_WARNING = { UNKNOWN_VALUE: 1 };

/** Expected outcome of every JSON file, written against its content (see the SOURCES.md notes). */
const EXPECTED: Record<string, Expected> = {
  // A real recorded subnet GET (CRLF line endings): delegated to ACI.
  'Azure-azure-cli/src/azure-cli/azure/cli/command_modules/container/tests/latest/recordings/test_container_create_with_vnet.yaml.subnet-GET-response.json':
    {
      counts: { subnets: 1 },
      check: (s) =>
        expect(s.subnets[0]).toMatchObject({
          name: 'subnet000004',
          resourceGroup: 'clitest.rg000001',
          virtualNetworkId:
            '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/clitest.rg000001/providers/microsoft.network/virtualnetworks/vent000003',
          addressPrefixes: ['10.0.0.0/24'],
          delegations: ['Microsoft.ContainerInstance/containerGroups'],
        }),
    },
  // Dual-stack template: the VNet's prefixes are variables (skipped); the NSG (4 literal rules) and the
  // IPv6 route table are imported, their `[parameters('location')]` read as null.
  'Azure-azure-quickstart-templates/demos/ipv6-in-vnet-stdlb/azuredeploy.json': {
    counts: { nsgs: 1, customRules: 4, routeTables: 1, routes: 1 },
    skipped: {
      'Microsoft.Compute/availabilitySets': 1,
      'Microsoft.Compute/virtualMachines': 1,
      'Microsoft.Network/loadBalancers': 1,
      'Microsoft.Network/networkInterfaces': 1,
      'Microsoft.Network/publicIPAddresses': 3,
    },
    warnings: { TEMPLATE_EXPRESSION: 1, SKIPPED_RESOURCE_TYPE: 5, ...TEMPLATE_SCOPE_WARNING },
    check: (s) => {
      const nsg = s.networkSecurityGroups[0];
      expect(nsg).toMatchObject({
        id: `${PLACEHOLDER}/microsoft.network/networksecuritygroups/dsnsg`,
        location: null,
      });
      expect(
        nsg?.securityRules.map((r) => [r.name, r.direction, r.priority, r.protocol, r.sourcePortRanges]),
      ).toEqual([
        ['allow-HTTP-in', 'Inbound', 1001, 'Tcp', ['80']],
        ['allow-RDP-in', 'Inbound', 1003, 'Tcp', ['*']],
        ['allow-all-out', 'Outbound', 1002, '*', ['*']],
        ['allow-MyIpv6App-out', 'Outbound', 1004, 'Tcp', ['33819-33829']],
      ]);
      expect(nsg?.securityRules[3]?.destinationAddressPrefixes).toEqual([
        'cab:cab:aaaa:bbbb::/64',
        'cab:cab:1111:2222::/64',
      ]);
      expect(s.routeTables[0]?.routes).toEqual([
        {
          name: 'v6route',
          addressPrefix: 'cab:cab::/96',
          nextHopType: 'VirtualAppliance',
          nextHopIpAddress: 'ace:cab:deca:f00d::1',
        },
      ]);
    },
  },
  // Every name is a parameter or variable: nothing can be imported without guessing.
  'Azure-azure-quickstart-templates/quickstarts/microsoft.containerinstance/aci-vnet/azuredeploy.json': {
    warnings: { TEMPLATE_EXPRESSION: 4 },
  },
  // Request and response bodies; only the 200 body counts. It has subnetIds but no ipAddress yet.
  [`${REST_ACI}/ContainerGroupExtensions.json`]: {
    counts: { containerGroups: 1 },
    check: (s) =>
      expect(s.containerGroups[0]).toMatchObject({
        name: 'demo1',
        ipAddress: null,
        subnetIds: [
          '/subscriptions/00000000-0000-0000-0000-00000000/resourcegroups/test-rg/providers/microsoft.network/virtualnetworks/test-rg-vnet/subnets/test-subnet',
        ],
        containers: [
          {
            name: 'demo1',
            image: 'nginx',
            ports: [{ port: 80, protocol: 'TCP' }],
            environmentVariableNames: [],
          },
        ],
      }),
  },
  [`${REST_ACI}/ContainerGroupsGet_Succeeded.json`]: {
    counts: { containerGroups: 1 },
    check: (s) =>
      expect(s.containerGroups[0]?.ipAddress).toEqual({
        type: 'Public',
        ip: '10.0.0.1',
        ports: [{ port: 80, protocol: 'TCP' }],
        dnsNameLabel: null,
        fqdn: null,
      }),
  },
  [`${REST_ACI}/ContainerGroupsList.json`]: { counts: { containerGroups: 1 } },
  [`${REST_NET}/2025-05-01/examples/ApplicationSecurityGroupGet.json`]: { counts: { asgs: 1 } },
  // Effective rules are a computed view of a NIC, not resources.
  [`${REST_NET}/2025-05-01/examples/NetworkInterfaceEffectiveNSGList.json`]: {
    fatal: {
      code: 'UNRECOGNISED_SHAPE',
      path: '$',
      says: 'effective security rules',
    },
  },
  // A flow-log *resource* (configuration), with a Cyrillic name in its id: counted, not modelled.
  [`${REST_NET}/2025-05-01/examples/NetworkWatcherFlowLogGet.json`]: {
    skipped: { 'Microsoft.Network/networkWatchers/FlowLogs': 1 },
    warnings: { SKIPPED_RESOURCE_TYPE: 1 },
  },
  [`${REST_NET}/2025-07-01/examples/SubnetGet.json`]: {
    counts: { subnets: 1 },
    check: (s) =>
      expect(s.subnets[0]).toMatchObject({
        subscriptionId: 'subid',
        resourceGroup: 'subnet-test',
        addressPrefixes: ['10.0.0.0/16'],
      }),
  },
  [`${REST_NET}/2026-01-01/examples/NetworkSecurityGroupGet.json`]: {
    counts: { nsgs: 1, customRules: 1 },
    check: (s) => {
      expect(s.networkSecurityGroups[0]?.securityRules[0]).toMatchObject({
        name: 'rule1',
        priority: 130,
        protocol: '*',
        destinationPortRanges: ['80'],
      });
      expect(s.networkSecurityGroups[0]?.defaultSecurityRules.map((r) => r.name)).toEqual([
        'AllowVnetInBound',
        'AllowAzureLoadBalancerInBound',
        'DenyAllInBound',
        'AllowVnetOutBound',
        'AllowInternetOutBound',
        'DenyAllOutBound',
      ]);
    },
  },
  [`${REST_NET}/2026-01-01/examples/RouteTableGet.json`]: { counts: { routeTables: 1, routes: 1 } },
  // A serviceTags resource (id and type), not the ServiceTags_Public download: counted as another type.
  [`${REST_NET}/2026-01-01/examples/ServiceTagsList.json`]: {
    skipped: { 'Microsoft.Network/serviceTags': 1 },
    warnings: { SKIPPED_RESOURCE_TYPE: 1 },
  },
  // No "type": inferred from the id.
  [`${REST_NET}/2026-01-01/examples/SubnetGetWithDelegation.json`]: {
    counts: { subnets: 1 },
    check: (s) => expect(s.subnets[0]?.delegations).toEqual(['Microsoft.Provider/resourceType']),
  },
  [`${REST_NET}/2026-01-01/examples/VirtualNetworkGet.json`]: { counts: { virtualNetworks: 1, subnets: 1 } },
  [`${REST_NET}/2026-01-01/examples/VirtualNetworkGetWithSubnetDelegation.json`]: {
    counts: { virtualNetworks: 1, subnets: 1 },
  },
  [`${REST_NET}/2026-01-01/examples/VirtualNetworkList.json`]: { counts: { virtualNetworks: 2, subnets: 1 } },
  [`${REST_NET}/2026-01-01/examples/VirtualNetworkPeeringGet.json`]: {
    counts: { peerings: 1 },
    check: (s) =>
      expect(s.virtualNetworkPeerings[0]).toMatchObject({
        remoteAddressPrefixes: ['12.0.0.0/8'],
        peeringState: 'Initiated',
        allowForwardedTraffic: true,
        virtualNetworkId:
          '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/peertest/providers/microsoft.network/virtualnetworks/vnet1',
      }),
  },
  [`${KICS}/negative1.json`]: { counts: { nsgs: 1, customRules: 1 }, warnings: TEMPLATE_SCOPE_WARNING },
  // A top-level "sample/securitygroup" rule whose NSG is not in the file: the NSG is created.
  [`${KICS}/negative2.json`]: {
    counts: { nsgs: 1, customRules: 1 },
    warnings: { DANGLING_REFERENCE: 1, ...TEMPLATE_SCOPE_WARNING },
    check: (s) =>
      expect(s.networkSecurityGroups[0]?.securityRules[0]?.destinationPortRanges).toEqual(['4030-5100']),
  },
  // Known conflict in the issue: it asks both for "duplicate priority → exit 2" and for "every external
  // file imports with no fatal diagnostic". This file has two Inbound rules at priority 301, which
  // Azure would reject, so DUPLICATE_PRIORITY stays fatal and this one file is refused.
  [`${KICS}/positive1.json`]: {
    fatal: {
      code: 'DUPLICATE_PRIORITY',
      path: '$.resources[0].properties.securityRules[1]',
      says: '"security rule" and "security rule2"',
    },
  },
  [`${KICS}/positive2.json`]: {
    counts: { nsgs: 1, customRules: 1 },
    warnings: { DANGLING_REFERENCE: 1, ...TEMPLATE_SCOPE_WARNING },
  },
  // Wrapped in a Blueprint artifact.
  [`${KICS}/positive4.json`]: { counts: { nsgs: 1, customRules: 1 }, warnings: TEMPLATE_SCOPE_WARNING },
  [`${KICS}/positive5.json`]: {
    counts: { nsgs: 1, customRules: 1 },
    warnings: { DANGLING_REFERENCE: 1, ...TEMPLATE_SCOPE_WARNING },
  },
  // Nested child rule (relative type and name) with protocol "TCP".
  [`${KICS}/positive7.json`]: {
    counts: { nsgs: 1, customRules: 1 },
    warnings: TEMPLATE_SCOPE_WARNING,
    check: (s) =>
      expect(s.networkSecurityGroups[0]?.securityRules[0]).toMatchObject({
        name: 'sr',
        protocol: 'Tcp',
        destinationPortRanges: ['22-23'],
      }),
  },
  // KICS's expected findings, not Azure data.
  [`${KICS}/positive_expected_result.json`]: {
    fatal: { code: 'UNRECOGNISED_SHAPE', path: '$[0]', says: 'without "id" or "type"' },
  },
  'MicrosoftDocs-azure-docs/articles/network-watcher/nsg-flow-logs-overview.version-1-sample.json': {
    fatal: FLOW_LOG,
  },
  'MicrosoftDocs-azure-docs/articles/network-watcher/vnet-flow-logs-overview.sample-log-record.json': {
    fatal: FLOW_LOG,
  },
  // Names are parameters: the VNet, the NSG and the standalone rule are all skipped.
  [`${CHECKOV}/example_NSGRuleHTTPAccessRestricted/NSGRulePortAccessRestricted-RULE-1Pass-1Fail.json`]: {
    warnings: { TEMPLATE_EXPRESSION: 3 },
  },
  [`${CHECKOV}/example_NSGRuleSSHAccessRestricted/NSGRulePortAccessRestricted-FAILED.json`]: {
    skipped: {
      'Microsoft.Compute/virtualMachines': 1,
      'Microsoft.Compute/virtualMachineScaleSets': 1,
      'Microsoft.Network/networkInterfaces': 1,
      'Microsoft.Network/publicIPAddresses': 1,
      'Microsoft.Storage/storageAccounts': 1,
    },
    warnings: { TEMPLATE_EXPRESSION: 3, SKIPPED_RESOURCE_TYPE: 5 },
  },
  [`${CHECKOV}/example_NSGRuleSSHAccessRestricted/NSGRulePortAccessRestricted-RULE-PASSED.json`]: {
    warnings: { TEMPLATE_EXPRESSION: 2 },
  },
  // The type is written with a trailing slash ("…/FlowLogs/").
  [`${CHECKOV}/example_NetworkWatcherFlowLogPeriod/networkWatcherFlowLogPeriod-PASSED.json`]: {
    skipped: { 'Microsoft.Network/networkWatchers/FlowLogs': 1 },
    warnings: { SKIPPED_RESOURCE_TYPE: 1 },
  },
  // Not strict JSON: a trailing comma after the last flow tuple.
  [`${CONNECTOR}/NwNsgProject.Tests/AzureNSGFlowLogsv1.json`]: {
    fatal: {
      code: 'NOT_JSON',
      path: null,
      says: 'line 36, column 85: trailing comma before the end of an array',
    },
  },
  [`${CONNECTOR}/NwNsgProject/sampleJsonInput.json`]: { fatal: FLOW_LOG },
};

function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...jsonFiles(full));
    else if (entry.name.endsWith('.json')) out.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return out.sort();
}

function tally(codes: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of codes) out[c] = (out[c] ?? 0) + 1;
  return out;
}

(present ? describe : describe.skip)('external data (../shared/external)', () => {
  // Without ../shared the whole suite is skipped; `each` still needs one row to build the skipped suite.
  const files = present ? jsonFiles(root) : ['(../shared/external is absent)'];

  it('has an expected outcome for every JSON file there, and no stale expectation', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  describe.each(files)('%s', (file) => {
    let outcome: ImportOutcome;
    beforeAll(() => {
      // Each file on its own: a file with nothing aciseg models is not an error here (see below).
      outcome = importPaths([file], root, { allowEmpty: true });
    });
    const expected = EXPECTED[file] ?? {};
    if (expected.fatal === undefined && Object.values(expected.counts ?? {}).every((n) => n === 0)) {
      it('is EMPTY_INPUT on its own without --allow-empty (nothing aciseg models)', () => {
        const alone = importPaths([file], root);
        expect(alone.snapshot).toBeUndefined();
        expect(alone.diagnostics.filter((d) => d.severity === 'fatal').map((d) => [d.code, d.file])).toEqual([
          ['EMPTY_INPUT', file],
        ]);
      });
    }

    if (expected.fatal !== undefined) {
      const f = expected.fatal;
      it(`is refused with ${f.code}`, () => {
        expect(outcome.snapshot).toBeUndefined();
        const fatal = outcome.diagnostics.filter((d) => d.severity === 'fatal');
        expect(fatal.map((d) => [d.code, d.file, d.path])).toEqual([[f.code, file, f.path]]);
        expect(fatal[0]?.message).toContain(f.says);
      });
      return;
    }

    it('imports with no fatal diagnostic, the expected resources and skipped types', () => {
      expect(outcome.diagnostics.filter((d) => d.severity === 'fatal')).toEqual([]);
      const s = outcome.snapshot as Snapshot;
      expect(countsOf(s)).toEqual({ ...ZERO, ...expected.counts });
      expect(Object.fromEntries(s.skippedResourceTypes.map((t) => [t.type, t.count]))).toEqual(
        expected.skipped ?? {},
      );
      expect(tally(outcome.diagnostics.map((d) => d.code))).toEqual(expected.warnings ?? {});
      expect(s.diagnostics).toEqual(outcome.diagnostics);
      expected.check?.(s);
    });
  });

  it('imports every file that is not refused together, merging the resources they share', () => {
    const accepted = files.filter((f) => EXPECTED[f]?.fatal === undefined);
    const outcome = importPaths(accepted, root);
    expect(outcome.diagnostics.filter((d) => d.severity === 'fatal')).toEqual([]);
    const s = outcome.snapshot as Snapshot;
    // test-vnet is in two VNet GETs (merged: the second adds its subnet's delegation), vnet1 and vnet2
    // come from the list; ContainerGroupsGet and ContainerGroupsList hold the same group.
    expect(s.virtualNetworks.map((v) => v.name)).toEqual(['test-vnet', 'vnet1', 'vnet2']);
    expect(s.containerGroups.map((g) => g.name)).toEqual(['demo1', 'demo1']);
    // KICS's "sample/securitygroup" is defined three times with different ports, and its "security
    // group" NSG twice with different rules: the first definition (by file name) wins, with a warning.
    const sample = s.networkSecurityGroups.find((n) => n.name === 'sample');
    expect(sample?.securityRules[0]?.destinationPortRanges).toEqual(['4030-5100']);
    expect(
      outcome.diagnostics
        .filter((d) => d.code === 'DUPLICATE_RESOURCE')
        .map((d) => path.basename(d.file ?? '')),
    ).toEqual(['positive4.json', 'positive2.json', 'positive5.json']);
    expect(outcome.diagnostics.filter((d) => d.code === 'DANGLING_REFERENCE')).toHaveLength(1);
  });
});
