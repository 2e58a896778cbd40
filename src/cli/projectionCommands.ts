import { type Aggregate, createAggregateRegistry } from '../aggregate/index.js';
import type { Orm } from '../db/index.js';
import { createPostgresEventStore } from '../eventStore/index.js';
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
} from '../projections/index.js';
import { type SnapshotResult, snapshotAggregate } from '../snapshots/index.js';

/** What the projection and snapshot verbs need: a database, and the deployment's definitions. */
export type ProjectionCliContext = {
  readonly orm: Orm;
  readonly projections: readonly Projection[];
  readonly aggregates?: readonly Aggregate[];
};

export type UnknownName = {
  readonly status: 'unknown';
  readonly name: string;
  readonly known: readonly string[];
};

const unknownProjection = (context: ProjectionCliContext, name: string): UnknownName => ({
  status: 'unknown',
  name,
  known: context.projections.map((projection) => projection.name),
});

/** `projections status`: one entry per projection partition (checkpoint, head, lag, owner, state). */
export const projectionsStatus = (context: ProjectionCliContext): Promise<PartitionStatus[]> =>
  projectionStatus(context.orm.em.getKnex(), context.projections);

/**
 * `projections rebuild <name>`: replays into shadow tables and swaps them in when caught up (the
 * live read model serves meanwhile); a projection without declared tables is reset in place.
 * Runs until done.
 */
export const projectionsRebuild = async (
  context: ProjectionCliContext,
  name: string,
  options?: RebuildOptions,
): Promise<RebuildResult | UnknownName> => {
  const projection = findProjection(context.projections, name);
  if (!projection) return unknownProjection(context, name);
  return rebuildProjection(context.orm.em.getKnex(), projection, options);
};

/** `projections retry <name>`: resumes its stopped partitions from the event they stopped on. */
export const projectionsRetry = async (
  context: ProjectionCliContext,
  name: string,
): Promise<RetryResult | UnknownName> => {
  if (!findProjection(context.projections, name)) return unknownProjection(context, name);
  return retryProjection(context.orm.em.getKnex(), name);
};

/** `snapshot <type> <id>`: snapshots one stream now, at its head. */
export const takeSnapshot = async (
  context: ProjectionCliContext,
  type: string,
  id: string,
): Promise<SnapshotResult | UnknownName> => {
  const aggregate = createAggregateRegistry(context.aggregates ?? []).find(type);
  if (!aggregate) {
    return { status: 'unknown', name: type, known: (context.aggregates ?? []).map((known) => known.type) };
  }
  return snapshotAggregate(createPostgresEventStore(context.orm), aggregate, id);
};
