import type { Knex } from '@mikro-orm/postgresql';
import type { AppendOutcome } from '../eventStore.js';
import { type AppendRow, appendedOutcome, appendOne, ledgerRows, type PreparedAppend } from './appendOne.js';
import { appendedColumns } from './rowToEvent.js';
import { query } from './sql.js';

/**
 * appendOne's statement for several streams at once (each stream at most once): one round trip
 * and one transaction. Each head moves only from its own expected version and only a moved head's
 * events and command are written, so a stale append leaves the others to commit. The existing heads
 * are locked first, in (stream type, stream id) order and without waiting: a head another
 * transaction holds fails the group at once (55P03), and its appends go on one by one, so one
 * stream's lock never holds the others of its group. The head insert reads `locked` (a condition
 * always true) only so that the locks are taken before it.
 */
const appendGroupSql = `
  with req as materialized (
    select * from jsonb_to_recordset(?::jsonb) as r(i int, stream_type text, stream_id text,
      expected int, next int, metadata jsonb, events jsonb, commands jsonb)
  ),
  locked as materialized (
    select s.version from es_streams s join req using (stream_type, stream_id)
    order by s.stream_type, s.stream_id
    for update of s nowait
  ),
  head as (
    insert into es_streams (stream_type, stream_id, version)
    select stream_type, stream_id, next from req
    where (select count(*) from locked) >= 0
    order by stream_type, stream_id
    on conflict (stream_type, stream_id) do update set version = excluded.version, updated_at = now()
    where es_streams.version = (select r.expected from req r
      where r.stream_type = excluded.stream_type and r.stream_id = excluded.stream_id)
    returning stream_type, stream_id, version
  ),
  moved as materialized (select req.* from req join head using (stream_type, stream_id)),
  appended as (
    insert into es_events (stream_type, stream_id, version, event_id, type, schema_version, data, metadata,
      subjects)
    select m.stream_type, m.stream_id, e.version, e.event_id, e.type, e.schema_version, e.data, m.metadata,
      e.subjects
    from moved m,
      jsonb_to_recordset(m.events) as e(version int, event_id uuid, type text, schema_version int, data jsonb,
        subjects text[])
    order by m.stream_type, m.stream_id, e.version
    returning ${appendedColumns}
  ),
  recorded as (
    insert into es_commands (command_id, stream_type, stream_id, command_type, status, first_version,
      last_version, correlation_id, causation_id, issued_at, issued_by, fingerprint, payload)
    select c.command_id, m.stream_type, m.stream_id, c.command_type, 'accepted', m.expected + 1, m.next,
      c.correlation_id, c.causation_id, c.issued_at, c.issued_by, c.fingerprint, c.payload
    from moved m, jsonb_to_recordset(m.commands) as c(command_id text, command_type text,
      correlation_id text, causation_id text, issued_at timestamptz, issued_by text, fingerprint text,
      payload jsonb)
  )
  select r.i, h.version as head_version, a.*
  from req r
    left join head h using (stream_type, stream_id)
    left join appended a using (stream_type, stream_id)
  order by r.i, a.version`;

const groupRow = ({ request, drafts, nextVersion }: PreparedAppend, i: number) => ({
  i,
  stream_type: request.streamType,
  stream_id: request.streamId,
  expected: request.expectedVersion,
  next: nextVersion,
  metadata: request.metadata,
  events: drafts,
  commands: ledgerRows(request),
});

/**
 * A server error (a SQLSTATE) for a statement run in its own transaction means that transaction
 * was rolled back, except for a lost connection (08), a backend shut down (57P) or an internal
 * error (XX): those may come after the commit, so nobody can tell, and each append is answered
 * with the error itself.
 */
const rolledBack = (error: unknown) => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|57P|XX)/.test(code);
};

/**
 * Appends a group of different streams, each answered on its own: appended, a ConcurrencyError,
 * or what appendOne answers. One alone runs appendOne's statement. A group the database refused as
 * a whole (a command id or event id stored before, a head locked elsewhere, a deadlock, a value it
 * cannot take) wrote nothing, so its appends run again each on its own through appendOne, which
 * tells each its own outcome as it always did. Resolves once the group's statement is done: the
 * answers (and those re-runs) may settle later.
 */
export const appendGroup = async (
  knex: Knex,
  group: readonly PreparedAppend[],
): Promise<Promise<AppendOutcome>[]> => {
  const [only] = group;
  if (only && group.length === 1) {
    const outcome = appendOne(knex, only);
    await outcome.catch(() => {});
    return [outcome];
  }
  let rows: (AppendRow & { i: number })[];
  try {
    rows = await query(knex, appendGroupSql, [JSON.stringify(group.map(groupRow))], 'chronicle_append_group');
  } catch (error) {
    if (!rolledBack(error)) throw error;
    return group.map((prepared) => appendOne(knex, prepared));
  }
  const rowsOf = group.map((): AppendRow[] => []);
  for (const row of rows) rowsOf[row.i]?.push(row);
  return group.map((prepared, i) => appendedOutcome(knex, prepared, rowsOf[i] ?? []));
};
