import { ActorHost, hydrateActor } from '../actorHost/index.js';
import {
  type Aggregate,
  type AggregateRegistry,
  type AggregateState,
  createAggregateRegistry,
} from '../aggregate/index.js';
import { buildEnvelope } from '../commands/index.js';
import { ChronicleError } from '../errors/index.js';
import { createInMemoryEventStore, type InMemoryEventStore, reusedCommandId } from '../eventStore/index.js';
import {
  type CommandEnvelope,
  type CommandRequest,
  type CommandResult,
  checkEnvelope,
  commandFingerprint,
  type RecordedEvent,
} from '../messages/index.js';
import {
  createProcessInstances,
  type DeadlineJob,
  deadlineInput,
  foldProcessEvents,
  handleProcessEvents,
  handleRoutedInput,
  initialProcessState,
  type ProcessManager,
  type ProcessRuntime,
  processManagerFilter,
} from '../processManagers/index.js';
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

type Job = { readonly envelope: CommandEnvelope; result?: CommandResult };
type Deadline = { readonly job: DeadlineJob; readonly at: number; readonly order: number; fired: boolean };

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

/**
 * The command pods' queue in memory: BullMQ's one job per command id, run in the order sent by
 * the same ActorHost a command pod uses.
 */
const createMemoryCommandQueue = (host: ActorHost, clock: TestClock) => {
  const jobs = new Map<string, Job>();
  const queue: Job[] = [];

  const add = (envelope: CommandEnvelope): Job => {
    const job: Job = { envelope };
    jobs.set(envelope.commandId, job);
    return job;
  };

  const run = async (job: Job): Promise<CommandResult> => {
    try {
      job.result = await host.handle(job.envelope);
      return job.result;
    } catch (error) {
      // a failed job is a dead letter: a resend of its id runs it again, as the client's does
      jobs.delete(job.envelope.commandId);
      throw error;
    }
  };

  /** An id seen before: the same command is the same job, another command under it is refused. */
  const known = (envelope: CommandEnvelope) => {
    const job = jobs.get(envelope.commandId);
    if (!job) return undefined;
    return { job, reused: reusedCommandId(envelope, commandFingerprint(job.envelope)) };
  };

  /** A process manager's send: queued to run later, answered as the client without wait does. */
  const enqueue = (async (request: CommandRequest) => {
    const envelope = buildEnvelope(request, clock.now());
    const invalid = checkEnvelope(envelope);
    if (invalid) return invalid;
    // BullMQ keeps one job per id: a re-sent command is not enqueued again
    const seen = known(envelope);
    if (seen?.reused) return seen.reused;
    if (!seen) queue.push(add(envelope));
    return { status: 'enqueued', commandId: envelope.commandId };
  }) as ProcessRuntime['client']['send'];

  /** Runs the oldest job queued; false when none is. */
  const runNext = async (): Promise<boolean> => {
    const job = queue.shift();
    if (!job) return false;
    await run(job);
    return true;
  };

  /** What the client's waiting send answers: the id the sender chose may name a job seen before. */
  const answer = async (envelope: CommandEnvelope, chosenId: boolean): Promise<CommandResult> => {
    const invalid = checkEnvelope(envelope);
    if (invalid) return invalid;
    const seen = chosenId ? known(envelope) : undefined;
    if (seen?.reused) return seen.reused;
    if (seen) {
      // sent by a process manager and not run yet: the queue (run first by every step) runs up to it
      while (!seen.job.result && (await runNext()));
      if (seen.job.result) return seen.job.result;
    }
    return run(add(envelope));
  };

  return { enqueue, runNext, answer };
};

/**
 * The process-manager pods' subscription in memory: one partition, each manager's checkpoint, so
 * every event reaches every manager that wants it in commit order.
 */
const createMemoryDeliveries = (
  store: InMemoryEventStore,
  runtime: ProcessRuntime,
  processManagers: readonly ProcessManager[],
) => {
  const checkpoints = new Map(processManagers.map((pm) => [pm.name, 0]));

  /** The next event any process manager has not had yet, the earliest in commit order first. */
  const next = () => {
    let found: { processManager: ProcessManager; event: RecordedEvent } | undefined;
    for (const processManager of processManagers) {
      const [event] = store.readAll(
        checkpoints.get(processManager.name) ?? 0,
        processManagerFilter(processManager),
        1,
      );
      if (event && (!found || event.globalPosition < found.event.globalPosition))
        found = { processManager, event };
    }
    return found;
  };

  /** Hands the next event to its process manager; false when every manager is up to date. */
  const deliverNext = async (): Promise<boolean> => {
    const delivery = next();
    if (!delivery) return false;
    const { processManager, event } = delivery;
    await handleProcessEvents(runtime, processManager, [event], {
      subscription: processManager.subscription,
      partition: 0,
    });
    checkpoints.set(processManager.name, event.globalPosition);
    return true;
  };

  return { deliverNext };
};

/** Fires the earliest deadline if it is due by now; false when none is. */
const fireDueDeadline = async (
  runtime: ProcessRuntime,
  processManagers: ReadonlyMap<string, ProcessManager>,
  deadline: Deadline | undefined,
  now: Date,
): Promise<boolean> => {
  if (!deadline || deadline.at > now.getTime()) return false;
  const processManager = processManagers.get(deadline.job.processManager);
  if (!processManager)
    throw new ChronicleError('CONFIGURATION', `no process manager "${deadline.job.processManager}"`);
  // a deadline that failed stays due and fires again on the next settle, as BullMQ retries it
  await handleRoutedInput(runtime, processManager, deadlineInput(deadline.job));
  deadline.fired = true;
  return true;
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

/** BullMQ's delayed jobs on the test clock: a deadline id is scheduled once, due in time order. */
const createMemoryDeadlines = () => {
  const deadlines = new Map<string, Deadline>();
  let scheduled = 0;
  const port: ProcessRuntime['deadlines'] = {
    // a delayed job with id = deadline id: scheduling it again is a no-op
    schedule: async (job, at) => {
      if (!deadlines.has(job.deadlineId))
        deadlines.set(job.deadlineId, { job, at: new Date(at).getTime(), order: scheduled++, fired: false });
    },
    cancel: async (deadlineId) => {
      deadlines.delete(deadlineId);
    },
  };
  /** The earliest deadline not fired yet (scheduling order breaks ties). */
  const next = () =>
    [...deadlines.values()]
      .filter((deadline) => !deadline.fired)
      .sort((a, b) => a.at - b.at || a.order - b.order)[0];
  return { port, next };
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
