import type { Attributes } from '@opentelemetry/api';
import {
  type Aggregate,
  type AggregateActor,
  type AggregateRegistry,
  decideCommand,
} from '../aggregate/index.js';
import { checkEnvelope } from '../commands/checkEnvelope.js';
import { envelopeAttributes } from '../commands/commandAttributes.js';
import { isChronicleError, TransientError } from '../errors/index.js';
import type { EventStore } from '../eventStore/index.js';
import type { CommandEnvelope, CommandResult, EventMetadata, RejectedResult } from '../messages/index.js';
import {
  observeActorCacheSize,
  recordActorCacheLookup,
  recordConcurrencyConflict,
  recordEventsAppended,
  recordHydration,
  type Unregister,
} from '../metrics/index.js';
import { attr, currentTraceContext, withSpan } from '../tracing/index.js';
import { ActorCache, type ActorCacheOptions } from './actorCache.js';
import { hydrateActor } from './hydrateActor.js';

export type ActorHostOptions = ActorCacheOptions & {
  /** Times a command is decided again after another writer moved its stream. Default 5. */
  readonly maxConflictRetries?: number;
};

const rejection = (envelope: CommandEnvelope, error: { code: string; message: string; details?: unknown }) =>
  ({
    status: 'rejected',
    commandId: envelope.commandId,
    code: error.code,
    message: error.message,
    ...(error.details ? { details: error.details as Record<string, unknown> } : {}),
  }) satisfies RejectedResult;

/**
 * Runs commands against live aggregate actors. Keeps them in a bounded cache; on a miss hydrates
 * from the latest snapshot plus later events; on an append conflict folds only the missing events
 * and decides again. Callers serialise the commands of one aggregate (the shard queue does).
 */
export class ActorHost {
  readonly cache: ActorCache;
  readonly #maxConflictRetries: number;
  readonly #unobserve: Unregister;

  constructor(
    private readonly store: EventStore,
    private readonly registry: AggregateRegistry,
    options: ActorHostOptions = {},
  ) {
    this.cache = new ActorCache(options);
    this.#maxConflictRetries = options.maxConflictRetries ?? 5;
    this.#unobserve = observeActorCacheSize(() => this.cache.stats().size);
  }

  async handle(envelope: CommandEnvelope): Promise<CommandResult> {
    const invalid = checkEnvelope(envelope);
    if (invalid) return invalid;
    const aggregate = this.registry.find(envelope.aggregateType);
    if (!aggregate) {
      return rejection(envelope, {
        code: 'UNKNOWN_AGGREGATE',
        message: `no aggregate type "${envelope.aggregateType}"`,
        details: { known: this.registry.types },
      });
    }
    const key = ActorCache.key(aggregate.type, envelope.aggregateId);
    try {
      const cached = this.cache.get(key);
      recordActorCacheLookup({ aggregateType: aggregate.type, result: cached ? 'hit' : 'miss' });
      const attributes = envelopeAttributes(envelope);
      const actor = cached ?? (await this.#hydrate(aggregate, envelope.aggregateId, attributes));
      this.cache.set(key, actor);
      // a cached actor may be behind (another pod ran this aggregate's last commands)
      let mayBeStale = cached !== undefined;
      for (let attempt = 0; ; attempt++) {
        const decision = await withSpan(
          'internal',
          'decide',
          { attributes: { ...attributes, [attr.aggregateVersion]: actor.version } },
          () => decideCommand(aggregate, { snapshot: actor.snapshot, version: actor.version }, envelope),
        );
        if (decision.status === 'rejected') {
          // an append would catch a stale acceptance; a stale rejection must be checked here
          if (mayBeStale && (await this.#catchUp(actor)) > 0) {
            mayBeStale = false;
            continue;
          }
          // a command that ran before (redelivered after a crash, or sent again) may be rejected by
          // the state it produced: its first answer stands. An accepted one is caught by the append.
          return (await this.store.findCommandResult(envelope.commandId)) ?? rejection(envelope, decision);
        }
        try {
          const outcome = await withSpan(
            'internal',
            'append',
            { attributes: { ...attributes, [attr.eventCount]: decision.events.length } },
            async (span) => {
              const appended = await this.store.append({
                streamType: aggregate.type,
                streamId: envelope.aggregateId,
                expectedVersion: actor.version,
                events: decision.events,
                // inside the append span: consumers of these events continue from it
                metadata: eventMetadata(envelope),
                command: { commandId: envelope.commandId, type: envelope.type },
              });
              span.setAttribute(attr.aggregateVersion, appended.result.version);
              return appended;
            },
          );
          if (outcome.status === 'duplicate') this.cache.evict(key);
          else {
            actor.apply(outcome.result.events);
            recordEventsAppended({ aggregateType: aggregate.type, count: outcome.result.events.length });
          }
          return outcome.result;
        } catch (error) {
          if (!isChronicleError(error, 'CONCURRENCY')) throw error;
          recordConcurrencyConflict({ aggregateType: aggregate.type });
          if (attempt >= this.#maxConflictRetries) {
            throw new TransientError(`${key}: still conflicting after ${attempt + 1} attempts`, {
              cause: error,
            });
          }
          await this.#catchUp(actor);
          mayBeStale = false;
        }
      }
    } catch (error) {
      this.cache.evict(key);
      throw error;
    }
  }

  async #hydrate(aggregate: Aggregate, id: string, attributes: Attributes): Promise<AggregateActor> {
    return withSpan('internal', 'hydrate', { attributes }, async (span) => {
      const started = performance.now();
      const { actor, fromSnapshot, eventsFolded } = await hydrateActor(this.store, aggregate, id);
      span.setAttributes({
        [attr.aggregateVersion]: actor.version,
        [attr.hydrateFromSnapshot]: fromSnapshot,
        [attr.hydrateEvents]: eventsFolded,
      });
      recordHydration({ aggregateType: aggregate.type, durationMs: performance.now() - started });
      return actor;
    });
  }

  /** Another writer moved the stream: fold only the events this actor has not seen; returns how many. */
  async #catchUp(actor: AggregateActor): Promise<number> {
    const missing = await this.store.readStream(
      { streamType: actor.aggregate.type, streamId: actor.id },
      { afterVersion: actor.version },
    );
    actor.apply(missing);
    return missing.length;
  }

  stop(): void {
    this.#unobserve();
    this.cache.clear();
  }
}

/** Events carry their command's ids (causation = the command) and the appending span's context. */
const eventMetadata = (envelope: CommandEnvelope): EventMetadata => {
  return {
    commandId: envelope.commandId,
    correlationId: envelope.correlationId,
    causationId: envelope.commandId,
    issuedAt: envelope.issuedAt,
    ...(envelope.issuedBy ? { issuedBy: envelope.issuedBy } : {}),
    ...currentTraceContext(),
  };
};
