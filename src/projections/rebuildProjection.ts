import type { Knex } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { defaultSubscriptionSettings, type SubscriptionSettings } from '../config/index.js';
import type { EventSchemas } from '../eventSchemas/index.js';
import type { PartitionFailure } from '../eventStore/index.js';
import type { LoggerPort } from '../logging/index.js';
import { SubscriptionHost, sleep } from '../subscriptions/index.js';
import type { Projection } from './defineProjection.js';
import { subscriptionStatus } from './projectionStatus.js';
import { projectionSubscription } from './projectionSubscription.js';
import { resetProjection } from './resetProjection.js';
import { createShadow, swapShadow, useShadow } from './shadowTables.js';

export type RebuildResult =
  /** Built into shadow tables while the live ones kept serving, then swapped in. */
  | {
      readonly status: 'rebuilt';
      readonly mode: 'shadow';
      readonly name: string;
      readonly events: number;
      readonly durationMs: number;
    }
  /** No `tables` declared: reset in place; the workers replay it from the start. */
  | { readonly status: 'reset'; readonly mode: 'in-place'; readonly name: string }
  | { readonly status: 'busy'; readonly name: string; readonly owner: string }
  /** The replay failed: the live read model is untouched; the shadow stays for a look until the next rebuild. */
  | { readonly status: 'failed'; readonly name: string; readonly error: PartitionFailure };

export type RebuildOptions = {
  /** The event schemas (`createEventSchemas(aggregates)`): the replay sees events in their current shape. */
  readonly schemas: EventSchemas;
  readonly settings?: Partial<SubscriptionSettings>;
  readonly logger?: LoggerPort;
  /** How often to check whether the shadow has caught up. */
  readonly checkEveryMs?: number;
};

const failure = (error: unknown): PartitionFailure => ({
  message: error instanceof Error ? error.message : String(error),
  at: new Date().toISOString(),
});

/**
 * Rebuild = reset + replay. With declared tables it replays into shadow copies in this process (the
 * live read model keeps serving and the live workers keep running), then swaps them in atomically.
 */
export const rebuildProjection = async (
  db: Knex,
  projection: Projection,
  options: RebuildOptions,
): Promise<RebuildResult> => {
  const { name } = projection;
  if (projection.tables.length === 0) {
    await resetProjection(db, projection);
    return { status: 'reset', mode: 'in-place', name };
  }
  const started = Date.now();
  const settings: SubscriptionSettings = {
    ...defaultSubscriptionSettings(),
    batchSize: 500,
    workerId: `rebuild-${uuidv7()}`,
    ...options.settings,
  };
  const setup = await createShadow(db, projection, settings.workerId, settings.leaseTtlMs);
  if (setup.status === 'busy') return { status: 'busy', name, owner: setup.owner };
  const { shadow } = setup;
  const definition = projectionSubscription(projection, {
    name: shadow.subscription,
    prepareTransaction: (tx) => useShadow(tx, shadow),
  });
  let events = 0;
  const host = await SubscriptionHost.start({
    knex: db,
    schemas: options.schemas,
    subscriptions: [definition],
    settings,
    ...(options.logger ? { logger: options.logger } : {}),
    onBatch: ({ count }) => {
      events += count;
    },
  });
  try {
    for (;;) {
      const partitions = await subscriptionStatus(
        db,
        options.schemas,
        shadow.subscription,
        definition.filter,
      );
      const failed = partitions.find((partition) => partition.state === 'failed');
      if (failed?.state === 'failed') return { status: 'failed', name, error: failed.error };
      // close enough: the swap handles the rest while the live partitions wait
      if (partitions.every((partition) => partition.lag.events <= settings.batchSize)) break;
      await sleep(options.checkEveryMs ?? 250);
    }
  } finally {
    await host.stop();
  }
  try {
    events += await swapShadow(db, projection, shadow, definition, options.schemas);
  } catch (error) {
    return { status: 'failed', name, error: failure(error) };
  }
  return { status: 'rebuilt', mode: 'shadow', name, events, durationMs: Date.now() - started };
};
