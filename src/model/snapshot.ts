/**
 * The snapshot: aciseg's normalized, versioned, provider-neutral picture of an estate. `import` and
 * `collect` produce it; every other command reads it. It is the seam of the pipeline.
 *
 * Conventions, enforced by `normalize` and checked by this schema:
 * - `id`s and every reference to another resource are lower-cased ARM resource IDs (for joins);
 *   `name`, `resourceGroup` and `subscriptionId` keep the case the input gave.
 * - Address prefixes are canonical (`10.0.0.0/24`, single addresses as `/32` or `/128`), service tags
 *   are kept by name (`VirtualNetwork`, `Internet`, `AzureLoadBalancer`, `*` in canonical case; other
 *   tags as written). Port ranges are `*`, `80` or `80-90`. Singular and plural fields are merged.
 * - Every array is sorted by a stable key, so the same input gives a byte-identical file.
 * - No secret is stored: container environment variables keep their names only.
 */
import { z } from 'zod';

export const SCHEMA_VERSION = 1;

const resourceId = z.string().min(1).describe('Lower-cased ARM resource ID.');
// What JSON Schema cannot say about values (canonical prefixes, low ≤ high, unique priorities) is
// checked by snapshotValueProblems (snapshot-values.ts) when a snapshot is read.
const prefix = z.string().min(1).describe('Canonical CIDR (IPv4 or IPv6), a service tag, or *.');
const cidr = z.string().min(1).describe('Canonical CIDR (IPv4 or IPv6).');
const PORT = '(0|[1-9]\\d{0,3}|[1-5]\\d{4}|6[0-4]\\d{3}|65[0-4]\\d{2}|655[0-2]\\d|6553[0-5])';
// The pattern is for JSON Schema readers; aciseg checks ports in snapshotValueProblems (as INVALID_PORT).
const portRange = z.string().meta({
  pattern: `^(\\*|${PORT}(-${PORT})?)$`,
  description: '*, a port 0-65535, or an inclusive range low-high with low ≤ high.',
});

/**
 * Where `aciseg import` read a resource (by its ID): the input file as it was named and the JSON path
 * of the resource in it (`$.value[3]`, `$.value[0].properties.subnets[1]`). SARIF findings point there
 * as well as at the snapshot. Security rules are not listed (a rule's origin is its NSG's).
 */
export const ResourceOrigin = z.object({ id: resourceId, file: z.string(), path: z.string() }).strict();
export type ResourceOrigin = z.infer<typeof ResourceOrigin>;

const resourceBase = {
  id: resourceId,
  name: z.string(),
  resourceGroup: z.string().nullable().describe('As written in the input ID; null when the input has no ID.'),
  subscriptionId: z.string().nullable(),
};

export const Protocol = z.enum(['Tcp', 'Udp', 'Icmp', 'Esp', 'Ah', '*']);
export type Protocol = z.infer<typeof Protocol>;

export const Direction = z.enum(['Inbound', 'Outbound']);
export type Direction = z.infer<typeof Direction>;

export const SecurityRule = z
  .object({
    name: z.string(),
    description: z.string().nullable(),
    priority: z.number().int().min(100).max(65500),
    direction: Direction,
    access: z.enum(['Allow', 'Deny']),
    protocol: Protocol,
    sourceAddressPrefixes: z.array(prefix),
    sourcePortRanges: z.array(portRange).min(1),
    destinationAddressPrefixes: z.array(prefix),
    destinationPortRanges: z.array(portRange).min(1),
    sourceApplicationSecurityGroupIds: z.array(resourceId),
    destinationApplicationSecurityGroupIds: z.array(resourceId),
  })
  .strict();
export type SecurityRule = z.infer<typeof SecurityRule>;

export const NetworkSecurityGroup = z
  .object({
    ...resourceBase,
    location: z.string().nullable(),
    /** Custom rules, sorted by direction (Inbound first) then priority. */
    securityRules: z.array(SecurityRule),
    /** The six default rules (from the input, or synthesized when it had none), same order. */
    defaultSecurityRules: z.array(SecurityRule),
  })
  .strict();
export type NetworkSecurityGroup = z.infer<typeof NetworkSecurityGroup>;

export const VirtualNetwork = z
  .object({
    ...resourceBase,
    location: z.string().nullable(),
    addressPrefixes: z.array(cidr),
    /** Virtual network gateways attached to this VNet (they bring on-premises prefixes into `VirtualNetwork`). */
    gatewayIds: z.array(resourceId),
  })
  .strict();
export type VirtualNetwork = z.infer<typeof VirtualNetwork>;

export const Subnet = z
  .object({
    ...resourceBase,
    virtualNetworkId: resourceId,
    addressPrefixes: z.array(cidr),
    networkSecurityGroupId: resourceId.nullable(),
    routeTableId: resourceId.nullable(),
    natGatewayId: resourceId.nullable(),
    /** Service names the subnet is delegated to, e.g. `Microsoft.ContainerInstance/containerGroups`. */
    delegations: z.array(z.string()),
  })
  .strict();
export type Subnet = z.infer<typeof Subnet>;

export const VirtualNetworkPeering = z
  .object({
    ...resourceBase,
    virtualNetworkId: resourceId,
    remoteVirtualNetworkId: resourceId.nullable(),
    /** What is actually peered (`remoteAddressSpace`, else `remoteVirtualNetworkAddressSpace`); null when absent. */
    remoteAddressPrefixes: z.array(cidr).nullable(),
    peeringState: z.string().nullable(),
    peeringSyncLevel: z.string().nullable(),
    allowVirtualNetworkAccess: z.boolean(),
    allowForwardedTraffic: z.boolean(),
    allowGatewayTransit: z.boolean(),
    useRemoteGateways: z.boolean(),
  })
  .strict();
export type VirtualNetworkPeering = z.infer<typeof VirtualNetworkPeering>;
/** A peering's state and flags, as the topology and the summary show them. */
export type PeeringFlags = Pick<
  VirtualNetworkPeering,
  | 'peeringState'
  | 'peeringSyncLevel'
  | 'remoteAddressPrefixes'
  | 'allowVirtualNetworkAccess'
  | 'allowForwardedTraffic'
  | 'allowGatewayTransit'
  | 'useRemoteGateways'
>;

export const Route = z
  .object({
    name: z.string(),
    /** A canonical CIDR or a service tag (UDRs accept most tags). */
    addressPrefix: prefix,
    nextHopType: z.string(),
    nextHopIpAddress: z.string().nullable(),
  })
  .strict();
export type Route = z.infer<typeof Route>;

export const RouteTable = z
  .object({
    ...resourceBase,
    location: z.string().nullable(),
    disableBgpRoutePropagation: z.boolean(),
    routes: z.array(Route),
  })
  .strict();
export type RouteTable = z.infer<typeof RouteTable>;

export const ApplicationSecurityGroup = z
  .object({
    ...resourceBase,
    location: z.string().nullable(),
  })
  .strict();
export type ApplicationSecurityGroup = z.infer<typeof ApplicationSecurityGroup>;

export const ContainerPort = z
  .object({
    port: z.number().int().min(0).max(65535),
    protocol: z.enum(['TCP', 'UDP']),
  })
  .strict();
export type ContainerPort = z.infer<typeof ContainerPort>;

export const Container = z
  .object({
    name: z.string(),
    image: z.string().nullable(),
    ports: z.array(ContainerPort),
    /** Names only: values (plain or secure) never enter a snapshot. */
    environmentVariableNames: z.array(z.string()),
  })
  .strict();
export type Container = z.infer<typeof Container>;

export const ContainerGroup = z
  .object({
    ...resourceBase,
    location: z.string().nullable(),
    osType: z.string().nullable(),
    provisioningState: z.string().nullable(),
    ipAddress: z
      .object({
        type: z.enum(['Public', 'Private']).nullable(),
        /** Canonical address text, or null when the group has none yet. */
        ip: z.string().nullable(),
        ports: z.array(ContainerPort),
        dnsNameLabel: z.string().nullable(),
        fqdn: z.string().nullable(),
      })
      .strict()
      .nullable(),
    /** Subnets the group is injected into (from `subnetIds`, or resolved through a legacy network profile). */
    subnetIds: z.array(resourceId),
    /** Legacy `networkProfile.id` (API ≤ 2021-03-01), kept when the group used one. */
    networkProfileId: resourceId.nullable(),
    containers: z.array(Container),
    initContainers: z.array(Container),
  })
  .strict();
export type ContainerGroup = z.infer<typeof ContainerGroup>;

export const AdminRuleAddress = z
  .object({
    addressPrefix: prefix,
    addressPrefixType: z.enum(['IPPrefix', 'ServiceTag']),
  })
  .strict();

export const SecurityAdminRule = z
  .object({
    ...resourceBase,
    /** The rule collection this rule belongs to (lower-cased ID). */
    ruleCollectionId: resourceId,
    priority: z.number().int().min(1).max(4096),
    direction: Direction,
    access: z.enum(['Allow', 'AlwaysAllow', 'Deny']),
    protocol: Protocol,
    sources: z.array(AdminRuleAddress),
    destinations: z.array(AdminRuleAddress),
    sourcePortRanges: z.array(portRange),
    destinationPortRanges: z.array(portRange),
  })
  .strict();
export type SecurityAdminRule = z.infer<typeof SecurityAdminRule>;

export const SecurityAdminRuleCollection = z
  .object({
    ...resourceBase,
    /** The security admin configuration this collection belongs to. */
    configurationId: resourceId,
    /** Network groups whose member VNets the collection's rules apply to. */
    appliesToGroupIds: z.array(resourceId),
  })
  .strict();
export type SecurityAdminRuleCollection = z.infer<typeof SecurityAdminRuleCollection>;

export const NetworkGroup = z
  .object({
    ...resourceBase,
    /** VNets listed as static members. */
    staticMemberIds: z.array(resourceId),
  })
  .strict();
export type NetworkGroup = z.infer<typeof NetworkGroup>;

export const Diagnostic = z
  .object({
    severity: z.enum(['fatal', 'warning']),
    code: z.string(),
    message: z.string(),
    file: z.string().nullable(),
    path: z.string().nullable(),
  })
  .strict();

export const Snapshot = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    generator: z.object({ name: z.literal('aciseg'), version: z.string() }).strict(),
    source: z
      .object({
        kind: z.enum(['import', 'collect']),
        /** ISO-8601 time of a live collection; null for imports (keeps imports byte-identical). */
        collectedAt: z.string().nullable(),
      })
      .strict(),
    virtualNetworks: z.array(VirtualNetwork),
    subnets: z.array(Subnet),
    virtualNetworkPeerings: z.array(VirtualNetworkPeering),
    networkSecurityGroups: z.array(NetworkSecurityGroup),
    routeTables: z.array(RouteTable),
    applicationSecurityGroups: z.array(ApplicationSecurityGroup),
    containerGroups: z.array(ContainerGroup),
    networkGroups: z.array(NetworkGroup),
    securityAdminRuleCollections: z.array(SecurityAdminRuleCollection),
    securityAdminRules: z.array(SecurityAdminRule),
    /** Resource types seen in the input that aciseg does not model, with how many of each. */
    skippedResourceTypes: z.array(z.object({ type: z.string(), count: z.number().int().min(1) }).strict()),
    /** Warnings raised while building the snapshot (fatal problems never produce a snapshot). */
    diagnostics: z.array(Diagnostic),
    /** Import only: where each resource was read, by ID (empty for collect and for older snapshots). */
    origins: z.array(ResourceOrigin).default([]),
  })
  .strict();
export type Snapshot = z.infer<typeof Snapshot>;

/** The resource arrays of a snapshot, in file order; each is one line per element in the file. */
export const RESOURCE_ARRAYS = [
  'virtualNetworks',
  'subnets',
  'virtualNetworkPeerings',
  'networkSecurityGroups',
  'routeTables',
  'applicationSecurityGroups',
  'containerGroups',
  'networkGroups',
  'securityAdminRuleCollections',
  'securityAdminRules',
  'skippedResourceTypes',
  'diagnostics',
  'origins',
] as const satisfies readonly (keyof Snapshot)[];
