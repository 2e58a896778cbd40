import type { Knex } from '@mikro-orm/postgresql';
import type { ConnectionErrorReporter } from '../commands/connectionErrorReporter.js';
import type { SubscriptionSettings } from '../config/index.js';
import { failureReason, isTransientError } from '../errors/index.js';
import { type EventSchemaError, type EventSchemas, notYetReadable } from '../eventSchemas/index.js';
import {
  type Checkpoint,
  type FailureRecord,
  hasRequestedRetries,
  partitionOfStreamHash,
  readCheckpoint,
  recordFailure,
  waitAtEvent,
} from '../eventStore/index.js';
import type { LoggerPort } from '../logging/index.js';
import { backoffDelay } from './backoffDelay.js';
import type { BatchSlots } from './batchSlots.js';
import type { AppendedNotice } from './eventListener.js';
import { parksEvent } from './handleIsolating.js';
import { processBatch } from './processBatch.js';
import { replayDeadLetters } from './replayDeadLetters.js';
import { EventHandlingError, type SubscriptionDefinition } from './subscriptionDefinition.js';
import { sleep, Wakeup } from './wakeup.js';

export type BatchInfo = { readonly subscription: string; readonly partition: number; readonly count: number };

export type RunnerContext = {
  readonly knex: Knex;
  /** What stored events are read through: each handler sees them in their current shape. */
  readonly schemas: EventSchemas;
  readonly settings: SubscriptionSettings;
  readonly logger: LoggerPort;
  /** The worker's outage log: one line when the database or broker goes away, one when it is back. */
  readonly outages: ConnectionErrorReporter;
  /** Shared by the host's runners: a batch transaction is opened only in a slot (batchSlotsOf). */
  readonly slots: BatchSlots;
  readonly onBatch?: (info: BatchInfo) => void;
};

/**
 * Why a runner ended: asked to, its lease went to another worker, its partition failed for good, or
 * it reached an event of a newer release and gave the partition up to a worker that reads it.
 */
export type RunnerExit = 'stopped' | 'lease-lost' | 'failed' | 'waiting';

const failureOf = (error: unknown): FailureRecord => {
  // readers get a code and a short message; the full error is logged where it happens
  const reason = failureReason(error);
  if (!(error instanceof EventHandlingError)) return reason;
  const { event } = error;
  return {
    ...reason,
    eventId: event.eventId,
    eventType: event.type,
    streamType: event.streamType,
    streamId: event.streamId,
    version: event.version,
    globalPosition: event.globalPosition,
  };
};

/** Whether events of the notice's stream may be this partition's (unnamed streams may be anyone's). */
const concerns = (definition: SubscriptionDefinition, partition: number, notice: AppendedNotice) => {
  const { streamType, streamHash } = notice;
  const types = definition.filter.streamTypes;
  if (streamType !== undefined && types && !types.includes(streamType)) return false;
  return (
    streamHash === undefined ||
    definition.partitions === 1 ||
    partitionOfStreamHash(streamHash, definition.partitions) === partition
  );
};

/** Runs one leased partition: batches in order, waits for notifications, backs off on failure. */
export class PartitionRunner {
  readonly #abort = new AbortController();
  /** Rung by events of this partition's streams. */
  readonly #own = new Wakeup();
  /** Rung by every notice: an open transaction holding events back may end in any partition. */
  readonly #any = new Wakeup();
  readonly done: Promise<RunnerExit>;

  constructor(
    private readonly context: RunnerContext,
    readonly definition: SubscriptionDefinition,
    readonly partition: number,
  ) {
    this.done = this.#run();
  }

  /**
   * Wakes the runner for an appended event of its partition, or for any while it waits for the
   * horizon to move. Other partitions' events wake nobody: each used to cost every idle runner a
   * read and a checkpoint move.
   */
  hear(notice: AppendedNotice): void {
    this.#any.notify();
    if (concerns(this.definition, this.partition, notice)) this.#own.notify();
  }

  /** Lets the batch in hand finish, then ends. */
  stop(): Promise<RunnerExit> {
    this.#abort.abort();
    return this.done;
  }

  async #run(): Promise<RunnerExit> {
    const { knex, schemas, settings, logger, outages } = this.context;
    const { signal } = this.#abort;
    const target = {
      definition: this.definition,
      partition: this.partition,
      owner: settings.workerId,
      leaseTtlMs: settings.leaseTtlMs,
      logger,
      schemas,
    };
    const where = { subscription: this.definition.name, partition: this.partition };
    let from: Checkpoint | undefined;
    let limit = settings.batchSize;
    let blockedDelay = 0;
    let troubles = 0;
    let retriesCheckedAt = 0;
    while (!signal.aborted) {
      try {
        // dead letters an operator asked to retry, looked for once per poll interval
        if (from && Date.now() - retriesCheckedAt >= settings.pollIntervalMs) {
          retriesCheckedAt = Date.now();
          if (await hasRequestedRetries(knex, this.definition.name, this.partition)) {
            const replay = await this.#inSlot(() => replayDeadLetters(knex, target));
            if (!replay) break;
            if (replay.status === 'stale') from = undefined;
            else logger.info({ ...where, ...replay }, 'dead letters replayed');
          }
        }
        if (!from) {
          const row = await readCheckpoint(knex, this.definition.name, this.partition);
          if (!row || row.owner !== settings.workerId) return 'lease-lost';
          if (row.status === 'failed') return 'failed';
          from = row.checkpoint;
        }
        const seen = { own: this.#own.generation, any: this.#any.generation };
        const at = from;
        const outcome = await this.#inSlot(() => processBatch(knex, target, at, limit));
        if (!outcome) break;
        switch (outcome.status) {
          case 'handled':
          case 'idle': {
            from = outcome.next;
            limit = settings.batchSize;
            if (troubles > 0) outages.recovered();
            troubles = 0;
            if (outcome.status === 'handled') {
              this.context.onBatch?.({ ...where, count: outcome.count });
              if (outcome.full) continue;
            }
            // held back by an open transaction that may never notify: look again soon
            blockedDelay = outcome.blocked
              ? Math.min(settings.pollIntervalMs, Math.max(25, blockedDelay * 2))
              : 0;
            if (outcome.blocked) await this.#any.wait(seen.any, blockedDelay, signal);
            else await this.#own.wait(seen.own, settings.pollIntervalMs, signal);
            continue;
          }
          case 'stale':
            from = undefined;
            limit = settings.batchSize;
            continue;
          case 'unreadable':
            // the readable events before it first: a batch of exactly those ends the checkpoint
            // right before it
            if (outcome.index > 0) {
              limit = outcome.index;
              continue;
            }
            return await this.#waitAt(outcome.error);
          case 'failed': {
            // a handler read an event of a newer release (an instance's or a stream's history): the
            // events before the one it handled are applied, then the partition waits, uncounted
            const unreadable = notYetReadable(outcome.error);
            if (unreadable) {
              if (outcome.error instanceof EventHandlingError && outcome.error.index > 0) {
                limit = outcome.error.index;
                continue;
              }
              return await this.#waitAt(unreadable);
            }
            // a failure the subscription does not park (read models, which park every poison event,
            // keep their batch whole): commit the events before the failing one, so the checkpoint
            // stops right at it
            if (
              this.definition.parksPoisonEvents !== true &&
              !parksEvent(this.definition, outcome.error) &&
              outcome.error instanceof EventHandlingError &&
              outcome.error.index > 0
            ) {
              limit = outcome.error.index;
              continue;
            }
            // a read model's poison event was parked by processBatch: what reaches here is an outage
            // (waited out, uncounted) or a failure that stops the partition (counted)
            if (isTransientError(outcome.error)) throw outcome.error;
            const exit = await this.#failed(outcome.error);
            if (exit) return exit;
            continue;
          }
          default:
            return outcome satisfies never;
        }
      } catch (error) {
        // infrastructure trouble (database unreachable): retry in place, never counted against events
        // (every partition of every subscription retries: the reporter writes one line per outage)
        troubles++;
        outages.report(error, where);
        await sleep(backoffDelay(settings, troubles), signal);
      }
    }
    return 'stopped';
  }

  /** Runs `transaction` in a batch slot; undefined when the runner was stopped while it waited for one. */
  async #inSlot<T>(transaction: () => Promise<T>): Promise<T | undefined> {
    const giveBack = await this.context.slots.take();
    try {
      return this.#abort.signal.aborted ? undefined : await transaction();
    } finally {
      giveBack();
    }
  }

  /**
   * Not a failure: records the event the partition waits at (named, with its version and the newest
   * this worker reads) and gives the lease up; hosts that cannot read it leave the partition to
   * one that can (SubscriptionHost), which resumes it where the checkpoint stands.
   */
  async #waitAt(error: EventSchemaError): Promise<RunnerExit> {
    const { knex, settings, logger } = this.context;
    const target = { name: this.definition.name, partition: this.partition, owner: settings.workerId };
    const waiting = {
      eventId: error.eventId,
      eventType: error.eventType,
      streamType: error.streamType,
      streamId: error.streamId,
      version: error.version,
      globalPosition: error.globalPosition,
      schemaVersion: error.schemaVersion,
      knownVersion: error.knownVersion,
      worker: settings.workerId,
    };
    if (!(await waitAtEvent(knex, target, waiting))) return 'lease-lost';
    logger.warn(
      { subscription: this.definition.name, partition: this.partition, waiting },
      'partition waits at an event of a newer release; its lease is left to a worker that reads it',
    );
    return 'waiting';
  }

  /** Counts a failed attempt; backs off, or ends the runner when the partition stopped or moved away. */
  async #failed(error: unknown): Promise<RunnerExit | undefined> {
    const { knex, settings, logger } = this.context;
    const where = { subscription: this.definition.name, partition: this.partition };
    const target = { name: this.definition.name, partition: this.partition, owner: settings.workerId };
    const recorded = await recordFailure(knex, target, failureOf(error), settings.maxAttempts);
    if (recorded.status === 'lease-lost') return 'lease-lost';
    if (recorded.status === 'stopped') {
      logger.error(
        { ...where, err: error, attempts: recorded.attempts },
        'partition stopped: retry it once fixed',
      );
      return 'failed';
    }
    logger.warn({ ...where, err: error, attempts: recorded.attempts }, 'batch failed; retrying');
    await sleep(backoffDelay(settings, recorded.attempts), this.#abort.signal);
    return undefined;
  }
}
