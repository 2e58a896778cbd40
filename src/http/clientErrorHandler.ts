import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorBody } from './httpError.js';

/** Node's parser and timeout errors, by their code: the answer a client gets before any route runs. */
const answers: Readonly<Record<string, { readonly status: number; readonly body: ErrorBody }>> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    body: { code: 'REQUEST_TIMEOUT', message: 'the request was not received in time' },
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    body: { code: 'HEADERS_TOO_LARGE', message: 'the request line and headers exceed the limit' },
  },
};

const malformed = {
  status: 400,
  body: { code: 'INVALID_REQUEST', message: 'malformed HTTP request' },
} as const;

/**
 * Errors Node raises on a connection before fastify sees a request (timeouts, oversized headers,
 * malformed requests) answer `{ code, message }` like every other error, then the socket closes.
 */
export const clientErrorHandler = (error: Error & { code?: string }, socket: Socket): void => {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const answer =
    (error.code && Object.hasOwn(answers, error.code) ? answers[error.code] : undefined) ?? malformed;
  if (socket.writable) {
    const body = JSON.stringify(answer.body);
    socket.write(
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
};
