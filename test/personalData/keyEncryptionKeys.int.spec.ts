import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { keyEncryptionKeysFromEnv } from '../../src/config/index.js';
import {
  appendToStream,
  type EventRow,
  eventColumns,
  query,
  requirePersonalDataKeys,
  rewrapDataKeys,
} from '../../src/eventStore/index.js';
import { createKeyring, openEventData } from '../../src/personalData/index.js';
import { REDIS_URL } from '../support/commandPath.js';
import { startPodUntilItStops } from '../support/processes.js';
import { createTestDatabase, type TestDatabase, testQueuePrefix } from '../support/testDatabase.js';

let db: TestDatabase;
let podEnv: Record<string, string>;

// the key the int project runs with (vitest.config.ts), as this process and the pods read it
const testKeys = keyEncryptionKeysFromEnv();
if (!testKeys) throw new Error('CHRONICLE_KEK is not set for the integration tests');
const current = testKeys.current;
const rotated = { id: 'k2', key: randomBytes(32) };

beforeAll(async () => {
  db = await createTestDatabase();
  podEnv = {
    DATABASE_URL: db.url,
    REDIS_URL,
    CHRONICLE_QUEUE_PREFIX: testQueuePrefix(),
    CHRONICLE_SHARDS: '2',
    METRICS_PORT: '0',
  };
  // a user's data key, wrapped with the current key-encryption key
  await appendToStream(db.orm.em.getKnex(), domainEventSchemas, {
    streamType: 'user',
    streamId: 'u-1',
    expectedVersion: 0,
    events: [{ type: 'UserRegistered', data: { email: 'one@example.com', name: 'One', registeredAt: 'x' } }],
    metadata: { commandId: 'c-1', correlationId: 'c-1', causationId: 'c-1' },
  });
});

afterAll(async () => {
  await db?.drop();
});

/** Starts a command pod on `env` and waits for it to end by itself. */
const podExit = (env: Record<string, string>) =>
  startPodUntilItStops('workers/command-worker.ts', { ...podEnv, ...env });

const sealedRow = async () => {
  const [row] = await query<EventRow>(db.orm.em.getKnex(), `select ${eventColumns} from es_events`, []);
  if (!row) throw new Error('no event');
  return row;
};

describe('key-encryption keys at start', () => {
  it('stops a pod whose deployment marks personal fields when CHRONICLE_KEK is not set, in one line', async () => {
    const { exit, output } = await podExit({ CHRONICLE_KEK: '' });
    expect(exit).toMatchObject({ code: 1 });
    expect(output).toMatch(/CHRONICLE_KEK is not set, and this deployment stores personal data/);
    expect(output).toMatch(/personal fields: user UserRegistered, user UserEmailChanged/);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('stops a pod given the wrong key under the id the data keys were wrapped with', async () => {
    const wrong = `${current.id}:${randomBytes(32).toString('base64')}`;
    const { exit, output } = await podExit({ CHRONICLE_KEK: wrong });
    expect(exit).toMatchObject({ code: 1 });
    expect(output).toMatch(new RegExp(`key-encryption key \\\\?"${current.id}\\\\?" does not open`));
    expect(output).not.toContain(wrong.split(':')[1]);
  });

  it('after a rotation, needs the old key listed until every data key is rewrapped, events untouched', async () => {
    const knex = db.orm.em.getKnex();
    const before = await sealedRow();
    const alone = createKeyring({ current: rotated, retired: [] });
    const both = createKeyring({ current: rotated, retired: [current] });
    await expect(requirePersonalDataKeys(knex, domainEventSchemas, () => alone)).rejects.toThrow(
      new RegExp(`"${current.id}", which neither CHRONICLE_KEK nor CHRONICLE_KEK_RETIRED lists`),
    );
    await requirePersonalDataKeys(knex, domainEventSchemas, () => both);
    expect(await rewrapDataKeys(knex, both)).toBe(1);
    await requirePersonalDataKeys(knex, domainEventSchemas, () => alone);
    const after = await sealedRow();
    expect(after.data).toEqual(before.data);
    expect(openEventData(after.data, after.data_keys, null, () => alone)).toMatchObject({
      email: 'one@example.com',
      name: 'One',
    });
    expect(await rewrapDataKeys(knex, both)).toBe(0);
  });
});
