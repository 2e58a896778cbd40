export {
  type CommandOutcome,
  observeActorCacheSize,
  observeCommandBacklog,
  observeHorizonBlocker,
  observeProjectionLag,
  type PrunedKind,
  recordActorCacheLookup,
  recordCommandProcessed,
  recordConcurrencyConflict,
  recordEventsAppended,
  recordHttpRequest,
  recordHydration,
  recordNatsCommandRefused,
  recordPruned,
  recordQueueWait,
  recordSnapshotTaken,
} from './chronicleMetrics.js';
export { METER_NAME, metricName } from './metricNames.js';
export {
  blockerStates,
  type CommandBacklogReading,
  type CommandBacklogSource,
  type HorizonBlockerReading,
  type HorizonBlockerSource,
  type ProjectionLag,
  type ProjectionLagSource,
  type Unregister,
} from './observedGauges.js';
