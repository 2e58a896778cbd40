export const METER_NAME = 'chronicle';

/**
 * Instrument names (OTel style; the Prometheus exporter turns dots into `_` and adds `_total` to
 * counters, so `chronicle.commands.processed` is scraped as `chronicle_commands_processed_total`).
 */
export const metricName = {
  commandsProcessed: 'chronicle.commands.processed',
  commandDuration: 'chronicle.command.duration',
  commandQueueWait: 'chronicle.command.queue_wait',
  hydrationDuration: 'chronicle.actor.hydration.duration',
  eventsAppended: 'chronicle.events.appended',
  concurrencyConflicts: 'chronicle.concurrency.conflicts',
  actorCacheSize: 'chronicle.actor_cache.size',
  actorCacheHits: 'chronicle.actor_cache.hits',
  actorCacheMisses: 'chronicle.actor_cache.misses',
  projectionLagEvents: 'chronicle.projection.lag.events',
  projectionLagSeconds: 'chronicle.projection.lag.seconds',
  snapshotsTaken: 'chronicle.snapshots.taken',
  snapshotsPruned: 'chronicle.snapshots.pruned',
  horizonBlockerAge: 'chronicle.subscription.blocker.age',
  horizonBlockerPid: 'chronicle.subscription.blocker.pid',
  horizonBlockerState: 'chronicle.subscription.blocker.state',
  httpRequestDuration: 'chronicle.http.request.duration',
  commandsWaiting: 'chronicle.commands.waiting',
  oldestWaitingCommandAge: 'chronicle.commands.oldest_waiting.seconds',
  natsCommandsRefused: 'chronicle.nats.commands.refused',
  retentionPruned: 'chronicle.retention.pruned',
} as const;

export type MetricKey = keyof typeof metricName;
