/** The plan as a deployable ARM template: the same syntax tree as the Bicep output, printed as JSON. */
import type { PlanResult } from '../plan/model';
import { printArmTemplate } from './arm/template';
import { planBicepTree } from './plan-bicep';

export function renderPlanArm(result: PlanResult): string {
  return printArmTemplate(planBicepTree(result));
}
