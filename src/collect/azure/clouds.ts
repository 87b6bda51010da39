/** The Azure clouds aciseg can collect from: where ARM is, which audience its tokens need, where to sign in. */

export const CLOUD_NAMES = ['AzureCloud', 'AzureChinaCloud', 'AzureUSGovernment'] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

export interface AzureTarget {
  cloud: CloudName;
  /** The ARM endpoint every client talks to (origin, no trailing slash). */
  armEndpoint: string;
  /** The token scope for ARM (`<audience>/.default`). */
  scope: string;
  /** Microsoft Entra ID authority host for DefaultAzureCredential. */
  authorityHost: string;
}

const CLOUDS: Record<CloudName, { arm: string; authority: string }> = {
  AzureCloud: { arm: 'https://management.azure.com', authority: 'https://login.microsoftonline.com' },
  AzureChinaCloud: {
    arm: 'https://management.chinacloudapi.cn',
    authority: 'https://login.chinacloudapi.cn',
  },
  AzureUSGovernment: {
    arm: 'https://management.usgovcloudapi.net',
    authority: 'https://login.microsoftonline.us',
  },
};

/**
 * The target for a cloud, with an optional ARM endpoint override (Azure Stack Hub, a proxy, a test
 * server). An override must be https: the SDK refuses to send bearer tokens over plain http.
 * Its tokens are requested for the override's own origin, as `az cloud register` does.
 */
export function azureTarget(cloud: CloudName, armEndpointOverride?: string): AzureTarget {
  const known = CLOUDS[cloud];
  const armEndpoint = armEndpointOverride === undefined ? known.arm : normalizeEndpoint(armEndpointOverride);
  return { cloud, armEndpoint, scope: `${armEndpoint}/.default`, authorityHost: known.authority };
}

/** Checks and canonicalizes `--arm-endpoint`: an https URL without path, query or credentials. */
export function normalizeEndpoint(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:')
    throw new Error('must be an https:// URL (bearer tokens are never sent over http)');
  if (url.username !== '' || url.password !== '') throw new Error('must not contain a user name or password');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '')
    throw new Error('must be the endpoint origin only, e.g. https://management.azure.com');
  return url.origin;
}
