import type { Knex } from '@mikro-orm/postgresql';
import { ChronicleError } from '../../errors/index.js';
import type { EventSchemas } from '../../eventSchemas/index.js';
import { timeOrderedId } from '../../messages/index.js';
import { COMMAND_REJECTED, commandRejectedEvent, REJECTIONS_STREAM } from '../commandRejected.js';
import type { RejectionOutcome, RejectionRequest } from '../eventStore.js';
import { findCommand } from './findCommand.js';
import { notifyAppended } from './notifyAppended.js';
import { query } from './sql.js';

/**
 * One statement, like an append (so the subscriptions' horizon still holds: it locks es_events
 * before it takes a transaction id): record the rejected command in the ledger unless its id is
 * there already, and when a process manager sent it, append CommandRejected (stream
 * `chronicle.rejection/<command id>`, version 1) so the rejection reaches it through its
 * subscription, in commit order, never skipped.
 */
const rejectionSql = `
  with recorded as (
    insert into es_commands (command_id, stream_type, stream_id, command_type, status, first_version,
      last_version, code, message, details, correlation_id, causation_id, issued_at, issued_by, fingerprint,
      payload)
    select c.command_id, ?, ?, c.command_type, 'rejected', 1, 0, c.code, c.message, c.details,
      c.correlation_id, c.causation_id, c.issued_at, c.issued_by, c.fingerprint, c.payload
    from jsonb_to_recordset(?::jsonb) as c(command_id text, command_type text, code text, message text,
      details jsonb, correlation_id text, causation_id text, issued_at timestamptz, issued_by text,
      fingerprint text, payload jsonb)
    on conflict (command_id) do nothing
    returning command_id
  ),
  head as (
    insert into es_streams (stream_type, stream_id, version)
    select ?, command_id, 1 from recorded where ?::boolean
    returning stream_id
  ),
  appended as (
    insert into es_events (stream_type, stream_id, version, event_id, type, data, metadata)
    select ?, stream_id, 1, ?::uuid, ?, ?::jsonb, ?::jsonb from head
    returning 1
  )
  select (select count(*) from recorded)::int as recorded, (select count(*) from appended)::int as appended`;

export const recordRejection = async (
  knex: Knex,
  schemas: EventSchemas,
  request: RejectionRequest,
): Promise<RejectionOutcome> => {
  const { command, rejection, answerTo } = request;
  const rejected = commandRejectedEvent(request);
  const { correlationId } = rejected.metadata;
  const [row] = await query<{ recorded: number; appended: number }>(knex, rejectionSql, [
    request.streamType,
    request.streamId,
    JSON.stringify([
      {
        command_id: command.commandId,
        command_type: command.type,
        code: rejection.code,
        message: rejection.message,
        details: rejection.details ?? null,
        correlation_id: correlationId,
        causation_id: command.causationId ?? null,
        issued_at: command.issuedAt ?? null,
        issued_by: command.issuedBy ?? null,
        fingerprint: command.fingerprint ?? null,
        payload: command.payload ?? null,
      },
    ]),
    REJECTIONS_STREAM,
    answerTo !== undefined,
    REJECTIONS_STREAM,
    timeOrderedId(),
    COMMAND_REJECTED,
    JSON.stringify(rejected.data),
    JSON.stringify(rejected.metadata),
  ]);
  if (row?.appended)
    await notifyAppended(knex, { streamType: REJECTIONS_STREAM, streamId: command.commandId });
  if (row?.recorded) return { status: 'recorded' };
  const stored = await findCommand(knex, schemas, command.commandId);
  if (!stored)
    throw new ChronicleError('INVARIANT', `command ${command.commandId} vanished after a duplicate insert`);
  return { status: 'duplicate', stored };
};
