import { COMMAND_REJECTED } from '../eventStore/index.js';
import {
  consumerAttributes,
  EventHandlingError,
  eventAttributes,
  type SubscriptionDefinition,
} from '../subscriptions/index.js';
import type { ProcessManager } from './defineProcessManager.js';
import { handleRoutedInput, type ProcessRuntime } from './handleRoutedInput.js';
import { routeEvent } from './routeEvent.js';

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
  filter: { eventTypes: [...Object.keys(processManager.correlate), COMMAND_REJECTED] },
  handleBatch: async (events, _tx, where) => {
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
  },
});
