import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/eventStore/index.js';
import type { CommandResult } from '../../src/messages/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
import { type PodProcess, startPod } from '../support/processes.js';

const ORDERS = 50;
const COMMANDS_PER_ORDER = 40;

describe('per-aggregate order across two worker processes', () => {
  let path: CommandPath;
  let pods: PodProcess[] = [];
  beforeAll(async () => {
    path = await createCommandPath();
    pods = [0, 1].map(() => startPod('workers/command-worker.ts', path.podEnv));
    await Promise.all(pods.map((pod) => pod.waitFor(/command worker started/)));
  });
  afterAll(async () => {
    await Promise.all(pods.map((pod) => pod.kill('SIGTERM')));
    await path.close();
  });

  it('given 2,000 commands over 50 orders sent at once, runs each order’s commands one at a time in enqueue order', async () => {
    const sends: Promise<CommandResult>[] = [];
    // interleave orders: command k of every order, then k+1, so shards see all orders mixed
    for (let k = 0; k < COMMANDS_PER_ORDER; k++) {
      for (let o = 0; o < ORDERS; o++) {
        const id = `order-${o}`;
        sends.push(
          path.client.send(k === 0 ? placeOrder(id) : paymentAttempt(id, k), {
            wait: true,
            timeoutMs: 90_000,
          }),
        );
      }
    }
    const results = await Promise.all(sends);

    const rejected = results.filter((result) => result.status === 'rejected');
    expect(rejected).toEqual([]);

    const knex = path.db.orm.em.getKnex();
    const streams = await query<{
      stream_id: string;
      n: string;
      max: number;
      types: string[];
      reasons: string[];
    }>(
      knex,
      `select stream_id, count(*) as n, max(version) as max,
              array_agg(type order by version) as types,
              array_agg(data->>'reason' order by version) filter (where type = 'OrderPaymentFailed') as reasons
       from es_events group by stream_id`,
    );
    expect(streams).toHaveLength(ORDERS);
    for (const stream of streams) {
      // contiguous from 1, none lost, none doubled
      expect(Number(stream.n)).toBe(COMMANDS_PER_ORDER);
      expect(stream.max).toBe(COMMANDS_PER_ORDER);
      expect(stream.types[0]).toBe('OrderPlaced');
      // the failures carry their sequence number: enqueue order kept
      expect(stream.reasons).toEqual(
        Array.from({ length: Math.floor((COMMANDS_PER_ORDER - 1) / 2) }, (_, i) => `attempt ${i + 1}`),
      );
    }
    // both pods did work
    expect(pods.every((pod) => pod.child.exitCode === null)).toBe(true);
  });
});
