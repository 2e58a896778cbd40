import {
  type Actor,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  createActor,
  type StateValue,
} from 'xstate';
import { ChronicleError } from '../errors/index.js';
import type { DomainEvent } from '../messages/index.js';
import type { Aggregate, AggregateState } from './defineAggregate.js';

/** The JSON form of an aggregate's state, as snapshots store it. */
export type PersistedAggregateState = { readonly value: StateValue; readonly context: unknown };

export type HydrationStart = { readonly state: PersistedAggregateState; readonly version: number };

/**
 * One aggregate instance, live: an XState actor running the aggregate's machine, fed its events.
 * The machine holds only assign actions (checked by defineAggregate), so folding runs no effects;
 * sending to a live actor is the fast way to fold (about five times the pure transition()).
 */
export class AggregateActor {
  #version: number;
  #actor: Actor<AnyStateMachine>;

  private constructor(
    readonly aggregate: Aggregate,
    readonly id: string,
    actor: Actor<AnyStateMachine>,
    version: number,
  ) {
    this.#actor = actor;
    this.#version = version;
  }

  /** From a snapshot (or the machine's initial state) plus the events after it. */
  static hydrate(
    aggregate: Aggregate,
    id: string,
    start: HydrationStart | undefined,
    events: readonly (DomainEvent & { readonly version: number })[],
  ): AggregateActor {
    const snapshot = start ? aggregate.machine.resolveState(start.state as never) : undefined;
    const live = new AggregateActor(
      aggregate,
      id,
      startActor(aggregate.machine, snapshot),
      start?.version ?? 0,
    );
    live.apply(events);
    return live;
  }

  get version(): number {
    return this.#version;
  }

  get snapshot(): AnyMachineSnapshot {
    return this.#actor.getSnapshot();
  }

  get state(): AggregateState {
    const { value, context } = this.snapshot;
    return { value, context, version: this.#version };
  }

  /** Folds stored events, which must continue the stream exactly where this actor stands. */
  apply(events: readonly (DomainEvent & { readonly version: number })[]): void {
    for (const event of events) {
      if (event.version !== this.#version + 1) {
        throw new ChronicleError(
          'STREAM_GAP',
          `${this.aggregate.type}/${this.id}: event version ${event.version} does not follow ${this.#version}`,
        );
      }
      this.#actor.send({ type: event.type, data: event.data });
      const after = this.#actor.getSnapshot();
      if (after.status === 'error') {
        throw new ChronicleError(
          'FOLD_FAILED',
          `${this.aggregate.type}/${this.id}: folding ${event.type} (version ${event.version}) failed: ${String(after.error)}`,
          { cause: after.error },
        );
      }
      this.#version = event.version;
    }
  }

  /**
   * Adopts the state `decideCommand` already reached by walking these events (`next`), once they
   * are stored: an accepted command's events are folded once, not again here.
   */
  advance(next: AnyMachineSnapshot, events: readonly { readonly version: number }[]): void {
    events.forEach((event, index) => {
      if (event.version !== this.#version + index + 1) {
        throw new ChronicleError(
          'STREAM_GAP',
          `${this.aggregate.type}/${this.id}: event version ${event.version} does not follow ${this.#version + index}`,
        );
      }
    });
    this.#actor.stop();
    this.#actor = startActor(this.aggregate.machine, next);
    this.#version += events.length;
  }

  persisted(): PersistedAggregateState {
    const { value, context } = this.snapshot;
    return structuredClone({ value, context });
  }

  stop(): void {
    this.#actor.stop();
  }
}

const startActor = (machine: AnyStateMachine, snapshot: AnyMachineSnapshot | undefined) => {
  const actor = createActor(machine, snapshot ? { snapshot } : {});
  // apply() reports a failed fold as FOLD_FAILED; without an error observer XState would also
  // rethrow that error from a timer, an uncaught exception that takes the whole process down.
  actor.subscribe({ error: () => {} });
  actor.start();
  return actor;
};
