/**
 * Azure Resource Manager's limits on one deployment, checked on what `plan` prints so that a plan
 * too large to deploy says so instead of failing at `az deployment`: a template of at most 4 MB
 * (after expansion) and 800 resources (Microsoft Learn, "ARM template best practices" and "Resolve
 * errors for job size exceeded"). Bicep sizes stand in for the compiled template's (the JSON is
 * about as large), so the Bicep words say "about".
 */
import type { ProposedNsg } from '../plan/model';
import { nsgGroups } from './plan-groups';

/** The largest template Azure Resource Manager accepts, in bytes. */
export const TEMPLATE_LIMIT_BYTES = 4 * 1024 * 1024;
/** The most resources one template may declare. */
export const TEMPLATE_RESOURCE_LIMIT = 800;

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Groups of one deployment with more NSGs than one template may declare. */
function crowdedGroups(nsgs: readonly ProposedNsg[]): string[] {
  return nsgGroups(nsgs)
    .filter((g) => g.nsgs.length > TEMPLATE_RESOURCE_LIMIT)
    .map(
      (g) =>
        `resource group ${g.resourceGroup ?? '?'} gets ${g.nsgs.length} NSGs, above the ${TEMPLATE_RESOURCE_LIMIT} resources one Azure template may declare: deploy its NSGs in parts (plan a snapshot of part of the estate at a time)`,
    );
}

/** Warnings for `--format arm`: the one template's size, and groups with too many NSGs. */
export function armLimitWarnings(nsgs: readonly ProposedNsg[], templateBytes: number): string[] {
  const out: string[] = [];
  if (templateBytes > TEMPLATE_LIMIT_BYTES)
    out.push(
      `the ARM template is ${mb(templateBytes)}, above the 4 MB Azure Resource Manager accepts for one deployment: deploy one resource group at a time instead (--format bicep -o <directory>/ writes one module file per group, each deployable on its own with the az deployment group create line at its top)`,
    );
  return [...out, ...crowdedGroups(nsgs)];
}

/** Warnings for `--format bicep`: a file (or main.bicep with every module inlined) too large to deploy. */
export function bicepLimitWarnings(
  nsgs: readonly ProposedNsg[],
  files: readonly { path: string | null; text: string }[],
): string[] {
  const out: string[] = [];
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
  const modules = files.filter((f) => f.path !== null && f.path !== 'main.bicep');
  const inlined = modules.reduce((sum, f) => sum + bytes(f.text), 0);
  if (modules.length > 0 && inlined > TEMPLATE_LIMIT_BYTES)
    out.push(
      `main.bicep compiles into one template of about ${mb(inlined)} (every module inlined), above the 4 MB Azure Resource Manager accepts for one deployment: deploy each module file on its own instead, with the az deployment group create line at its top`,
    );
  for (const f of files.filter((x) => x.path !== 'main.bicep' && bytes(x.text) > TEMPLATE_LIMIT_BYTES))
    out.push(
      `${f.path ?? 'the Bicep file'} is about ${mb(bytes(f.text))}, above the 4 MB Azure Resource Manager accepts for one deployment: deploy its NSGs in parts (plan a snapshot of part of the estate at a time)`,
    );
  return [...out, ...crowdedGroups(nsgs)];
}
