import { AuthorizationError, connect, type NatsConnection } from '@nats-io/transport-node';
import { anonymousNatsAccess, type NatsAccess } from '../config/index.js';
import { ChronicleError } from '../errors/index.js';
import { natsConnectOptions } from './natsConnectOptions.js';

/** The servers of a NATS URL without the user and password it may hold: for logs and errors. */
export const natsServersOf = (url: string): string => url.replace(/[^/,@]*@/g, '');

/**
 * A connection that reconnects by itself for as long as the process runs (every 500 ms, with
 * jitter); the first connect fails at once with an UNAVAILABLE error naming the address, so a pod
 * pointed at a wrong URL exits instead of waiting in silence. Refused credentials are a
 * CONFIGURATION error: waiting would not change them.
 */
export const connectNats = async (
  url: string,
  name: string,
  natsAccess: NatsAccess = anonymousNatsAccess,
): Promise<NatsConnection> => {
  const login = await natsConnectOptions(natsAccess);
  const servers = natsServersOf(url);
  try {
    return await connect({
      servers: url,
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      pingInterval: 10_000,
      ...login,
    });
  } catch (error) {
    if (error instanceof AuthorizationError)
      throw new ChronicleError(
        'CONFIGURATION',
        `NATS at ${servers} refused the pod's credentials (${natsAccess.credentials.kind}): ${error.message}`,
        { cause: error },
      );
    throw new ChronicleError(
      'UNAVAILABLE',
      `NATS is not reachable at ${servers}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
};
