import type { Knex } from '@mikro-orm/postgresql';
import {
  type ConnectionErrorReporter,
  createConnectionErrorReporter,
} from '../commands/connectionErrorReporter.js';
import type { SubscriptionSettings } from '../config/index.js';
import { type EventSchemas, knowsSchemaVersion } from '../eventSchemas/index.js';
import {
  activePartitionCount,
  claimPartitions,
  ensurePartitions,
  heartbeat,
  leaveSubscription,
  readWaitingPartitions,
  releasePartitions,
  renewLeases,
} from '../eventStore/index.js';
import { type LoggerPort, silentLogger } from '../logging/index.js';
import { type BatchSlots, batchSlotsOf } from './batchSlots.js';
import type { AppendedNotice, EventNotifications } from './eventListener.js';
import { type BatchInfo, PartitionRunner } from './partitionRunner.js';
import { assertSubscriptionDefinition, type SubscriptionDefinition } from './subscriptionDefinition.js';

export type SubscriptionHostOptions = {
  readonly knex: Knex;
  /** The event schemas (`createEventSchemas(aggregates)`): handlers see events in their current shape. */
  readonly schemas: EventSchemas;
  readonly subscriptions: readonly SubscriptionDefinition[];
  readonly settings: SubscriptionSettings;
  /** Wakes runners as soon as events are appended; without it they poll. */
  readonly notifications?: EventNotifications;
  readonly logger?: LoggerPort;
  readonly onBatch?: (info: BatchInfo) => void;
};

/**
 * Runs a worker's share of each subscription's partitions. Every third of the lease time it
 * renews its leases, counts the live workers of each subscription, gives back partitions beyond its
 * fair share (ceil(active / workers)) and claims free or expired ones up to that share.
 */
export class SubscriptionHost {
  readonly #runners = new Map<string, PartitionRunner>();
  readonly #logger: LoggerPort;
  readonly #outages: ConnectionErrorReporter;
  readonly #subscriptions: SubscriptionDefinition[] = [];
  /** One connection of the pool is never in a batch: for handlers' work outside it, and the leases. */
  readonly #slots: BatchSlots;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> = Promise.resolve();
  #stopped = false;
  #unlisten: (() => void) | undefined;

  private constructor(private readonly options: SubscriptionHostOptions) {
    this.#logger = options.logger ?? silentLogger;
    this.#outages = createConnectionErrorReporter(this.#logger, 'subscription worker', 'outage');
    this.#slots = batchSlotsOf(options.knex);
  }

  static async start(options: SubscriptionHostOptions): Promise<SubscriptionHost> {
    const host = new SubscriptionHost(options);
    for (const definition of options.subscriptions) {
      assertSubscriptionDefinition(definition);
      const layout = await ensurePartitions(options.knex, definition.name, definition.partitions);
      if (layout.status === 'mismatch') {
        host.#logger.error(
          { subscription: definition.name, stored: layout.stored, defined: definition.partitions },
          'stored checkpoints have another partition count: not running it until it is rebuilt',
        );
        continue;
      }
      host.#subscriptions.push(definition);
    }
    host.#unlisten = options.notifications?.onEvents((notice) => host.#hear(notice));
    await host.#tick();
    host.#schedule();
    return host;
  }

  get workerId(): string {
    return this.options.settings.workerId;
  }

  /** The partitions this host runs now, per subscription. */
  owned(): Record<string, number[]> {
    const owned: Record<string, number[]> = {};
    for (const runner of this.#runners.values()) {
      owned[runner.definition.name] = [...(owned[runner.definition.name] ?? []), runner.partition];
    }
    for (const list of Object.values(owned)) list.sort((a, b) => a - b);
    return owned;
  }

  /** Wakes every runner now (tests, or a caller that knows events arrived). */
  wake(): void {
    this.#hear({});
  }

  #hear(notice: AppendedNotice): void {
    for (const runner of this.#runners.values()) runner.hear(notice);
  }

  /** Finishes the batches in hand, gives every lease back, leaves the worker lists. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#unlisten?.();
    await this.#ticking;
    await Promise.all([...this.#runners.values()].map((runner) => runner.stop()));
    this.#runners.clear();
    const { knex, settings } = this.options;
    for (const definition of this.#subscriptions) {
      await releasePartitions(knex, definition.name, settings.workerId);
      await leaveSubscription(knex, definition.name, settings.workerId);
    }
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(
      () => {
        this.#ticking = this.#tick().finally(() => this.#schedule());
      },
      Math.max(50, Math.floor(this.options.settings.leaseTtlMs / 3)),
    );
  }

  async #tick(): Promise<void> {
    for (const definition of this.#subscriptions) {
      if (this.#stopped) return;
      try {
        await this.#balance(definition);
      } catch (error) {
        // tried again at the next tick
        this.#outages.report(error, { subscription: definition.name, during: 'lease renewal' });
      }
    }
  }

  async #balance(definition: SubscriptionDefinition): Promise<void> {
    const { knex, settings } = this.options;
    const { name } = definition;
    const { workerId, leaseTtlMs } = settings;
    const workers = await heartbeat(
      knex,
      name,
      workerId,
      leaseTtlMs,
      this.options.notifications?.sessionPid(),
    );
    const held = await renewLeases(knex, name, workerId, leaseTtlMs);
    for (const [key, runner] of this.#runners) {
      if (runner.definition.name === name && !held.includes(runner.partition)) {
        this.#logger.warn({ subscription: name, partition: runner.partition }, 'lease lost');
        this.#runners.delete(key);
        void runner.stop();
      }
    }
    const share = Math.ceil((await activePartitionCount(knex, name)) / Math.max(1, workers));
    const waits = await this.#waits(name);
    // a partition waiting at an event this worker reads is kept before any other: older workers cannot
    const ordered = [
      ...held.filter((p) => waits.readable.has(p)),
      ...held.filter((p) => !waits.readable.has(p)),
    ];
    const surplus = ordered.slice(share);
    if (surplus.length > 0) {
      await Promise.all(surplus.map((partition) => this.#runners.get(`${name}#${partition}`)?.stop()));
      for (const partition of surplus) this.#runners.delete(`${name}#${partition}`);
      await releasePartitions(knex, name, workerId, surplus);
      this.#logger.info({ subscription: name, partitions: surplus }, 'released partitions to other workers');
    }
    // never one waiting at an event this worker cannot read; every free one waiting at an event it
    // reads, beyond its share: it may be the only kind of worker that can
    const claimed = [
      ...(await claimPartitions(
        knex,
        definition,
        workerId,
        leaseTtlMs,
        share - (held.length - surplus.length),
        {
          exclude: [...waits.unreadable],
        },
      )),
      ...(await claimPartitions(knex, definition, workerId, leaseTtlMs, waits.readable.size, {
        only: [...waits.readable],
      })),
    ];
    if (claimed.length > 0)
      this.#logger.info({ subscription: name, partitions: claimed }, 'claimed partitions');
    for (const partition of [...ordered.slice(0, share), ...claimed]) this.#run(definition, partition);
  }

  /** The partitions of `name` waiting at an event of a newer release: those this worker reads, and the others. */
  async #waits(name: string): Promise<{ readable: Set<number>; unreadable: Set<number> }> {
    const readable = new Set<number>();
    const unreadable = new Set<number>();
    for (const { partition, waiting } of await readWaitingPartitions(this.options.knex, name)) {
      (knowsSchemaVersion(this.options.schemas, waiting) ? readable : unreadable).add(partition);
    }
    return { readable, unreadable };
  }

  #run(definition: SubscriptionDefinition, partition: number): void {
    const key = `${definition.name}#${partition}`;
    if (this.#stopped || this.#runners.has(key)) return;
    const { knex, schemas, settings, onBatch } = this.options;
    const runner = new PartitionRunner(
      {
        knex,
        schemas,
        settings,
        logger: this.#logger,
        outages: this.#outages,
        slots: this.#slots,
        ...(onBatch ? { onBatch } : {}),
      },
      definition,
      partition,
    );
    this.#runners.set(key, runner);
    void runner.done.then((exit) => {
      if (this.#runners.get(key) === runner) this.#runners.delete(key);
      if (exit !== 'stopped')
        this.#logger.info({ subscription: definition.name, partition, exit }, 'partition runner ended');
    });
  }
}
