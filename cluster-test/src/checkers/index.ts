export {
  describeOperation,
  formatValue,
  incrementsByCounter,
  isIncrement,
  isRead,
  isWrite,
  registerOperationsByKey,
  sameValue,
  type FinalCounters,
  type FinalReads,
  type History,
  type IncrementOperation,
  type Operation,
  type Outcome,
  type ReadOperation,
  type Value,
  type WriteOperation,
} from './history.js';
export { HistoryRecorder, type ErrorClassifier, type Invocation, type InvocationResult, type PendingOperation } from './history-recorder.js';
export { parseRun, serializeRun, writeRunFile, type RecordedRun } from './history-json.js';
export { capViolations, resultOf, violationsOf, type CheckerName, type CheckResult, type Violation } from './check-result.js';
export { checkLostWrites, isSequentialSingleWriter } from './lost-writes.js';
export { checkPhantomReads } from './phantom-reads.js';
export { checkCounters } from './counters.js';
export {
  checkLinearizability,
  checkRegisterKey,
  DEFAULT_MAX_STEPS_PER_KEY,
  type KeyLinearizability,
  type LinearizabilityOptions,
  type LinearizabilityResult,
} from './linearizability.js';
export { REJECT, searchLinearization, type Frontier, type SearchOperation, type SearchResult } from './linearizability-search.js';
export { assertHistory, checkHistory, formatHistoryProblems, HistoryCheckError, type HistoryCheckOptions, type HistoryReport } from './assert-history.js';
