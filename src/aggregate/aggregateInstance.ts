import type { AnyMachineSnapshot, StateValue } from 'xstate';
import { ChronicleError } from '../errors/index.js';
import type { DomainEvent } from '../messages/index.js';
import type { Aggregate, AggregateState } from './defineAggregate.js';
import { initialSnapshot, startFold } from './eventFold.js';

/** The JSON form of an aggregate's state, as snapshots store it. */
export type PersistedAggregateState = { readonly value: StateValue; readonly context: unknown };

export type HydrationStart = { readonly state: PersistedAggregateState; readonly version: number };

/**
 * One aggregate instance: the current state of the aggregate's machine (a plain XState snapshot,
 * no running actor, nothing to stop) and its stream version. Events are folded with the pure transition
 * (`startFold`, XState's pure transition or a step learnt from it); the machine holds only assign actions (checked by defineAggregate), so folding
 * runs no effects, and a live instance holds nothing but its state.
 */
export class AggregateInstance {
  #version: number;
  #snapshot: AnyMachineSnapshot;

  private constructor(
    readonly aggregate: Aggregate,
    readonly id: string,
    snapshot: AnyMachineSnapshot,
    version: number,
  ) {
    this.#snapshot = snapshot;
    this.#version = version;
  }

  /** From a snapshot (or the machine's initial state) plus the events after it. */
  static hydrate(
    aggregate: Aggregate,
    id: string,
    start: HydrationStart | undefined,
    events: readonly (DomainEvent & { readonly version: number })[],
  ): AggregateInstance {
    const snapshot = start
      ? aggregate.machine.resolveState(start.state as never)
      : initialSnapshot(aggregate.machine);
    const live = new AggregateInstance(aggregate, id, snapshot, start?.version ?? 0);
    live.apply(events);
    return live;
  }

  get version(): number {
    return this.#version;
  }

  get snapshot(): AnyMachineSnapshot {
    return this.#snapshot;
  }

  get state(): AggregateState {
    const { value, context } = this.#snapshot;
    return { value, context, version: this.#version };
  }

  /** Folds stored events, which must continue the stream exactly where this actor stands. */
  apply(events: readonly (DomainEvent & { readonly version: number })[]): void {
    if (events.length === 0) return;
    const fold = startFold(this.aggregate.machine, this.#snapshot);
    try {
      for (const event of events) {
        if (event.version !== this.#version + 1) {
          throw new ChronicleError(
            'STREAM_GAP',
            `${this.aggregate.type}/${this.id}: event version ${event.version} does not follow ${this.#version}`,
          );
        }
        // a machine that reached a final state takes no more events (as a running actor would not)
        if (fold.active()) {
          try {
            fold.add({ type: event.type, data: event.data });
          } catch (error) {
            throw new ChronicleError(
              'FOLD_FAILED',
              `${this.aggregate.type}/${this.id}: folding ${event.type} (version ${event.version}) failed: ${String(error)}`,
              { cause: error },
            );
          }
        }
        this.#version = event.version;
      }
    } finally {
      // the events folded before a gap or a failure stay folded, as they did one by one
      this.#snapshot = fold.snapshot();
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
    this.#snapshot = next;
    this.#version += events.length;
  }

  persisted(): PersistedAggregateState {
    const { value, context } = this.#snapshot;
    return structuredClone({ value, context });
  }
}
