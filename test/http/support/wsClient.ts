import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';

/** What the specs use of a `ws` client socket (the package ships no types). */
type Socket = {
  on(event: 'open', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'unexpected-response', listener: (request: unknown, response: IncomingMessage) => void): void;
  close(): void;
};

const { WebSocket } = createRequire(import.meta.url)('ws') as {
  WebSocket: new (url: string, options: { headers: Record<string, string> }) => Socket;
};

export type FeedMessage = { readonly position: string; readonly event: Record<string, unknown> };

export type OpenSocket = {
  readonly status: 'open';
  readonly messages: readonly FeedMessage[];
  /** Resolves with the messages once `count` of them arrived in all. */
  waitFor(count: number, timeoutMs?: number): Promise<FeedMessage[]>;
  /** The close code and reason, once the socket closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): void;
};

export type RefusedSocket = {
  readonly status: 'refused';
  readonly statusCode: number;
  readonly body: unknown;
};

/** A WebSocket client with headers (as the `ws` package allows): open, or the HTTP answer that refused it. */
export const openSocket = (
  url: string,
  headers: Record<string, string>,
): Promise<OpenSocket | RefusedSocket> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), { headers });
    const messages: FeedMessage[] = [];
    const waiters = new Set<() => void>();
    let closedWith: (value: { code: number; reason: string }) => void = () => {};
    const closed = new Promise<{ code: number; reason: string }>((done) => {
      closedWith = done;
    });
    socket.on('message', (data) => {
      messages.push(JSON.parse(data.toString()) as FeedMessage);
      for (const waiter of waiters) waiter();
    });
    socket.on('close', (code, reason) => closedWith({ code, reason: reason.toString() }));
    socket.on('error', reject);
    socket.on('unexpected-response', (_request, response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => {
        resolve({
          status: 'refused',
          statusCode: response.statusCode ?? 0,
          body: JSON.parse(text || 'null'),
        });
      });
    });
    socket.on('open', () =>
      resolve({
        status: 'open',
        messages,
        closed,
        close: () => socket.close(),
        waitFor: (count, timeoutMs = 20_000) =>
          new Promise((done, fail) => {
            const check = () => {
              if (messages.length < count) return;
              waiters.delete(check);
              clearTimeout(timer);
              done([...messages]);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`${messages.length} of ${count} messages after ${timeoutMs} ms`));
            }, timeoutMs);
            waiters.add(check);
            check();
          }),
      }),
    );
  });

/** The socket, which the spec expects open. */
export const opened = (socket: OpenSocket | RefusedSocket): OpenSocket => {
  if (socket.status !== 'open')
    throw new Error(`refused: ${socket.statusCode} ${JSON.stringify(socket.body)}`);
  return socket;
};
