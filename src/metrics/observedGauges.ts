import {
  type Attributes,
  type BatchObservableResult,
  diag,
  type Meter,
  type ObservableGauge,
} from '@opentelemetry/api';
import { attr } from '../tracing/attributes.js';

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

export type ProjectionLag = {
  readonly projection: string;
  readonly partition?: number;
  /** Events in the stream past the projection's checkpoint. */
  readonly events: number;
  /** Age of the oldest event not yet handled (0 when caught up). */
  readonly seconds: number;
};

export type ProjectionLagSource = () => readonly ProjectionLag[] | Promise<readonly ProjectionLag[]>;

/** The commands waiting in a pod's shard queues, as last read from Redis. */
export type CommandBacklogReading = {
  /** Jobs waiting over all shard queues (not the ones in hand). */
  readonly waiting: number;
  /** Age of the oldest of them, 0 when none waits. */
  readonly oldestSeconds: number;
};
export type CommandBacklogSource = () => CommandBacklogReading | undefined;
export type Unregister = () => void;

/** The readers each observable gauge asks at collection time; registered through `observe*`. */
export const gaugeSources = {
  actorCacheSize: new Set<() => number>(),
  projectionLag: new Set<ProjectionLagSource>(),
  horizonBlocker: new Set<HorizonBlockerSource>(),
  commandBacklog: new Set<CommandBacklogSource>(),
};

/** Adds `read` to `sources` and returns the function that takes it out again. */
export const register = <T>(sources: Set<T>, read: T): Unregister => {
  sources.add(read);
  return () => {
    sources.delete(read);
  };
};

export type ObservedGauges = {
  readonly actorCacheSize: ObservableGauge;
  readonly projectionLagEvents: ObservableGauge;
  readonly projectionLagSeconds: ObservableGauge;
  readonly horizonBlockerAge: ObservableGauge;
  readonly horizonBlockerPid: ObservableGauge;
  readonly horizonBlockerState: ObservableGauge;
  readonly commandsWaiting: ObservableGauge;
  readonly oldestWaitingCommandAge: ObservableGauge;
};

const reportActorCacheSize = (): number => {
  let size = 0;
  for (const read of gaugeSources.actorCacheSize) {
    try {
      size += read();
    } catch (error) {
      // reported, and counted as empty rather than hiding the other caches
      diag.error('chronicle: an actor cache size source failed', error);
    }
  }
  return size;
};

const observeLagReadings = async (
  result: BatchObservableResult,
  events: ObservableGauge,
  seconds: ObservableGauge,
): Promise<void> => {
  const reads = await Promise.allSettled([...gaugeSources.projectionLag].map(async (source) => source()));
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

const reportHorizonBlocker = (result: BatchObservableResult, gauges: ObservedGauges): void => {
  // the oldest blocker any source saw; every series is observed each time (0 = none), so no
  // stale pid or state lingers under cumulative temporality
  const seen = [...gaugeSources.horizonBlocker]
    .map((read) => read())
    .filter((reading) => reading !== undefined);
  const oldest = seen.sort((a, b) => b.ageSeconds - a.ageSeconds)[0];
  result.observe(gauges.horizonBlockerAge, oldest?.ageSeconds ?? 0);
  result.observe(gauges.horizonBlockerPid, oldest?.pid ?? 0);
  for (const state of blockerStates)
    result.observe(gauges.horizonBlockerState, oldest?.state === state ? 1 : 0, {
      [attr.blockerState]: state,
    });
};

const reportCommandBacklog = (result: BatchObservableResult, gauges: ObservedGauges): void => {
  // every command pod of a deployment reads the same queues: sources of one process (dev runs one
  // pod of each kind) agree too, so the largest reading is the deployment's, not their sum
  const seen = [...gaugeSources.commandBacklog]
    .map((read) => read())
    .filter((reading) => reading !== undefined);
  if (seen.length === 0) return;
  result.observe(gauges.commandsWaiting, Math.max(...seen.map((reading) => reading.waiting)));
  result.observe(gauges.oldestWaitingCommandAge, Math.max(...seen.map((reading) => reading.oldestSeconds)));
};

/** Makes the observable gauges read their registered sources at each collection. */
export const addGaugeCallbacks = (meter: Meter, gauges: ObservedGauges): void => {
  meter.addBatchObservableCallback(
    (result) => reportHorizonBlocker(result, gauges),
    [gauges.horizonBlockerAge, gauges.horizonBlockerPid, gauges.horizonBlockerState],
  );
  gauges.actorCacheSize.addCallback((result) => result.observe(reportActorCacheSize()));
  meter.addBatchObservableCallback(
    (result) => reportCommandBacklog(result, gauges),
    [gauges.commandsWaiting, gauges.oldestWaitingCommandAge],
  );
  meter.addBatchObservableCallback(
    (result) => observeLagReadings(result, gauges.projectionLagEvents, gauges.projectionLagSeconds),
    [gauges.projectionLagEvents, gauges.projectionLagSeconds],
  );
};
