import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ChronicleError } from '../errors/index.js';

/**
 * A connection that reconnects by itself for as long as the process runs (every 500 ms, with
 * jitter); the first connect fails at once with an UNAVAILABLE error naming the address, so a pod
 * pointed at a wrong URL exits instead of waiting in silence.
 */
export const connectNats = async (url: string, name: string): Promise<NatsConnection> => {
  try {
    return await connect({
      servers: url,
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      pingInterval: 10_000,
    });
  } catch (error) {
    throw new ChronicleError('UNAVAILABLE', `NATS is not reachable at ${url}: ${(error as Error).message}`, {
      cause: error,
    });
  }
};
