import { connect } from 'node:net';

export type RawExchange = {
  /** Everything the server sent until it closed the connection. */
  readonly received: Promise<string>;
  /** Writes more bytes, as a slow client would. */
  write(chunk: string): void;
  /** Whether the server has closed the connection. */
  readonly closed: () => boolean;
  destroy(): void;
};

/** A raw TCP conversation with an HTTP server: what no well-behaved client library would send. */
export const rawHttp = (url: string, first: string): RawExchange => {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let data = '';
  let closed = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    data += chunk;
  });
  socket.on('error', () => {});
  const received = new Promise<string>((resolve) =>
    socket.on('close', () => {
      closed = true;
      resolve(data);
    }),
  );
  if (first) socket.write(first);
  return {
    received,
    write: (chunk) => {
      if (!socket.destroyed) socket.write(chunk);
    },
    closed: () => closed,
    destroy: () => socket.destroy(),
  };
};

/** The status and the JSON body of a raw HTTP response. */
export const parseRaw = (raw: string): { status: number; body: unknown } => {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
  const text = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the test says what it expected
  }
  return { status, body };
};
