import { ChronicleError } from '../errors/index.js';
import type { InMemoryEventStore } from '../eventStore/index.js';
import type { RecordedEvent } from '../messages/index.js';
import {
  type DeadlineJob,
  deadlineInput,
  handleProcessEvents,
  handleRoutedInput,
  type ProcessManager,
  type ProcessRuntime,
  processManagerFilter,
} from '../processManagers/index.js';

type Deadline = { readonly job: DeadlineJob; readonly at: number; readonly order: number; fired: boolean };

/**
 * The process-manager pods' subscription in memory: one partition, each manager's checkpoint, so
 * every event reaches every manager that wants it in commit order.
 */
export const createMemoryDeliveries = (
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
export const fireDueDeadline = async (
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

/** BullMQ's delayed jobs on the test clock: a deadline id is scheduled once, due in time order. */
export const createMemoryDeadlines = () => {
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
