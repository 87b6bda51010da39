/** The command table: one registration per command, in the order `--help` lists them. */
import type { CommandRegistration } from '../program';
import { registerAnalyze } from './analyze';
import { registerCheck } from './check';
import { registerCollect } from './collect';
import { registerExplain } from './explain';
import { registerImport } from './import';
import { registerPlan } from './plan';
import { registerReport } from './report';
import { registerSummary } from './summary';

export const commands: readonly CommandRegistration[] = [
  registerImport,
  registerCollect,
  registerSummary,
  registerAnalyze,
  registerExplain,
  registerCheck,
  registerPlan,
  registerReport,
];
