/**
 * The plan as a deployable ARM template: the same syntax tree as the Bicep output, printed as JSON.
 * NSGs in several resource groups give one subscription-scoped template with a nested deployment
 * per group (what `bicep build` writes for main.bicep and its modules).
 */
import type { PlanResult } from '../plan/model';
import { printArmTemplate } from './arm/template';
import { planBicepTree, planModules } from './plan-bicep';
import { nsgGroups } from './plan-groups';

export function renderPlanArm(result: PlanResult): string {
  const groups = nsgGroups(result.nsgs);
  if (groups.length <= 1) return printArmTemplate(planBicepTree(result));
  const { main, modules } = planModules(result, groups, '<this file>');
  return printArmTemplate(main, new Map(modules.map((m) => [m.path, m.tree])));
}
