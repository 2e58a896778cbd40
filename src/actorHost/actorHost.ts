import type { Attributes } from '@opentelemetry/api';
import {
  type Aggregate,
  type AggregateInstance,
  type AggregateRegistry,
  type Decision,
  decideCommand,
  type KnownCommand,
  resolveCommand,
} from '../aggregate/index.js';
import { isChronicleError, retryOnConflict } from '../errors/index.js';
import { type EventStore, reusedCommandId } from '../eventStore/index.js';
import {
  type CommandEnvelope,
  type CommandRecord,
  type CommandResult,
  checkEnvelope,
  commandRecordOf,
  envelopeAttributes,
  eventMetadataOf,
  rejectedResult,
} from '../messages/index.js';
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

type Decided = Extract<Decision, { status: 'decided' }>;

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
    // checked once here, whoever enqueued it: a malformed envelope is answered, not recorded (its
    // ids may not fit the ledger)
    const malformed = checkEnvelope(envelope);
    if (malformed) return malformed;
    // the ledger's record of it (ids, fingerprint, payload), made once for every attempt
    const record = commandRecordOf(envelope);
    const known = resolveCommand(this.registry, envelope);
    if (known.status === 'rejected') return this.#reject(envelope, record, known);
    const key = ActorCache.key(known.aggregate.type, envelope.aggregateId);
    try {
      const attributes = envelopeAttributes(envelope);
      const cached = this.cache.get(key);
      recordActorCacheLookup({ aggregateType: known.aggregate.type, result: cached ? 'hit' : 'miss' });
      const actor = cached ?? (await this.#hydrate(known.aggregate, envelope.aggregateId, attributes));
      this.cache.set(key, actor);
      // a cached actor may be behind (another pod ran this aggregate's last commands)
      return await this.#run(known, actor, envelope, record, attributes, cached !== undefined);
    } catch (error) {
      this.cache.evict(key);
      throw error;
    }
  }

  /**
   * Decide (catching up first when a rejection may come from stale state), then append; a
   * conflict catches the actor up and decides again (retryOnConflict).
   */
  async #run(
    known: KnownCommand,
    actor: AggregateInstance,
    envelope: CommandEnvelope,
    record: CommandRecord,
    attributes: Attributes,
    mayBeStale: boolean,
  ): Promise<CommandResult> {
    const decide = () =>
      withSpan(
        'internal',
        'decide',
        { attributes: { ...attributes, [attr.aggregateVersion]: actor.version } },
        () => decideCommand(known, { snapshot: actor.snapshot, version: actor.version }, envelope),
      );
    let stale = mayBeStale;
    return retryOnConflict(
      async () => {
        let decision = await decide();
        // an append would catch a stale acceptance; a stale rejection must be checked here
        if (decision.status === 'rejected' && stale && (await this.#catchUp(actor)) > 0)
          decision = await decide();
        stale = false;
        if (decision.status === 'rejected') return this.#reject(envelope, record, decision);
        return this.#append(known.aggregate, actor, envelope, record, attributes, decision);
      },
      {
        stream: ActorCache.key(known.aggregate.type, actor.id),
        maxRetries: this.#maxConflictRetries,
        onConflict: () => this.#catchUp(actor),
      },
    );
  }

  /** Appends at the version decided on; a conflict (CONCURRENCY) is counted and thrown. */
  async #append(
    aggregate: Aggregate,
    actor: AggregateInstance,
    envelope: CommandEnvelope,
    record: CommandRecord,
    attributes: Attributes,
    decision: Decided,
  ): Promise<CommandResult> {
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
          metadata: { ...eventMetadataOf(envelope), ...currentTraceContext() },
          command: record,
        });
        if (appended.result.status === 'accepted')
          span.setAttribute(attr.aggregateVersion, appended.result.version);
        return appended;
      },
    ).catch((error: unknown) => {
      if (isChronicleError(error, 'CONCURRENCY'))
        recordConcurrencyConflict({ aggregateType: aggregate.type });
      throw error;
    });
    if (outcome.status === 'duplicate') {
      this.cache.evict(ActorCache.key(aggregate.type, actor.id));
      return reusedCommandId(envelope, outcome.fingerprint, record.fingerprint) ?? outcome.result;
    }
    actor.advance(decision.next, outcome.result.events);
    recordEventsAppended({ aggregateType: aggregate.type, count: outcome.result.events.length });
    return outcome.result;
  }

  /**
   * A rejection is recorded once, with its causation. A command that ran before (redelivered after
   * a crash, or sent again) may be rejected by the state it produced: its first answer stands,
   * unless the id was first used for another command. An accepted one is caught by the append.
   */
  async #reject(
    envelope: CommandEnvelope,
    record: CommandRecord,
    decision: { code: string; message: string; details?: Readonly<Record<string, unknown>> },
  ): Promise<CommandResult> {
    const answer = rejectedResult(envelope.commandId, decision);
    const stored = await this.store.findCommand(envelope.commandId);
    const outcome = stored
      ? ({ status: 'duplicate', stored } as const)
      : await this.store.recordRejection({
          streamType: envelope.aggregateType,
          streamId: envelope.aggregateId,
          command: record,
          rejection: answer,
          ...(envelope.answerTo ? { answerTo: envelope.answerTo } : {}),
        });
    if (outcome.status === 'recorded') return answer;
    return reusedCommandId(envelope, outcome.stored.fingerprint, record.fingerprint) ?? outcome.stored.result;
  }

  async #hydrate(aggregate: Aggregate, id: string, attributes: Attributes): Promise<AggregateInstance> {
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
  async #catchUp(actor: AggregateInstance): Promise<number> {
    const missing = await this.store.readStreamToFold(
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
