import type { MigrationObject } from '@mikro-orm/core';
import { hydrateActor } from '../actorHost/index.js';
import type { Aggregate, AggregateRegistry } from '../aggregate/index.js';
import { createCommandClient } from '../commands/index.js';
import type { ChronicleConfig } from '../config/index.js';
import { migrate } from '../db/index.js';
import { createPostgresEventStore, type EventStore } from '../eventStore/index.js';
import { aggregateStateAt, correlationStory, IsoTime } from '../queries/index.js';
import { requireServices } from '../services/index.js';
import { CliUsageError, EXIT, printError, printJson } from './cliOutput.js';
import { withOrm } from './withOrm.js';

/** The runtime's migrations, then the domain's (its read models). */
export const migrateCommand = async (
  config: ChronicleConfig,
  domainMigrations: readonly MigrationObject[],
): Promise<number> => {
  await requireServices(config, ['postgres']);
  const report = await migrate(config.databaseUrl, domainMigrations);
  printJson({
    database: new URL(config.databaseUrl).pathname.slice(1),
    created: report.database === 'created',
    applied: report.applied,
  });
  return EXIT.ok;
};

export type SendArgs = {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly type: string;
  readonly payload?: string;
  readonly commandId?: string;
  readonly wait: boolean;
  readonly timeoutMs?: number;
};

const parsePayload = (raw: string | undefined): unknown => {
  if (raw === undefined) return {};
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new CliUsageError(`--payload is not valid JSON: ${(error as Error).message}`);
  }
};

/** Unknown aggregates and commands and invalid payloads are answered here, wait or not. */
export const sendCommand = async (
  config: ChronicleConfig,
  aggregates: readonly Aggregate[],
  args: SendArgs,
): Promise<number> => {
  await requireServices(config, ['redis']);
  const client = createCommandClient({
    redisUrl: config.redisUrl,
    redisClusterNodes: config.redisClusterNodes,
    shards: config.shards,
    queuePrefix: config.queuePrefix,
    aggregates,
  });
  try {
    const request = {
      aggregateType: args.aggregateType,
      aggregateId: args.aggregateId,
      type: args.type,
      payload: parsePayload(args.payload),
      ...(args.commandId ? { commandId: args.commandId } : {}),
      issuedBy: 'cli',
    };
    const result = args.wait
      ? await client.send(request, { wait: true, ...(args.timeoutMs ? { timeoutMs: args.timeoutMs } : {}) })
      : await client.send(request);
    printJson(result);
    return result.status === 'rejected' ? EXIT.rejected : EXIT.ok;
  } finally {
    await client.close();
  }
};

const withStore = <T>(
  config: ChronicleConfig,
  registry: AggregateRegistry,
  fn: (store: EventStore) => Promise<T>,
) => withOrm(config, (orm) => fn(createPostgresEventStore(orm, { schemas: registry.schemas })));

export const eventsCommand = (
  config: ChronicleConfig,
  registry: AggregateRegistry,
  streamType: string,
  streamId: string,
): Promise<number> =>
  withStore(config, registry, async (store) => {
    const events = await store.readStream({ streamType, streamId });
    for (const event of events) printJson(event);
    if (events.length === 0) printError(`no events for ${streamType}/${streamId}`);
    return events.length === 0 ? EXIT.rejected : EXIT.ok;
  });

/** `state <type> <id> --at <time>`: the state after the last event recorded at or before `time`. */
const stateAtTime = (
  config: ChronicleConfig,
  registry: AggregateRegistry,
  streamType: string,
  streamId: string,
  time: string,
): Promise<number> => {
  if (!IsoTime.safeParse(time).success)
    throw new CliUsageError(`--at "${time}": an ISO 8601 date-time with offset, e.g. 2026-11-29T10:00:00Z`);
  return withStore(config, registry, async (store) => {
    const result = await aggregateStateAt(store, registry, {
      aggregateType: streamType,
      aggregateId: streamId,
      time,
    });
    if (result.status !== 'ok') {
      printError(result.message);
      return EXIT.rejected;
    }
    const { value, context, version } = result.data;
    printJson({ value, context, version, time });
    return EXIT.ok;
  });
};

export const stateCommand = (
  config: ChronicleConfig,
  registry: AggregateRegistry,
  streamType: string,
  streamId: string,
  at?: string,
): Promise<number> => {
  const aggregate = registry.find(streamType);
  if (!aggregate) {
    printError(`unknown aggregate type "${streamType}" (known: ${registry.types.join(', ')})`);
    return Promise.resolve(EXIT.rejected);
  }
  if (at !== undefined) return stateAtTime(config, registry, streamType, streamId, at);
  return withStore(config, registry, async (store) => {
    const { actor } = await hydrateActor(store, aggregate, streamId);
    if (actor.version === 0) {
      printError(`${streamType}/${streamId} does not exist (no events)`);
      return EXIT.rejected;
    }
    printJson(actor.state);
    return EXIT.ok;
  });
};

/** `story <correlationId>`: every command and event of the correlation in causal order, one JSON line each. */
export const storyCommand = (
  config: ChronicleConfig,
  registry: AggregateRegistry,
  correlationId: string,
): Promise<number> =>
  withStore(config, registry, async (store) => {
    const story = await correlationStory(store, correlationId);
    if (story.status !== 'ok') {
      printError(story.message);
      return EXIT.rejected;
    }
    for (const step of story.data) printJson(step);
    return EXIT.ok;
  });
