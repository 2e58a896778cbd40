import { randomBytes } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { expect } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import {
  decodePublishedEvent,
  type EventBroker,
  outboxOutline,
  outboxSubscription,
  type PublishedEvent,
} from '../../src/broker/index.js';
import { query } from '../../src/eventStore/index.js';
import type { LoggerPort } from '../../src/logging/index.js';
import { createNatsEventBroker } from '../../src/nats/index.js';
import { SubscriptionHost } from '../../src/subscriptions/index.js';
import { fastSettings } from '../subscriptions/support.js';
import { type PodProcess, startPod } from '../support/processes.js';

export type StoredMessage = {
  readonly seq: number;
  readonly subject: string;
  readonly msgId: string | undefined;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly event: PublishedEvent;
};

/** A stream name and subject prefix of this test's own, so tests share a NATS server safely. */
export const natsNames = () => {
  const tag = randomBytes(4).toString('hex');
  return { stream: `T_${tag}`, subjectPrefix: `t_${tag}` };
};

/** A nats pod, as deployed: `node --import tsx workers/nats-worker.ts`, with fast subscription timings. */
export const spawnNatsPod = (env: Record<string, string>): PodProcess =>
  startPod('workers/nats-worker.ts', {
    CHRONICLE_SUBSCRIPTION_LEASE_MS: '1500',
    CHRONICLE_SUBSCRIPTION_POLL_MS: '100',
    CHRONICLE_SUBSCRIPTION_BACKOFF_MS: '20',
    CHRONICLE_SUBSCRIPTION_BACKOFF_MAX_MS: '250',
    CHRONICLE_SUBSCRIPTION_BATCH_SIZE: '20',
    CHRONICLE_NATS_LAG_MS: '200',
    ...env,
  });

export const withNats = async <T>(url: string, fn: (nc: NatsConnection) => Promise<T>): Promise<T> => {
  const nc = await connect({ servers: url });
  try {
    return await fn(nc);
  } finally {
    await nc.close();
  }
};

/** Removes a test's stream from the shared server (gone already is fine). */
export const deleteStream = (url: string, stream: string): Promise<void> =>
  withNats(url, async (nc) => {
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => false);
  });

/** How many messages the stream holds (0 while it does not exist). */
export const storedCount = (url: string, stream: string): Promise<number> =>
  withNats(url, async (nc) => {
    const jsm = await jetstreamManager(nc);
    return jsm.streams.info(stream).then(
      (info) => info.state.messages,
      () => 0,
    );
  });

/** Every message of the stream, in stream order. */
export const readStoredMessages = (url: string, stream: string): Promise<StoredMessage[]> =>
  withNats(url, async (nc) => {
    const jsm = await jetstreamManager(nc);
    const total = (await jsm.streams.info(stream)).state.messages;
    const consumer = await jetstream(nc).consumers.get(stream);
    const messages: StoredMessage[] = [];
    while (messages.length < total) {
      const batch = await consumer.fetch({ max_messages: total - messages.length, expires: 2_000 });
      for await (const msg of batch) {
        messages.push({
          seq: msg.seq,
          subject: msg.subject,
          msgId: msg.headers?.get('Nats-Msg-Id'),
          headers: {
            traceparent: msg.headers?.get('traceparent'),
            correlationId: msg.headers?.get('chronicle-correlation-id'),
            causationId: msg.headers?.get('chronicle-causation-id'),
          },
          event: decodePublishedEvent(msg.data),
        });
        if (messages.length === total) break;
      }
    }
    return messages;
  });

/**
 * Then: the stream holds every stored event exactly once, under its own id, on its subject, and
 * each stream's events in version order.
 */
export const expectEveryEventOnceInOrder = async (
  knex: Knex,
  messages: readonly StoredMessage[],
  subjectPrefix: string,
): Promise<void> => {
  const events = await query<{ event_id: string; stream_type: string; type: string }>(
    knex,
    'select event_id, stream_type, type from es_events order by global_position',
  );
  expect(messages.map((m) => m.msgId).sort()).toEqual(events.map((e) => e.event_id).sort());
  for (const message of messages) {
    expect(message.msgId).toBe(message.event.eventId);
    expect(message.subject).toBe(`${subjectPrefix}.events.${message.event.streamType}.${message.event.type}`);
  }
  const versions = new Map<string, number[]>();
  for (const { event } of messages) {
    const key = `${event.streamType}/${event.streamId}`;
    versions.set(key, [...(versions.get(key) ?? []), event.version]);
  }
  for (const [stream, seen] of versions) {
    expect({ stream, versions: seen }).toEqual({ stream, versions: seen.map((_, i) => i + 1) });
  }
};

/**
 * An outbox of its own, in this process (`outbox_<system>`, publishing events of type
 * `Happened_<system>` only, to a stream of its own), that gives an event at most `maxAttempts`.
 */
export const startOutbox = async (
  knex: Knex,
  nc: NatsConnection,
  {
    system,
    partitions = 2,
    maxAttempts = 2,
    logger,
  }: {
    system: string;
    partitions?: number;
    maxAttempts?: number;
    logger: LoggerPort;
  },
) => {
  const names = natsNames();
  const broker = createNatsEventBroker(nc, { ...names, duplicateWindowMs: 60_000 });
  await broker.ensureStream();
  let publishes = 0;
  const counted: EventBroker = {
    system: broker.system,
    destination: (event) => broker.destination(event),
    publish: (event, trace) => {
      publishes++;
      return broker.publish(event, trace);
    },
  };
  const host = await SubscriptionHost.start({
    knex,
    schemas: domainEventSchemas,
    subscriptions: [
      outboxSubscription({
        broker: counted,
        outline: outboxOutline({ system, partitions, eventTypes: [`Happened_${system}`] }),
      }),
    ],
    settings: fastSettings(`outbox-${system}`, { maxAttempts }),
    logger,
  });
  /** Its partitions' state and the failed attempts counted against an event. */
  const partitionStates = () =>
    query<{ status: string; attempts: number }>(
      knex,
      'select status, attempts from es_checkpoints where subscription = ? order by partition',
      [`outbox_${system}`],
    );
  /** Publish attempts so far, the failed ones included. */
  const publishAttempts = () => publishes;
  return { names, host, partitionStates, publishAttempts };
};

/** A logger that keeps every line, for a test to read. */
export const keptLog = () => {
  const messages: { level: 'info' | 'warn' | 'error'; message: string }[] = [];
  const logger: LoggerPort = {
    info: (_object, message = '') => messages.push({ level: 'info', message }),
    warn: (_object, message = '') => messages.push({ level: 'warn', message }),
    error: (_object, message = '') => messages.push({ level: 'error', message }),
  };
  return { messages, logger, errors: () => messages.filter((m) => m.level === 'error') };
};
