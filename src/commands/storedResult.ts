import {
  type AcceptedResult,
  type CommandEnvelope,
  type CommandResult,
  eventMetadataOf,
  type RecordedEvent,
} from '../messages/index.js';

/** An event of a stored result, without what its command's envelope and result already say. */
type StoredEvent = Omit<RecordedEvent, 'streamType' | 'streamId' | 'version' | 'metadata'> &
  Partial<Pick<RecordedEvent, 'streamType' | 'streamId' | 'version'>> & {
    readonly metadata?: Partial<RecordedEvent['metadata']>;
  };

/** What a finished command job keeps in Redis as its result: `storedResult`'s output. */
export type StoredResult =
  | Exclude<CommandResult, AcceptedResult>
  | (Omit<AcceptedResult, 'events'> & { readonly events: readonly StoredEvent[] });

const traceFields = new Set(['traceparent', 'tracestate']);

/**
 * An event's metadata without the fields its envelope gives, when the rest is exactly those (the
 * trace context stays); otherwise whole. A whole one keeps `commandId`, which a trimmed one lacks.
 */
const trimMetadata = (metadata: RecordedEvent['metadata'], expected: RecordedEvent['metadata']) => {
  const own = Object.entries(metadata).filter(([field]) => !traceFields.has(field));
  const derived =
    own.length === Object.keys(expected).length &&
    own.every(([field, value]) => expected[field as keyof typeof expected] === value);
  if (!derived) return metadata;
  const trace = Object.entries(metadata).filter(([field]) => traceFields.has(field));
  return trace.length > 0 ? Object.fromEntries(trace) : undefined;
};

/**
 * The result as a finished job keeps it: each event loses the fields its command's envelope (kept
 * beside it in the job) and result already hold, so Redis stores them once per command instead of
 * once per event and again in the result. Lossless: a field is left out only when it equals what
 * `fullResult` puts back, so a result stored whole (by an older worker) reads the same.
 */
export const storedResult = (result: CommandResult, envelope: CommandEnvelope): StoredResult => {
  if (result.status !== 'accepted') return result;
  const first = result.version - result.events.length + 1;
  const expected = eventMetadataOf(envelope);
  return {
    ...result,
    events: result.events.map((event, index) => {
      const { streamType, streamId, version, metadata, ...rest } = event;
      const kept = trimMetadata(metadata, expected);
      return {
        ...rest,
        ...(streamType === result.aggregateType ? {} : { streamType }),
        ...(streamId === result.aggregateId ? {} : { streamId }),
        ...(version === first + index ? {} : { version }),
        ...(kept ? { metadata: kept } : {}),
      };
    }),
  };
};

/** The answer a finished job stands for: `storedResult` undone with the job's envelope. */
export const fullResult = (stored: StoredResult, envelope: CommandEnvelope): CommandResult => {
  if (stored.status !== 'accepted') return stored;
  const first = stored.version - stored.events.length + 1;
  return {
    ...stored,
    events: stored.events.map(
      (event, index): RecordedEvent => ({
        ...event,
        streamType: event.streamType ?? stored.aggregateType,
        streamId: event.streamId ?? stored.aggregateId,
        version: event.version ?? first + index,
        metadata:
          event.metadata?.commandId !== undefined
            ? (event.metadata as RecordedEvent['metadata'])
            : ({ ...eventMetadataOf(envelope), ...event.metadata } as RecordedEvent['metadata']),
      }),
    ),
  };
};
