import { describe, expect, it } from 'vitest';
import type { PartitionStatus } from '../../projections/index.js';
import type { ReleaseManifest } from '../../releases/index.js';
import { nameWaitingReaders } from './waitingReaders.js';

const release = (name: string, opened: number): ReleaseManifest => ({
  release: name,
  aggregates: { ticket: { commands: {}, events: { TicketOpened: opened } } },
});

const common = {
  name: 'ticket_log',
  partition: 0,
  partitions: 1,
  checkpoint: { transactionId: '9', globalPosition: 4 },
  head: 9,
  lag: { events: 5, seconds: 1, estimated: false },
  deadLetters: 0,
};
const waiting = {
  eventId: 'e-5',
  eventType: 'TicketOpened',
  streamType: 'ticket',
  streamId: 't-1',
  version: 1,
  globalPosition: 5,
  schemaVersion: 2,
  knownVersion: 1,
  worker: 'v1-a',
  at: '2026-12-07T16:00:00.000Z',
};

describe('GET /v1/projections: a waiting partition', () => {
  it('names the running releases that read the event it waits at, and leaves other partitions as they are', () => {
    const running: PartitionStatus = { ...common, state: 'running', owner: 'v2-a', leaseExpiresAt: 'x' };
    const waits: PartitionStatus = { ...common, state: 'waiting', owner: null, waiting };
    const named = nameWaitingReaders(
      [waits, running],
      [release('r1', 1), release('r2', 2), release('r3', 3)],
    );
    expect(named[0]).toMatchObject({ state: 'waiting', waiting: { ...waiting, readableBy: ['r2', 'r3'] } });
    expect(named[1]).toBe(running);
    expect(nameWaitingReaders([waits], [release('r1', 1)])[0]).toMatchObject({ waiting: { readableBy: [] } });
  });
});
