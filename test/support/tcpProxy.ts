import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';

export type TcpProxy = {
  /** The port on 127.0.0.1 it listens on (kept across close and reopen). */
  readonly port: number;
  /** Stops listening and cuts every open connection, both ways: the target looks unreachable. */
  close(): Promise<void>;
  /** Listens again on the same port. */
  reopen(): Promise<void>;
};

/**
 * A TCP proxy on 127.0.0.1 to `target`, so a test can make a dependency unreachable for real
 * (connections reset, new ones refused) and bring it back, without touching the service itself.
 */
export const startTcpProxy = async (target: { host: string; port: number }): Promise<TcpProxy> => {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const make = () =>
    createServer((client) => {
      const upstream = connect(target.port, target.host);
      track(client);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  const listen = (server: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  let server = make();
  const port = await listen(server, 0);
  return {
    port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    reopen: async () => {
      server = make();
      await listen(server, port);
    },
  };
};
