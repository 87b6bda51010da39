/**
 * Azure Resource Manager's per-deployment limits (4 MB template, 800 resources) on what plan prints:
 * a warning names the file or group and the way out, and a plan within the limits gets none.
 */
import {
  armLimitWarnings,
  bicepLimitWarnings,
  TEMPLATE_LIMIT_BYTES,
  TEMPLATE_RESOURCE_LIMIT,
} from '../../../src/render/deploy-limits';
import type { ProposedNsg } from '../../../src/plan/model';

function nsgs(count: number, group: (i: number) => string): ProposedNsg[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `/subscriptions/s/resourcegroups/${group(i)}/providers/microsoft.network/networksecuritygroups/nsg-${i}`,
    name: `nsg-${i}`,
    resourceGroup: group(i),
    subscriptionId: 's',
    location: 'westeurope',
    isNew: false,
    subnets: [],
    rules: [],
    removed: [],
  }));
}

const text = (bytes: number) => 'x'.repeat(bytes);

describe('deployment limits', () => {
  it('says nothing for a plan within them', () => {
    const few = nsgs(20, (i) => `rg-${i % 2}`);
    expect(armLimitWarnings(few, TEMPLATE_LIMIT_BYTES)).toEqual([]);
    expect(
      bicepLimitWarnings(few, [
        { path: 'main.bicep', text: text(1000) },
        { path: 'modules/rg-0.bicep', text: text(TEMPLATE_LIMIT_BYTES / 2) },
        { path: 'modules/rg-1.bicep', text: text(TEMPLATE_LIMIT_BYTES / 2) },
      ]),
    ).toEqual([]);
  });

  it('an ARM template above 4 MB: one warning with its size and the per-group way out', () => {
    const w = armLimitWarnings(
      nsgs(20, () => 'rg'),
      5 * 1024 * 1024,
    );
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('the ARM template is 5.0 MB, above the 4 MB');
    expect(w[0]).toContain('--format bicep -o <directory>/');
  });

  it('modules that inline into main.bicep above 4 MB: deploy each module on its own', () => {
    const w = bicepLimitWarnings(
      nsgs(20, (i) => `rg-${i % 2}`),
      [
        { path: 'main.bicep', text: text(1000) },
        { path: 'modules/rg-0.bicep', text: text(3 * 1024 * 1024) },
        { path: 'modules/rg-1.bicep', text: text(3 * 1024 * 1024) },
      ],
    );
    expect(w).toEqual([expect.stringContaining('main.bicep compiles into one template of about 6.0 MB')]);
    expect(w[0]).toContain('deploy each module file on its own');
  });

  it('one file above 4 MB, and one group above 800 NSGs, are each named', () => {
    const crowded = nsgs(TEMPLATE_RESOURCE_LIMIT + 1, () => 'rg-big');
    const w = bicepLimitWarnings(crowded, [{ path: null, text: text(TEMPLATE_LIMIT_BYTES + 1) }]);
    expect(w).toEqual([
      expect.stringContaining('the Bicep file is about 4.0 MB, above the 4 MB'),
      expect.stringContaining(
        `resource group rg-big gets ${TEMPLATE_RESOURCE_LIMIT + 1} NSGs, above the 800`,
      ),
    ]);
    expect(armLimitWarnings(crowded, 1000)).toEqual([expect.stringContaining('resource group rg-big')]);
  });
});
