import type { Knex } from '@mikro-orm/postgresql';
import { ChronicleError, ConcurrencyError } from '../../errors/index.js';
import { currentSchemaVersion, type EventSchemas } from '../../eventSchemas/index.js';
import { type AcceptedResult, type RecordedEvent, timeOrderedId } from '../../messages/index.js';
import type { AppendOutcome, AppendRequest } from '../eventStore.js';
import { storedAppend } from '../storedAppend.js';
import { findCommand } from './findCommand.js';
import { notifyAppended } from './notifyAppended.js';
import { appendedColumns, type EventRow, eventColumns, rowToEvent } from './rowToEvent.js';
import type { SealedEvent } from './sealAppend.js';
import { query } from './sql.js';
import { streamVersion } from './streamVersion.js';

const isUniqueViolation = (error: unknown, constraint: string) =>
  (error as { code?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === constraint;

/** A row the append statements answer: the head's new version (null when it did not move) and one event. */
export type AppendRow = Partial<EventRow> & { head_version: number | null };

/** An append with its event rows made: what both the single and the grouped statement write. */
export type PreparedAppend = {
  readonly request: AppendRequest;
  readonly schemas: EventSchemas;
  readonly nextVersion: number;
  readonly drafts: readonly {
    version: number;
    event_id: string;
    type: string;
    schema_version: number;
    /** As stored: personal fields sealed (sealAppend). */
    data: unknown;
    subjects: readonly string[] | null;
  }[];
};

/** The rows an append writes; `sealed` gives events with personal data as they are stored. */
export const prepareAppend = (
  schemas: EventSchemas,
  request: AppendRequest,
  sealed?: readonly SealedEvent[],
): PreparedAppend => {
  const { streamType, expectedVersion, events } = request;
  return {
    request,
    schemas,
    nextVersion: expectedVersion + events.length,
    drafts: events.map((event, index) => ({
      version: expectedVersion + index + 1,
      event_id: event.eventId ?? timeOrderedId(),
      type: event.type,
      schema_version: currentSchemaVersion(schemas, streamType, event.type),
      data: sealed?.[index]?.data ?? event.data,
      subjects: sealed?.[index]?.subjects ?? null,
    })),
  };
};

/** The command as a ledger row (none for an append without a command). */
export const ledgerRows = ({ command, metadata }: AppendRequest) =>
  command
    ? [
        {
          command_id: command.commandId,
          command_type: command.type,
          correlation_id: command.correlationId ?? metadata.correlationId,
          causation_id: command.causationId ?? null,
          issued_at: command.issuedAt ?? metadata.issuedAt ?? null,
          issued_by: command.issuedBy ?? metadata.issuedBy ?? null,
          fingerprint: command.fingerprint ?? null,
          payload: command.payload ?? null,
        },
      ]
    : [];

/**
 * What a committed append statement's rows answer: a ConcurrencyError when the head did not move
 * (nothing was written), else the appended events, subscribers notified.
 */
export const appendedOutcome = async (
  knex: Knex,
  { request, schemas, nextVersion }: PreparedAppend,
  rows: readonly AppendRow[],
): Promise<AppendOutcome> => {
  const { streamType, streamId, expectedVersion, events, metadata, command } = request;
  if (rows[0]?.head_version == null) {
    const actual = await streamVersion(knex, { streamType, streamId });
    throw new ConcurrencyError(streamType, streamId, expectedVersion, actual);
  }
  if (events.length > 0) await notifyAppended(knex, { streamType, streamId });
  const result: AcceptedResult = {
    status: 'accepted',
    commandId: command?.commandId ?? metadata.commandId,
    aggregateType: streamType,
    aggregateId: streamId,
    version: nextVersion,
    // the answer carries the events as decided: their personal fields as given, not as sealed
    events: rows
      .filter((row) => row.version != null)
      .map((row) => {
        const event = rowToEvent(row as EventRow, schemas);
        const given = events[event.version - expectedVersion - 1];
        return given ? { ...event, data: given.data } : event;
      }),
  };
  return { status: 'appended', result };
};

/**
 * One statement, so one round trip and its own transaction: move the stream head from the expected
 * version (the optimistic lock), insert the events, record the command. The inserts join the
 * head's row, so nothing is written when the head did not move. Subscribers are notified once it
 * is committed (notifyAppended). Prepared once per connection: parsing and planning it took about
 * as long as running it and committing.
 */
const appendSql = `
  with head as (
    insert into es_streams (stream_type, stream_id, version) values (?, ?, ?)
    on conflict (stream_type, stream_id) do update set version = excluded.version, updated_at = now()
    where es_streams.version = ?
    returning version
  ),
  appended as (
    insert into es_events (stream_type, stream_id, version, event_id, type, schema_version, data, metadata,
      subjects)
    select ?, ?, e.version, e.event_id, e.type, e.schema_version, e.data, ?::jsonb, e.subjects
    from jsonb_to_recordset(?::jsonb) as e(version int, event_id uuid, type text, schema_version int, data jsonb,
      subjects text[]),
      head
    order by e.version
    returning ${appendedColumns}
  ),
  recorded as (
    insert into es_commands (command_id, stream_type, stream_id, command_type, status, first_version,
      last_version, correlation_id, causation_id, issued_at, issued_by, fingerprint, payload)
    select c.command_id, ?, ?, c.command_type, 'accepted', ?, ?, c.correlation_id, c.causation_id,
      c.issued_at, c.issued_by, c.fingerprint, c.payload
    from jsonb_to_recordset(?::jsonb) as c(command_id text, command_type text, correlation_id text,
      causation_id text, issued_at timestamptz, issued_by text, fingerprint text, payload jsonb), head
  )
  select h.version as head_version, a.*
  from (select 1) as one left join head h on true left join appended a on true
  order by a.version`;

/** Events given with their own ids were appended before: the stored ones, as one answer. */
const storedEvents = async (
  knex: Knex,
  schemas: EventSchemas,
  eventIds: readonly string[],
): Promise<RecordedEvent[]> =>
  (
    await query<EventRow>(
      knex,
      `select ${eventColumns} from es_events where event_id = any(?::uuid[]) order by global_position`,
      [eventIds],
    )
  ).map((row) => rowToEvent(row, schemas));

/**
 * Appends one stream in its own statement, with optimistic concurrency; a command id seen before
 * answers with its stored result, and so do event ids given by the caller (a process manager's
 * deterministic ids).
 */
export const appendOne = async (knex: Knex, prepared: PreparedAppend): Promise<AppendOutcome> => {
  const { request, schemas, nextVersion, drafts } = prepared;
  const { streamType, streamId, expectedVersion, events, metadata, command } = request;
  let rows: AppendRow[];
  try {
    rows = await query<AppendRow>(
      knex,
      appendSql,
      [
        streamType,
        streamId,
        nextVersion,
        expectedVersion,
        streamType,
        streamId,
        JSON.stringify(metadata),
        JSON.stringify(drafts),
        streamType,
        streamId,
        expectedVersion + 1,
        nextVersion,
        JSON.stringify(ledgerRows(request)),
      ],
      'chronicle_append',
    );
  } catch (error) {
    if (command && isUniqueViolation(error, 'es_commands_pkey')) {
      const stored = await findCommand(knex, schemas, command.commandId);
      if (!stored)
        throw new ChronicleError(
          'INVARIANT',
          `command ${command.commandId} vanished after a duplicate insert`,
        );
      return {
        status: 'duplicate',
        result: stored.result,
        ...(stored.fingerprint ? { fingerprint: stored.fingerprint } : {}),
      };
    }
    const given = events.flatMap((event) => (event.eventId ? [event.eventId] : []));
    if (given.length === 0 || !isUniqueViolation(error, 'es_events_event_id_key')) throw error;
    const duplicate = storedAppend(await storedEvents(knex, schemas, given));
    if (!duplicate)
      throw new ChronicleError('INVARIANT', `events ${given.join(', ')} vanished after a duplicate insert`);
    return duplicate;
  }
  return appendedOutcome(knex, prepared, rows);
};
