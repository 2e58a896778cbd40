import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './freePort.js';

export type PrivateRedis = {
  readonly url: string;
  readonly port: number;
  /**
   * Kills it (SIGKILL) and starts it again on the same port, `downMs` later (an outage that long):
   * without AOF, it comes back empty.
   */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
};

/** Resolves once the redis-server `child` answers PING at `url`. */
export const waitForPing = async (url: string, child: ChildProcess) => {
  for (let attempt = 0; ; attempt++) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch (error) {
      if (attempt >= 200 || child.exitCode !== null)
        throw new Error(`redis-server at ${url} did not start: ${error}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      probe.disconnect();
    }
  }
};

/**
 * A redis-server of this test's own on a free port, in a temporary directory, started with `args`
 * (e.g. `--appendonly yes`): for tests that need a Redis configured (or restarted) otherwise than
 * the shared one, which is never touched.
 */
export const startPrivateRedis = async (args: readonly string[] = []): Promise<PrivateRedis> => {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const launch = async () => {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...args],
      { stdio: 'ignore' },
    );
    await waitForPing(url, child);
    return child;
  };
  const kill = async (child: ChildProcess) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  };
  let child = await launch();
  return {
    url,
    port,
    restart: async (downMs = 0) => {
      await kill(child);
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      child = await launch();
    },
    stop: async () => {
      await kill(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
