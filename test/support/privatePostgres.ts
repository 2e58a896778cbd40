import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './freePort.js';

const exec = promisify(execFile);
const bin = (name: string) => `/usr/lib/postgresql/15/bin/${name}`;
/** PostgreSQL refuses to run as root: as root, its tools run as the postgres user. */
const run = (tool: string, args: readonly string[]) =>
  process.getuid?.() === 0
    ? exec('runuser', ['-u', 'postgres', '--', bin(tool), ...args])
    : exec(bin(tool), [...args]);

export type PrivatePostgres = {
  /** A database URL on this cluster (the database is created by `chronicle migrate` / `migrate`). */
  url(database: string): string;
  /** Stops the server (fast shutdown: connections are cut), as an outage would. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  destroy(): Promise<void>;
};

/**
 * A throwaway PostgreSQL cluster (initdb, trust auth) on a free port, for tests that stop or restart
 * the database: the shared server is never touched.
 */
export const startPrivatePostgres = async (): Promise<PrivatePostgres> => {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-pg-'));
  if (process.getuid?.() === 0) await exec('chown', ['postgres', dir]);
  const data = join(dir, 'data');
  await run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const start = async () => {
    await run('pg_ctl', ['-D', data, '-o', options, '-w', '-t', '60', '-l', join(dir, 'log'), 'start']);
  };
  const stop = async () => {
    await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  };
  await start();
  return {
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop,
    start,
    destroy: async () => {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
