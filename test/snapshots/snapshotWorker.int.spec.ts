import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/eventStore/index.js';
import { waitFor } from '../subscriptions/support.js';
import { createTestDatabase, type TestDatabase, testQueuePrefix } from '../support/testDatabase.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('snapshot worker pod', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('starts from workers/snapshot-worker.ts, and on SIGTERM releases its leases and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'workers/snapshot-worker.ts'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        CHRONICLE_QUEUE_PREFIX: testQueuePrefix(),
        CHRONICLE_WORKER_ID: 'snap-pod',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const knex = db.orm.em.getKnex();
    await waitFor(
      async () => {
        const owned = await query(
          knex,
          `select 1 from es_checkpoints where subscription = 'snapshots' and owner = 'snap-pod'`,
        );
        // the log line comes once the pod is up and its signal handlers are in place
        return owned.length === 2 && output.includes('snapshot worker started');
      },
      { what: `the pod to hold its partitions (${output})`, timeoutMs: 30_000, everyMs: 100 },
    );
    child.kill('SIGTERM');
    expect(await exited, output).toEqual({ code: 0, signal: null });
    expect(await query(knex, 'select * from es_checkpoints where owner is not null')).toEqual([]);
  });
});
