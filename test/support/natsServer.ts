import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type PrivateNatsServer = {
  readonly url: string;
  readonly port: number;
  /** Stops it (SIGTERM) and waits until it has exited; its JetStream data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port and store directory; `jetstream: false` runs it without JetStream. */
  start(options?: { readonly jetstream?: boolean }): Promise<void>;
  /** Stops it and removes its store. */
  close(): Promise<void>;
};

const freePort = async (): Promise<number> => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
};

const accepting = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });

/**
 * A NATS server with JetStream of the test's own (`nats-server -js -p <free port> -sd <tmp dir>`),
 * for tests that stop and restart it or need another setting (`maxPayload`: the largest message it
 * takes, 1 MiB by default; `config`: a configuration file to run with, such as the shipped
 * deploy/nats/nats-server.conf, and `env` for the variables it names): the shared one on 4222 is
 * never touched.
 */
export const startPrivateNatsServer = async ({
  maxPayload,
  config,
  env = {},
}: {
  maxPayload?: number;
  config?: string;
  env?: Readonly<Record<string, string>>;
} = {}): Promise<PrivateNatsServer> => {
  const port = await freePort();
  const storeDir = await mkdtemp(join(tmpdir(), 'chronicle-nats-'));
  // settings without a command-line flag go in a configuration file
  const configFile = config ?? join(storeDir, 'nats.conf');
  if (config === undefined)
    await writeFile(configFile, maxPayload === undefined ? '' : `max_payload: ${maxPayload}\n`);
  let child: ChildProcess | undefined;
  let output = '';
  const start = async ({ jetstream = true } = {}) => {
    const args = [
      '-c',
      configFile,
      '-a',
      '127.0.0.1',
      '-p',
      String(port),
      ...(jetstream ? ['-js', '-sd', storeDir] : []),
    ];
    child = spawn('nats-server', args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const deadline = Date.now() + 10_000;
    while (!(await accepting(port))) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`nats-server on ${port} did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    stop,
    start,
    close: async () => {
      await stop();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
};
