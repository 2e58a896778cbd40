import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isChronicleError } from '../../src/errors/index.js';
import type { AppendOutcome, AppendRequest } from '../../src/eventStore/index.js';
import { usePostgresEventStore } from '../support/postgresEventStore.js';

const placeOrder = (streamId: string, commandId: string, expectedVersion = 0): AppendRequest => ({
  streamType: 'order',
  streamId,
  expectedVersion,
  events: [{ type: 'OrderPlaced', data: { streamId } }],
  metadata: { commandId, correlationId: commandId, causationId: commandId },
  command: { commandId, type: 'PlaceOrder' },
});

const appended = (outcome: PromiseSettledResult<AppendOutcome> | undefined) => {
  if (outcome?.status !== 'fulfilled' || outcome.value.status !== 'appended')
    throw new Error(`expected an append, got ${JSON.stringify(outcome)}`);
  return outcome.value.result;
};

/** The transaction each event was written in. */
const transactionOf = (outcome: PromiseSettledResult<AppendOutcome> | undefined) =>
  appended(outcome).events[0]?.transactionId;

// The PostgreSQL adapter sends an append alone when none is in flight, and the appends that arrive
// meanwhile together in the next statement: so the first append of each burst below goes alone and
// the rest make one group.
describe('event store, PostgreSQL: group commit', () => {
  const opened = usePostgresEventStore();

  it('given an append in flight, concurrent appends to other streams commit in one transaction, each answered with its own result', async () => {
    const [alone, ...group] = await Promise.allSettled([
      opened.store.append(placeOrder('g1-first', 'g1-cmd-first')),
      ...[1, 2, 3, 4].map((n) => opened.store.append(placeOrder(`g1-${n}`, `g1-cmd-${n}`))),
    ]);
    expect(group.map((outcome) => appended(outcome).aggregateId)).toEqual(['g1-1', 'g1-2', 'g1-3', 'g1-4']);
    expect(group.map((outcome) => appended(outcome).commandId)).toEqual([
      'g1-cmd-1',
      'g1-cmd-2',
      'g1-cmd-3',
      'g1-cmd-4',
    ]);
    expect(group.map((outcome) => appended(outcome).events.map((e) => [e.streamId, e.version]))).toEqual([
      [['g1-1', 1]],
      [['g1-2', 1]],
      [['g1-3', 1]],
      [['g1-4', 1]],
    ]);
    expect(new Set(group.map(transactionOf)).size).toBe(1);
    expect(transactionOf(alone)).not.toBe(transactionOf(group[0]));
    for (const n of [1, 2, 3, 4]) {
      expect(await opened.store.findCommandResult(`g1-cmd-${n}`)).toEqual(appended(group[n - 1]));
    }
  });

  it("given a stale expected version in a group, that append is a ConcurrencyError and writes nothing, and the group's others commit", async () => {
    await opened.store.append(placeOrder('g2-stale', 'g2-cmd-0'));
    const [, first, stale, last] = await Promise.allSettled([
      opened.store.append(placeOrder('g2-first', 'g2-cmd-first')),
      opened.store.append(placeOrder('g2-a', 'g2-cmd-a')),
      opened.store.append(placeOrder('g2-stale', 'g2-cmd-stale', 0)),
      opened.store.append(placeOrder('g2-b', 'g2-cmd-b')),
    ]);
    expect(stale).toMatchObject({ status: 'rejected' });
    const reason = (stale as PromiseRejectedResult).reason;
    expect(isChronicleError(reason, 'CONCURRENCY')).toBe(true);
    expect(String(reason)).toContain('is at version 1, expected 0');
    expect(await opened.store.findCommandResult('g2-cmd-stale')).toBeUndefined();
    expect(await opened.store.readStream({ streamType: 'order', streamId: 'g2-stale' })).toHaveLength(1);
    expect(transactionOf(first)).toBe(transactionOf(last));
    expect(await opened.store.streamVersion({ streamType: 'order', streamId: 'g2-a' })).toBe(1);
    expect(await opened.store.streamVersion({ streamType: 'order', streamId: 'g2-b' })).toBe(1);
  });

  it('given a command id recorded before in a group, that append answers duplicate with the stored result, and the others commit', async () => {
    const original = await opened.store.append(placeOrder('g3-original', 'g3-cmd-resent'));
    const [, resent, other] = await Promise.allSettled([
      opened.store.append(placeOrder('g3-first', 'g3-cmd-first')),
      opened.store.append(placeOrder('g3-resent', 'g3-cmd-resent')),
      opened.store.append(placeOrder('g3-other', 'g3-cmd-other')),
    ]);
    expect(resent).toEqual({ status: 'fulfilled', value: { status: 'duplicate', result: original.result } });
    expect(await opened.store.readStream({ streamType: 'order', streamId: 'g3-resent' })).toEqual([]);
    expect(appended(other).aggregateId).toBe('g3-other');
    expect(await opened.store.findCommandResult('g3-cmd-other')).toEqual(appended(other));
  });

  it("given a process manager's event ids stored before in a group, that append answers with the stored events, and the others commit", async () => {
    const decision = (expectedVersion: number): AppendRequest => ({
      streamType: 'order-payment',
      streamId: 'g4-o',
      expectedVersion,
      events: [{ eventId: '0190c1d2-0000-7000-8000-000000000044', type: 'Handled', data: {} }],
      metadata: { commandId: 'g4-input', correlationId: 'g4', causationId: 'g4' },
    });
    const first = await opened.store.append(decision(0));
    const [, again, other] = await Promise.allSettled([
      opened.store.append(placeOrder('g4-first', 'g4-cmd-first')),
      opened.store.append(decision(1)),
      opened.store.append(placeOrder('g4-other', 'g4-cmd-other')),
    ]);
    expect(again).toEqual({ status: 'fulfilled', value: { status: 'duplicate', result: first.result } });
    expect(await opened.store.streamVersion({ streamType: 'order-payment', streamId: 'g4-o' })).toBe(1);
    expect(appended(other).aggregateId).toBe('g4-other');
  });

  it("given a stream's head locked by another transaction, the group's other appends commit without waiting for it, and it commits once the lock is gone", async () => {
    await opened.store.append(placeOrder('g5-locked', 'g5-cmd-0'));
    const holder = new pg.Client({ connectionString: opened.db.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query("select 1 from es_streams where stream_id = 'g5-locked' for update");
      let lockedSettled = false;
      void opened.store.append(placeOrder('g5-first', 'g5-cmd-first'));
      const locked = opened.store.append(placeOrder('g5-locked', 'g5-cmd-1', 1)).finally(() => {
        lockedSettled = true;
      });
      const others = await Promise.all([
        opened.store.append(placeOrder('g5-a', 'g5-cmd-a')),
        opened.store.append(placeOrder('g5-b', 'g5-cmd-b')),
      ]);
      expect(others.map((outcome) => outcome.status)).toEqual(['appended', 'appended']);
      expect(lockedSettled).toBe(false);
      await holder.query('commit');
      expect(await locked).toMatchObject({ status: 'appended', result: { version: 2 } });
    } finally {
      await holder.end();
    }
  });
});
