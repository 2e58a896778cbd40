import { type Aggregate, createAggregateRegistry } from '../aggregate/index.js';
import { snapshotHistoryFromEnv } from '../config/index.js';
import type { Orm } from '../db/index.js';
import { createEventSchemas } from '../eventSchemas/index.js';
import { createPostgresEventStore } from '../eventStore/index.js';
import type { ProcessManager } from '../processManagers/index.js';
import {
  findProjection,
  type PartitionStatus,
  type Projection,
  projectionStatus,
  type RebuildOptions,
  type RebuildResult,
  type RetryResult,
  rebuildProjection,
  retryProjection,
  subscriptionStatus,
} from '../projections/index.js';
import { type SnapshotResult, snapshotTargets } from '../snapshots/index.js';
import type { SubscriptionOutline } from '../subscriptions/index.js';

/** What the projection and snapshot verbs need: a database, and the deployment's definitions. */
export type ProjectionCliContext = {
  readonly orm: Orm;
  readonly projections: readonly Projection[];
  /**
   * Their events are read in their current shape (rebuild), and counted under their old names too
   * (status); `snapshot` finds its aggregate here.
   */
  readonly aggregates: readonly Aggregate[];
  /** `snapshot` takes their instances' snapshots too (`snapshot <name> <key>`). */
  readonly processManagers?: readonly ProcessManager[];
  /** Other subscriptions of the deployment (the NATS outbox): listed by status, resumed by retry. */
  readonly subscriptions?: readonly SubscriptionOutline[];
};

export type UnknownName = {
  readonly status: 'unknown';
  readonly name: string;
  readonly known: readonly string[];
};

const unknownProjection = (context: ProjectionCliContext, name: string): UnknownName => ({
  status: 'unknown',
  name,
  known: [...context.projections, ...(context.subscriptions ?? [])].map((definition) => definition.name),
});

/**
 * `projections status`: one entry per partition (checkpoint, head, lag, owner, state) of every
 * projection, then of every other subscription.
 */
export const projectionsStatus = async (context: ProjectionCliContext): Promise<PartitionStatus[]> => {
  const knex = context.orm.em.getKnex();
  const schemas = createEventSchemas(context.aggregates);
  const others = await Promise.all(
    (context.subscriptions ?? []).map((outline) =>
      subscriptionStatus(knex, schemas, outline.name, outline.filter, outline.partitions, { optional: true }),
    ),
  );
  return [...(await projectionStatus(knex, schemas, context.projections)), ...others.flat()];
};

/**
 * `projections rebuild <name>`: replays into shadow tables and swaps them in when caught up (the
 * live read model serves meanwhile); a projection without declared tables is reset in place.
 * Runs until done.
 */
export const projectionsRebuild = async (
  context: ProjectionCliContext,
  name: string,
  options?: Omit<RebuildOptions, 'schemas'>,
): Promise<RebuildResult | UnknownName> => {
  const projection = findProjection(context.projections, name);
  if (!projection) return unknownProjection(context, name);
  return rebuildProjection(context.orm.em.getKnex(), projection, {
    ...options,
    schemas: createEventSchemas(context.aggregates),
  });
};

/** `projections retry <name>`: resumes its stopped partitions from the event they stopped on. */
export const projectionsRetry = async (
  context: ProjectionCliContext,
  name: string,
): Promise<RetryResult | UnknownName> => {
  const known =
    findProjection(context.projections, name) ??
    context.subscriptions?.find((outline) => outline.name === name);
  if (!known) return unknownProjection(context, name);
  return retryProjection(context.orm.em.getKnex(), name);
};

/** `snapshot <type> <id>`: snapshots one stream (an aggregate's or a process-manager instance's) now, at its head. */
export const takeSnapshot = async (
  context: ProjectionCliContext,
  type: string,
  id: string,
): Promise<SnapshotResult | UnknownName> => {
  const registry = createAggregateRegistry(context.aggregates);
  const targets = snapshotTargets(registry, context.processManagers);
  const target = targets.get(type);
  if (!target) return { status: 'unknown', name: type, known: [...targets.keys()] };
  const store = createPostgresEventStore(context.orm, {
    schemas: registry.schemas,
    snapshotHistory: snapshotHistoryFromEnv(),
  });
  return target.snapshot(store, id);
};
