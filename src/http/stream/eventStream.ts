import type { ServerResponse } from 'node:http';
import type { RecordedEvent } from '../../messages/index.js';
import { drained, type FollowOptions, followEvents } from './followEvents.js';

const frame = (event: RecordedEvent, position: string) =>
  `id: ${position}\ndata: ${JSON.stringify(event)}\n\n`;

/**
 * Writes the live feed to `res` as Server-Sent Events until `signal` aborts: each event with its
 * position token as the SSE id, and a comment line now and then, so idle connections stay open.
 */
export const writeEventStream = (res: ServerResponse, options: FollowOptions): Promise<void> => {
  const write = async (chunk: string) => {
    if (!res.write(chunk)) await drained(res, options.signal);
  };
  return followEvents(
    { event: (event, position) => write(frame(event, position)), idle: () => write(': keep-alive\n\n') },
    options,
  );
};
