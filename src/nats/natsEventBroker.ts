import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import {
  ClosedConnectionError,
  ConnectionError,
  DrainingConnectionError,
  headers,
  type NatsConnection,
  NoRespondersError,
  nanos,
  RequestError,
  TimeoutError,
} from '@nats-io/transport-node';
import type { EventBroker } from '../broker/eventBroker.js';
import { publishedEvent, publishedEventHeaders } from '../broker/eventMessage.js';
import { ChronicleError, TransientError } from '../errors/index.js';
import { allEventsSubject, eventSubject, isSubjectToken } from './natsSubjects.js';

export type NatsEventBrokerOptions = {
  readonly stream: string;
  readonly subjectPrefix: string;
  /** For a stream we create. */
  readonly duplicateWindowMs: number;
  /** How long one publish waits for JetStream's acknowledgement. Default 5 s. */
  readonly ackTimeoutMs?: number;
};

/**
 * Nobody took the request: JetStream is down or restarting, or no stream takes the subject (it was
 * deleted). The client wraps a publish's or an API call's "no responders" as JetStreamNotEnabled,
 * as it does the server's "JetStream not enabled for this account": all the same outage to us. The
 * package's front door does not export that class, so it is known by its name.
 */
const jetStreamAway = (error: unknown): boolean =>
  error instanceof NoRespondersError || (error instanceof Error && error.name === 'JetStreamNotEnabled');

/** Connection trouble, or JetStream not answering (restarting, the stream not there yet). */
const unreachable = (error: unknown): boolean =>
  jetStreamAway(error) ||
  [ClosedConnectionError, ConnectionError, DrainingConnectionError, RequestError, TimeoutError].some(
    (kind) => error instanceof kind,
  );

/** The size of a NATS header block (`NATS/1.0`, a line per header, a blank line), as the client encodes it. */
const headerBytes = (entries: readonly (readonly [string, string])[]): number =>
  new TextEncoder().encode(
    `NATS/1.0\r\n${entries.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`,
  ).length;

/** JetStream's answer when the stream exists with another configuration. */
const streamNameInUse = 10058;

/** Creates the stream (subjects `<prefix>.events.>`) when it is missing; leaves an existing one as it is. */
export const ensureEventStream = async (
  jsm: JetStreamManager,
  options: NatsEventBrokerOptions,
): Promise<void> => {
  try {
    await jsm.streams.info(options.stream);
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound) throw error;
    try {
      await jsm.streams.add({
        name: options.stream,
        subjects: [allEventsSubject(options.subjectPrefix)],
        duplicate_window: nanos(options.duplicateWindowMs),
      });
    } catch (addError) {
      // another pod created it first
      if (!(addError instanceof JetStreamApiError) || addError.code !== streamNameInUse) throw addError;
    }
  }
};

/**
 * The outbox's NATS JetStream adapter: subject `<prefix>.events.<streamType>.<eventType>`,
 * `Nats-Msg-Id` = event id (JetStream drops a re-publish within the stream's duplicate window), the
 * JSON body of `publishedEvent`. Connection trouble and an unavailable JetStream are a
 * TransientError (waited out, never counted against the event); the stream is looked up again, and
 * created when missing, after nobody answered a publish.
 */
export const createNatsEventBroker = (
  nc: NatsConnection,
  options: NatsEventBrokerOptions,
): EventBroker & {
  ensureStream(): Promise<void>;
} => {
  const js: JetStreamClient = jetstream(nc);
  let manager: Promise<JetStreamManager> | undefined;
  let ensured: Promise<void> | undefined;
  const ensureStream = () => {
    ensured ??= (async () => {
      manager ??= jetstreamManager(nc);
      await ensureEventStream(await manager, options);
    })().catch((error) => {
      ensured = undefined;
      manager = undefined;
      throw error;
    });
    return ensured;
  };
  const encoder = new TextEncoder();
  const destination: EventBroker['destination'] = (event) =>
    eventSubject(options.subjectPrefix, event.streamType, event.type);
  return {
    system: 'nats',
    destination,
    ensureStream,
    publish: async (event, trace) => {
      if (!isSubjectToken(event.streamType) || !isSubjectToken(event.type)) {
        throw new ChronicleError(
          'VALIDATION',
          `${event.streamType}/${event.type}: a NATS subject token may not hold ".", "*", ">" or spaces`,
        );
      }
      const headerEntries = Object.entries(publishedEventHeaders(event, trace));
      const hdrs = headers();
      for (const [name, value] of headerEntries) hdrs.set(name, value);
      const body = encoder.encode(JSON.stringify(publishedEvent(event)));
      // the client refuses a message over the server's max_payload (and the server would close the
      // connection on it): never sent, so neither it nor an outage is mistaken for the other; the
      // outbox parks it. The size is the message's: body, headers and the Nats-Msg-Id js.publish adds
      const size = body.length + headerBytes([...headerEntries, ['Nats-Msg-Id', event.eventId]]);
      const maxPayload = nc.info?.max_payload;
      if (maxPayload !== undefined && size > maxPayload) {
        throw new ChronicleError(
          'EVENT_TOO_LARGE',
          `${event.streamType}/${event.type} ${event.eventId} is ${size} bytes as a NATS message, over the server's max_payload (${maxPayload})`,
        );
      }
      try {
        await ensureStream();
        const ack = await js.publish(destination(event), body, {
          msgID: event.eventId,
          headers: hdrs,
          timeout: options.ackTimeoutMs ?? 5_000,
        });
        return { duplicate: ack.duplicate };
      } catch (error) {
        if (jetStreamAway(error)) ensured = undefined; // the stream may be gone: look again, create it
        if (unreachable(error))
          throw new TransientError(`NATS: ${(error as Error).message}`, { cause: error });
        throw error;
      }
    },
  };
};
