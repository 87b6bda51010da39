/** Which credential a collection uses, and the messages when signing in fails. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  azureTarget,
  chooseCredential,
  signInFailure,
  staticTokenCredential,
  normalizeEndpoint,
} from '../../../src/collect/azure';
import { fixtureEstate, startHarness, SUB_A, type Harness } from './helpers';

const target = azureTarget('AzureCloud');

describe('credentials', () => {
  test('ACISEG_ACCESS_TOKEN wins and is handed out as is, until its JWT exp', async () => {
    const exp = 2_000_000_000;
    const jwt = `h.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.s`;
    const chosen = chooseCredential({ ACISEG_ACCESS_TOKEN: ` ${jwt}\n` }, target);
    expect(chosen.source).toBe('ACISEG_ACCESS_TOKEN');
    await expect(chosen.credential.getToken(target.scope)).resolves.toEqual({
      token: jwt,
      expiresOnTimestamp: exp * 1000,
    });
    const opaque = await staticTokenCredential('opaque').getToken('x');
    expect(opaque?.expiresOnTimestamp).toBeGreaterThan(Date.now());
    expect(chooseCredential({ ACISEG_ACCESS_TOKEN: '  ' }, target).source).toBe('DefaultAzureCredential');
  });

  test('a DefaultAzureCredential failure lists the chain, each reason and what to do', () => {
    const aggregate = Object.assign(new Error('ChainedTokenCredential authentication failed.'), {
      name: 'AggregateAuthenticationError',
      errors: [
        Object.assign(
          new Error('EnvironmentCredential is unavailable. No underlying credential could be used.'),
          {
            name: 'CredentialUnavailableError',
          },
        ),
        Object.assign(new Error('Azure CLI could not be found.\nmore detail'), {
          name: 'CredentialUnavailableError',
        }),
      ],
    });
    const failure = signInFailure(aggregate);
    expect(failure.message).toContain(
      'could not get an Azure access token. DefaultAzureCredential tried, in order:',
    );
    expect(failure.message).toContain(
      '  - CredentialUnavailableError: EnvironmentCredential is unavailable.',
    );
    expect(failure.message).toContain('  - CredentialUnavailableError: Azure CLI could not be found.\n');
    expect(failure.message).not.toContain('more detail');
    expect(failure.message).toContain('run `az login`');
    expect(failure.message).toContain('azure/login with OIDC');
    expect(failure.message).toContain(
      'ACISEG_ACCESS_TOKEN=$(az account get-access-token --query accessToken -o tsv)',
    );
  });

  test('clouds and --arm-endpoint', () => {
    expect(azureTarget('AzureChinaCloud')).toEqual({
      cloud: 'AzureChinaCloud',
      armEndpoint: 'https://management.chinacloudapi.cn',
      scope: 'https://management.chinacloudapi.cn/.default',
      authorityHost: 'https://login.chinacloudapi.cn',
    });
    expect(azureTarget('AzureUSGovernment', 'https://management.local:8443/').scope).toBe(
      'https://management.local:8443/.default',
    );
    expect(() => normalizeEndpoint('http://x')).toThrow('https');
    expect(() => normalizeEndpoint('https://u:p@x')).toThrow('user name');
    expect(() => normalizeEndpoint('https://x/path')).toThrow('origin only');
  });
});

describe('collect without a token in the environment', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(fixtureEstate());
  });
  afterAll(async () => h.close());

  test('DefaultAzureCredential finding nothing is exit 3 with what was tried; no request reaches ARM', async () => {
    const empty = fs.mkdtempSync(path.join(h.dir, 'no-az-'));
    const run = await h.collect(['--subscription', SUB_A, '-o', 'none.json'], {
      ACISEG_ACCESS_TOKEN: undefined,
      // Only the Azure CLI credential (no managed-identity probe leaves this machine), and no `az` on PATH.
      AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
      PATH: empty,
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      'could not get an Azure access token. DefaultAzureCredential tried what AZURE_TOKEN_CREDENTIALS=AzureCliCredential leaves of its chain; none gave a token:',
    );
    expect(run.stderr).toMatch(/ {2}- \w+: .*Azure CLI/);
    expect(run.stderr).toContain('`az login`');
    expect(fs.existsSync(path.join(h.dir, 'none.json'))).toBe(false);
    expect(h.fake.requests).toEqual([]);
  });

  test('an AZURE_TOKEN_CREDENTIALS value DefaultAzureCredential rejects is exit 3, not an internal error', async () => {
    const run = await h.collect(['--subscription', SUB_A, '-o', 'none.json'], {
      ACISEG_ACCESS_TOKEN: undefined,
      AZURE_TOKEN_CREDENTIALS: 'nonsense',
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      'cannot set up DefaultAzureCredential: Invalid value for AZURE_TOKEN_CREDENTIALS',
    );
  });
});
