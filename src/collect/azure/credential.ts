/**
 * Which credential a collection uses, and what a person is told when it fails. A bearer token in
 * ACISEG_ACCESS_TOKEN wins (locked-down CI: `az account get-access-token`); otherwise
 * DefaultAzureCredential (environment, workload identity, managed identity, Azure CLI, …).
 * The token itself never reaches a message, a log line or the snapshot.
 */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import { EnvironmentError } from '../../errors';
import type { AzureTarget } from './clouds';
import { TOKEN_VARIABLE } from './settings';

export interface ChosenCredential {
  credential: TokenCredential;
  /** For messages: which source the token comes from. */
  source: string;
}

/** Signing in failed or Azure rejected the token: exit code 3, with what was tried and what to do. */
export class AuthenticationFailure extends EnvironmentError {}

const DEFAULT_CHAIN =
  'DefaultAzureCredential tried, in order: environment variables (AZURE_TENANT_ID, AZURE_CLIENT_ID with ' +
  'AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH), workload identity (AZURE_FEDERATED_TOKEN_FILE), ' +
  'managed identity, Visual Studio Code, Azure CLI (az login), Azure PowerShell, Azure Developer CLI ' +
  '(AZURE_TOKEN_CREDENTIALS=dev, prod or one credential name narrows this)';

const WHAT_TO_DO =
  'On a laptop: run `az login` (with `--tenant` if needed). In CI: sign in first (GitHub Actions: azure/login ' +
  'with OIDC; Azure DevOps: an AzureCLI@2 task with a service connection), or set ' +
  `${TOKEN_VARIABLE}=$(az account get-access-token --query accessToken -o tsv).`;

/** The credential for a run: the environment's token when set, else DefaultAzureCredential. */
export function chooseCredential(env: NodeJS.ProcessEnv, target: AzureTarget): ChosenCredential {
  const token = env[TOKEN_VARIABLE]?.trim();
  if (token !== undefined && token !== '') {
    return { credential: staticTokenCredential(token), source: TOKEN_VARIABLE };
  }
  let chain: DefaultAzureCredential;
  try {
    chain = new DefaultAzureCredential({ authorityHost: target.authorityHost });
  } catch (e) {
    // e.g. an AZURE_TOKEN_CREDENTIALS value it does not know
    throw new AuthenticationFailure(
      `cannot set up DefaultAzureCredential: ${firstLine((e as Error).message)}`,
    );
  }
  const narrowed = env['AZURE_TOKEN_CREDENTIALS']?.trim();
  return { credential: explainingFailures(chain, narrowed || undefined), source: 'DefaultAzureCredential' };
}

/** A credential that hands out one fixed token, valid until its JWT `exp` (or for an hour when unreadable). */
export function staticTokenCredential(token: string): TokenCredential {
  const expiresOnTimestamp = jwtExpiry(token) ?? Date.now() + 3600_000;
  return {
    getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp }),
  };
}

function jwtExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** Wraps a credential so that failing to get a token becomes an AuthenticationFailure people can act on. */
function explainingFailures(inner: TokenCredential, narrowedTo?: string): TokenCredential {
  return {
    getToken: async (scopes, options) => {
      try {
        return await inner.getToken(scopes, options);
      } catch (e) {
        throw signInFailure(e, narrowedTo);
      }
    },
  };
}

/** The message for a DefaultAzureCredential failure: the chain tried, each source's reason, what to do. */
export function signInFailure(error: unknown, narrowedTo?: string): AuthenticationFailure {
  const reasons = (error as { errors?: unknown[] }).errors;
  const lines = Array.isArray(reasons)
    ? reasons.map((r) => `  - ${firstLine(r instanceof Error ? `${r.name}: ${r.message}` : String(r))}`)
    : [`  - ${firstLine(error instanceof Error ? error.message : String(error))}`];
  const tried =
    narrowedTo === undefined
      ? DEFAULT_CHAIN
      : `DefaultAzureCredential tried what AZURE_TOKEN_CREDENTIALS=${narrowedTo} leaves of its chain`;
  return new AuthenticationFailure(
    `could not get an Azure access token. ${tried}; none gave a token:\n${lines.join('\n')}\n${WHAT_TO_DO}`,
  );
}

/** The message for HTTP 401 from ARM: the token was obtained but Azure does not accept it. */
export function rejectedTokenFailure(
  source: string,
  target: AzureTarget,
  detail: string,
): AuthenticationFailure {
  const hint =
    source === TOKEN_VARIABLE
      ? `The token in ${TOKEN_VARIABLE} is expired (tokens last about an hour), malformed, or for another cloud or tenant: ` +
        `get a new one with \`az account get-access-token --resource ${target.armEndpoint} --query accessToken -o tsv\`.`
      : `The token came from ${source}; sign in again for the right tenant and cloud. ${WHAT_TO_DO}`;
  return new AuthenticationFailure(
    `Azure rejected the access token (HTTP 401 from ${target.armEndpoint}: ${firstLine(detail)}). ${hint}`,
  );
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
