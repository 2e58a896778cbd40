import type { Knex } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { ConcurrencyError } from '../../errors/index.js';
import type { AcceptedResult } from '../../messages/index.js';
import type { AppendOutcome, AppendRequest } from '../eventStore.js';
import { findCommandResult } from './findCommandResult.js';
import { type EventRow, eventColumns, rowToEvent } from './rowToEvent.js';
import { query } from './sql.js';
import { streamVersion } from './streamVersion.js';

/** Subscriptions LISTEN on this channel; the payload is the stream type. */
export const EVENTS_CHANNEL = 'chronicle_events';

const isUniqueViolation = (error: unknown, constraint: string) =>
  (error as { code?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === constraint;

type AppendRow = Partial<EventRow> & { head_version: number | null; notified: string };

/**
 * One statement, so one round trip and its own transaction: move the stream head from the expected
 * version (the optimistic lock), insert the events, record the command, notify subscribers. The
 * inserts join the head's row, so nothing is written when the head did not move.
 */
const appendSql = `
  with head as (
    insert into es_streams (stream_type, stream_id, version) values (?, ?, ?)
    on conflict (stream_type, stream_id) do update set version = excluded.version, updated_at = now()
    where es_streams.version = ?
    returning version
  ),
  appended as (
    insert into es_events (stream_type, stream_id, version, event_id, type, data, metadata)
    select ?, ?, e.version, e.event_id, e.type, e.data, ?::jsonb
    from jsonb_to_recordset(?::jsonb) as e(version int, event_id uuid, type text, data jsonb), head
    order by e.version
    returning ${eventColumns}
  ),
  recorded as (
    insert into es_commands (command_id, stream_type, stream_id, command_type, status, first_version, last_version)
    select ?, ?, ?, ?, 'accepted', ?, ? from head
  ),
  notified as (
    select pg_notify(?, ?) from head where ? > 0
  )
  select h.version as head_version, (select count(*) from notified) as notified, a.*
  from (select 1) as one left join head h on true left join appended a on true
  order by a.version`;

/** Appends with optimistic concurrency; a command id seen before answers with its stored result. */
export const appendToStream = async (knex: Knex, request: AppendRequest): Promise<AppendOutcome> => {
  const { streamType, streamId, expectedVersion, events, metadata, command } = request;
  const nextVersion = expectedVersion + events.length;
  const drafts = events.map((event, index) => ({
    version: expectedVersion + index + 1,
    event_id: uuidv7(),
    type: event.type,
    data: event.data,
  }));
  let rows: AppendRow[];
  try {
    rows = await query<AppendRow>(knex, appendSql, [
      streamType,
      streamId,
      nextVersion,
      expectedVersion,
      streamType,
      streamId,
      JSON.stringify(metadata),
      JSON.stringify(drafts),
      command.commandId,
      streamType,
      streamId,
      command.type,
      expectedVersion + 1,
      nextVersion,
      EVENTS_CHANNEL,
      streamType,
      events.length,
    ]);
  } catch (error) {
    if (!isUniqueViolation(error, 'es_commands_pkey')) throw error;
    const stored = await findCommandResult(knex, command.commandId);
    if (!stored) throw new Error(`command ${command.commandId} vanished after a duplicate insert`);
    return { status: 'duplicate', result: stored };
  }
  if (rows[0]?.head_version == null) {
    const actual = await streamVersion(knex, { streamType, streamId });
    throw new ConcurrencyError(streamType, streamId, expectedVersion, actual);
  }
  const result: AcceptedResult = {
    status: 'accepted',
    commandId: command.commandId,
    aggregateType: streamType,
    aggregateId: streamId,
    version: nextVersion,
    events: rows.filter((row) => row.version != null).map((row) => rowToEvent(row as EventRow)),
  };
  return { status: 'appended', result };
};
