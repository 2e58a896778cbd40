import { COMMAND_REJECTED, type EventFilter } from '../eventStore/index.js';
import type { RecordedEvent } from '../messages/index.js';
import {
  type BatchContext,
  consumerAttributes,
  EventHandlingError,
  eventAttributes,
  type SubscriptionDefinition,
} from '../subscriptions/index.js';
import type { ProcessManager } from './defineProcessManager.js';
import { handleRoutedInput, type ProcessRuntime } from './handleRoutedInput.js';
import { routeEvent } from './routeEvent.js';

/** What a process manager reads: the event types it correlates, and the answers to its commands. */
export const processManagerFilter = (processManager: ProcessManager): EventFilter => ({
  eventTypes: [...Object.keys(processManager.correlate), COMMAND_REJECTED],
});

/**
 * Hands events, in order, to the instances they are routed to: each one's decision recorded once,
 * then its outputs sent. A failure names the event (the ones before it are done). The
 * subscription's batches and the in-memory runtime's deliveries both come through here.
 */
export const handleProcessEvents = async (
  runtime: ProcessRuntime,
  processManager: ProcessManager,
  events: readonly RecordedEvent[],
  where: BatchContext,
): Promise<void> => {
  for (const [index, event] of events.entries()) {
    const routed = routeEvent(processManager, event);
    if (!routed) continue;
    try {
      await handleRoutedInput(runtime, processManager, routed, {
        ...eventAttributes(event),
        ...consumerAttributes(where, 'handle'),
      });
    } catch (error) {
      throw new EventHandlingError(event, index, error);
    }
  }
};

/**
 * A process manager as a subscription over the event types it correlates plus CommandRejected:
 * leased partitions, checkpoints, a failing event retried and then stopping its partition, never
 * skipped. Its writes are not in the batch transaction: each input's decision is its own
 * idempotent append (one statement, as every append), so the checkpoint moves after the commands
 * are sent; a crash in between re-delivers the input, which re-sends the same command ids.
 */
export const processManagerSubscription = (
  processManager: ProcessManager,
  runtime: ProcessRuntime,
): SubscriptionDefinition => ({
  name: processManager.subscription,
  partitions: processManager.partitions,
  filter: processManagerFilter(processManager),
  handleBatch: (events, _tx, where) => handleProcessEvents(runtime, processManager, events, where),
});
