export {
  type CommandOutcome,
  observeActorCacheSize,
  observeCommandBacklog,
  observeHorizonBlocker,
  observeProjectionLag,
  recordActorCacheLookup,
  recordCommandProcessed,
  recordConcurrencyConflict,
  recordEventsAppended,
  recordHttpRequest,
  recordHydration,
  recordNatsCommandRefused,
  recordQueueWait,
  recordSnapshotsPruned,
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
