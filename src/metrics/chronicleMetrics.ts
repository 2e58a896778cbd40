import {
  type Attributes,
  type BatchObservableResult,
  type Counter,
  diag,
  type Histogram,
  type Meter,
  type MeterProvider,
  metrics,
  type ObservableGauge,
} from '@opentelemetry/api';
import { attr } from '../tracing/attributes.js';

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
  horizonBlockerAge: 'chronicle.subscription.blocker.age',
  horizonBlockerPid: 'chronicle.subscription.blocker.pid',
  horizonBlockerState: 'chronicle.subscription.blocker.state',
  httpRequestDuration: 'chronicle.http.request.duration',
} as const;

/** pg_stat_activity states (plus `prepared` and `ended`) a blocking transaction can be in. */
export const blockerStates = [
  'active',
  'idle in transaction',
  'idle in transaction (aborted)',
  'fastpath function call',
  'prepared',
  'ended',
] as const;

/** The open transaction that holds the subscriptions' horizon while committed events wait. */
export type HorizonBlockerReading = {
  readonly ageSeconds: number;
  readonly pid: number | null;
  readonly state: string;
};
export type HorizonBlockerSource = () => HorizonBlockerReading | undefined;

/** Histogram buckets in milliseconds: sub-millisecond folds up to minute-long waits in a queue. */
const millisecondBuckets = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000];

export type CommandOutcome = 'accepted' | 'rejected' | 'failed';

export type ProjectionLag = {
  readonly projection: string;
  readonly partition?: number;
  /** Events in the stream past the projection's checkpoint. */
  readonly events: number;
  /** Age of the oldest event not yet handled (0 when caught up). */
  readonly seconds: number;
};

export type ProjectionLagSource = () => readonly ProjectionLag[] | Promise<readonly ProjectionLag[]>;
export type Unregister = () => void;

type Instruments = {
  readonly commandsProcessed: Counter;
  readonly commandDuration: Histogram;
  readonly commandQueueWait: Histogram;
  readonly hydrationDuration: Histogram;
  readonly httpRequestDuration: Histogram;
  readonly eventsAppended: Counter;
  readonly concurrencyConflicts: Counter;
  readonly actorCacheHits: Counter;
  readonly actorCacheMisses: Counter;
  readonly snapshotsTaken: Counter;
  readonly actorCacheSize: ObservableGauge;
  readonly projectionLagEvents: ObservableGauge;
  readonly projectionLagSeconds: ObservableGauge;
  readonly horizonBlockerAge: ObservableGauge;
  readonly horizonBlockerPid: ObservableGauge;
  readonly horizonBlockerState: ObservableGauge;
};

const actorCacheSizeSources = new Set<() => number>();
const projectionLagSources = new Set<ProjectionLagSource>();
const horizonBlockerSources = new Set<HorizonBlockerSource>();

const reportProjectionLag = async (
  result: BatchObservableResult,
  events: ObservableGauge,
  seconds: ObservableGauge,
): Promise<void> => {
  const reads = await Promise.allSettled([...projectionLagSources].map(async (source) => source()));
  for (const read of reads) {
    if (read.status === 'rejected') {
      // reported; one broken source must not hide the others
      diag.error('chronicle: a projection lag source failed', read.reason);
      continue;
    }
    for (const lag of read.value) {
      const attributes: Attributes = {
        [attr.projection]: lag.projection,
        ...(lag.partition === undefined ? {} : { [attr.partition]: lag.partition }),
      };
      result.observe(events, lag.events, attributes);
      result.observe(seconds, lag.seconds, attributes);
    }
  }
};

const createInstruments = (meter: Meter): Instruments => {
  const histogram = (name: string, description: string) =>
    meter.createHistogram(name, {
      description,
      unit: 'ms',
      advice: { explicitBucketBoundaries: millisecondBuckets },
    });
  const instruments: Instruments = {
    commandsProcessed: meter.createCounter(metricName.commandsProcessed, {
      description: 'Commands processed, by command type and outcome (accepted, rejected, failed)',
      unit: '{command}',
    }),
    commandDuration: histogram(metricName.commandDuration, 'Command latency, from enqueue to result'),
    commandQueueWait: histogram(metricName.commandQueueWait, 'Time a command waited in its queue'),
    hydrationDuration: histogram(
      metricName.hydrationDuration,
      'Time to hydrate an actor (snapshot + events)',
    ),
    httpRequestDuration: histogram(
      metricName.httpRequestDuration,
      'HTTP requests served, by method, route and status; the count is the number of requests',
    ),
    eventsAppended: meter.createCounter(metricName.eventsAppended, {
      description: 'Events appended to the event store',
      unit: '{event}',
    }),
    concurrencyConflicts: meter.createCounter(metricName.concurrencyConflicts, {
      description: 'Appends refused because the stream moved (optimistic concurrency)',
      unit: '{conflict}',
    }),
    actorCacheHits: meter.createCounter(metricName.actorCacheHits, {
      description: 'Commands that found their actor live in the cache',
      unit: '{lookup}',
    }),
    actorCacheMisses: meter.createCounter(metricName.actorCacheMisses, {
      description: 'Commands whose actor had to be hydrated',
      unit: '{lookup}',
    }),
    snapshotsTaken: meter.createCounter(metricName.snapshotsTaken, {
      description: 'Snapshots written',
      unit: '{snapshot}',
    }),
    actorCacheSize: meter.createObservableGauge(metricName.actorCacheSize, {
      description: 'Live actors held in the cache',
      unit: '{actor}',
    }),
    projectionLagEvents: meter.createObservableGauge(metricName.projectionLagEvents, {
      description: 'Events past the projection checkpoint',
      unit: '{event}',
    }),
    projectionLagSeconds: meter.createObservableGauge(metricName.projectionLagSeconds, {
      description: 'Age of the oldest event the projection has not handled',
      unit: 's',
    }),
    horizonBlockerAge: meter.createObservableGauge(metricName.horizonBlockerAge, {
      description:
        'Age of the open transaction holding every subscription back while committed events wait (0: none)',
      unit: 's',
    }),
    horizonBlockerPid: meter.createObservableGauge(metricName.horizonBlockerPid, {
      description: 'PostgreSQL backend pid of that transaction (0: none)',
    }),
    horizonBlockerState: meter.createObservableGauge(metricName.horizonBlockerState, {
      description: 'State of that transaction: 1 for its state, 0 for the others',
    }),
  };
  meter.addBatchObservableCallback(
    (result) => {
      // the oldest blocker any source saw; every series is observed each time (0 = none), so no
      // stale pid or state lingers under cumulative temporality
      const seen = [...horizonBlockerSources]
        .map((read) => read())
        .filter((reading) => reading !== undefined);
      const oldest = seen.sort((a, b) => b.ageSeconds - a.ageSeconds)[0];
      result.observe(instruments.horizonBlockerAge, oldest?.ageSeconds ?? 0);
      result.observe(instruments.horizonBlockerPid, oldest?.pid ?? 0);
      for (const state of blockerStates)
        result.observe(instruments.horizonBlockerState, oldest?.state === state ? 1 : 0, {
          [attr.blockerState]: state,
        });
    },
    [instruments.horizonBlockerAge, instruments.horizonBlockerPid, instruments.horizonBlockerState],
  );
  instruments.actorCacheSize.addCallback((result) => {
    let size = 0;
    for (const read of actorCacheSizeSources) {
      try {
        size += read();
      } catch (error) {
        // reported, and counted as empty rather than hiding the other caches
        diag.error('chronicle: an actor cache size source failed', error);
      }
    }
    result.observe(size);
  });
  meter.addBatchObservableCallback(
    (result) =>
      reportProjectionLag(result, instruments.projectionLagEvents, instruments.projectionLagSeconds),
    [instruments.projectionLagEvents, instruments.projectionLagSeconds],
  );
  return instruments;
};

let current: { readonly provider: MeterProvider; readonly instruments: Instruments } | undefined;

/**
 * The instruments of the global meter provider in force now. The metrics API has no proxy provider:
 * instruments made before the SDK registers its provider would stay no-ops forever, so they are made
 * (again) whenever the global provider changes.
 */
const instruments = (): Instruments => {
  const provider = metrics.getMeterProvider();
  if (current?.provider !== provider) {
    current = { provider, instruments: createInstruments(metrics.getMeter(METER_NAME)) };
  }
  return current.instruments;
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

/** A snapshot of a stream of `aggregateType` was written. */
export const recordSnapshotTaken = (input: { readonly aggregateType: string }): void => {
  instruments().snapshotsTaken.add(1, { [attr.aggregateType]: input.aggregateType });
};

/**
 * Registers a reader of an actor cache's size, read at each collection (the gauge reports the sum of
 * all registered caches). Returns the function that unregisters it (call it when the cache closes).
 */
export const observeActorCacheSize = (read: () => number): Unregister => {
  actorCacheSizeSources.add(read);
  instruments();
  return () => {
    actorCacheSizeSources.delete(read);
  };
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
  projectionLagSources.add(read);
  instruments();
  return () => {
    projectionLagSources.delete(read);
  };
};

/**
 * Registers a reader of the transaction holding the subscriptions back (from the last status
 * refresh; keep it cheap). Returns the function that unregisters it.
 */
export const observeHorizonBlocker = (read: HorizonBlockerSource): Unregister => {
  horizonBlockerSources.add(read);
  instruments();
  return () => {
    horizonBlockerSources.delete(read);
  };
};
