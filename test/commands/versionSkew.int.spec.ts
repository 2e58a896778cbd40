import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Aggregate } from '../../src/aggregate/index.js';
import type { CommandWorker } from '../../src/commands/index.js';
import { createEventSchemas } from '../../src/eventSchemas/index.js';
import { createPostgresEventStore, type EventStore } from '../../src/eventStore/index.js';
import type { LoggerPort } from '../../src/logging/index.js';
import type { CommandRequest } from '../../src/messages/index.js';
import { ReleaseRegistry, releaseManifest } from '../../src/releases/index.js';
import { openRedis, type RedisConnection } from '../../src/services/index.js';
import { ticketV1, ticketV2 } from '../deploy/support/ticketReleases.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { waitFor } from '../support/waitFor.js';

/** The commands a worker left for another release, by id, as it logged them. */
const leftLog = () => {
  const left = new Set<string>();
  const logger: LoggerPort = {
    info: (object, message) => {
      if (message === 'command left for another release')
        left.add((object as { commandId: string }).commandId);
    },
    warn: () => {},
    error: () => {},
  };
  return { left, logger };
};

const ticket = (id: string, type: string, payload: unknown = {}, commandId?: string): CommandRequest => ({
  aggregateType: 'ticket',
  aggregateId: id,
  type,
  payload,
  ...(commandId ? { commandId } : {}),
});

describe('command pods of two releases side by side (version skew)', () => {
  let path: CommandPath;
  let store: EventStore;
  let redis: RedisConnection;
  beforeAll(async () => {
    path = await createCommandPath({ shards: 2 });
    store = createPostgresEventStore(path.db.orm, { schemas: createEventSchemas([ticketV2]) });
    redis = openRedis(path.config);
  });
  afterAll(async () => {
    redis.disconnect();
    await path.close();
  });

  const send = (request: CommandRequest) => path.client.send(request, { wait: true, timeoutMs: 120_000 });
  const startRelease = (aggregates: readonly Aggregate[], logger?: LoggerPort, waitMs?: number) =>
    path.startWorker({
      aggregates,
      ...(logger ? { logger } : {}),
      ...(waitMs ? { config: { ...path.config, versionSkewWaitMs: waitMs } } : {}),
    });
  const stop = (worker: CommandWorker) => worker.stop();

  it('answers a command no running release knows with UNKNOWN_COMMAND at once, and records it', async () => {
    const v1 = await startRelease([ticketV1]);
    const result = await send(ticket('t-0', 'CloseTicket', {}, 'close-t-0'));
    expect(result).toMatchObject({ status: 'rejected', code: 'UNKNOWN_COMMAND' });
    expect((await store.findCommand('close-t-0'))?.result).toMatchObject({ code: 'UNKNOWN_COMMAND' });
    await stop(v1);
  });

  it('leaves a command only a newer release takes (a new optional field, a new command) for its pod, which accepts it', async () => {
    const { left, logger } = leftLog();
    const v1 = await startRelease([ticketV1], logger);
    // a pod of release 2 is starting: its release is known before its workers take jobs
    const announced = await ReleaseRegistry.start(
      redis,
      path.config.queuePrefix,
      releaseManifest([ticketV2]),
      logger,
    );
    const opened = send(ticket('t-1', 'OpenTicket', { title: 'printer', priority: 'high' }, 'open-t-1'));
    await waitFor(() => left.has('open-t-1'), { what: 'the old release to leave the command' });
    // the old pod recorded nothing: the command is still nobody's answer
    expect(await store.findCommand('open-t-1')).toBeUndefined();

    const v2 = await startRelease([ticketV2]);
    expect(await opened).toMatchObject({
      status: 'accepted',
      events: [{ type: 'TicketOpened', schemaVersion: 2, data: { title: 'printer', priority: 'high' } }],
    });
    expect(await send(ticket('t-1', 'CloseTicket', {}, 'close-t-1'))).toMatchObject({ status: 'accepted' });
    announced.stop();
    await stop(v2);
    await stop(v1);
  });

  it('leaves a command whose aggregate holds an event the old release cannot read yet (a retry, not a dead letter)', async () => {
    const { left, logger } = leftLog();
    const v2 = await startRelease([ticketV2]);
    expect(await send(ticket('t-2', 'OpenTicket', { title: 'desk' }))).toMatchObject({ status: 'accepted' });
    await stop(v2);

    const v1 = await startRelease([ticketV1], logger);
    const noted = send(ticket('t-2', 'AddNote', { text: 'wobbly' }, 'note-t-2'));
    await waitFor(() => left.has('note-t-2'), { what: 'the old release to leave the command' });
    const again = await startRelease([ticketV2]);
    expect(await noted).toMatchObject({ status: 'accepted', version: 2 });
    await stop(again);
    await stop(v1);
  });

  it('gives up after CHRONICLE_VERSION_SKEW_WAIT_MS as VERSION_SKEW, never a rejection, and a resend once the release runs is accepted', async () => {
    const { logger } = leftLog();
    const announced = await ReleaseRegistry.start(
      redis,
      path.config.queuePrefix,
      releaseManifest([ticketV2]),
      logger,
    );
    const v1 = await startRelease([ticketV1], logger, 1_500);
    const close = ticket('t-3', 'CloseTicket', {}, 'close-t-3');
    await expect(send(close)).rejects.toThrow(/VERSION_SKEW: release .* cannot take it \(UNKNOWN_COMMAND/);
    expect(await store.findCommand('close-t-3')).toBeUndefined();

    await stop(v1);
    await startRelease([ticketV2]);
    expect(await send(ticket('t-3', 'OpenTicket', { title: 'lamp' }))).toMatchObject({ status: 'accepted' });
    // the failed command, sent again under its id
    expect(await send(close)).toMatchObject({ status: 'accepted', version: 2 });
    announced.stop();
  });
});
