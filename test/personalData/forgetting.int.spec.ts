import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { FORGOTTEN, user } from '../../actors/user/index.js';
import {
  createPostgresEventStore,
  type EventStore,
  forgetSubject,
  readEventBatch,
  startOfStream,
  wholeStream,
} from '../../src/eventStore/index.js';
import type { ApiServer } from '../../src/http/index.js';
import { defineProjection } from '../../src/projections/index.js';
import { snapshotAggregate } from '../../src/snapshots/index.js';
import { keys } from '../http/support/apiKeys.js';
import { call, withKey } from '../http/support/http.js';
import { startInProcessApi } from '../http/support/inProcessApi.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { runToEnd } from '../support/processes.js';

let path: CommandPath;
let server: ApiServer;
let url: string;
let store: EventStore;

// distinctive so a search of every stored byte finds them wherever they are
const FIRST_EMAIL = 'ada.lovelace.firstmail@example.com';
const SECOND_EMAIL = 'ada@analytical-engine.example';
const NAME = 'Augusta Ada Byron';
const PLAINTEXT = [/lovelace\.firstmail/i, /analytical-engine/i, /augusta/i];

beforeAll(async () => {
  path = await createCommandPath();
  await path.startWorker();
  ({ server, url } = await startInProcessApi(path.config));
  store = createPostgresEventStore(path.db.orm, { schemas: domainEventSchemas });
});

afterAll(async () => {
  await server?.close();
  await path?.close();
});

const send = async (aggregateId: string, type: string, payload: unknown) => {
  const answer = await call(`${url}/v1/commands?wait=true`, {
    json: { aggregateType: 'user', aggregateId, type, payload },
    headers: withKey(keys.sender),
  });
  expect(answer.status, answer.text).toBe(200);
  return answer.body as { status: string; version: number };
};
const read = (route: string) => call(`${url}${route}`, { headers: withKey(keys.reader) });
const forget = (subject: string, reason: string, key: string = keys.admin) =>
  call(`${url}/v1/subjects/${subject}/forget`, { json: { reason }, headers: withKey(key) });

const sql = async (text: string, params: unknown[] = []) =>
  (await path.db.orm.em.getKnex().raw(text, params)).rows as Record<string, unknown>[];

/** Every key and value under the test's queue prefix, as text. */
const redisDump = async (): Promise<string> => {
  const redis = new Redis(path.config.redisUrl);
  try {
    const found = await redis.keys(`${path.config.queuePrefix}:*`);
    const parts = await Promise.all(
      found.map(async (key) => {
        const type = await redis.type(key);
        const value =
          type === 'string'
            ? await redis.get(key)
            : type === 'hash'
              ? await redis.hgetall(key)
              : type === 'list'
                ? await redis.lrange(key, 0, -1)
                : type === 'set'
                  ? await redis.smembers(key)
                  : type === 'zset'
                    ? await redis.zrange(key, 0, -1)
                    : type === 'stream'
                      ? await redis.xrange(key, '-', '+')
                      : type;
        return `${key} ${JSON.stringify(value)}`;
      }),
    );
    return parts.join('\n');
  } finally {
    redis.disconnect();
  }
};

const userEvents = async (id: string) =>
  (await read(`/v1/aggregates/user/${id}/events`)).body as { events: { type: string; data: unknown }[] };

describe('personal data, sealed per subject', () => {
  it('given a registered user whose email changed, stores neither email nor name in plain text', async () => {
    await send('u-ada', 'RegisterUser', { email: FIRST_EMAIL, name: NAME });
    await send('u-ada', 'ChangeEmail', { email: SECOND_EMAIL });
    await send('u-bob', 'RegisterUser', { email: 'bob@example.com', name: 'Bob' });
    expect(await snapshotAggregate(store, user, 'u-ada')).toMatchObject({ status: 'taken', version: 2 });

    const events = await sql(`select data::text as data, subjects from es_events where stream_type = 'user'`);
    expect(events).toHaveLength(3);
    const snapshots = await sql(`select state::text as state from es_snapshots where stream_id = 'u-ada'`);
    expect(snapshots).toHaveLength(1);
    const stored = [...events.map((row) => row.data), ...snapshots.map((row) => row.state)].join('\n');
    for (const plaintext of PLAINTEXT) expect(stored).not.toMatch(plaintext);
    expect(stored).toContain('chronicle:sealed');
    expect(events.map((row) => row.subjects)).toEqual([['u-ada'], ['u-ada'], ['u-bob']]);

    const redis = await redisDump();
    for (const plaintext of PLAINTEXT) expect(redis).not.toMatch(plaintext);
  });

  it('gives every reader the plaintext while the subject is known', async () => {
    const state = await read('/v1/aggregates/user/u-ada');
    expect(state.body).toMatchObject({ value: 'active', context: { email: SECOND_EMAIL, name: NAME } });
    expect((await userEvents('u-ada')).events.map((event) => event.data)).toMatchObject([
      { email: FIRST_EMAIL, name: NAME },
      { email: SECOND_EMAIL, previousEmail: FIRST_EMAIL },
    ]);
    // hydration from the sealed snapshot
    const toFold = await store.readToFold({ streamType: 'user', streamId: 'u-ada' }, user.machineHash);
    expect(toFold.snapshot?.state).toMatchObject({ context: { email: SECOND_EMAIL } });
  });

  it('refuses forgetting to a caller without the admin role', async () => {
    expect((await forget('u-ada', 'asked', keys.sender)).status).toBe(403);
    expect((await forget('u-ada', ' ')).status).toBe(400);
  });

  it('when forgotten, answers every read path with the redaction value, and the rest of history folds', async () => {
    const answer = await forget('u-ada', 'erasure request #42');
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toMatchObject({
      status: 'forgotten',
      forgetting: { subject: 'u-ada', reason: 'erasure request #42', forgottenBy: expect.any(String) },
      snapshotsDeleted: 1,
      payloadsCleared: 2,
    });
    const audit = await sql('select subject, forgotten_by, reason from es_forgotten_subjects');
    expect(audit).toEqual([
      { subject: 'u-ada', forgotten_by: expect.stringContaining('admin'), reason: 'erasure request #42' },
    ]);
    expect(await sql(`select 1 from es_data_keys where subject = 'u-ada'`)).toEqual([]);
    expect(await sql(`select 1 from es_snapshots where stream_id = 'u-ada'`)).toEqual([]);

    // hydration (HTTP state and the store's fold)
    const state = await read('/v1/aggregates/user/u-ada');
    expect(state.body).toMatchObject({
      value: 'active',
      version: 2,
      context: { email: FORGOTTEN, name: FORGOTTEN },
    });
    const toFold = await store.readToFold({ streamType: 'user', streamId: 'u-ada' }, user.machineHash);
    expect(toFold.events.map((event) => event.data)).toEqual([
      { email: FORGOTTEN, name: FORGOTTEN, registeredAt: expect.any(String) },
      { email: FORGOTTEN, previousEmail: FORGOTTEN },
    ]);
    // the HTTP stream read, and the whole-stream read projections (and their rebuilds) and SSE use
    const read1 = JSON.stringify(await userEvents('u-ada'));
    const batch = await readEventBatch(path.db.orm.em.getKnex(), domainEventSchemas, {
      after: startOfStream,
      filter: { streamTypes: ['user'] },
      partition: wholeStream,
      limit: 100,
    });
    const read2 = JSON.stringify(batch.events.filter((event) => event.streamId === 'u-ada'));
    for (const text of [read1, read2]) {
      for (const plaintext of PLAINTEXT) expect(text).not.toMatch(plaintext);
      expect(text).not.toContain('chronicle:sealed');
      expect(text).toContain(FORGOTTEN);
    }
    // another subject is untouched
    expect(batch.events.find((event) => event.streamId === 'u-bob')?.data).toMatchObject({
      email: 'bob@example.com',
    });

    // the user still takes commands; what it is given now is not kept (no key is made again)
    expect(
      await send('u-ada', 'ChangeEmail', { email: 'ada.again@analytical-engine.example' }),
    ).toMatchObject({
      status: 'accepted',
      version: 3,
    });
    expect(await send('u-ada', 'DeleteUser', { reason: 'erasure request #42' })).toMatchObject({
      version: 4,
    });
    const after = await read('/v1/aggregates/user/u-ada');
    expect(after.body).toMatchObject({ value: 'deleted', version: 4 });
    const stored = await sql(`select data::text as data from es_events where stream_id = 'u-ada'`);
    for (const plaintext of PLAINTEXT)
      expect(stored.map((row) => row.data).join('\n')).not.toMatch(plaintext);
    expect(await sql(`select 1 from es_data_keys where subject = 'u-ada'`)).toEqual([]);
    // snapshotting it again keeps nothing that could be the old plaintext
    await snapshotAggregate(store, user, 'u-ada');
    expect(await sql(`select 1 from es_snapshots where stream_id = 'u-ada'`)).toEqual([]);
  });

  it('answers a second forgetting with the first one', async () => {
    const again = await forget('u-ada', 'a second request');
    expect(again.body).toMatchObject({
      status: 'already-forgotten',
      forgetting: { reason: 'erasure request #42' },
    });
  });
});

describe('chronicle forget', () => {
  const forgetVerb = (...args: string[]) =>
    runToEnd('workers/cli.ts', { args: ['forget', ...args], env: { ...path.podEnv, CHRONICLE_CONFIG: '' } });

  it('forgets a subject with its reason and operator, and refuses a forgetting without a reason', async () => {
    const refused = await forgetVerb('u-bob');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('forget <subject> --reason <text>');

    const done = await forgetVerb('u-bob', '--reason', 'erasure request #43', '--by', 'ops:alice');
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({
      status: 'forgotten',
      forgetting: { subject: 'u-bob', reason: 'erasure request #43', forgottenBy: 'ops:alice' },
      payloadsCleared: 1,
    });
    const state = await read('/v1/aggregates/user/u-bob');
    expect(state.body).toMatchObject({ context: { email: FORGOTTEN, name: FORGOTTEN } });
  });
});

describe("a read model's forget", () => {
  // a read model that copies the email: the kind forgetting must reach at once
  const emails = (failing = false) =>
    defineProjection({
      name: 'spec_user_emails',
      events: ['UserRegistered'],
      tables: ['spec_user_emails'],
      handle: async () => {},
      reset: async () => {},
      forget: async (subject, tx) => {
        await tx.raw('update spec_user_emails set email = null where user_id = ?', [subject]);
        if (failing) throw new Error('the read model is unreachable');
      },
    });
  const withoutForget = defineProjection({
    name: 'spec_other',
    events: ['UserRegistered'],
    handle: async () => {},
    reset: async () => {},
  });
  const emailOf = async (userId: string) =>
    (await sql('select email from spec_user_emails where user_id = ?', [userId]))[0]?.email;

  beforeAll(async () => {
    await sql('create table spec_user_emails (user_id text primary key, email text)');
    await send('u-cy', 'RegisterUser', { email: 'cy@example.com', name: 'Cy' });
    await sql("insert into spec_user_emails values ('u-cy', 'cy@example.com')");
  });

  it('given a forget that fails, forgets nothing: the key, the audit row and the rows stay as they were', async () => {
    const request = { subject: 'u-cy', reason: 'erasure request #44', forgottenBy: 'spec' };
    await expect(forgetSubject(path.db.orm.em.getKnex(), request, [emails(true)])).rejects.toThrow(
      /unreachable/,
    );
    expect(await emailOf('u-cy')).toBe('cy@example.com');
    expect(await sql("select 1 from es_forgotten_subjects where subject = 'u-cy'")).toHaveLength(0);
    expect((await read('/v1/aggregates/user/u-cy')).body).toMatchObject({
      context: { email: 'cy@example.com' },
    });
  });

  it('when forgotten, rewrites the rows of the read models that hold personal data, in the same transaction', async () => {
    const request = { subject: 'u-cy', reason: 'erasure request #44', forgottenBy: 'spec' };
    const outcome = await forgetSubject(path.db.orm.em.getKnex(), request, [withoutForget, emails()]);
    expect(outcome).toMatchObject({ status: 'forgotten', readModelsRewritten: ['spec_user_emails'] });
    expect(await emailOf('u-cy')).toBeNull();
    expect((await read('/v1/aggregates/user/u-cy')).body).toMatchObject({ context: { email: FORGOTTEN } });
  });
});
