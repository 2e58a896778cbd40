import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandClient, createCommandClient } from '../../src/commands/index.js';
import { migrate } from '../../src/db/index.js';
import type { CommandResult } from '../../src/messages/index.js';
import { REDIS_URL } from '../support/commandPath.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
import { type PrivatePostgres, startPrivatePostgres } from '../support/privatePostgres.js';
import { type PodProcess, startPod } from '../support/processes.js';
import { dropQueuePrefix, testQueuePrefix } from '../support/testDatabase.js';

const ORDERS = 6;
const PER_ORDER = 16;

describe('a 30 s PostgreSQL outage under load (a private cluster)', () => {
  let pg: PrivatePostgres;
  let client: CommandClient;
  let pod: PodProcess | undefined;
  const prefix = testQueuePrefix();
  beforeAll(async () => {
    pg = await startPrivatePostgres();
    await migrate(pg.url('chronicle'));
    client = createCommandClient({ redisUrl: REDIS_URL, shards: 2, queuePrefix: prefix });
  });
  afterAll(async () => {
    await pod?.kill('SIGTERM');
    await client.close();
    await pg.destroy();
    await dropQueuePrefix(REDIS_URL, prefix);
  });

  it('dead-letters nothing: every command waits the outage out in place and runs in order', async () => {
    pod = startPod('workers/command-worker.ts', {
      DATABASE_URL: pg.url('chronicle'),
      REDIS_URL,
      CHRONICLE_SHARDS: '2',
      CHRONICLE_QUEUE_PREFIX: prefix,
    });
    await pod.waitFor(/command worker started/, 90_000);
    let answered = 0;
    const sends: Promise<CommandResult>[] = [];
    for (let k = 0; k < PER_ORDER; k++)
      for (let o = 0; o < ORDERS; o++) {
        const id = `outage-${o}`;
        sends.push(
          client
            .send(k === 0 ? placeOrder(id) : paymentAttempt(id, k), { wait: true, timeoutMs: 180_000 })
            .then((result) => {
              answered++;
              return result;
            }),
        );
      }
    while (answered < 12) await sleep(10);
    // when the database goes away for 30 s mid-load (the outage is the scenario, not a wait for a result)
    await pg.stop();
    await sleep(30_000);
    await pg.start();
    // then every command is answered, accepted, in order: none was dead-lettered
    const results = await Promise.all(sends);
    expect(results.filter((result) => result.status !== 'accepted')).toEqual([]);
    for (let o = 0; o < ORDERS; o++) {
      const versions = results
        .filter((result) => result.status === 'accepted' && result.aggregateId === `outage-${o}`)
        .map((result) => (result.status === 'accepted' ? result.version : 0));
      expect(versions).toEqual(Array.from({ length: PER_ORDER }, (_, i) => i + 1));
    }
    expect(pod.output()).toMatch(/transient failure, retrying in place/);
    expect(pod.output()).not.toMatch(/dead-lettered/);
  });
});
