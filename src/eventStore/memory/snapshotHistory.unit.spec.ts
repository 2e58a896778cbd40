import { describe, expect, it } from 'vitest';
import { noEventSchemas } from '../../eventSchemas/index.js';
import { createInMemoryEventStore } from './createInMemoryEventStore.js';

const stream = { streamType: 'order', streamId: 'o-1' };
const snapshotAt = (version: number, machineHash = 'h') => ({
  ...stream,
  version,
  machineHash,
  state: { value: 'placed', context: {} },
});

describe('the in-memory store keeps snapshot history as PostgreSQL does', () => {
  it('given a history of 2, then the latest and the one before; the oldest is pruned and counted', async () => {
    const store = createInMemoryEventStore({ schemas: noEventSchemas });
    expect(await store.writeSnapshot(snapshotAt(1))).toEqual({ pruned: 0 });
    expect(await store.writeSnapshot(snapshotAt(3))).toEqual({ pruned: 0 });
    expect(await store.writeSnapshot(snapshotAt(5))).toEqual({ pruned: 1 });
    expect((await store.readSnapshots(stream)).map((snapshot) => snapshot.version)).toEqual([5, 3]);
    expect((await store.readSnapshot(stream))?.version).toBe(5);
  });

  it('given an older snapshot or none at all, then nothing changes', async () => {
    const store = createInMemoryEventStore({ schemas: noEventSchemas, snapshotHistory: 3 });
    expect(await store.readSnapshots(stream)).toEqual([]);
    await store.writeSnapshot(snapshotAt(5));
    expect(await store.writeSnapshot(snapshotAt(4))).toEqual({ pruned: 0 });
    await store.writeSnapshot(snapshotAt(5, 'another machine'));
    expect((await store.readSnapshots(stream)).map((snapshot) => snapshot.machineHash)).toEqual([
      'another machine',
      'h',
    ]);
  });
});
