import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { shardFor, shardQueueName } from '../../src/commands/index.js';
import { createPostgresEventStore } from '../../src/eventStore/index.js';
import type { CommandRequest } from '../../src/messages/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { deadLetterNext } from '../support/deadLetter.js';
import { placeOrder } from '../support/orderCommands.js';

describe('a command id means one command', () => {
  let path: CommandPath;
  beforeAll(async () => {
    path = await createCommandPath();
    await path.startWorker();
  });
  afterAll(() => path.close());

  const forgetJob = async (request: CommandRequest & { commandId: string }) => {
    const queue = new Queue(
      shardQueueName(shardFor(request.aggregateType, request.aggregateId, path.config.shards)),
      {
        connection: { url: path.config.redisUrl },
        prefix: path.config.queuePrefix,
      },
    );
    await queue.remove(request.commandId);
    await queue.close();
  };

  it('given an accepted command, the same id for another aggregate type is refused with COMMAND_ID_REUSED', async () => {
    const first = await path.client.send(placeOrder('reuse-1', 'reuse-cmd-1'), { wait: true });
    expect(first.status).toBe('accepted');
    const other = await path.client.send(
      {
        aggregateType: 'payment',
        aggregateId: 'reuse-1',
        type: 'RequestPayment',
        payload: { orderId: 'reuse-1', amount: 40, method: 'CARD' },
        commandId: 'reuse-cmd-1',
      },
      { wait: true },
    );
    expect(other).toMatchObject({ status: 'rejected', code: 'COMMAND_ID_REUSED' });
    expect(await path.client.send(placeOrder('reuse-1', 'reuse-cmd-1'), { wait: true })).toEqual(first);
  });

  it('the same id for another aggregate id, or another payload, is refused while the first job is queued', async () => {
    const first = await path.client.send(placeOrder('reuse-2', 'reuse-cmd-2'), { wait: true });
    expect(first.status).toBe('accepted');
    expect(await path.client.send(placeOrder('reuse-2b', 'reuse-cmd-2'), { wait: true })).toMatchObject({
      status: 'rejected',
      code: 'COMMAND_ID_REUSED',
    });
    const cancel = {
      aggregateType: 'order',
      aggregateId: 'reuse-2',
      type: 'CancelOrder',
      commandId: 'reuse-cancel',
    };
    await path.client.send({ ...cancel, payload: { reason: 'first' } }, { wait: true });
    expect(
      await path.client.send({ ...cancel, payload: { reason: 'second' } }, { wait: true }),
    ).toMatchObject({
      status: 'rejected',
      code: 'COMMAND_ID_REUSED',
    });
  });

  it('once the queue forgot the first job, the ledger refuses another payload under its id', async () => {
    const command = { ...placeOrder('reuse-3', 'reuse-cmd-3'), commandId: 'reuse-cmd-3' };
    expect((await path.client.send(command, { wait: true })).status).toBe('accepted');
    await forgetJob(command);
    const changed = { ...command, payload: { ...(command.payload as object), quantity: 9 } };
    expect(await path.client.send(changed, { wait: true })).toMatchObject({
      status: 'rejected',
      code: 'COMMAND_ID_REUSED',
    });
    const store = createPostgresEventStore(path.db.orm, { schemas: domainEventSchemas });
    expect(await store.streamVersion({ streamType: 'order', streamId: 'reuse-3' })).toBe(1);
  });

  it('a rejected command sent twice is answered once: its first rejection stands though the state moved', async () => {
    const confirm = {
      aggregateType: 'order',
      aggregateId: 'reuse-4',
      type: 'ConfirmPayment',
      payload: {},
      commandId: 'reuse-confirm-4',
    };
    const first = await path.client.send(confirm, { wait: true });
    expect(first).toMatchObject({ status: 'rejected', code: 'INVALID_TRANSITION' });
    await path.client.send(placeOrder('reuse-4'), { wait: true });
    await path.client.send(
      { aggregateType: 'order', aggregateId: 'reuse-4', type: 'InitiatePayment', payload: {} },
      { wait: true },
    );
    await forgetJob(confirm);
    expect(await path.client.send(confirm, { wait: true })).toEqual(first);
  });

  it('the ledger keeps each command with its causation, correlation and answer', async () => {
    await path.client.send(
      {
        ...placeOrder('reuse-5', 'reuse-cmd-5'),
        correlationId: 'story-5',
        causationId: 'cause-5',
        issuedBy: 'tester',
      },
      { wait: true },
    );
    const stored = await createPostgresEventStore(path.db.orm, { schemas: domainEventSchemas }).findCommand(
      'reuse-cmd-5',
    );
    expect(stored).toMatchObject({
      streamType: 'order',
      streamId: 'reuse-5',
      type: 'PlaceOrder',
      correlationId: 'story-5',
      causationId: 'cause-5',
      issuedBy: 'tester',
      result: { status: 'accepted', version: 1 },
    });
  });
});

describe('a dead letter under a command id', () => {
  let path: CommandPath;
  beforeAll(async () => {
    path = await createCommandPath({ shards: 1 }); // no command worker: the dead letter stays one
  });
  afterAll(() => path.close());

  it("runs again on its issuer's resend, never on another's send under its id", async () => {
    // given a dead-lettered order command of issuer a
    const command = { ...placeOrder('dead-1', 'dead-cmd-1'), issuedBy: 'a' };
    expect(await path.client.send(command)).toMatchObject({ status: 'enqueued' });
    await deadLetterNext(path.config, 0);
    // when issuer b sends a payment under its id, then it is refused and the dead letter stays dead
    const payment = {
      aggregateType: 'payment',
      aggregateId: 'dead-1',
      type: 'RequestPayment',
      payload: { orderId: 'dead-1', amount: 40, method: 'CARD' },
      commandId: 'dead-cmd-1',
    };
    expect(await path.client.send({ ...payment, issuedBy: 'b' })).toMatchObject({
      status: 'rejected',
      code: 'COMMAND_ID_REUSED',
    });
    // so is the same order command from issuer b
    expect(await path.client.send({ ...command, issuedBy: 'b' })).toMatchObject({
      code: 'COMMAND_ID_REUSED',
    });
    expect(await path.client.status('dead-cmd-1')).toMatchObject({ status: 'failed', issuedBy: 'a' });
    // when issuer a sends it again, then it is queued again
    expect(await path.client.send(command)).toMatchObject({ status: 'enqueued' });
    expect(await path.client.status('dead-cmd-1')).toMatchObject({ status: 'queued' });
  });
});
