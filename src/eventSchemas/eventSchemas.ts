import { ChronicleError } from '../errors/index.js';
import type { RecordedEvent } from '../messages/index.js';
import { EventSchemaError } from './eventSchemaError.js';
import type { EventChain } from './eventVersions.js';
import type { PersonalData } from './personalData.js';

/** An aggregate's event types that have versions or old names (the rest are at version 1). */
export type EventSchemaMap = { readonly [eventType: string]: EventChain };

type StreamSchemas = {
  readonly types: ReadonlyMap<string, EventChain>;
  /** Old name → current name. */
  readonly renamed: ReadonlyMap<string, string>;
};

/**
 * Every stream type's event schemas: what the event store reads stored events through (upcast) and
 * writes new ones with (currentSchemaVersion). Build it once from the aggregates.
 */
export type EventSchemas = { readonly streams: ReadonlyMap<string, StreamSchemas> };

/** No versions, no renames: every stored event must be at version 1 (anything newer is refused). */
export const noEventSchemas: EventSchemas = { streams: new Map() };

const streamSchemas = (streamType: string, events: EventSchemaMap): StreamSchemas => {
  const types = new Map(Object.entries(events));
  const renamed = new Map<string, string>();
  for (const [type, versions] of types) {
    for (const old of versions.previousNames) {
      const taken = types.has(old) ? old : renamed.get(old);
      if (taken !== undefined || old === type)
        throw new ChronicleError(
          'CONFIGURATION',
          `${streamType}: "${type}" was named "${old}", but "${old}" already reads as "${taken ?? type}"`,
        );
      renamed.set(old, type);
    }
  }
  return { types, renamed };
};

/**
 * The schemas of every stream type, from the aggregates that declare them.
 * @example
 * const store = createPostgresEventStore(orm, { schemas: createEventSchemas(aggregates) });
 */
export const createEventSchemas = (
  aggregates: readonly { readonly type: string; readonly events?: EventSchemaMap }[],
): EventSchemas => ({
  streams: new Map(aggregates.map(({ type, events }) => [type, streamSchemas(type, events ?? {})])),
});

/**
 * The names events of `types` may be stored under: the types and their old names, so a filter on
 * the current name also finds the events stored before a rename.
 */
export const storedTypeNames = (schemas: EventSchemas, types: readonly string[]): string[] => {
  const names = new Set(types);
  for (const { renamed } of schemas.streams.values())
    for (const [old, type] of renamed) if (names.has(type)) names.add(old);
  return [...names];
};

/** The version a new event of `type` in a stream of `streamType` is written in. */
export const currentSchemaVersion = (schemas: EventSchemas, streamType: string, type: string): number =>
  schemas.streams.get(streamType)?.types.get(type)?.current ?? 1;

/**
 * The personal data of events stored as `type` (its current name, or an old one) in streams of
 * `streamType`: what appends encrypt and what readers show once the subject is forgotten.
 */
export const personalDataOf = (
  schemas: EventSchemas,
  streamType: string,
  type: string,
): PersonalData | undefined => {
  const stream = schemas.streams.get(streamType);
  return stream?.types.get(stream.renamed.get(type) ?? type)?.personalData;
};

/** Every event type that declares personal data, as `<stream type> <event type>`. */
export const personalEventTypes = (schemas: EventSchemas): string[] =>
  [...schemas.streams].flatMap(([streamType, { types }]) =>
    [...types].flatMap(([type, chain]) => (chain.personalData ? [`${streamType} ${type}`] : [])),
  );

/** Whether events of streams of `streamType` may hold personal data. */
export const holdsPersonalData = (schemas: EventSchemas, streamType: string): boolean =>
  [...(schemas.streams.get(streamType)?.types.values() ?? [])].some((chain) => chain.personalData);

/** Whether an event stored as `type` in `schemaVersion` is already in its current name and shape. */
export const isCurrentEvent = (
  schemas: EventSchemas,
  streamType: string,
  type: string,
  schemaVersion: number,
): boolean => {
  const stream = schemas.streams.get(streamType);
  return !stream?.renamed.has(type) && schemaVersion === (stream?.types.get(type)?.current ?? 1);
};

/** How an event is stored: its stream type, the type name and the schema version it was written with. */
export type StoredAs = {
  readonly streamType: string;
  readonly eventType: string;
  readonly schemaVersion: number;
};

/**
 * Whether this code knows the version of an event stored as `stored`: false only for a version newer
 * than its type's current one (written by a newer release).
 */
export const knowsSchemaVersion = (schemas: EventSchemas, stored: StoredAs): boolean => {
  const stream = schemas.streams.get(stored.streamType);
  const type = stream?.renamed.get(stored.eventType) ?? stored.eventType;
  return stored.schemaVersion <= (stream?.types.get(type)?.current ?? 1);
};

/**
 * A stored event in its current shape: its old name replaced by the current one, its data taken
 * through every upcaster from its stored version to the current one. A version newer than the code
 * knows, older than the chain reads, or an upcaster that throws is an EventSchemaError naming the
 * event, never a pass-through. An event already current is returned as it is.
 */
export const upcastEvent = (schemas: EventSchemas, event: RecordedEvent): RecordedEvent => {
  if (isCurrentEvent(schemas, event.streamType, event.type, event.schemaVersion)) return event;
  const stream = schemas.streams.get(event.streamType);
  const type = stream?.renamed.get(event.type) ?? event.type;
  const versions = stream?.types.get(type);
  const current = versions?.current ?? 1;
  const stored = event.schemaVersion;
  if (!Number.isInteger(stored) || stored < 1)
    throw new EventSchemaError(
      event,
      'not-a-version',
      current,
      'not a schema version (positive integers only)',
    );
  if (stored > current)
    throw new EventSchemaError(
      event,
      'newer-version',
      current,
      `newer than version ${current}, the newest this code knows of ${event.streamType} ${type}`,
    );
  const oldest = versions?.oldest ?? 1;
  let data = event.data;
  for (let from = stored; from < current; from++) {
    const step = versions?.steps[from - oldest];
    if (!step)
      throw new EventSchemaError(
        event,
        'retired-version',
        current,
        `no upcaster from version ${from} (the chain of ${event.streamType} ${type} reads versions ${oldest}..${current})`,
      );
    try {
      data = step(data, event.metadata);
    } catch (error) {
      throw new EventSchemaError(
        event,
        'upcaster-failed',
        current,
        `the upcaster from version ${from} failed`,
        {
          cause: error,
        },
      );
    }
  }
  return { ...event, type, schemaVersion: current, data };
};

/** The schemas as text for the machine hash: a snapshot folded under other schemas is not restored. */
export const eventSchemaFingerprint = (events: EventSchemaMap = {}): string =>
  JSON.stringify(
    Object.entries(events)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, { current, oldest, previousNames, steps, personalData }]) => [
        type,
        current,
        oldest,
        [...previousNames].sort(),
        steps.map(String),
        ...(personalData ? [personalData] : []),
      ]),
  );
