import type { Orm } from '../../db/index.js';
import type { EventStore } from '../eventStore.js';
import { appendToStream } from './appendToStream.js';
import { findCommand } from './findCommand.js';
import { readCorrelation } from './readCorrelation.js';
import { readSnapshot } from './readSnapshot.js';
import { readStream } from './readStream.js';
import { recordRejection } from './recordRejection.js';
import { streamVersion } from './streamVersion.js';
import { writeSnapshot } from './writeSnapshot.js';

/** The PostgreSQL event store, on MikroORM's connection (plain SQL: it is the hot path). */
export const createPostgresEventStore = (orm: Orm): EventStore => {
  const knex = orm.em.getKnex();
  return {
    append: (request) => appendToStream(knex, request),
    readStream: (stream, options) => readStream(knex, stream, options),
    streamVersion: (stream) => streamVersion(knex, stream),
    readSnapshot: (stream) => readSnapshot(knex, stream),
    writeSnapshot: (snapshot) => writeSnapshot(knex, snapshot),
    findCommandResult: async (commandId) => (await findCommand(knex, commandId))?.result,
    findCommand: (commandId) => findCommand(knex, commandId),
    recordRejection: (request) => recordRejection(knex, request),
    readCorrelation: (correlationId) => readCorrelation(knex, correlationId),
  };
};
