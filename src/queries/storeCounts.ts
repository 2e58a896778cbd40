import type { Knex } from '@mikro-orm/postgresql';
import { readEventTypeCounts, readHeadPosition, readStreamCounts } from '../eventStore/index.js';

/** The store's figures, each from counters appends maintain: a few rows, whatever the store's size. */
export type StoreCounts = {
  readonly events: number;
  readonly streams: number;
  /** The newest global position. */
  readonly head: number;
  readonly aggregates: Readonly<Record<string, { readonly streams: number; readonly events: number }>>;
  /** Events per stored event type, highest first. */
  readonly eventTypes: Readonly<Record<string, number>>;
};

/** Streams and events per aggregate type and per event type, and the head (`chronicle stats`). */
export const readStoreCounts = async (db: Knex): Promise<StoreCounts> => {
  const rows = await readStreamCounts(db);
  return {
    events: rows.reduce((sum, row) => sum + row.events, 0),
    streams: rows.reduce((sum, row) => sum + row.streams, 0),
    head: await readHeadPosition(db),
    aggregates: Object.fromEntries(
      rows.map((row) => [row.streamType, { streams: row.streams, events: row.events }]),
    ),
    eventTypes: await readEventTypeCounts(db),
  };
};
