/** Every subscription the identity can read, through @azure/arm-resources-subscriptions. */
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/core-auth';
import type { AzureTarget } from './clouds';
import { armClientOptions, type TransportSettings } from './pipeline';

/** States whose resources can still be read (Disabled and Deleted ones answer with errors). */
const READABLE_STATES = new Set(['enabled', 'warned', 'pastdue']);

export async function listSubscriptions(
  credential: TokenCredential,
  target: AzureTarget,
  transport: TransportSettings,
  signal: AbortSignal,
): Promise<{ readable: string[]; skipped: number }> {
  const client = new SubscriptionClient(credential, armClientOptions(target, transport));
  const readable: string[] = [];
  let skipped = 0;
  for await (const page of client.subscriptions.list({ abortSignal: signal }).byPage()) {
    for (const s of page) {
      if (typeof s.subscriptionId !== 'string') continue;
      if (s.state === undefined || READABLE_STATES.has(String(s.state).toLowerCase()))
        readable.push(s.subscriptionId.toLowerCase());
      else skipped++;
    }
  }
  return { readable, skipped };
}
