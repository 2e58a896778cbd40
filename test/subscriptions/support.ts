import type { Knex } from '@mikro-orm/postgresql';
import { domainEventSchemas } from '../../actors/index.js';
import { defaultSubscriptionSettings, type SubscriptionSettings } from '../../src/config/index.js';
import { appendToStream } from '../../src/eventStore/index.js';
import type { DomainEvent, RecordedEvent } from '../../src/messages/index.js';
import { type SubscriptionDefinition, SubscriptionHost } from '../../src/subscriptions/index.js';

export const fastSettings = (
  workerId: string,
  overrides: Partial<SubscriptionSettings> = {},
): SubscriptionSettings => ({
  ...defaultSubscriptionSettings(),
  workerId,
  batchSize: 5,
  pollIntervalMs: 50,
  leaseTtlMs: 1_500,
  backoffInitialMs: 10,
  backoffMaxMs: 100,
  ...overrides,
});

/** A subscription that records what it is given, in order, in memory. */
export const collecting = (name: string, partitions = 1, streamTypes?: readonly string[]) => {
  const delivered: RecordedEvent[] = [];
  const definition: SubscriptionDefinition = {
    name,
    partitions,
    filter: streamTypes ? { streamTypes } : {},
    handleBatch: async (events) => {
      delivered.push(...events);
    },
  };
  return { definition, delivered };
};

/** A subscription host for worker `workerId`, running `definition` with `fastSettings`. */
export const startHost = (knex: Knex, definition: SubscriptionDefinition, workerId: string) =>
  SubscriptionHost.start({
    schemas: domainEventSchemas,
    knex,
    subscriptions: [definition],
    settings: fastSettings(workerId),
  });

/** The streams whose delivered versions are not exactly 1, 2, 3, … in order (none: each once, in order). */
export const streamsOutOfOrder = (delivered: readonly RecordedEvent[]): string[] => {
  const versions = new Map<string, number[]>();
  for (const e of delivered) versions.set(e.streamId, [...(versions.get(e.streamId) ?? []), e.version]);
  return [...versions]
    .filter(([, seen]) => seen.some((version, i) => version !== i + 1))
    .map(([streamId]) => streamId);
};

const metadata = (commandId: string) => ({ commandId, correlationId: commandId, causationId: commandId });

let commands = 0;

/** Appends inside `tx` with a command id of its own (appendToStream opens a savepoint there). */
const appendInside = (
  tx: Knex.Transaction,
  streamId: string,
  expectedVersion: number,
  events: readonly DomainEvent[],
  streamType: string,
) => {
  const commandId = `cmd-${process.pid}-${++commands}`;
  return appendToStream(tx, domainEventSchemas, {
    streamType,
    streamId,
    expectedVersion,
    events,
    metadata: metadata(commandId),
    command: { commandId, type: 'Do' },
  });
};

/** Appends through a transaction of our own, so a test can keep it open (`hold`) before it commits. */
export const appendHeld = async (
  knex: Knex,
  streamId: string,
  expectedVersion: number,
  events: readonly DomainEvent[],
  hold: () => Promise<void> = async () => {},
  streamType = 'thing',
): Promise<void> => {
  await knex.transaction(async (tx) => {
    // its rows commit with our transaction
    await appendInside(tx, streamId, expectedVersion, events, streamType);
    await hold();
  });
};

/**
 * Appends through a transaction of our own that does `first` before it appends (takes a row lock a
 * subscription's batch then waits on, say), so it has a transaction id long before its events.
 */
export const appendAfter = async (
  knex: Knex,
  streamId: string,
  expectedVersion: number,
  events: readonly DomainEvent[],
  first: (tx: Knex.Transaction) => Promise<void>,
  streamType = 'thing',
): Promise<void> => {
  await knex.transaction(async (tx) => {
    await first(tx);
    await appendInside(tx, streamId, expectedVersion, events, streamType);
  });
};
