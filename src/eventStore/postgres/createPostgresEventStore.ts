import type { Orm } from '../../db/index.js';
import type { EventSchemas } from '../../eventSchemas/index.js';
import type { EventStore } from '../eventStore.js';
import { appendToStream } from './appendToStream.js';
import { findCommand } from './findCommand.js';
import { readCorrelation } from './readCorrelation.js';
import { readSnapshot } from './readSnapshot.js';
import { readSnapshotHistory } from './readSnapshotHistory.js';
import { readStream } from './readStream.js';
import { readStreamToFold } from './readStreamToFold.js';
import { readToFold } from './readToFold.js';
import { recordRejection } from './recordRejection.js';
import { streamVersion } from './streamVersion.js';
import { streamVersionAt } from './streamVersionAt.js';
import { writeSnapshot } from './writeSnapshot.js';

export type PostgresEventStoreOptions = {
  /**
   * The event schemas of the streams it reads and writes (`registry.schemas`, or
   * `createEventSchemas(aggregates)`): stored events are read in their current shape, new ones
   * written in the current version. `noEventSchemas` when every event type is at version 1.
   */
  readonly schemas: EventSchemas;
  /** Snapshots kept per stream, the latest included (CHRONICLE_SNAPSHOT_HISTORY). Default 2. */
  readonly snapshotHistory?: number;
};

/** The PostgreSQL event store, on MikroORM's connection (plain SQL: it is the hot path). */
export const createPostgresEventStore = (
  orm: Orm,
  { schemas, snapshotHistory }: PostgresEventStoreOptions,
): EventStore => {
  const knex = orm.em.getKnex();
  return {
    append: (request) => appendToStream(knex, schemas, request),
    readStream: (stream, options) => readStream(knex, schemas, stream, options),
    readStreamToFold: (stream, options) => readStreamToFold(knex, schemas, stream, options),
    readToFold: (stream, machineHash, options) => readToFold(knex, schemas, stream, machineHash, options),
    streamVersion: (stream) => streamVersion(knex, stream),
    versionAt: (stream, time) => streamVersionAt(knex, stream, time),
    readSnapshot: (stream) => readSnapshot(knex, stream),
    readSnapshots: async (stream) => {
      const latest = await readSnapshot(knex, stream);
      return latest ? [latest, ...(await readSnapshotHistory(knex, stream))] : [];
    },
    writeSnapshot: (snapshot) => writeSnapshot(knex, snapshot, snapshotHistory, schemas),
    findCommandResult: async (commandId) => (await findCommand(knex, schemas, commandId))?.result,
    findCommand: (commandId) => findCommand(knex, schemas, commandId),
    recordRejection: (request) => recordRejection(knex, schemas, request),
    readCorrelation: (correlationId) => readCorrelation(knex, schemas, correlationId),
  };
};
