import { describe, expect, it } from 'vitest';
import { buildEnvelope } from '../../src/commands/index.js';
import { pruneCommandPayloads } from '../../src/eventStore/index.js';
import { commandRecordOf } from '../../src/messages/index.js';
import { usePostgresEventStore } from '../support/postgresEventStore.js';

const createOrderEnvelope = (aggregateId: string, type: string, payload: unknown) =>
  buildEnvelope({ aggregateType: 'order', aggregateId, type, payload });

const metadata = { commandId: 'c', correlationId: 'c', causationId: 'c' };

describe('the command ledger keeps payloads for a while', () => {
  const opened = usePostgresEventStore();
  const payloadOf = async (commandId: string) => {
    const knex = opened.db.orm.em.getKnex();
    const { rows } = await knex.raw<{ rows: { payload: unknown }[] }>(
      'select payload from es_commands where command_id = ?',
      [commandId],
    );
    return rows[0]?.payload;
  };

  it('given an accepted and a rejected command, keeps what each asked, as sent', async () => {
    const placed = createOrderEnvelope('kept-1', 'PlaceOrder', { productId: 'p', quantity: 2, unitPrice: 5 });
    await opened.store.append({
      streamType: 'order',
      streamId: 'kept-1',
      expectedVersion: 0,
      events: [{ type: 'OrderPlaced', data: { productId: 'p', quantity: 2, unitPrice: 5 } }],
      metadata,
      command: commandRecordOf(placed),
    });
    const cancel = createOrderEnvelope('kept-1', 'CancelOrder', { reason: 'late' });
    await opened.store.recordRejection({
      streamType: 'order',
      streamId: 'kept-1',
      command: commandRecordOf(cancel),
      rejection: { code: 'INVALID_TRANSITION', message: 'no' },
    });
    expect(await payloadOf(placed.commandId)).toEqual({ productId: 'p', quantity: 2, unitPrice: 5 });
    expect(await payloadOf(cancel.commandId)).toEqual({ reason: 'late' });
  });

  it('when a payload is older than the retention, the prune forgets it and keeps the command', async () => {
    const knex = opened.db.orm.em.getKnex();
    const old = createOrderEnvelope('kept-2', 'CancelOrder', { reason: 'old' });
    const fresh = createOrderEnvelope('kept-3', 'CancelOrder', { reason: 'fresh' });
    for (const envelope of [old, fresh])
      await opened.store.recordRejection({
        streamType: 'order',
        streamId: envelope.aggregateId,
        command: commandRecordOf(envelope),
        rejection: { code: 'INVALID_TRANSITION', message: 'no' },
      });
    await knex.raw(`update es_commands set recorded_at = now() - interval '31 days' where command_id = ?`, [
      old.commandId,
    ]);

    expect(await pruneCommandPayloads(knex, { retentionDays: 30, batchSize: 1 })).toBe(1);

    expect(await payloadOf(old.commandId)).toBeNull();
    expect(await payloadOf(fresh.commandId)).toEqual({ reason: 'fresh' });
    expect((await opened.store.findCommand(old.commandId))?.result.status).toBe('rejected');
    expect(await pruneCommandPayloads(knex, { retentionDays: 30 })).toBe(0);
  });
});
