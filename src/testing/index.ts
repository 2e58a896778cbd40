// chronicle/testing: given/when/then specs for aggregates and process managers, run as the workers run them.

// and for process managers: given inputs, when an input, then commands and deadlines
export {
  type ExpectedSchedule,
  type ProcessSpec,
  type ProcessThen,
  processSpecDefaults,
  rejectionOf,
} from './processManagerSpec.js';
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
