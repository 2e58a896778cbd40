import type { MigrationObject } from '@mikro-orm/core';
import type { Aggregate } from '../aggregate/index.js';
import { ChronicleError } from '../errors/index.js';
import type { CommandRequest } from '../messages/index.js';
import type { ProcessManager } from '../processManagers/index.js';
import type { Projection } from '../projections/index.js';

/** A folder of MikroORM migration files (`Migration<timestamp><Name>.ts`), relative to the config file. */
export type MigrationsFolder = { readonly folder: string };

/** One command of a dev story; `until: 'accepted'` retries a rejection later (it waits on another actor). */
export type DevStoryStep = CommandRequest & { readonly until?: 'accepted' };

/** What `chronicle dev --traffic` plays for one story: its commands in order, and how it is meant to end. */
export type DevStory = { readonly outcome: string; readonly steps: readonly DevStoryStep[] };

/** Draws one story for a fresh id; `random` in [0, 1) picks its outcome and details. */
export type DevStoryTeller = (id: string, random: () => number) => DevStory;

/** What `chronicle dev` adds for this domain. */
export type DevSettings = {
  /** `--traffic N` plays these stories at N commands/s; without them `--traffic` is refused. */
  readonly traffic?: DevStoryTeller;
  /** Describes the traffic on the dev banner (e.g. "orders placed, then paid and shipped"). */
  readonly trafficSummary?: string;
  /** Environment defaults for a dev run, applied where the variable is not set already. */
  readonly environment?: Readonly<Record<string, string>>;
};

/** A deployment as its config file writes it. */
export type ChronicleDefinition<Aggregates extends readonly Aggregate[] = readonly Aggregate[]> = {
  /** Every aggregate the command pods host; types must be unique. */
  readonly aggregates: Aggregates;
  /** Run by the process-manager pods. */
  readonly processManagers?: readonly ProcessManager[];
  /** Kept by the projection pods; their `queries` are served by the api under /v1. */
  readonly projections?: readonly Projection[];
  /**
   * The domain's schema (its read models), applied after the runtime's by `chronicle migrate`:
   * a list of migrations, or a folder of migration files (where `chronicle migration create` writes).
   */
  readonly migrations?: readonly MigrationObject[] | MigrationsFolder;
  readonly dev?: DevSettings;
};

/** A checked deployment: what the CLI and every pod kind run. */
export type Chronicle<Aggregates extends readonly Aggregate[] = readonly Aggregate[]> = {
  readonly kind: 'chronicle';
  readonly aggregates: Aggregates;
  readonly processManagers: readonly ProcessManager[];
  readonly projections: readonly Projection[];
  readonly migrations: readonly MigrationObject[] | MigrationsFolder;
  readonly dev: DevSettings;
};

const duplicateOf = (names: readonly string[]): string | undefined =>
  names.find((name, index) => names.indexOf(name) !== index);

/** The first thing wrong with a definition, as one clause, or undefined. */
const problemOf = (definition: ChronicleDefinition): string | undefined => {
  if (!Array.isArray(definition.aggregates)) return 'aggregates must be an array of defineAggregate results';
  const notAggregate = definition.aggregates.findIndex(
    (aggregate) => typeof aggregate?.type !== 'string' || typeof aggregate.machineHash !== 'string',
  );
  if (notAggregate >= 0) return `aggregates[${notAggregate}] is not a defineAggregate result`;
  const processManagers = definition.processManagers ?? [];
  const notManager = processManagers.findIndex((manager) => manager?.kind !== 'process-manager');
  if (notManager >= 0) return `processManagers[${notManager}] is not a defineProcessManager result`;
  const projections = definition.projections ?? [];
  const notProjection = projections.findIndex((projection) => typeof projection?.handler !== 'object');
  if (notProjection >= 0) return `projections[${notProjection}] is not a defineProjection result`;

  const streamTypes = [...definition.aggregates.map((a) => a.type), ...processManagers.map((m) => m.name)];
  const twice = duplicateOf(streamTypes);
  if (twice !== undefined) return `two aggregates or process managers have the type "${twice}"`;
  const projectionTwice = duplicateOf(projections.map((projection) => projection.name));
  if (projectionTwice !== undefined) return `two projections are named "${projectionTwice}"`;
  const paths = projections.flatMap((projection) => projection.queries.map((query) => query.path));
  const pathTwice = duplicateOf(paths);
  if (pathTwice !== undefined) return `two projection queries are served at /v1/${pathTwice}`;

  const aggregateTypes = new Set(definition.aggregates.map((aggregate) => aggregate.type));
  for (const manager of processManagers) {
    const missing = manager.sendsTo.find((type) => !aggregateTypes.has(type));
    if (missing !== undefined)
      return `process manager "${manager.name}" sends to aggregate "${missing}", which the config lacks`;
  }
  const { migrations } = definition;
  if (
    migrations !== undefined &&
    !Array.isArray(migrations) &&
    typeof (migrations as MigrationsFolder).folder !== 'string'
  )
    return 'migrations must be a list of migrations or { folder: "<path>" }';
  return undefined;
};

/**
 * Defines a deployment: the aggregates, process managers, projections and read-model migrations
 * the CLI and every pod kind run. A project's `chronicle.config.ts` default-exports it.
 * @example
 * export default defineChronicle({
 *   aggregates: [loan],
 *   projections: [loansView],
 *   migrations: { folder: './migrations' },
 * });
 */
export const defineChronicle = <const Aggregates extends readonly Aggregate[]>(
  definition: ChronicleDefinition<Aggregates>,
): Chronicle<Aggregates> => {
  const problem = problemOf(definition);
  if (problem !== undefined) throw new ChronicleError('CONFIGURATION', problem);
  return {
    kind: 'chronicle',
    aggregates: definition.aggregates,
    processManagers: definition.processManagers ?? [],
    projections: definition.projections ?? [],
    migrations: definition.migrations ?? [],
    dev: definition.dev ?? {},
  };
};

/** True for what `defineChronicle` returns (checked by shape: works across copies of the package). */
export const isChronicle = (value: unknown): value is Chronicle =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'chronicle';
