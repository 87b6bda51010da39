/** Small builders for import tests: REST-shaped resources and a one-call import. */
import { importDocuments, type ImportOptions, type ImportOutcome } from '../../../src/collect/files';
import type { Diagnostic } from '../../../src/diagnostics';
import type { Snapshot } from '../../../src/model/snapshot';

export const SUB = '00000000-0000-0000-0000-0000000000aa';
export const RG = 'rg-Test';
export const providers = `/subscriptions/${SUB}/resourceGroups/${RG}/providers`;

/** An ARM ID in the test subscription and resource group, e.g. id('Microsoft.Network/virtualNetworks', 'v'). */
export function armId(type: string, ...names: string[]): string {
  const [ns, ...types] = type.split('/');
  let out = `${providers}/${ns}`;
  types.forEach((t, i) => (out += `/${t}/${names[i]}`));
  return out;
}

/** Imports JSON values (each becomes one file, `f0.json`, `f1.json`, … unless named). */
export function importJson(...docs: (unknown | { file: string; json: unknown })[]): ImportOutcome {
  return importJsonWith({}, ...docs);
}

/** `importJson` with import options (`allowEmpty` for inputs that hold no modelled resource). */
export function importJsonWith(
  options: ImportOptions,
  ...docs: (unknown | { file: string; json: unknown })[]
): ImportOutcome {
  return importDocuments(
    docs.map((d, i) =>
      typeof d === 'object' && d !== null && 'file' in d && 'json' in d
        ? { file: (d as { file: string }).file, text: JSON.stringify((d as { json: unknown }).json) }
        : { file: `f${i}.json`, text: JSON.stringify(d) },
    ),
    options,
  );
}

/** The snapshot of an import that must succeed (fails the test with the diagnostics otherwise). */
export function snapshotOf(outcome: ImportOutcome): Snapshot {
  if (outcome.snapshot === undefined)
    throw new Error(`import failed: ${JSON.stringify(outcome.diagnostics, null, 1)}`);
  return outcome.snapshot;
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

export function fatal(outcome: ImportOutcome): Diagnostic[] {
  return outcome.diagnostics.filter((d) => d.severity === 'fatal');
}

/** A REST-shaped NSG rule. */
export function restRule(name: string, props: Record<string, unknown>): Record<string, unknown> {
  return {
    name,
    properties: {
      protocol: 'Tcp',
      access: 'Allow',
      direction: 'Inbound',
      priority: 100,
      sourceAddressPrefix: '*',
      sourcePortRange: '*',
      destinationAddressPrefix: '*',
      destinationPortRange: '80',
      ...props,
    },
  };
}

/** A REST-shaped NSG with the given custom rules (no default rules unless given). */
export function restNsg(
  name: string,
  rules: unknown[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: armId('Microsoft.Network/networkSecurityGroups', name),
    name,
    type: 'Microsoft.Network/networkSecurityGroups',
    location: 'westeurope',
    properties: { securityRules: rules, ...extra },
  };
}
