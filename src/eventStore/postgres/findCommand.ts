import type { Knex } from '@mikro-orm/postgresql';
import type { EventSchemas } from '../../eventSchemas/index.js';
import type { CommandResult, RejectedResult } from '../../messages/index.js';
import type { StoredCommand } from '../eventStore.js';
import { readStream } from './readStream.js';
import { query } from './sql.js';

export type CommandRow = {
  command_id: string;
  stream_type: string;
  stream_id: string;
  command_type: string;
  status: 'accepted' | 'rejected';
  first_version: number;
  last_version: number;
  code: string | null;
  message: string | null;
  details: Record<string, unknown> | null;
  fingerprint: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  issued_at: Date | null;
  issued_by: string | null;
  recorded_at: Date;
};

export const commandColumns = `command_id, stream_type, stream_id, command_type, status, first_version,
  last_version, code, message, details, fingerprint, correlation_id, causation_id, issued_at, issued_by,
  recorded_at`;

/** A ledger row as the ledger's reader sees it; an accepted command's events are read separately. */
export const rowToStoredCommand = (row: CommandRow, result: CommandResult): StoredCommand => ({
  streamType: row.stream_type,
  streamId: row.stream_id,
  commandId: row.command_id,
  type: row.command_type,
  result,
  ...(row.fingerprint ? { fingerprint: row.fingerprint } : {}),
  ...(row.correlation_id ? { correlationId: row.correlation_id } : {}),
  ...(row.causation_id ? { causationId: row.causation_id } : {}),
  ...(row.issued_at ? { issuedAt: new Date(row.issued_at).toISOString() } : {}),
  ...(row.issued_by ? { issuedBy: row.issued_by } : {}),
  recordedAt: new Date(row.recorded_at).toISOString(),
});

/** A recorded rejection's answer, as it was first given. */
export const rejectedAnswer = (row: CommandRow): RejectedResult => ({
  status: 'rejected',
  commandId: row.command_id,
  code: row.code ?? 'UNKNOWN',
  message: row.message ?? '',
  ...(row.details ? { details: row.details } : {}),
});

/**
 * A recorded command: its answer (an accepted one rebuilt from the events it appended, so the same
 * answer every time) with its causation and fingerprint.
 */
export const findCommand = async (
  knex: Knex,
  schemas: EventSchemas,
  commandId: string,
): Promise<StoredCommand | undefined> => {
  const [row] = await query<CommandRow>(
    knex,
    `select ${commandColumns} from es_commands where command_id = ?`,
    [commandId],
  );
  if (!row) return undefined;
  if (row.status === 'rejected') return rowToStoredCommand(row, rejectedAnswer(row));
  const events =
    row.first_version <= row.last_version
      ? await readStream(
          knex,
          schemas,
          { streamType: row.stream_type, streamId: row.stream_id },
          { afterVersion: row.first_version - 1, toVersion: row.last_version },
        )
      : [];
  return rowToStoredCommand(row, {
    status: 'accepted',
    commandId,
    aggregateType: row.stream_type,
    aggregateId: row.stream_id,
    version: row.last_version,
    events,
  });
};
