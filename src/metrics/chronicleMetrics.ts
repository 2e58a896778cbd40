import { attr } from '../tracing/attributes.js';
import { instruments } from './instruments.js';
import {
  type CommandBacklogSource,
  gaugeSources,
  type HorizonBlockerSource,
  type ProjectionLagSource,
  register,
  type Unregister,
} from './observedGauges.js';

export type CommandOutcome = 'accepted' | 'rejected' | 'failed';

/** What a retention policy prunes: finished command jobs and their queue events, dead letters, payloads. */
export type PrunedKind = 'completed_job' | 'job_event' | 'dead_letter' | 'command_payload';

/** Counts what a retention sweep removed (nothing recorded for none). */
export const recordPruned = (kind: PrunedKind, count: number): void => {
  if (count > 0) instruments().retentionPruned.add(count, { [attr.retentionKind]: kind });
};

/** A command has a result (or failed for good): counts it and records its enqueue-to-result latency. */
export const recordCommandProcessed = (input: {
  readonly commandType: string;
  readonly outcome: CommandOutcome;
  readonly latencyMs: number;
}): void => {
  const attributes = { [attr.commandType]: input.commandType, [attr.outcome]: input.outcome };
  const { commandsProcessed, commandDuration } = instruments();
  commandsProcessed.add(1, attributes);
  commandDuration.record(input.latencyMs, attributes);
};

/** A worker took a command off its queue `waitMs` after it was enqueued. */
export const recordQueueWait = (input: { readonly commandType: string; readonly waitMs: number }): void => {
  instruments().commandQueueWait.record(input.waitMs, { [attr.commandType]: input.commandType });
};

/**
 * The api pod answered a request. `route` is the route's pattern (`/v1/aggregates/:type/:id`), never
 * the path itself, so ids do not become label values; requests that matched no route share one.
 */
export const recordHttpRequest = (input: {
  readonly method: string;
  readonly route: string | undefined;
  readonly status: number;
  readonly durationMs: number;
}): void => {
  instruments().httpRequestDuration.record(input.durationMs, {
    [attr.httpRequestMethod]: input.method,
    [attr.httpRoute]: input.route ?? 'unmatched',
    [attr.httpResponseStatusCode]: input.status,
  });
};

/** An actor was hydrated (snapshot plus the events after it) in `durationMs`. */
export const recordHydration = (input: {
  readonly aggregateType: string;
  readonly durationMs: number;
}): void => {
  instruments().hydrationDuration.record(input.durationMs, { [attr.aggregateType]: input.aggregateType });
};

/** `count` events were appended to streams of `aggregateType`. */
export const recordEventsAppended = (input: {
  readonly aggregateType: string;
  readonly count: number;
}): void => {
  if (input.count > 0)
    instruments().eventsAppended.add(input.count, { [attr.aggregateType]: input.aggregateType });
};

/** An append lost an optimistic-concurrency race. */
export const recordConcurrencyConflict = (input: { readonly aggregateType: string }): void => {
  instruments().concurrencyConflicts.add(1, { [attr.aggregateType]: input.aggregateType });
};

/** A command looked its actor up in the cache. */
export const recordActorCacheLookup = (input: {
  readonly aggregateType: string;
  readonly result: 'hit' | 'miss';
}): void => {
  const { actorCacheHits, actorCacheMisses } = instruments();
  (input.result === 'hit' ? actorCacheHits : actorCacheMisses).add(1, {
    [attr.aggregateType]: input.aggregateType,
  });
};

/** A command over NATS was refused (rejected at the edge or by its aggregate, or failed): by its code. */
export const recordNatsCommandRefused = (input: { readonly code: string }): void => {
  instruments().natsCommandsRefused.add(1, { [attr.rejectionCode]: input.code });
};

/** A snapshot of a stream of `aggregateType` was written. */
export const recordSnapshotTaken = (input: { readonly aggregateType: string }): void => {
  instruments().snapshotsTaken.add(1, { [attr.aggregateType]: input.aggregateType });
};

/** Older snapshots a write pruned (CHRONICLE_SNAPSHOT_HISTORY). */
export const recordSnapshotsPruned = (input: {
  readonly aggregateType: string;
  readonly pruned: number;
}): void => {
  if (input.pruned > 0)
    instruments().snapshotsPruned.add(input.pruned, { [attr.aggregateType]: input.aggregateType });
};

/**
 * Registers a reader of an actor cache's size, read at each collection (the gauge reports the sum of
 * all registered caches). Returns the function that unregisters it (call it when the cache closes).
 */
export const observeActorCacheSize = (read: () => number): Unregister => {
  instruments();
  return register(gaugeSources.actorCacheSize, read);
};

/**
 * Registers a source of projection lag, read at each collection; keep it cheap (return the lag the
 * projection loop last measured). Returns the function that unregisters it.
 *
 * Under cumulative temporality (Prometheus) the SDK keeps exporting the last value of a
 * (projection, partition) series that a callback stops observing, so a pod that releases a
 * partition's lease should keep reporting that partition (e.g. from the shared checkpoint table)
 * rather than let a stale lag linger.
 */
export const observeProjectionLag = (read: ProjectionLagSource): Unregister => {
  instruments();
  return register(gaugeSources.projectionLag, read);
};

/**
 * Registers a reader of the transaction holding the subscriptions back (from the last status
 * refresh; keep it cheap). Returns the function that unregisters it.
 */
export const observeHorizonBlocker = (read: HorizonBlockerSource): Unregister => {
  instruments();
  return register(gaugeSources.horizonBlocker, read);
};

/**
 * Registers a reader of the commands waiting in the shard queues (the last reading a command pod
 * took from Redis; keep it cheap: collection must not query Redis). Returns the function that
 * unregisters it.
 */
export const observeCommandBacklog = (read: CommandBacklogSource): Unregister => {
  instruments();
  return register(gaugeSources.commandBacklog, read);
};
