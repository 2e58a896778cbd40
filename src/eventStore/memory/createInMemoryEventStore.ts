import { ConcurrencyError } from '../../errors/index.js';
import {
  currentSchemaVersion,
  type EventSchemas,
  storedTypeNames,
  upcastEvent,
} from '../../eventSchemas/index.js';
import {
  type AcceptedResult,
  type CommandResult,
  type EventMetadata,
  type RecordedEvent,
  rejectedResult,
  timeOrderedId,
} from '../../messages/index.js';
import { COMMAND_REJECTED, commandRejectedEvent, REJECTIONS_STREAM } from '../commandRejected.js';
import type { EventFilter } from '../eventFilter.js';
import type {
  AppendRequest,
  CommandRecord,
  EventStore,
  StoredCommand,
  StoredSnapshot,
  StreamRef,
} from '../eventStore.js';
import { storedAppend } from '../storedAppend.js';

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

/** A command as the in-memory ledger keeps it: an accepted answer is rebuilt on each read, as es_commands'. */
type LedgerEntry = {
  readonly command: Omit<StoredCommand, 'result'>;
  readonly answer:
    | { readonly status: 'accepted'; readonly firstVersion: number; readonly lastVersion: number }
    | { readonly status: 'rejected'; readonly result: CommandResult };
};

const keyOf = ({ streamType, streamId }: StreamRef) => `${streamType}/${streamId}`;

/** Data and metadata as PostgreSQL's jsonb keeps them: undefined keys dropped, dates as strings. */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? null));

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
  /** Every read sees the current shape, whatever version and name an event was stored under. */
  const read = (event: RecordedEvent) => upcastEvent(schemas, event);
  const log: RecordedEvent[] = [];
  const streams = new Map<string, RecordedEvent[]>();
  const byEventId = new Map<string, RecordedEvent>();
  const ledger = new Map<string, LedgerEntry>();
  const snapshots = new Map<string, StoredSnapshot>();
  let transactions = 0;

  const streamOf = (stream: StreamRef) => streams.get(keyOf(stream)) ?? [];
  const versionOf = (stream: StreamRef) => streamOf(stream).at(-1)?.version ?? 0;

  const versions = (stream: StreamRef, afterVersion: number, toVersion: number) =>
    streamOf(stream)
      .filter((event) => event.version > afterVersion && event.version <= toVersion)
      .map(read);

  const readStream: EventStore['readStream'] = async (
    stream,
    { afterVersion = 0, toVersion = Number.POSITIVE_INFINITY } = {},
  ) => versions(stream, afterVersion, toVersion);

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

  const answerOf = ({ command, answer }: LedgerEntry): CommandResult => {
    if (answer.status === 'rejected') return answer.result;
    return {
      status: 'accepted',
      commandId: command.commandId,
      aggregateType: command.streamType,
      aggregateId: command.streamId,
      version: answer.lastVersion,
      events: versions(command, answer.firstVersion - 1, answer.lastVersion),
    };
  };

  const findCommand = async (commandId: string): Promise<StoredCommand | undefined> => {
    const entry = ledger.get(commandId);
    return entry ? { ...entry.command, result: answerOf(entry) } : undefined;
  };

  /** Writes events at the end of their stream, in one "transaction" (one id for them all). */
  const write = (
    stream: StreamRef,
    drafts: readonly { eventId?: string; type: string; data: unknown; schemaVersion?: number }[],
    metadata: RecordedEvent['metadata'],
  ): RecordedEvent[] => {
    const transactionId = String(++transactions);
    const recordedAt = now().toISOString();
    const existing = streamOf(stream);
    const written = drafts.map((draft, index): RecordedEvent => {
      const event: RecordedEvent = {
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
      };
      return event;
    });
    log.push(...written);
    streams.set(keyOf(stream), [...existing, ...written]);
    for (const event of written) byEventId.set(event.eventId, event);
    return written;
  };

  const append: EventStore['append'] = async (request: AppendRequest) => {
    const { expectedVersion, events, metadata, command } = request;
    const actual = versionOf(request);
    if (actual !== expectedVersion)
      throw new ConcurrencyError(request.streamType, request.streamId, expectedVersion, actual);
    const recorded = command ? ledger.get(command.commandId) : undefined;
    if (recorded)
      return {
        status: 'duplicate',
        result: answerOf(recorded),
        ...(recorded.command.fingerprint ? { fingerprint: recorded.command.fingerprint } : {}),
      };
    const duplicate = storedAppend(
      events.flatMap((event) => {
        const stored = event.eventId ? byEventId.get(event.eventId) : undefined;
        return stored ? [read(stored)] : [];
      }),
    );
    if (duplicate) return duplicate;
    const written = write(request, events, metadata);
    if (command)
      ledger.set(command.commandId, {
        command: ledgerCommand(request, command, metadata, now()),
        answer: {
          status: 'accepted',
          firstVersion: expectedVersion + 1,
          lastVersion: expectedVersion + events.length,
        },
      });
    const result: AcceptedResult = {
      status: 'accepted',
      commandId: command?.commandId ?? metadata.commandId,
      aggregateType: request.streamType,
      aggregateId: request.streamId,
      version: expectedVersion + events.length,
      events: written.map(read),
    };
    return { status: 'appended', result };
  };

  return {
    append,
    readStream,
    readStreamToFold,
    readToFold,
    streamVersion: async (stream) => versionOf(stream),
    versionAt: async (stream, time) =>
      streamOf(stream).findLast((event) => Date.parse(event.recordedAt) <= time.getTime())?.version ?? 0,
    findCommandResult: async (commandId) => (await findCommand(commandId))?.result,
    findCommand,
    readCorrelation: async (correlationId) => ({
      commands: (
        await Promise.all(
          [...ledger.values()]
            .filter((entry) => entry.command.correlationId === correlationId)
            .map((entry) => findCommand(entry.command.commandId)),
        )
      ).flatMap((stored) =>
        // as the PostgreSQL adapter: an accepted command's events are in `events`, not its result
        stored
          ? [
              stored.result.status === 'accepted'
                ? { ...stored, result: { ...stored.result, events: [] } }
                : stored,
            ]
          : [],
      ),
      events: log.filter((event) => event.metadata.correlationId === correlationId).map(read),
    }),
    recordRejection: async (request) => {
      const { command, rejection } = request;
      const stored = await findCommand(command.commandId);
      if (stored) return { status: 'duplicate', stored };
      const correlationId = command.correlationId ?? command.commandId;
      ledger.set(command.commandId, {
        command: ledgerCommand(request, { ...command, correlationId }, undefined, now()),
        answer: { status: 'rejected', result: asJson(rejectedResult(command.commandId, rejection)) },
      });
      if (request.answerTo) {
        const rejected = commandRejectedEvent(request);
        write(
          { streamType: REJECTIONS_STREAM, streamId: command.commandId },
          [{ type: COMMAND_REJECTED, data: rejected.data }],
          rejected.metadata,
        );
      }
      return { status: 'recorded' };
    },
    readSnapshot: async (stream) => snapshots.get(keyOf(stream)),
    writeSnapshot: async (snapshot) => {
      const stored = snapshots.get(keyOf(snapshot));
      if (stored && stored.version >= snapshot.version && stored.machineHash === snapshot.machineHash) return;
      snapshots.set(keyOf(snapshot), { ...asJson(snapshot), takenAt: now().toISOString() });
    },
    readAll: (afterPosition, filter = {}, limit = Number.POSITIVE_INFINITY) => {
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
    insertStored: (rows) => {
      for (const { streamType, streamId, eventId, type, schemaVersion, data, metadata } of rows)
        write(
          { streamType, streamId },
          [{ type, data, schemaVersion, ...(eventId ? { eventId } : {}) }],
          metadata ?? { commandId: 'stored', correlationId: 'stored', causationId: 'stored' },
        );
    },
  };
};

/** A ledger row's command, its causation filled from the command and the events' metadata as es_commands'. */
const ledgerCommand = (
  stream: StreamRef,
  command: CommandRecord,
  metadata: EventMetadata | undefined,
  recordedAt: Date,
): Omit<StoredCommand, 'result'> => {
  const correlationId = command.correlationId ?? metadata?.correlationId;
  const issuedAt = command.issuedAt ?? metadata?.issuedAt;
  const issuedBy = command.issuedBy ?? metadata?.issuedBy;
  return {
    streamType: stream.streamType,
    streamId: stream.streamId,
    commandId: command.commandId,
    type: command.type,
    ...(command.fingerprint ? { fingerprint: command.fingerprint } : {}),
    ...(correlationId ? { correlationId } : {}),
    ...(command.causationId ? { causationId: command.causationId } : {}),
    ...(issuedAt ? { issuedAt: new Date(issuedAt).toISOString() } : {}),
    ...(issuedBy ? { issuedBy } : {}),
    recordedAt: recordedAt.toISOString(),
  };
};
