import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDatabase, runtimeMigrationNames } from '../../src/db/index.js';
import { query } from '../../src/eventStore/index.js';
import { REDIS_URL } from '../support/commandPath.js';
import { startPodUntilItStops } from '../support/processes.js';
import {
  createTestDatabase,
  dropDatabase,
  type TestDatabase,
  testQueuePrefix,
} from '../support/testDatabase.js';

const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/chronicle_test';

/** Starts a command pod on `databaseUrl` and waits for it to end by itself. */
const podExit = (databaseUrl: string) =>
  startPodUntilItStops('workers/command-worker.ts', {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    CHRONICLE_QUEUE_PREFIX: testQueuePrefix(),
    CHRONICLE_SHARDS: '2',
    METRICS_PORT: '0',
  });

/*
 * A pod of a newer release started before `chronicle migrate` (a rolling update whose migrate
 * step was skipped or has not finished) would fail on its first statement naming a new column,
 * or, when that statement is its heartbeat, lose every lease it holds. It stops at start instead.
 */
describe('a pod on a database its release has not migrated', () => {
  let behind: TestDatabase;
  const empty = new URL(serverUrl);
  empty.pathname = `/chronicle_t_empty_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    behind = await createTestDatabase();
    // the database as the release before this one left it: the newest runtime migration not applied
    await query(behind.orm.em.getKnex(), 'delete from es_migrations where name = ?', [
      runtimeMigrationNames.at(-1) as string,
    ]);
    await ensureDatabase(empty.toString());
  });
  afterAll(async () => {
    await behind?.drop();
    await dropDatabase(empty.toString());
  });

  it('given one runtime migration missing, stops in one line that names it and says to migrate', async () => {
    const { exit, output } = await podExit(behind.url);
    expect(exit).toMatchObject({ code: 1 });
    expect(output).toContain(
      `lacks 1 of this release's runtime migrations (${runtimeMigrationNames.at(-1)})`,
    );
    expect(output).toContain('run `chronicle migrate` before starting pods');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('given a database never migrated, stops in one line that counts every runtime migration', async () => {
    const { exit, output } = await podExit(empty.toString());
    expect(exit).toMatchObject({ code: 1 });
    expect(output).toContain(`lacks ${runtimeMigrationNames.length} of this release's runtime migrations`);
    expect(output).not.toMatch(/\n\s+at /);
  });
});
