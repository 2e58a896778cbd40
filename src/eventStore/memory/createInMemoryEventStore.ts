import { ConcurrencyError } from '../../errors/index.js';
import type { EventSchemas } from '../../eventSchemas/index.js';
import {
  type AcceptedResult,
  type EventMetadata,
  type RecordedEvent,
  rejectedResult,
} from '../../messages/index.js';
import { COMMAND_REJECTED, commandRejectedEvent, REJECTIONS_STREAM } from '../commandRejected.js';
import type { EventFilter } from '../eventFilter.js';
import {
  type AppendRequest,
  DEFAULT_SNAPSHOT_HISTORY,
  type EventStore,
  type StoredSnapshot,
  type StreamRef,
} from '../eventStore.js';
import { storedAppend } from '../storedAppend.js';
import { createMemoryLedger } from './memoryLedger.js';
import { asJson, createMemoryLog, keyOf } from './memoryLog.js';

/** An event as an older release may have stored it: its own name and schema version, raw data. */
export type StoredEventRow = StreamRef & {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly eventId?: string;
  readonly metadata?: EventMetadata;
};

export type InMemoryEventStoreOptions = {
  /** The event schemas (`registry.schemas`): events are written in the current version, read upcast. */
  readonly schemas: EventSchemas;
  /** The time events and commands are recorded at. Default: the real time. */
  readonly now?: () => Date;
  /** Snapshots kept per stream, the latest included. Default 2. */
  readonly snapshotHistory?: number;
};

/** The event store with its whole log in memory, plus what an in-memory subscription needs. */
export type InMemoryEventStore = EventStore & {
  /** Up to `limit` events after `afterPosition` that pass `filter`, in commit (global position) order. */
  readAll(afterPosition: number, filter?: EventFilter, limit?: number): RecordedEvent[];
  /** The global position of the last event appended: 0 for an empty store. */
  headPosition(): number;
  /**
   * Appends rows as they are, at the end of their streams (as a spec inserts rows straight into
   * es_events): events an older release wrote, in an older schema version or under an old name.
   */
  insertStored(rows: readonly StoredEventRow[]): void;
};

/**
 * The EventStore port in memory, with the PostgreSQL adapter's semantics: optimistic concurrency
 * on the stream version, the command ledger answering a command id once (an accepted answer
 * rebuilt from the events it appended), idempotent appends by caller-given event ids, recorded
 * rejections (and CommandRejected for a process manager's command), correlation reads, newest
 * snapshots. Events keep the schema version they were written in and are read through
 * upcastEvent, as rowToEvent reads rows. Values are stored as JSON, as jsonb stores them. For
 * createInMemoryRuntime and tests.
 */
export const createInMemoryEventStore = (options: InMemoryEventStoreOptions): InMemoryEventStore => {
  const { schemas } = options;
  const now = options.now ?? (() => new Date());
  const log = createMemoryLog(schemas, now);
  const ledger = createMemoryLedger(log, now);
  const snapshots = new Map<string, StoredSnapshot>();
  // per stream, the snapshots newer ones replaced, most recently replaced first
  const replaced = new Map<string, StoredSnapshot[]>();
  const keep = options.snapshotHistory ?? DEFAULT_SNAPSHOT_HISTORY;

  const readStream: EventStore['readStream'] = async (
    stream,
    { afterVersion = 0, toVersion = Number.POSITIVE_INFINITY } = {},
  ) => log.versions(stream, afterVersion, toVersion);

  const readStreamToFold: EventStore['readStreamToFold'] = async (stream, options) =>
    (await readStream(stream, options)).map(({ version, type, data }) => ({ version, type, data }));

  const readToFold: EventStore['readToFold'] = async (stream, machineHash, { toVersion } = {}) => {
    const stored = snapshots.get(keyOf(stream));
    const snapshot =
      stored && stored.machineHash === machineHash && stored.version <= (toVersion ?? stored.version)
        ? { version: stored.version, state: stored.state }
        : undefined;
    const events = await readStreamToFold(stream, {
      afterVersion: snapshot?.version ?? 0,
      ...(toVersion === undefined ? {} : { toVersion }),
    });
    return snapshot ? { snapshot, events } : { events };
  };

  const append: EventStore['append'] = async (request: AppendRequest) => {
    const { expectedVersion, events, metadata, command } = request;
    const actual = log.versionOf(request);
    if (actual !== expectedVersion)
      throw new ConcurrencyError(request.streamType, request.streamId, expectedVersion, actual);
    const recorded = command ? ledger.find(command.commandId) : undefined;
    if (recorded)
      return {
        status: 'duplicate',
        result: recorded.result,
        ...(recorded.fingerprint ? { fingerprint: recorded.fingerprint } : {}),
      };
    const duplicate = storedAppend(
      events.flatMap((event) => {
        const stored = event.eventId ? log.findEvent(event.eventId) : undefined;
        return stored ? [stored] : [];
      }),
    );
    if (duplicate) return duplicate;
    log.write(request, events, metadata);
    const version = expectedVersion + events.length;
    if (command) ledger.accepted(request, command, metadata, { first: expectedVersion + 1, last: version });
    const result: AcceptedResult = {
      status: 'accepted',
      commandId: command?.commandId ?? metadata.commandId,
      aggregateType: request.streamType,
      aggregateId: request.streamId,
      version,
      events: log.versions(request, expectedVersion, version),
    };
    return { status: 'appended', result };
  };

  return {
    append,
    readStream,
    readStreamToFold,
    readToFold,
    streamVersion: async (stream) => log.versionOf(stream),
    versionAt: async (stream, time) => log.versionAt(stream, time),
    findCommandResult: async (commandId) => ledger.find(commandId)?.result,
    findCommand: async (commandId) => ledger.find(commandId),
    readCorrelation: async (correlationId) => ({
      // as the PostgreSQL adapter: an accepted command's events are in `events`, not its result
      commands: ledger
        .correlated(correlationId)
        .map((stored) =>
          stored.result.status === 'accepted'
            ? { ...stored, result: { ...stored.result, events: [] } }
            : stored,
        ),
      events: log.correlated(correlationId),
    }),
    recordRejection: async (request) => {
      const { command, rejection } = request;
      const stored = ledger.find(command.commandId);
      if (stored) return { status: 'duplicate', stored };
      const correlationId = command.correlationId ?? command.commandId;
      ledger.rejected(
        request,
        { ...command, correlationId },
        asJson(rejectedResult(command.commandId, rejection)),
      );
      if (request.answerTo) {
        const rejected = commandRejectedEvent(request);
        log.write(
          { streamType: REJECTIONS_STREAM, streamId: command.commandId },
          [{ type: COMMAND_REJECTED, data: rejected.data }],
          rejected.metadata,
        );
      }
      return { status: 'recorded' };
    },
    readSnapshot: async (stream) => snapshots.get(keyOf(stream)),
    readSnapshots: async (stream) => {
      const latest = snapshots.get(keyOf(stream));
      return latest ? [latest, ...(replaced.get(keyOf(stream)) ?? [])] : [];
    },
    writeSnapshot: async (snapshot) => {
      const key = keyOf(snapshot);
      const stored = snapshots.get(key);
      if (stored && stored.version >= snapshot.version && stored.machineHash === snapshot.machineHash)
        return { pruned: 0 };
      snapshots.set(key, { ...asJson(snapshot), takenAt: now().toISOString() });
      const history = stored ? [stored, ...(replaced.get(key) ?? [])] : (replaced.get(key) ?? []);
      replaced.set(key, history.slice(0, Math.max(0, keep - 1)));
      return { pruned: history.length - (replaced.get(key)?.length ?? 0) };
    },
    readAll: log.readAll,
    headPosition: log.headPosition,
    insertStored: (rows) => {
      for (const { streamType, streamId, eventId, type, schemaVersion, data, metadata } of rows)
        log.write(
          { streamType, streamId },
          [{ type, data, schemaVersion, ...(eventId ? { eventId } : {}) }],
          metadata ?? { commandId: 'stored', correlationId: 'stored', causationId: 'stored' },
        );
    },
  };
};
