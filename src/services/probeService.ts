import { connect } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ChronicleError } from '../errors/index.js';
import { type ServiceName, serviceInfo } from './serviceUnreachable.js';

/** How long a probe waits for an answer before calling the service unreachable. */
export const probeTimeoutMs = 3_000;

/** Where a service URL points: host and port, defaults filled in (NATS may list several URLs). */
export const serviceAddress = (service: ServiceName, url: string): { host: string; port: number } => {
  const first = url.split(',')[0]?.trim() ?? url;
  const parsed = new URL(first.includes('://') ? first : `nats://${first}`);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  return { host, port: parsed.port ? Number(parsed.port) : serviceInfo[service].defaultPort };
};

/** Network-level failures: the service is not there. Anything else (auth, missing database) means it is. */
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
const isNetworkFailure = (error: unknown): boolean => {
  const { code, message } = error as { code?: string; message?: string };
  return (
    (code !== undefined && networkCodes.has(code)) ||
    /timeout|timed out|Connection terminated/i.test(message ?? '')
  );
};

const probePostgres = async (url: string): Promise<boolean> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: probeTimeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    return true;
  } catch (error) {
    return !isNetworkFailure(error);
  } finally {
    await client.end().catch(() => {});
  }
};

/** A reply that only a running Redis gives (it asked for a password, or refused one). */
const isRedisReply = (error: unknown): boolean =>
  /^(NOAUTH|WRONGPASS|ERR|NOPERM)\b/.test((error as { message?: string }).message ?? '');

const probeRedis = async (url: string): Promise<boolean> => {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: probeTimeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch (error) {
    // without retries ioredis reports a refused connection as "Connection is closed."
    return isRedisReply(error);
  } finally {
    redis.disconnect();
  }
};

/** A NATS server greets every connection with an `INFO {…}` line, so no client library is needed. */
const probeNats = (url: string): Promise<boolean> => {
  const { host, port } = serviceAddress('nats', url);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.setTimeout(probeTimeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk) => done(chunk.toString('latin1').startsWith('INFO')));
  });
};

/** True when the service answers at `url`. Never throws. */
export const probeService = (service: ServiceName, url: string): Promise<boolean> => {
  switch (service) {
    case 'postgres':
      return probePostgres(url);
    case 'redis':
      return probeRedis(url);
    case 'nats':
      return probeNats(url);
    default: {
      const unknown: never = service;
      throw new ChronicleError('INVARIANT', `unknown service ${String(unknown)}`);
    }
  }
};
