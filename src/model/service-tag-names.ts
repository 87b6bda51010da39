/**
 * The service tag names Azure publishes, for a warning when a rule or route names something else
 * (a typo such as `Storag` would otherwise become a silently unresolved tag).
 *
 * Source: the "Available service tags" table of "Azure service tags overview"
 * (learn.microsoft.com/azure/virtual-network/service-tags-overview; MicrosoftDocs/azure-docs
 * articles/virtual-network/service-tags-overview.md, revision of 2023–2024, read 2026-12-01), plus
 * names seen in the Service Tag Discovery API example (ServiceTagsList.json, Microsoft.Network
 * 2026-01-01). Base names only: regional forms (`Storage.WestEurope`, `AzureCloud.centralfrance`)
 * are a known base, a dot and a region word. Azure adds tags over time, so a name missing here is
 * a warning, never an error; `--service-tags` files remain the authority on what a tag contains.
 */
const NAMES = [
  'ActionGroup',
  'ApiManagement',
  'AppConfiguration',
  'ApplicationInsightsAvailability',
  'AppService',
  'AppServiceManagement',
  'AutonomousDevelopmentPlatform',
  'AzureActiveDirectory',
  'AzureActiveDirectoryDomainServices',
  'AzureAdvancedThreatProtection',
  'AzureArcInfrastructure',
  'AzureAttestation',
  'AzureBackup',
  'AzureBotService',
  'AzureCloud',
  'AzureCognitiveSearch',
  'AzureConnectors',
  'AzureContainerAppsService',
  'AzureContainerRegistry',
  'AzureCosmosDB',
  'AzureDatabricks',
  'AzureDataExplorerManagement',
  'AzureDataLake',
  'AzureDeviceUpdate',
  'AzureDevOps',
  'AzureDevSpaces',
  'AzureDigitalTwins',
  'AzureEventGrid',
  'AzureFrontDoor.Backend',
  'AzureFrontDoor.FirstParty',
  'AzureFrontDoor.Frontend',
  'AzureHealthcareAPIs',
  'AzureInformationProtection',
  'AzureIoTHub',
  'AzureKeyVault',
  'AzureLoadBalancer',
  'AzureLoadTestingInstanceManagement',
  'AzureMachineLearning',
  'AzureMachineLearningInference',
  'AzureManagedGrafana',
  'AzureMonitor',
  'AzureOpenDatasets',
  'AzurePlatformDNS',
  'AzurePlatformIMDS',
  'AzurePlatformLKM',
  'AzureResourceManager',
  'AzureSentinel',
  'AzureSignalR',
  'AzureSiteRecovery',
  'AzureSphere',
  'AzureSpringCloud',
  'AzureStack',
  'AzureTrafficManager',
  'AzureUpdateDelivery',
  'AzureWebPubSub',
  'BatchNodeManagement',
  'ChaosStudio',
  'CognitiveServicesFrontend',
  'CognitiveServicesManagement',
  'DataFactory',
  'DataFactoryManagement',
  'Dynamics365BusinessCentral',
  'Dynamics365ForMarketingEmail',
  'EOPExternalPublishedIPs',
  'EventHub',
  'GatewayManager',
  'GuestAndHybridManagement',
  'HDInsight',
  'Internet',
  'KustoAnalytics',
  'LogicApps',
  'LogicAppsManagement',
  'M365ManagementActivityApi',
  'M365ManagementActivityApiWebhook',
  'Marketplace',
  'MicrosoftAzureFluidRelay',
  'MicrosoftCloudAppSecurity',
  'MicrosoftContainerRegistry',
  'MicrosoftDefenderForEndpoint',
  'MicrosoftPurviewPolicyDistribution',
  'PowerBI',
  'PowerPlatformInfra',
  'PowerPlatformPlex',
  'PowerQueryOnline',
  'ServiceBus',
  'ServiceFabric',
  'Sql',
  'SqlManagement',
  'Storage',
  'StorageSyncService',
  'VirtualNetwork',
  'WindowsAdminCenter',
  'WindowsVirtualDesktop',
];

const KNOWN: ReadonlySet<string> = new Set(NAMES.map((n) => n.toLowerCase()));

/** A region word after the dot: `WestEurope`, `eastus2euap`, `centralfrance`. */
const REGION = /^[A-Za-z][A-Za-z0-9]*$/;

/** True for a published tag name or a regional form of one (compared case-insensitively). */
export function isKnownServiceTag(name: string): boolean {
  const lower = name.toLowerCase();
  if (KNOWN.has(lower)) return true;
  const dot = lower.lastIndexOf('.');
  return dot > 0 && KNOWN.has(lower.slice(0, dot)) && REGION.test(lower.slice(dot + 1));
}

const CANONICAL: ReadonlyMap<string, string> = new Map(NAMES.map((n) => [n.toLowerCase(), n]));

/**
 * A tag name in its published spelling where the base is known (`azurecontainerregistry.westeurope` →
 * `AzureContainerRegistry.westeurope`; the region word keeps the case given, as Azure compares tags
 * case-insensitively); other names unchanged.
 */
export function canonicalServiceTagName(name: string): string {
  const dot = name.indexOf('.');
  const base = dot < 0 ? name : name.slice(0, dot);
  const known = CANONICAL.get(base.toLowerCase());
  return known === undefined ? name : `${known}${dot < 0 ? '' : name.slice(dot)}`;
}
