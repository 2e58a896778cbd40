import type { StreamRef } from '../eventStore.js';
import type { CommandRow } from './findCommand.js';
import { type Db, query } from './sql.js';

/** A recorded command as a replay decides it again: what it asked, when, and what it was answered. */
export type LedgerCommand = StreamRef & {
  readonly commandId: string;
  readonly type: string;
  /** undefined when the ledger did not keep it (recorded before payloads were kept, or pruned). */
  readonly payload: unknown;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly issuedAt?: string;
  readonly issuedBy?: string;
  readonly recordedAt: string;
  /**
   * The stream version it was decided on. For an accepted command, the one before its first event;
   * a rejection records none, so it is the version its stream had when the rejection was recorded
   * (an aggregate's commands run one at a time, so no event of its stream was written in between).
   */
  readonly decidedAt: number;
  readonly answer:
    | { readonly status: 'accepted'; readonly lastVersion: number }
    | { readonly status: 'rejected'; readonly code: string; readonly message: string };
};

/** A ledger row as `findCommand` reads it, with the payload and when it was decided. */
type LedgerRow = Omit<CommandRow, 'details' | 'fingerprint'> & { payload: unknown; decided_at: number };

/** Every recorded command of these streams, in the order they were decided (then recorded). */
export const readLedgerOfStreams = async (
  db: Db,
  streams: readonly StreamRef[],
): Promise<LedgerCommand[]> => {
  if (streams.length === 0) return [];
  const rows = await query<LedgerRow>(
    db,
    `select c.command_id, c.stream_type, c.stream_id, c.command_type, c.status, c.first_version,
       c.last_version, c.code, c.message, c.correlation_id, c.causation_id, c.issued_at, c.issued_by,
       c.recorded_at, c.payload,
       case when c.status = 'accepted' then c.first_version - 1
         else (select coalesce(max(e.version), 0) from es_events e
               where e.stream_type = c.stream_type and e.stream_id = c.stream_id
                 and e.recorded_at <= c.recorded_at)
       end as decided_at
     from es_commands c join unnest(?::text[], ?::text[]) as s(stream_type, stream_id)
       on c.stream_type = s.stream_type and c.stream_id = s.stream_id
     order by c.stream_type, c.stream_id, decided_at, c.recorded_at, c.command_id`,
    [streams.map((stream) => stream.streamType), streams.map((stream) => stream.streamId)],
  );
  return rows.map((row) => ({
    streamType: row.stream_type,
    streamId: row.stream_id,
    commandId: row.command_id,
    type: row.command_type,
    payload: row.payload ?? undefined,
    ...(row.correlation_id ? { correlationId: row.correlation_id } : {}),
    ...(row.causation_id ? { causationId: row.causation_id } : {}),
    ...(row.issued_at ? { issuedAt: new Date(row.issued_at).toISOString() } : {}),
    ...(row.issued_by ? { issuedBy: row.issued_by } : {}),
    recordedAt: new Date(row.recorded_at).toISOString(),
    decidedAt: row.decided_at,
    answer:
      row.status === 'accepted'
        ? { status: 'accepted', lastVersion: row.last_version }
        : { status: 'rejected', code: row.code ?? 'UNKNOWN', message: row.message ?? '' },
  }));
};
