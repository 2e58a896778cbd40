import type { RecordedEvent } from '../messages/index.js';
import type { AppendOutcome } from './eventStore.js';

/**
 * An append whose caller-given event ids were stored before (a process manager's decision seen
 * again): nothing is appended, and the answer is the stored events. Both adapters answer this.
 */
export const storedAppend = (stored: readonly RecordedEvent[]): AppendOutcome | undefined => {
  const last = stored.at(-1);
  if (!last) return undefined;
  return {
    status: 'duplicate',
    result: {
      status: 'accepted',
      commandId: last.metadata.commandId,
      aggregateType: last.streamType,
      aggregateId: last.streamId,
      version: last.version,
      events: stored,
    },
  };
};
