import { ChronicleError } from '../errors/index.js';
import { positiveInt } from './settingValues.js';

/** How long the HTTP server waits on a client, so no slow or silent connection is held for ever. */
export type HttpTimeouts = {
  /** From the connection's first byte to the end of the request's headers (then 408). */
  readonly headersMs: number;
  /** From the first byte to the end of the body (then 408): a trickled body cannot hold a socket. */
  readonly requestMs: number;
  /** An idle keep-alive connection is closed after this (longer than common load balancers' 60 s). */
  readonly keepAliveMs: number;
};

export const defaultHttpTimeouts: HttpTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 72_000,
};

/** CHRONICLE_HTTP_HEADERS_TIMEOUT_MS, CHRONICLE_HTTP_REQUEST_TIMEOUT_MS, CHRONICLE_HTTP_KEEP_ALIVE_TIMEOUT_MS. */
export const httpTimeoutsFromEnv = (env: NodeJS.ProcessEnv = process.env): HttpTimeouts => {
  const timeouts: HttpTimeouts = {
    headersMs: positiveInt(
      'CHRONICLE_HTTP_HEADERS_TIMEOUT_MS',
      env.CHRONICLE_HTTP_HEADERS_TIMEOUT_MS,
      defaultHttpTimeouts.headersMs,
    ),
    requestMs: positiveInt(
      'CHRONICLE_HTTP_REQUEST_TIMEOUT_MS',
      env.CHRONICLE_HTTP_REQUEST_TIMEOUT_MS,
      defaultHttpTimeouts.requestMs,
    ),
    keepAliveMs: positiveInt(
      'CHRONICLE_HTTP_KEEP_ALIVE_TIMEOUT_MS',
      env.CHRONICLE_HTTP_KEEP_ALIVE_TIMEOUT_MS,
      defaultHttpTimeouts.keepAliveMs,
    ),
  };
  // Node refuses a headers timeout longer than the request timeout
  if (timeouts.headersMs > timeouts.requestMs) {
    throw new ChronicleError(
      'CONFIGURATION',
      `CHRONICLE_HTTP_HEADERS_TIMEOUT_MS (${timeouts.headersMs}) must not exceed CHRONICLE_HTTP_REQUEST_TIMEOUT_MS (${timeouts.requestMs})`,
    );
  }
  return timeouts;
};
