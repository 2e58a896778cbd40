import type { Knex } from '@mikro-orm/postgresql';
import { ChronicleError } from '../../errors/index.js';
import { type Db, query } from './sql.js';
import { dropSubjectKey } from './subjectKeys.js';

/** Who asked to forget a subject, and why: kept in the audit trail (es_forgotten_subjects). */
export type ForgetRequest = {
  readonly subject: string;
  readonly reason: string;
  /** The principal or operator who asked. */
  readonly forgottenBy: string;
};

/**
 * A read model that may hold a subject's personal data: `forget` rewrites its rows in the
 * forgetting's transaction (a projection's `forget`). Those without one are left as they are.
 */
export type ReadModelForgetter = {
  readonly name: string;
  readonly forget?: ((subject: string, tx: Knex.Transaction) => Promise<void>) | undefined;
};

/** A forgetting as the audit trail keeps it. */
export type Forgetting = ForgetRequest & { readonly forgottenAt: string };

export type ForgetOutcome =
  | {
      readonly status: 'forgotten';
      readonly forgetting: Forgetting;
      /** Snapshots of the subject's streams deleted (they held its data, sealed). */
      readonly snapshotsDeleted: number;
      /** Command payloads of the ledger cleared (commands whose events hold the subject's data). */
      readonly payloadsCleared: number;
      /** The read models whose `forget` rewrote their rows. */
      readonly readModelsRewritten: readonly string[];
    }
  /** Forgotten before: the first forgetting stands (what is left to delete is deleted again). */
  | { readonly status: 'already-forgotten'; readonly forgetting: Forgetting };

type ForgetRow = {
  recorded: boolean;
  subject: string;
  reason: string;
  forgotten_by: string;
  forgotten_at: Date | string;
  snapshots_deleted: number;
  payloads_cleared: number;
};

/*
 * One statement, one transaction: record the forgetting (once), delete the data key (every sealed
 * value of the subject is unreadable from the next read on), the snapshots (latest and history) of
 * every stream with an event sealed for it, and the ledger payloads of the commands that appended those events. The
 * streams and commands are found through es_events_subjects, the index of sealed events.
 */
const forgetSql = `
  with recorded as (
    insert into es_forgotten_subjects (subject, forgotten_by, reason) values (?, ?, ?)
    on conflict (subject) do nothing
    returning subject, forgotten_by, reason, forgotten_at
  ),
  key as (delete from es_data_keys where subject = ? returning subject),
  sealed as materialized (
    select stream_type, stream_id, metadata ->> 'commandId' as command_id from es_events
    where subjects @> array[?]::text[] and subjects is not null
  ),
  snapshots as (
    delete from es_snapshots s using (select distinct stream_type, stream_id from sealed) t
    where s.stream_type = t.stream_type and s.stream_id = t.stream_id
    returning 1
  ),
  history as (
    delete from es_snapshot_history s using (select distinct stream_type, stream_id from sealed) t
    where s.stream_type = t.stream_type and s.stream_id = t.stream_id
    returning 1
  ),
  payloads as (
    update es_commands c set payload = null
    where c.payload is not null and c.command_id in (select command_id from sealed)
    returning 1
  ),
  first as (
    select subject, forgotten_by, reason, forgotten_at, true as recorded from recorded
    union all
    select subject, forgotten_by, reason, forgotten_at, false from es_forgotten_subjects where subject = ?
  )
  select f.*, ((select count(*) from snapshots) + (select count(*) from history))::int as snapshots_deleted,
    (select count(*) from payloads)::int as payloads_cleared
  from first f order by f.recorded desc limit 1`;

/**
 * Forgets a data subject (crypto-shredding): its data key is deleted, so every reader sees its
 * personal fields as their declared redaction value from then on, and appends store that value
 * instead of sealing (a forgotten subject never gets a key again). Recorded with who and why.
 */
export const forgetSubject = async (
  db: Db,
  request: ForgetRequest,
  readModels: readonly ReadModelForgetter[] = [],
): Promise<ForgetOutcome> => {
  const { subject, reason, forgottenBy } = request;
  for (const [name, value, max] of [
    ['subject', subject, 200],
    ['reason', reason, 1000],
    ['forgottenBy', forgottenBy, 200],
  ] as const)
    if (value.trim() === '' || value.length > max)
      throw new ChronicleError('VALIDATION', `forgetting needs a ${name} of 1 to ${max} characters`);
  // the key, the audit row and the read models' rows go together: a forgetting is never half done
  const forgetters = readModels.filter((model) => model.forget);
  const { row, rewritten } = await db.transaction(async (tx) => {
    const [recorded] = await query<ForgetRow>(tx, forgetSql, [
      subject,
      forgottenBy,
      reason,
      subject,
      subject,
      subject,
    ]);
    // run again on a repeated forgetting too: a read model that gained its `forget` since is cleared then
    for (const model of forgetters) await model.forget?.(subject, tx);
    return { row: recorded, rewritten: forgetters.map((model) => model.name) };
  });
  if (!row) throw new ChronicleError('INVARIANT', `forgetting subject ${subject} recorded nothing`);
  dropSubjectKey(db, subject);
  const forgetting: Forgetting = {
    subject: row.subject,
    reason: row.reason,
    forgottenBy: row.forgotten_by,
    forgottenAt: new Date(row.forgotten_at).toISOString(),
  };
  return row.recorded
    ? {
        status: 'forgotten',
        forgetting,
        snapshotsDeleted: row.snapshots_deleted,
        payloadsCleared: row.payloads_cleared,
        readModelsRewritten: rewritten,
      }
    : { status: 'already-forgotten', forgetting };
};
