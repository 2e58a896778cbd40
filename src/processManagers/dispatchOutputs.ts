import type { CommandClient } from '../commands/index.js';
import { ChronicleError } from '../errors/index.js';
import type { DeadlineQueue } from './deadlineQueue.js';
import type { ProcessManager } from './defineProcessManager.js';
import { handledInputEventId } from './processIds.js';
import type { ProcessOutput, RoutedInput } from './processTypes.js';

/** Where outputs go: a command client (BullMQ, or the in-memory runtime's queue) and a deadline queue. */
export type OutputPorts = {
  readonly client: Pick<CommandClient, 'send'>;
  readonly deadlines: Pick<DeadlineQueue, 'schedule' | 'cancel'>;
};

/**
 * Sends an input's outputs, in order: commands (causation = the input, its correlation, replies to
 * this instance), deadlines scheduled and cancelled. Their ids are deterministic, so dispatching
 * again after a crash enqueues nothing new and the command ledger answers each command once.
 */
export const dispatchOutputs = async (
  ports: OutputPorts,
  processManager: ProcessManager,
  routed: RoutedInput,
  outputs: readonly ProcessOutput[],
): Promise<void> => {
  for (const output of outputs) {
    switch (output.kind) {
      case 'command': {
        const sent = await ports.client.send({
          commandId: output.commandId,
          aggregateType: output.aggregateType,
          aggregateId: output.aggregateId,
          type: output.type,
          payload: output.payload,
          correlationId: routed.correlationId,
          causationId: routed.causationId ?? routed.inputId,
          issuedBy: `process-manager:${processManager.name}`,
          answerTo: { processManager: processManager.name, key: routed.key },
        });
        // refused before it reached a queue (malformed, or its id taken): nothing would ever answer
        if (sent.status === 'rejected')
          throw new ChronicleError(
            'EVENT_HANDLING',
            `${output.type} ${output.commandId} was refused before it was enqueued: ${sent.code}: ${sent.message}`,
          );
        break;
      }
      case 'schedule':
        await ports.deadlines.schedule(
          {
            processManager: processManager.name,
            key: routed.key,
            deadlineId: output.deadlineId,
            name: output.name,
            input: output.input,
            correlationId: routed.correlationId,
            scheduledBy: handledInputEventId(processManager.name, routed.key, routed.inputId),
          },
          output.at,
        );
        break;
      case 'cancel':
        await ports.deadlines.cancel(output.deadlineId);
        break;
      default:
        output satisfies never;
    }
  }
};
