import type { Knex } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { ConcurrencyError } from '../../errors/index.js';
import type { AcceptedResult } from '../../messages/index.js';
import type { AppendOutcome, AppendRequest } from '../eventStore.js';
import { type EventRow, eventColumns, rowToEvent } from './rowToEvent.js';
import { query } from './sql.js';

/** Subscriptions LISTEN on this channel; the payload is the stream type. */
export const EVENTS_CHANNEL = 'chronicle_events';

class DuplicateCommand extends Error {}

const isUniqueViolation = (error: unknown, constraint: string) =>
  (error as { code?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === constraint;

/**
 * Appends in one transaction: move the stream head from the expected version (the optimistic lock),
 * insert the events, record the command with its result, notify subscribers. A command id seen
 * before returns its stored result and appends nothing.
 */
export const appendToStream = async (knex: Knex, request: AppendRequest): Promise<AppendOutcome> => {
  const { streamType, streamId, expectedVersion, events, metadata, command } = request;
  const nextVersion = expectedVersion + events.length;
  try {
    const result = await knex.transaction(async (tx) => {
      const head = await query<{ version: number }>(
        tx,
        `insert into es_streams (stream_type, stream_id, version) values (?, ?, ?)
         on conflict (stream_type, stream_id) do update set version = excluded.version, updated_at = now()
         where es_streams.version = ?
         returning version`,
        [streamType, streamId, nextVersion, expectedVersion],
      );
      if (head.length === 0) {
        const [actual] = await query<{ version: number }>(
          tx,
          'select version from es_streams where stream_type = ? and stream_id = ?',
          [streamType, streamId],
        );
        throw new ConcurrencyError(streamType, streamId, expectedVersion, actual?.version ?? 0);
      }
      const rows = events.length
        ? await query<EventRow>(
            tx,
            `insert into es_events (stream_type, stream_id, version, event_id, type, data, metadata)
             select ?, ?, e.version, e.event_id, e.type, e.data, ?::jsonb
             from jsonb_to_recordset(?::jsonb) as e(version int, event_id uuid, type text, data jsonb)
             order by e.version
             returning ${eventColumns}`,
            [
              streamType,
              streamId,
              JSON.stringify(metadata),
              JSON.stringify(
                events.map((event, index) => ({
                  version: expectedVersion + index + 1,
                  event_id: uuidv7(),
                  type: event.type,
                  data: event.data,
                })),
              ),
            ],
          )
        : [];
      const accepted: AcceptedResult = {
        status: 'accepted',
        commandId: command.commandId,
        aggregateType: streamType,
        aggregateId: streamId,
        version: nextVersion,
        events: rows.map(rowToEvent).sort((a, b) => a.version - b.version),
      };
      try {
        await query(
          tx,
          `insert into es_commands (command_id, stream_type, stream_id, command_type, status, result)
           values (?, ?, ?, ?, 'accepted', ?::jsonb)`,
          [command.commandId, streamType, streamId, command.type, JSON.stringify(accepted)],
        );
      } catch (error) {
        if (isUniqueViolation(error, 'es_commands_pkey')) throw new DuplicateCommand();
        throw error;
      }
      if (rows.length) await query(tx, 'select pg_notify(?, ?)', [EVENTS_CHANNEL, streamType]);
      return accepted;
    });
    return { status: 'appended', result };
  } catch (error) {
    if (!(error instanceof DuplicateCommand)) throw error;
    const [stored] = await query<{ result: AcceptedResult }>(
      knex,
      'select result from es_commands where command_id = ?',
      [command.commandId],
    );
    if (!stored) throw new Error(`command ${command.commandId} vanished after a duplicate insert`);
    return { status: 'duplicate', result: stored.result };
  }
};
