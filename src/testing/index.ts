// chronicle/testing: given/when/then specs for aggregates, run as the command worker runs them.
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
