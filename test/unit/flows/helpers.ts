/** Flow-log documents built by hand for the tests (never copied from ../shared). */
import { FlowLogReader, type FlowLogOptions, type FlowLogResult } from '../../../src/collect/flows';

export const NSG_ID =
  '/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000001/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/NSG-APP';

/** An NSG flow-log record: rule name → tuples. */
export function nsgRecord(
  version: number | null,
  rules: Record<string, string[]>,
  time = '2026-11-30T10:00:00.0000000Z',
): Record<string, unknown> {
  return {
    time,
    systemId: 'aaaaaaaa-0000-0000-0000-000000000000',
    macAddress: '000D3A000001',
    category: 'NetworkSecurityGroupFlowEvent',
    resourceId: NSG_ID,
    operationName: 'NetworkSecurityGroupFlowEvents',
    properties: {
      ...(version === null ? {} : { Version: version }),
      flows: Object.entries(rules).map(([rule, flowTuples]) => ({
        rule,
        flows: [{ mac: '000D3A000001', flowTuples }],
      })),
    },
  };
}

/** A VNet flow-log record: aclID → rule → tuples. */
export function vnetRecord(
  acls: Record<string, Record<string, string[]>>,
  time = '2026-11-30T10:00:00.0000000Z',
  version: unknown = 4,
): Record<string, unknown> {
  return {
    time,
    flowLogVersion: version,
    flowLogGUID: 'bbbbbbbb-0000-0000-0000-000000000000',
    macAddress: '00224800AAAA',
    category: 'FlowLogFlowEvent',
    flowLogResourceID:
      '/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000001/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NETWORKWATCHER_WESTEUROPE/FLOWLOGS/VNET-APP',
    targetResourceID:
      '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-app',
    operationName: 'FlowLogFlowEvent',
    flowRecords: {
      flows: Object.entries(acls).map(([aclID, rules]) => ({
        aclID,
        flowGroups: Object.entries(rules).map(([rule, flowTuples]) => ({ rule, flowTuples })),
      })),
    },
  };
}

/** Reads in-memory documents (file name → content), each file fed in chunks of `chunk` bytes. */
export function readDocuments(
  docs: Record<string, string | Buffer>,
  options: FlowLogOptions = {},
  chunk = 1 << 16,
): FlowLogResult {
  const reader = new FlowLogReader(options);
  for (const [name, content] of Object.entries(docs)) {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    const file = reader.file(name, bytes.length);
    for (let i = 0; i < bytes.length; i += chunk) file.write(bytes.subarray(i, i + chunk));
    file.end();
  }
  return reader.finish();
}

export const codes = (r: FlowLogResult): string[] => r.diagnostics.map((d) => d.code);

/** `line L, column C` (1-based) of the first occurrence of `needle`, counted here independently. */
export function where(text: string, needle: string): string {
  const before = text.slice(0, text.indexOf(needle)).split('\n');
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}
