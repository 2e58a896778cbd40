import { ChronicleError } from '../errors/index.js';
import type { RecordedEvent } from '../messages/index.js';

/** A stored event the code cannot read in its current shape (EVENT_SCHEMA), named in full. */
export class EventSchemaError extends ChronicleError {
  override readonly name = 'EventSchemaError';
  readonly eventType: string;
  readonly schemaVersion: number;
  readonly streamType: string;
  readonly streamId: string;
  readonly version: number;
  readonly globalPosition: number;
  constructor(event: RecordedEvent, problem: string, options?: ErrorOptions) {
    super(
      'EVENT_SCHEMA',
      `${event.type} schema version ${event.schemaVersion} (${event.streamType}/${event.streamId} v${event.version}, position ${event.globalPosition}, event ${event.eventId}): ${problem}`,
      options,
    );
    this.eventType = event.type;
    this.schemaVersion = event.schemaVersion;
    this.streamType = event.streamType;
    this.streamId = event.streamId;
    this.version = event.version;
    this.globalPosition = event.globalPosition;
  }
}
