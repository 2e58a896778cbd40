import type { EventSchemaError } from '../../eventSchemas/index.js';

/**
 * A batch read reached an event written by a newer release than this code (notYetReadable): the
 * `index` rows before it are readable, it is not. Thrown inside the batch's transaction, so the
 * checkpoint's move rolls back with it; the runner then reads exactly those rows and waits.
 */
export class UnreadableInBatch extends Error {
  override readonly name = 'UnreadableInBatch';
  constructor(
    readonly index: number,
    readonly unreadable: EventSchemaError,
  ) {
    super(`event ${index} of the batch is not readable yet: ${unreadable.message}`, { cause: unreadable });
  }
}
