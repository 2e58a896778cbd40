import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './freePort.js';

/** Debian's PgBouncer (`apt-get install pgbouncer`; .ci/run installs it). */
export const PGBOUNCER = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((path) => existsSync(path));

export type PrivatePgBouncer = {
  /** `databaseUrl` with its host and port turned to this PgBouncer's. */
  readonly urlFor: (databaseUrl: string) => string;
  stop(): Promise<void>;
};

/**
 * A PgBouncer of this test's own on a free port, in transaction mode, in front of the PostgreSQL
 * at `server` (host:port), every database, `serverConnections` server connections per database
 * and user (several, so consecutive transactions of one client land on different ones). Run as the
 * postgres user when started as root (PgBouncer refuses root).
 */
export const startPrivatePgBouncer = async (
  server: { readonly host: string; readonly port: number },
  serverConnections = 4,
): Promise<PrivatePgBouncer> => {
  if (!PGBOUNCER) throw new Error('pgbouncer is not installed (apt-get install pgbouncer)');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-pgbouncer-'));
  chmodSync(dir, 0o777);
  writeFileSync(join(dir, 'users.txt'), '"postgres" ""\n');
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${server.host} port=${server.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = trust',
      `auth_file = ${join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${serverConnections}`,
      'max_client_conn = 200',
      'ignore_startup_parameters = extra_float_digits',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn(
    PGBOUNCER,
    [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')],
    {
      stdio: 'ignore',
    },
  );
  const urlFor = (databaseUrl: string) => {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(port);
    return url.toString();
  };
  for (let attempt = 0; ; attempt++) {
    const probe = new pg.Client({ connectionString: urlFor('postgres://postgres@127.0.0.1/postgres') });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.query('select 1');
      await probe.end();
      break;
    } catch (error) {
      await probe.end().catch(() => {});
      if (attempt >= 100 || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`pgbouncer on port ${port} did not start: ${error}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    urlFor,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
