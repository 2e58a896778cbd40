import {
  currentSchemaVersion,
  type EventSchemas,
  storedTypeNames,
  upcastEvent,
} from '../../eventSchemas/index.js';
import { type EventMetadata, type RecordedEvent, timeOrderedId } from '../../messages/index.js';
import type { EventFilter } from '../eventFilter.js';
import type { StreamRef } from '../eventStore.js';

/** An event to write: its own id and schema version when given (a stored row), else new ones. */
export type EventDraft = {
  readonly eventId?: string;
  readonly type: string;
  readonly data: unknown;
  readonly schemaVersion?: number;
};

export const keyOf = ({ streamType, streamId }: StreamRef) => `${streamType}/${streamId}`;

/** Data and metadata as PostgreSQL's jsonb keeps them: undefined keys dropped, dates as strings. */
export const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? null));

/**
 * The event log in memory, as es_events keeps it: each event in the schema version it was written
 * in, and every read through upcastEvent (the current name and shape), as rowToEvent reads rows.
 */
export const createMemoryLog = (schemas: EventSchemas, now: () => Date) => {
  const read = (event: RecordedEvent) => upcastEvent(schemas, event);
  const log: RecordedEvent[] = [];
  const streams = new Map<string, RecordedEvent[]>();
  const byEventId = new Map<string, RecordedEvent>();
  let transactions = 0;

  const streamOf = (stream: StreamRef) => streams.get(keyOf(stream)) ?? [];

  return {
    versionOf: (stream: StreamRef) => streamOf(stream).at(-1)?.version ?? 0,

    /** The stream's events after `afterVersion` up to `toVersion`, read (upcast). */
    versions: (stream: StreamRef, afterVersion: number, toVersion: number) =>
      streamOf(stream)
        .filter((event) => event.version > afterVersion && event.version <= toVersion)
        .map(read),

    /** The last version recorded at or before `time`; 0 before the first. */
    versionAt: (stream: StreamRef, time: Date) =>
      streamOf(stream).findLast((event) => Date.parse(event.recordedAt) <= time.getTime())?.version ?? 0,

    /** The event stored under `eventId`, read. */
    findEvent: (eventId: string) => {
      const stored = byEventId.get(eventId);
      return stored ? read(stored) : undefined;
    },

    correlated: (correlationId: string) =>
      log.filter((event) => event.metadata.correlationId === correlationId).map(read),

    /** Writes events at the end of their stream as given, in one "transaction" (one id for them all). */
    write: (stream: StreamRef, drafts: readonly EventDraft[], metadata: EventMetadata): void => {
      const transactionId = String(++transactions);
      const recordedAt = now().toISOString();
      const existing = streamOf(stream);
      const written = drafts.map(
        (draft, index): RecordedEvent => ({
          globalPosition: log.length + index + 1,
          transactionId,
          streamType: stream.streamType,
          streamId: stream.streamId,
          version: (existing.at(-1)?.version ?? 0) + index + 1,
          eventId: draft.eventId ?? timeOrderedId(),
          type: draft.type,
          schemaVersion: draft.schemaVersion ?? currentSchemaVersion(schemas, stream.streamType, draft.type),
          data: asJson(draft.data),
          metadata: asJson(metadata),
          recordedAt,
        }),
      );
      log.push(...written);
      streams.set(keyOf(stream), [...existing, ...written]);
      for (const event of written) byEventId.set(event.eventId, event);
    },

    /** Up to `limit` events after `afterPosition` that pass `filter`, in commit order, read. */
    readAll: (afterPosition: number, filter: EventFilter = {}, limit = Number.POSITIVE_INFINITY) => {
      // as readEventBatch: a filter on a type also selects the events stored under its old names
      const names = filter.eventTypes && new Set(storedTypeNames(schemas, filter.eventTypes));
      const found: RecordedEvent[] = [];
      for (let index = Math.max(0, afterPosition); index < log.length && found.length < limit; index++) {
        const event = log[index] as RecordedEvent;
        if (names && !names.has(event.type)) continue;
        if (filter.streamTypes && !filter.streamTypes.includes(event.streamType)) continue;
        found.push(read(event));
      }
      return found;
    },

    headPosition: () => log.length,
  };
};

export type MemoryLog = ReturnType<typeof createMemoryLog>;
