import {
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
  type MetricOptions,
  metrics,
  type ObservableGauge,
} from '@opentelemetry/api';
import { ChronicleError } from '../errors/index.js';
import { METER_NAME, type MetricKey, metricName } from './metricNames.js';
import { addGaugeCallbacks } from './observedGauges.js';

/** Histogram buckets in milliseconds: sub-millisecond folds up to minute-long waits in a queue. */
const millisecondBuckets = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000];

type Kinds = { readonly counter: Counter; readonly histogram: Histogram; readonly gauge: ObservableGauge };
type InstrumentSpec = { readonly kind: keyof Kinds; readonly options: MetricOptions };

/** `unit` in UCUM, as OTel asks: `{command}` counts commands, `s` is seconds. */
const counter = (description: string, unit: string) =>
  ({ kind: 'counter', options: { description, unit } }) as const;
const histogram = (description: string) =>
  ({
    kind: 'histogram',
    options: { description, unit: 'ms', advice: { explicitBucketBoundaries: millisecondBuckets } },
  }) as const;
const gauge = (description: string, unit?: string) =>
  ({ kind: 'gauge', options: unit === undefined ? { description } : { description, unit } }) as const;

/** Every instrument, in the order it is created (and so exported). */
const specs = {
  commandsProcessed: counter(
    'Commands processed, by command type and outcome (accepted, rejected, failed)',
    '{command}',
  ),
  commandDuration: histogram('Command latency, from enqueue to result'),
  commandQueueWait: histogram('Time a command waited in its queue'),
  hydrationDuration: histogram('Time to hydrate an actor (snapshot + events)'),
  httpRequestDuration: histogram(
    'HTTP requests served, by method, route and status; the count is the number of requests',
  ),
  eventsAppended: counter('Events appended to the event store', '{event}'),
  concurrencyConflicts: counter(
    'Appends refused because the stream moved (optimistic concurrency)',
    '{conflict}',
  ),
  actorCacheHits: counter('Commands that found their actor live in the cache', '{lookup}'),
  actorCacheMisses: counter('Commands whose actor had to be hydrated', '{lookup}'),
  snapshotsTaken: counter('Snapshots written', '{snapshot}'),
  snapshotsPruned: counter('Older snapshots deleted past the history kept per stream', '{snapshot}'),
  natsCommandsRefused: counter(
    'Commands over NATS answered with a rejection or a failure (with or without a reply subject), by code',
    '{command}',
  ),
  retentionPruned: counter(
    'What a retention policy removed, by kind (completed_job, job_event, dead_letter, command_payload)',
    '{item}',
  ),
  actorCacheSize: gauge('Live actors held in the cache', '{actor}'),
  projectionLagEvents: gauge('Events past the projection checkpoint', '{event}'),
  projectionLagSeconds: gauge('Age of the oldest event the projection has not handled', 's'),
  horizonBlockerAge: gauge(
    'Age of the open transaction holding every subscription back while committed events wait (0: none)',
    's',
  ),
  horizonBlockerPid: gauge('PostgreSQL backend pid of that transaction (0: none)'),
  horizonBlockerState: gauge('State of that transaction: 1 for its state, 0 for the others'),
  commandsWaiting: gauge(
    'Commands waiting in the shard queues, over all shards (what to scale on)',
    '{command}',
  ),
  oldestWaitingCommandAge: gauge('Age of the oldest command waiting in any shard queue (0: none)', 's'),
} as const satisfies Record<MetricKey, InstrumentSpec>;

export type Instruments = { readonly [K in MetricKey]: Kinds[(typeof specs)[K]['kind']] };

const createInstrument = (meter: Meter, name: string, { kind, options }: InstrumentSpec) => {
  switch (kind) {
    case 'counter':
      return meter.createCounter(name, options);
    case 'histogram':
      return meter.createHistogram(name, options);
    case 'gauge':
      return meter.createObservableGauge(name, options);
    default: {
      const unknown: never = kind;
      throw new ChronicleError('INVARIANT', `unknown instrument kind ${String(unknown)}`);
    }
  }
};

const createInstruments = (meter: Meter): Instruments => {
  const instruments = Object.fromEntries(
    Object.entries(specs).map(([key, spec]) => [
      key,
      createInstrument(meter, metricName[key as MetricKey], spec),
    ]),
  ) as Instruments;
  addGaugeCallbacks(meter, instruments);
  return instruments;
};

let current: { readonly provider: MeterProvider; readonly instruments: Instruments } | undefined;

/**
 * The instruments of the global meter provider in force now. The metrics API has no proxy provider:
 * instruments made before the SDK registers its provider would stay no-ops forever, so they are made
 * (again) whenever the global provider changes.
 */
export const instruments = (): Instruments => {
  const provider = metrics.getMeterProvider();
  if (current?.provider !== provider) {
    current = { provider, instruments: createInstruments(metrics.getMeter(METER_NAME)) };
  }
  return current.instruments;
};
