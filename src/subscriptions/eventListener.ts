import pg from 'pg';
import { EVENTS_CHANNEL } from '../eventStore/index.js';
import { type LoggerPort, silentLogger } from '../logging/index.js';
import { sleep } from './wakeup.js';

/**
 * What a notification says was appended: events of a stream type and, when the appender named the
 * stream, the hash its partition is computed from (see partitionOfStreamHash). Neither after a
 * reconnect: anything may have been missed.
 */
export type AppendedNotice = { readonly streamType?: string; readonly streamHash?: bigint };

/** `<hash>:<stream type>`, or a stream type alone (see EVENTS_CHANNEL). */
export const appendedNotice = (payload: string): AppendedNotice => {
  const named = /^(-?\d+):(.*)$/s.exec(payload);
  if (named?.[1] !== undefined && named[2] !== undefined)
    return { streamType: named[2], streamHash: BigInt(named[1]) };
  return payload === '' ? {} : { streamType: payload };
};

/** Notifications of appended events. */
export type EventNotifications = {
  onEvents(listener: (notice: AppendedNotice) => void): () => void;
  /** The LISTEN session's backend pid while it is connected: while it lives, so does this worker. */
  sessionPid(): number | undefined;
  close(): Promise<void>;
};

/**
 * LISTENs on `chronicle_events` over its own connection (a pooled connection cannot hold a LISTEN).
 * Reconnects with backoff when the connection drops; meanwhile subscriptions fall back to polling,
 * and after a reconnect listeners are woken once, for whatever was missed.
 */
export const listenForEvents = async (
  databaseUrl: string,
  logger: LoggerPort = silentLogger,
): Promise<EventNotifications> => {
  const listeners = new Set<(notice: AppendedNotice) => void>();
  const emit = (notice: AppendedNotice) => {
    for (const listener of listeners) listener(notice);
  };
  const closing = new AbortController();
  let client: pg.Client | undefined;
  let pid: number | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl, keepAlive: true });
    next.on('notification', (message) => emit(appendedNotice(message.payload ?? '')));
    const lost = (error?: unknown) => {
      if (client !== next) return;
      client = undefined;
      logger.warn({ err: error }, 'event listener connection lost; polling until it is back');
      void next.end().catch(() => {});
      void reconnect();
    };
    next.on('error', lost);
    next.on('end', () => lost());
    await next.connect();
    await next.query(`listen ${EVENTS_CHANNEL}`);
    const [session] = (await next.query<{ pid: number }>('select pg_backend_pid() as pid')).rows;
    pid = session?.pid;
    client = next;
  };

  const reconnect = async (): Promise<void> => {
    for (let attempt = 1; !closing.signal.aborted; attempt++) {
      await sleep(Math.min(30_000, 250 * 2 ** attempt), closing.signal);
      if (closing.signal.aborted) return;
      try {
        await connect();
        logger.info({ attempt }, 'event listener reconnected');
        emit({});
        return;
      } catch (error) {
        logger.warn({ err: error, attempt }, 'event listener reconnect failed');
      }
    }
  };

  await connect();
  return {
    sessionPid: () => (client ? pid : undefined),
    onEvents: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      closing.abort();
      listeners.clear();
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
};
