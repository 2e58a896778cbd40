import { ActorHost, hydrateActor } from '../actorHost/index.js';
import {
  type Aggregate,
  type AggregateRegistry,
  type AggregateState,
  createAggregateRegistry,
} from '../aggregate/index.js';
import { buildEnvelope } from '../commands/index.js';
import { ChronicleError } from '../errors/index.js';
import { createInMemoryEventStore, type InMemoryEventStore } from '../eventStore/index.js';
import type { CommandRequest, CommandResult, RecordedEvent } from '../messages/index.js';
import {
  createProcessInstances,
  foldProcessEvents,
  initialProcessState,
  type ProcessManager,
  type ProcessRuntime,
} from '../processManagers/index.js';
import { createMemoryCommandQueue } from './memoryCommandQueue.js';
import { createMemoryDeadlines, createMemoryDeliveries, fireDueDeadline } from './memoryProcessManagers.js';
import { createTestClock, type TestClock } from './testClock.js';

export type InMemoryRuntimeOptions = {
  readonly aggregates: readonly Aggregate[];
  readonly processManagers?: readonly ProcessManager[];
  /** Time for envelopes, recorded events and deadlines. Default: a test clock started now. */
  readonly clock?: TestClock;
  /**
   * The steps (a command run, an event delivered, a deadline fired) one settle may take before it
   * fails: process managers that feed each other for ever fail the test instead of hanging it.
   * Default 100,000.
   */
  readonly maxSteps?: number;
};

export type InMemorySendOptions = {
  /** Run the process managers to quiescence before answering (default true); else call settle(). */
  readonly settle?: boolean;
};

export type InMemoryRuntime = {
  /**
   * Runs the command at once, as a command pod would (the same precheck, decide, append and
   * ledger), and answers as `client.send(request, { wait: true })` does: the same id and command
   * again is answered with the first answer, the id with another command is COMMAND_ID_REUSED.
   * Then the process managers run to quiescence, unless `{ settle: false }`.
   */
  send(request: CommandRequest, options?: InMemorySendOptions): Promise<CommandResult>;
  /**
   * Runs until nothing is left to do: every event delivered to every process manager (in commit
   * order), every command they sent run (in the order sent), every deadline due by now fired.
   */
  settle(): Promise<void>;
  /** A stream's events: an aggregate's, a process-manager instance's (type = its name), any. */
  events(streamType: string, streamId: string): Promise<RecordedEvent[]>;
  /** An aggregate's state (or a process-manager instance's), folded from its events. */
  state(streamType: string, streamId: string): Promise<AggregateState>;
  /**
   * The event store, for the command ledger (findCommand), correlations (correlationStory), and
   * rows as an older release stored them (insertStored).
   */
  readonly store: InMemoryEventStore;
  readonly clock: TestClock;
  /** Stops watching the clock and drops the live actors. */
  close(): void;
};

/**
 * Chronicle without Redis or PostgreSQL, for testing domain flows in milliseconds: commands run
 * through the command pods' ActorHost (precheck, decide, append, ledger, rejections recorded) on
 * an in-memory event store, process managers through the process-manager pods' handlers
 * (routeEvent, decideProcessInput, the Handled append, dispatchOutputs), deadlines on a test
 * clock. Only the transport is replaced: queues by an in-memory FIFO, the subscription by
 * delivery in commit order, BullMQ's delayed jobs by the clock. See docs/testing.md.
 * @example
 * const clock = createTestClock();
 * const runtime = createInMemoryRuntime({ aggregates, processManagers: [orderPayment], clock });
 * await runtime.send({ aggregateType: 'order', aggregateId: 'o-1', type: 'PlaceOrder', payload });
 * expect((await runtime.events('payment', 'o-1')).map((e) => e.type)).toEqual(['PaymentRequested']);
 * await clock.advance(15 * 60_000);
 * expect((await runtime.state('order', 'o-1')).value).toBe('cancelled');
 */
export const createInMemoryRuntime = (options: InMemoryRuntimeOptions): InMemoryRuntime => {
  const clock = options.clock ?? createTestClock();
  const registry = createAggregateRegistry(options.aggregates);
  const store = createInMemoryEventStore({ schemas: registry.schemas, now: clock.now });
  const processManagers = options.processManagers ?? [];
  const byName = new Map(processManagers.map((pm) => [pm.name, pm]));
  const host = new ActorHost(store, registry);
  const commands = createMemoryCommandQueue(host, clock);
  const deadlines = createMemoryDeadlines();
  const runtime: ProcessRuntime = {
    instances: { ...createProcessInstances(store, registry.schemas), now: clock.now },
    client: { send: commands.enqueue },
    deadlines: deadlines.port,
  };
  const deliveries = createMemoryDeliveries(store, runtime, processManagers);

  /** One step of work, in the order the pods would most likely do it; false when there is none. */
  const step = async (): Promise<boolean> =>
    (await commands.runNext()) ||
    (await deliveries.deliverNext()) ||
    (await fireDueDeadline(runtime, byName, deadlines.next(), clock.now()));
  const drain = () => drainSteps(step, options.maxSteps ?? 100_000);
  const exclusive = createExclusive();
  const unwatch = clock.watch({ nextDue: () => deadlines.next()?.at, fireDue: () => exclusive(drain) });

  return {
    send: (request, sendOptions = {}) =>
      exclusive(async () => {
        const envelope = buildEnvelope(request, clock.now());
        const answer = await commands.answer(envelope, request.commandId !== undefined);
        if (sendOptions.settle !== false) await drain();
        return answer;
      }),
    settle: () => exclusive(drain),
    events: async (streamType, streamId) => store.readStream({ streamType, streamId }),
    state: (streamType, streamId) => stateOf(store, registry, byName, streamType, streamId),
    store,
    clock,
    close: () => {
      unwatch();
      host.stop();
    },
  };
};

/** Steps until none is left; a run past maxSteps is a loop between process managers. */
const drainSteps = async (step: () => Promise<boolean>, maxSteps: number): Promise<void> => {
  for (let steps = 1; await step(); steps++) {
    if (steps >= maxSteps)
      throw new ChronicleError(
        'INVARIANT',
        `did not settle after ${maxSteps} steps: do process managers feed each other in a loop?`,
      );
  }
};

/** One operation at a time, as one shard queue and one partition would run them. */
const createExclusive = () => {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(operation: () => Promise<T>): Promise<T> => {
    const run = tail.then(operation);
    tail = run.catch(() => {});
    return run;
  };
};

/** An aggregate's state, or a process-manager instance's, folded from its events. */
const stateOf = async (
  store: InMemoryEventStore,
  registry: AggregateRegistry,
  processManagers: ReadonlyMap<string, ProcessManager>,
  streamType: string,
  streamId: string,
): Promise<AggregateState> => {
  const aggregate = registry.find(streamType);
  if (aggregate) {
    const { actor } = await hydrateActor(store, aggregate, streamId);
    return actor.state;
  }
  const processManager = processManagers.get(streamType);
  if (!processManager)
    throw new ChronicleError('UNKNOWN_AGGREGATE', `no aggregate or process manager "${streamType}"`);
  const events = await store.readStream({ streamType, streamId });
  const { snapshot, version } = foldProcessEvents(
    processManager,
    initialProcessState(processManager),
    events,
  );
  return { value: snapshot.value, context: snapshot.context, version };
};
