import { ChronicleError, isChronicleError } from '../errors/index.js';
import type { RecordedEvent } from '../messages/index.js';

/**
 * Why a stored event cannot be read. Only `newer-version` says "not yet": a newer release wrote it,
 * and a pod of that release can read it (see isNotYetReadable); the others are this code's faults.
 */
export type EventSchemaProblem = 'newer-version' | 'retired-version' | 'not-a-version' | 'upcaster-failed';

/** A stored event the code cannot read in its current shape (EVENT_SCHEMA), named in full. */
export class EventSchemaError extends ChronicleError {
  override readonly name = 'EventSchemaError';
  readonly eventType: string;
  readonly schemaVersion: number;
  readonly streamType: string;
  readonly streamId: string;
  readonly version: number;
  readonly globalPosition: number;
  readonly eventId: string;
  readonly problem: EventSchemaProblem;
  /** The newest version of the type this code reads. */
  readonly knownVersion: number;
  constructor(
    event: RecordedEvent,
    problem: EventSchemaProblem,
    knownVersion: number,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(
      'EVENT_SCHEMA',
      `${event.type} schema version ${event.schemaVersion} (${event.streamType}/${event.streamId} v${event.version}, position ${event.globalPosition}, event ${event.eventId}): ${detail}`,
      options,
    );
    this.eventType = event.type;
    this.schemaVersion = event.schemaVersion;
    this.streamType = event.streamType;
    this.streamId = event.streamId;
    this.version = event.version;
    this.globalPosition = event.globalPosition;
    this.eventId = event.eventId;
    this.problem = problem;
    this.knownVersion = knownVersion;
  }
}

/**
 * The EventSchemaError of a stored event written by a newer release than this code (its version is
 * above the newest this code reads), found on `error` or its causes: not a failure of the event,
 * only of this pod's age. Checked by code and problem, so it works across package copies.
 */
export const notYetReadable = (error: unknown): EventSchemaError | undefined => {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth++) {
    if (
      isChronicleError(current, 'EVENT_SCHEMA') &&
      (current as EventSchemaError).problem === 'newer-version'
    )
      return current as EventSchemaError;
    current = current.cause;
  }
  return undefined;
};
