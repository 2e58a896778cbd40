import { COMMAND_REJECTED, REJECTIONS_STREAM } from '../eventStore/index.js';
import type { AnswerTo, RecordedEvent } from '../messages/index.js';
import type { ProcessManager } from './defineProcessManager.js';
import type { CommandRejectedData, RoutedInput } from './processTypes.js';

type StoredRejection = CommandRejectedData & { readonly answerTo: AnswerTo | null };

/**
 * The instance an event goes to, as an input: a CommandRejected of a command this process manager
 * sent goes back to the instance that sent it; another event to the key its `correlate` gives.
 */
export const routeEvent = (processManager: ProcessManager, event: RecordedEvent): RoutedInput | undefined => {
  const source = {
    eventId: event.eventId,
    streamType: event.streamType,
    streamId: event.streamId,
    version: event.version,
    schemaVersion: event.schemaVersion,
  };
  const common = {
    inputId: event.eventId,
    correlationId: event.metadata.correlationId,
    trace: event.metadata,
  };
  if (event.streamType === REJECTIONS_STREAM && event.type === COMMAND_REJECTED) {
    const { answerTo, ...data } = event.data as StoredRejection;
    if (answerTo?.processManager !== processManager.name) return undefined;
    return { ...common, key: answerTo.key, input: { type: COMMAND_REJECTED, data, source } };
  }
  const key = processManager.correlate[event.type]?.(event);
  if (key === undefined) return undefined;
  return { ...common, key, input: { type: event.type, data: event.data, source } };
};
