// chronicle/testing: given/when/then specs for aggregates and process managers, run as the workers
// run them, and an in-memory runtime for domain flows across both.

// domain flows: aggregates and process managers together, in memory, on a test clock
export { createInMemoryEventStore, type InMemoryEventStore } from '../eventStore/index.js';
export {
  createInMemoryRuntime,
  type InMemoryRuntime,
  type InMemoryRuntimeOptions,
  type InMemorySendOptions,
} from './createInMemoryRuntime.js';
// process managers: given inputs, when an input, then commands and deadlines
export {
  type ExpectedSchedule,
  type ProcessSpec,
  type ProcessThen,
  processSpecDefaults,
  rejectionOf,
} from './processManagerSpec.js';
// aggregates: given events, when a command, then events or a rejection
export {
  type AggregateSpec,
  type ExpectedState,
  type SpecCommand,
  type SpecGiven,
  type SpecRejection,
  type SpecThen,
  specDefaults,
  specFor,
} from './specFor.js';
export { type ClockWatcher, createTestClock, type TestClock } from './testClock.js';
