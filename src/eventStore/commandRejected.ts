import type { EventMetadata } from '../messages/index.js';
import type { RejectionRequest } from './eventStore.js';

/** The stream type of CommandRejected events: one stream per rejected process-manager command. */
export const REJECTIONS_STREAM = 'chronicle.rejection';

/**
 * The runtime's own streams (`chronicle.<what>`, e.g. REJECTIONS_STREAM): plumbing between its
 * parts, not domain events. No aggregate type or process manager name can hold a dot.
 */
export const isRuntimeStream = (streamType: string): boolean => streamType.startsWith('chronicle.');
export const COMMAND_REJECTED = 'CommandRejected';

/**
 * The CommandRejected event a rejection of a process manager's command appends (stream
 * `chronicle.rejection/<command id>`): which command was refused and why, and `answerTo`, by
 * which routeEvent sends it back to the instance. Both adapters write this.
 */
export const commandRejectedEvent = ({
  command,
  rejection,
  answerTo,
  streamType,
  streamId,
}: RejectionRequest) => ({
  data: {
    commandId: command.commandId,
    aggregateType: streamType,
    aggregateId: streamId,
    commandType: command.type,
    code: rejection.code,
    message: rejection.message,
    answerTo: answerTo ?? null,
  },
  metadata: {
    commandId: command.commandId,
    correlationId: command.correlationId ?? command.commandId,
    causationId: command.commandId,
  } satisfies EventMetadata,
});
