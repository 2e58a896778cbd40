import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates } from '../../actors/index.js';
import {
  type CommandClient,
  CommandWorker,
  createCommandClient,
  PRE_RECORD_DEFAULT_SHARDS,
  shardCountKey,
  shardFor,
  shardQueueName,
} from '../../src/commands/index.js';
import { DEFAULT_SHARDS } from '../../src/config/index.js';
import { query } from '../../src/eventStore/index.js';
import { type CommandPath, createCommandPath, REDIS_URL } from '../support/commandPath.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
import { waitFor } from '../support/waitFor.js';

describe("a deployment's shard count is recorded once and every client and pod is held to it", () => {
  let path: CommandPath;
  beforeAll(async () => {
    path = await createCommandPath({ shards: 4 });
    await path.startWorker();
  });
  afterAll(() => path.close());

  it('given pods on 4 shards, a client on 4 shards is served', async () => {
    const result = await path.client.send(placeOrder('shards-1'), { wait: true });
    expect(result.status).toBe('accepted');
  });

  it('given pods on 4 shards, a client counting 8 is refused before it enqueues, naming both counts', async () => {
    const client = createCommandClient({ ...path.config, shards: 8 });
    try {
      await expect(
        client.send(placeOrder('shards-2'), { wait: true, timeoutMs: 2_000 }),
      ).rejects.toMatchObject({
        code: 'CONFIGURATION',
        message: expect.stringMatching(/CHRONICLE_SHARDS is 8 here, but .* run on 4 shards/),
      });
      await expect(client.send(placeOrder('shards-3'))).rejects.toMatchObject({ code: 'CONFIGURATION' });
      // nothing of it reached a queue or the store
      expect(await path.client.status(placeOrder('shards-2').aggregateId)).toMatchObject({
        status: 'unknown',
      });
      const events = await path.db.orm.em
        .getKnex()
        .raw<{ rows: { n: string }[] }>(
          "select count(*) as n from es_events where stream_id in ('shards-2', 'shards-3')",
        );
      expect(Number(events.rows[0]?.n)).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('given pods on 4 shards, a pod counting 2 does not start', async () => {
    await expect(
      CommandWorker.start({ config: { ...path.config, shards: 2 }, aggregates }),
    ).rejects.toMatchObject({
      code: 'CONFIGURATION',
      message: expect.stringContaining('CHRONICLE_SHARDS is 2 here'),
    });
  });
});

const recordedCount = async (prefix: string) => {
  const redis = new Redis(REDIS_URL);
  try {
    return await redis.get(shardCountKey(prefix));
  } finally {
    redis.disconnect();
  }
};

/** What the queue routing `shards` ways holds of the command: found only where the client sent it. */
const stateInQueue = async (path: CommandPath, shards: number, aggregateId: string, commandId: string) => {
  const queue = new Queue(shardQueueName(shardFor('order', aggregateId, shards)), {
    connection: { url: REDIS_URL },
    prefix: path.config.queuePrefix,
  });
  try {
    return await queue.getJobState(commandId);
  } finally {
    await queue.close();
  }
};

/** Clients and pods left at the default shard count. */
const atDefault = (path: CommandPath) => ({ ...path.config, shards: 'default' as const });

describe('a client or pod left at the default adopts the count the deployment runs on', () => {
  const paths: CommandPath[] = [];
  const clients: CommandClient[] = [];
  const newPath = async (shards = 4) => {
    const path = await createCommandPath({ shards });
    paths.push(path);
    return path;
  };
  const defaultClient = (path: CommandPath) => {
    const client = createCommandClient(atDefault(path));
    clients.push(client);
    return client;
  };
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(paths.map((path) => path.close()));
  });

  it(`given a new deployment, a pod and a client at the default run on ${DEFAULT_SHARDS} shards and record it`, async () => {
    const path = await newPath();
    const pod = await path.startWorker({ config: atDefault(path) });
    expect(pod.shards).toBe(DEFAULT_SHARDS);
    expect(await recordedCount(path.config.queuePrefix)).toBe(String(DEFAULT_SHARDS));

    const client = defaultClient(path);
    const result = await client.send({ ...placeOrder('default-1'), commandId: 'default-1' }, { wait: true });
    expect(result.status).toBe('accepted');
    expect(await stateInQueue(path, DEFAULT_SHARDS, 'default-1', 'default-1')).toBe('completed');
  });

  it('given a new deployment, a lookup by a client at the default records nothing, so the first pod still chooses', async () => {
    const path = await newPath();
    const client = defaultClient(path);
    expect(await client.status('nothing-sent')).toMatchObject({ status: 'unknown' });
    expect(await recordedCount(path.config.queuePrefix)).toBeNull();

    const pod = await path.startWorker({ config: { ...path.config, shards: 6 } });
    expect(pod.shards).toBe(6);
    const result = await client.send(placeOrder('default-2'), { wait: true });
    expect(result.status).toBe('accepted');
  });

  it('given a deployment recorded at 16, a pod and a client at the default adopt 16', async () => {
    const path = await newPath(16);
    await path.startWorker();
    const pod = await path.startWorker({ config: atDefault(path) });
    expect(pod.shards).toBe(16);

    const client = defaultClient(path);
    // an aggregate whose queue differs between 16 and 32 shards, so the spec tells them apart
    const id = Array.from({ length: 100 }, (_, i) => `adopt-16-${i}`).find(
      (candidate) => shardFor('order', candidate, 16) !== shardFor('order', candidate, DEFAULT_SHARDS),
    ) as string;
    expect(await client.send({ ...placeOrder(id), commandId: id }, { wait: true })).toMatchObject({
      status: 'accepted',
    });
    expect(await stateInQueue(path, 16, id, id)).toBe('completed');
    expect(await recordedCount(path.config.queuePrefix)).toBe('16');
  });

  it('given a deployment whose queues predate the record, pods and clients at the default adopt 8 beside the old ones, and each order runs in order', async () => {
    // an old deployment on the old default: its pod made the shard queues; then no record, as
    // before the record existed
    const path = await newPath(PRE_RECORD_DEFAULT_SHARDS);
    await path.startWorker();
    expect(
      await path.client.send({ ...placeOrder('old-0'), commandId: 'old-0' }, { wait: true }),
    ).toMatchObject({ status: 'accepted' });
    const redis = new Redis(REDIS_URL);
    await redis.del(shardCountKey(path.config.queuePrefix)).finally(() => redis.disconnect());

    // a rolling upgrade: a new pod and a new client beside the old pod and the old client
    const pod = await path.startWorker({ config: atDefault(path) });
    expect(pod.shards).toBe(PRE_RECORD_DEFAULT_SHARDS);
    expect(await recordedCount(path.config.queuePrefix)).toBe(String(PRE_RECORD_DEFAULT_SHARDS));
    const clients = [path.client, defaultClient(path)];

    // each order's commands sent by the old and the new client in turn, each enqueued before the
    // next is sent: in one queue they run in that order, in two they would race
    const ORDERS = 12;
    const COMMANDS_PER_ORDER = 12;
    await Promise.all(
      Array.from({ length: ORDERS }, async (_, o) => {
        for (let k = 0; k < COMMANDS_PER_ORDER; k++) {
          const id = `upgrade-${o}`;
          const sent = await clients[k % 2]?.send(k === 0 ? placeOrder(id) : paymentAttempt(id, k));
          expect(sent).toMatchObject({ status: 'enqueued' });
        }
      }),
    );
    const knex = path.db.orm.em.getKnex();
    const streams = await waitFor(
      async () => {
        const rows = await query<{ stream_id: string; versions: number[]; reasons: string[] }>(
          knex,
          `select stream_id, array_agg(version order by version) as versions,
                  array_agg(data->>'reason' order by version) filter (where type = 'OrderPaymentFailed') as reasons
           from es_events where stream_id like 'upgrade-%' group by stream_id`,
        );
        const events = rows.reduce((sum, row) => sum + row.versions.length, 0);
        return events === ORDERS * COMMANDS_PER_ORDER && rows;
      },
      {
        timeoutMs: 60_000,
        what: 'every command of every order run (one out of order is rejected and adds nothing)',
      },
    );
    for (const stream of streams) {
      expect(stream.versions).toEqual(Array.from({ length: COMMANDS_PER_ORDER }, (_, v) => v + 1));
      expect(stream.reasons).toEqual(
        Array.from({ length: Math.floor((COMMANDS_PER_ORDER - 1) / 2) }, (_, i) => `attempt ${i + 1}`),
      );
    }
    // the new client routed as the old one did
    const id = Array.from({ length: 100 }, (_, i) => `routed-${i}`).find(
      (candidate) =>
        shardFor('order', candidate, PRE_RECORD_DEFAULT_SHARDS) !==
        shardFor('order', candidate, DEFAULT_SHARDS),
    ) as string;
    await clients[1]?.send({ ...placeOrder(id), commandId: id }, { wait: true });
    expect(await stateInQueue(path, PRE_RECORD_DEFAULT_SHARDS, id, id)).toBe('completed');
  });

  it('given a pod that adopted 8 and a Redis that lost its data, the pod records 8 again, so a new client at the default routes with 8, not 32', async () => {
    const path = await newPath(PRE_RECORD_DEFAULT_SHARDS);
    const prefix = path.config.queuePrefix;
    const redis = new Redis(REDIS_URL);
    try {
      await redis.set(shardCountKey(prefix), String(PRE_RECORD_DEFAULT_SHARDS));
      const pod = await path.startWorker({ config: atDefault(path) });
      expect(pod.shards).toBe(PRE_RECORD_DEFAULT_SHARDS);

      // when Redis loses every key of the deployment (a restart without persistence)
      const keys = await redis.keys(`${prefix}:*`);
      await redis.del(...keys);
      expect(await recordedCount(prefix)).toBeNull();

      // then the pod's check (every 5 s, and readiness) finds the limits gone and records its count again
      const shardsInRedis = pod.readinessChecks().shardsInRedis as () => Promise<boolean>;
      expect(await shardsInRedis()).toBe(false);
      expect(await recordedCount(prefix)).toBe(String(PRE_RECORD_DEFAULT_SHARDS));
      await waitFor(shardsInRedis, { timeoutMs: 10_000, what: 'the pod ready again' });

      // so a client at the default starting now routes as the pod serves
      const id = Array.from({ length: 100 }, (_, i) => `lost-${i}`).find(
        (candidate) =>
          shardFor('order', candidate, PRE_RECORD_DEFAULT_SHARDS) !==
          shardFor('order', candidate, DEFAULT_SHARDS),
      ) as string;
      const client = defaultClient(path);
      expect(
        await client.send({ ...placeOrder(id), commandId: id }, { wait: true, timeoutMs: 10_000 }),
      ).toMatchObject({ status: 'accepted' });
      expect(await stateInQueue(path, PRE_RECORD_DEFAULT_SHARDS, id, id)).toBe('completed');

      // and another count recorded beside it makes the pod unready until the operator settles it
      await redis.set(shardCountKey(prefix), '16');
      expect(await shardsInRedis()).toBe(false);
      await redis.set(shardCountKey(prefix), String(PRE_RECORD_DEFAULT_SHARDS));
      expect(await shardsInRedis()).toBe(true);
    } finally {
      redis.disconnect();
    }
  });

  it('given a deployment recorded at the default, a client or pod that chose another count is still refused', async () => {
    const path = await newPath();
    await path.startWorker({ config: atDefault(path) });
    const chosen = createCommandClient({ ...path.config, shards: 8 });
    clients.push(chosen);
    await expect(chosen.send(placeOrder('chosen-1'))).rejects.toMatchObject({
      code: 'CONFIGURATION',
      message: expect.stringMatching(
        new RegExp(`CHRONICLE_SHARDS is 8 here, but .* run on ${DEFAULT_SHARDS} shards`),
      ),
    });
    await expect(
      CommandWorker.start({ config: { ...path.config, shards: 8 }, aggregates }),
    ).rejects.toMatchObject({ code: 'CONFIGURATION' });
  });
});
