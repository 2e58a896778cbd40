import type { Knex } from '@mikro-orm/postgresql';
import { ChronicleError } from '../errors/index.js';
import type { EventSchemas } from '../eventSchemas/index.js';
import {
  type Checkpoint,
  deleteCheckpoints,
  ensurePartitions,
  findLeaseHolder,
  forgetSubscriptionWorkers,
  leaseAllPartitions,
  lockSubscriptionPartitions,
  markReaderTransaction,
  query,
  readEventBatch,
  renameSubscription,
  setCheckpoint,
} from '../eventStore/index.js';
import type { SubscriptionDefinition } from '../subscriptions/index.js';
import type { Projection } from './defineProjection.js';

/** Where a rebuild builds, and the names it uses. Identifiers are checked by defineProjection. */
export type Shadow = {
  readonly subscription: string;
  readonly schema: string;
  readonly retiredSchema: string;
  readonly liveSchema: string;
  readonly owner: string;
};

export const shadowNames = (projection: Projection) => ({
  subscription: `${projection.name}:rebuild`,
  schema: `chronicle_rebuild_${projection.name}`,
  retiredSchema: `chronicle_retired_${projection.name}`,
});

/** Unqualified table names in the handler now resolve to the shadow copies. */
export const useShadow = async (tx: Knex.Transaction, shadow: Pick<Shadow, 'schema' | 'liveSchema'>) => {
  await query(tx, `set local search_path to "${shadow.schema}", "${shadow.liveSchema}"`);
};

// one rebuild of a projection at a time, and never while its swap runs
const lockRebuild = (tx: Knex.Transaction, name: string) =>
  query(tx, `select pg_advisory_xact_lock(hashtext('chronicle.rebuild'), hashtext(?))`, [name]);

export type ShadowSetup =
  | { readonly status: 'ready'; readonly shadow: Shadow }
  | { readonly status: 'busy'; readonly owner: string };

/** Empty copies of the live tables in a fresh shadow schema, and shadow checkpoints at the start, held by `owner`. */
export const createShadow = async (
  db: Knex,
  projection: Projection,
  owner: string,
  leaseTtlMs: number,
): Promise<ShadowSetup> =>
  db.transaction(async (tx) => {
    const names = shadowNames(projection);
    await lockRebuild(tx, projection.name);
    const running = await findLeaseHolder(tx, names.subscription);
    if (running) return { status: 'busy', owner: running };
    const [schema] = await query<{ name: string }>(tx, 'select current_schema() as name');
    const shadow: Shadow = { ...names, liveSchema: schema?.name ?? 'public', owner };
    await query(tx, `drop schema if exists "${shadow.schema}" cascade`);
    await query(tx, `create schema "${shadow.schema}"`);
    for (const table of projection.tables) {
      await query(
        tx,
        `create table "${shadow.schema}"."${table}" (like "${shadow.liveSchema}"."${table}" including all)`,
      );
    }
    await deleteCheckpoints(tx, shadow.subscription);
    await forgetSubscriptionWorkers(tx, shadow.subscription);
    await ensurePartitions(tx, shadow.subscription, projection.partitions);
    await leaseAllPartitions(tx, shadow.subscription, owner, leaseTtlMs);
    await useShadow(tx, shadow);
    await projection.reset(tx);
    return { status: 'ready', shadow };
  });

/**
 * The swap, in one transaction: hold off the live partitions (after their batches in flight), let
 * the shadow catch up with the last few events, move the live tables out and the shadow ones in,
 * and make the shadow checkpoints the live ones. Readers wait only for the renames.
 * Returns how many events the final catch-up handled.
 */
export const swapShadow = async (
  db: Knex,
  projection: Projection,
  shadow: Shadow,
  definition: SubscriptionDefinition,
  schemas: EventSchemas,
): Promise<number> =>
  db.transaction(async (tx) => {
    // a reader like any batch: the horizon of the live subscriptions does not wait for the swap
    await markReaderTransaction(tx);
    await lockRebuild(tx, projection.name);
    const rows = await lockSubscriptionPartitions(tx, shadow.subscription);
    if (
      rows.length !== projection.partitions ||
      rows.some((row) => row.owner && row.owner !== shadow.owner)
    ) {
      throw new ChronicleError(
        'REBUILD_SUPERSEDED',
        `${projection.name}: another rebuild took over the shadow`,
      );
    }
    await lockSubscriptionPartitions(tx, projection.name);
    await useShadow(tx, shadow);
    let handled = 0;
    for (const row of rows) {
      let from: Checkpoint = row.checkpoint;
      const partition = { index: row.partition, count: projection.partitions };
      for (let full = true; full; ) {
        const batch = await readEventBatch(tx, schemas, {
          after: from,
          filter: definition.filter,
          partition,
          limit: 1_000,
        });
        await definition.handleBatch(batch.events, tx, {
          subscription: shadow.subscription,
          partition: row.partition,
        });
        handled += batch.events.length;
        from = batch.next;
        full = batch.full;
      }
      await setCheckpoint(tx, shadow.subscription, row.partition, from);
    }
    await query(tx, `create schema if not exists "${shadow.retiredSchema}"`);
    for (const table of projection.tables) {
      await query(tx, `alter table "${shadow.liveSchema}"."${table}" set schema "${shadow.retiredSchema}"`);
      await query(tx, `alter table "${shadow.schema}"."${table}" set schema "${shadow.liveSchema}"`);
      // no cascade: a view on the old table fails the swap loudly instead of vanishing
      await query(tx, `drop table "${shadow.retiredSchema}"."${table}"`);
    }
    await query(tx, `drop schema "${shadow.retiredSchema}"`);
    await query(tx, `drop schema "${shadow.schema}"`);
    await deleteCheckpoints(tx, projection.name);
    await renameSubscription(tx, shadow.subscription, projection.name);
    await forgetSubscriptionWorkers(tx, shadow.subscription);
    return handled;
  });
