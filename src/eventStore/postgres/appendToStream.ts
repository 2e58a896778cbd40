import type { Knex } from '@mikro-orm/postgresql';
import type { EventSchemas } from '../../eventSchemas/index.js';
import type { AppendOutcome, AppendRequest } from '../eventStore.js';
import { appendGroup } from './appendGroup.js';
import { appendOne, type PreparedAppend, prepareAppend } from './appendOne.js';
import { grouped } from './grouped.js';
import { sealAppend } from './sealAppend.js';
import { isTransaction } from './sql.js';

/**
 * Groups in flight per pool, and appends in one group at most. Measured at 8 concurrent appends
 * of different streams (docs/performance.md, "Group commit"): one grouped statement took less than half the
 * Node and PostgreSQL CPU per append of 8 single ones.
 */
const GROUPS_IN_FLIGHT = 1;
const GROUP_SIZE = 64;
/** A group still waiting after this long (on a lock, say) lets the appends behind it go. */
const GROUP_STALL_MS = 100;

const groupers = new WeakMap<Knex, (prepared: PreparedAppend) => Promise<AppendOutcome>>();

/**
 * Appends with optimistic concurrency; a command id seen before answers with its stored result,
 * and so do event ids given by the caller (a process manager's deterministic ids). On the pool,
 * appends of different streams that arrive while another group is in flight go together in the
 * next one (group commit: one statement, one transaction); an append arriving when none is in
 * flight goes at once, alone. Inside a caller's transaction it is that transaction's statement.
 */
export const appendToStream = (
  knex: Knex,
  schemas: EventSchemas,
  request: AppendRequest,
): Promise<AppendOutcome> => {
  // events with personal data are sealed first (a key look-up, once per subject per pool)
  const sealing = sealAppend(knex, schemas, request);
  if (sealing) return sealing.then((sealed) => appendPrepared(knex, prepareAppend(schemas, request, sealed)));
  return appendPrepared(knex, prepareAppend(schemas, request));
};

const appendPrepared = (knex: Knex, prepared: PreparedAppend): Promise<AppendOutcome> => {
  if (isTransaction(knex)) return appendOne(knex, prepared);
  let append = groupers.get(knex);
  if (!append) {
    append = grouped((group: readonly PreparedAppend[]) => appendGroup(knex, group), {
      key: ({ request: { streamType, streamId } }) => `${streamType}\u0000${streamId}`,
      inFlight: GROUPS_IN_FLIGHT,
      maxSize: GROUP_SIZE,
      stallMs: GROUP_STALL_MS,
    });
    groupers.set(knex, append);
  }
  return append(prepared);
};
