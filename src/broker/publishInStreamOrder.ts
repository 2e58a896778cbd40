import type { RecordedEvent } from '../messages/index.js';

export type PublishFailure = {
  readonly index: number;
  readonly event: RecordedEvent;
  readonly error: unknown;
};

export type StreamOrderOutcome =
  | { readonly status: 'published'; readonly count: number }
  /** The failure with the smallest batch index; nothing after a failure was started. */
  | { readonly status: 'failed'; readonly failure: PublishFailure };

/**
 * Publishes a batch with up to `concurrency` streams at once, each stream's events one after the
 * other in batch order (= version order), each waiting for the broker's acknowledgement before the
 * next. After a failure no further publish starts; the answer names the earliest failed event, so
 * the caller can commit exactly the events before it.
 */
export const publishInStreamOrder = async (
  events: readonly RecordedEvent[],
  concurrency: number,
  publish: (event: RecordedEvent) => Promise<unknown>,
): Promise<StreamOrderOutcome> => {
  const streams = new Map<string, { event: RecordedEvent; index: number }[]>();
  for (const [index, event] of events.entries()) {
    const key = `${event.streamType}\u0000${event.streamId}`;
    const queue = streams.get(key) ?? [];
    queue.push({ event, index });
    streams.set(key, queue);
  }
  const pending = [...streams.values()];
  const failures: PublishFailure[] = [];
  const lane = async () => {
    for (let stream = pending.shift(); stream && failures.length === 0; stream = pending.shift()) {
      for (const { event, index } of stream) {
        if (failures.length > 0) return;
        try {
          await publish(event);
        } catch (error) {
          failures.push({ index, event, error });
          return;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, pending.length)) }, lane));
  const [first] = failures.sort((a, b) => a.index - b.index);
  return first ? { status: 'failed', failure: first } : { status: 'published', count: events.length };
};
