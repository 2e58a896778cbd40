import type { RecordedEvent } from 'chronicle-runtime';

/**
 * A batch's events grouped by stream, in the order each stream first appears, each stream's events
 * in their order; throws on a gap or a repeat within a stream, so a set-based write never folds
 * a broken run.
 */
export const streamRuns = <Event extends RecordedEvent>(
  events: readonly Event[],
): Map<string, [Event, ...Event[]]> => {
  const runs = new Map<string, [Event, ...Event[]]>();
  for (const event of events) {
    const run = runs.get(event.streamId);
    if (!run) {
      runs.set(event.streamId, [event]);
      continue;
    }
    const last = run[run.length - 1] as Event;
    if (event.version <= last.version)
      throw new Error(`${event.streamId}: ${event.type} v${event.version} after v${last.version}`);
    run.push(event);
  }
  return runs;
};
