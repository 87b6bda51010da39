/**
 * Flow logs → observed flows (the pipeline stage "flows"). `readFlowLogs` is what
 * `analyze --flows` and `plan --flows` call; `FlowLogReader` is the same without files.
 */
export {
  readFlowLogs,
  requireCompleteFlowLogs,
  listFlowLogFiles,
  readFlowLogFile,
  parseTimeBound,
  FlowLogReader,
  type FlowLogOptions,
  type FlowLogResult,
  type FlowLogStats,
  type FlowLogTotals,
  type FlowLogFile,
} from './read';
export type { FlowLogFileStats } from './records';
export type { ObservedFlow, ObservedFlows, ObservedWindow, FlowLogLayout, TupleContext } from './aggregate';
export { groupObservedFlows, type GroupedFlow } from './group';
