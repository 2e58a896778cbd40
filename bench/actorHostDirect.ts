/**
 * A baseline for the command benchmark: the same commands on the same live orders, decided and
 * appended by the command worker's ActorHost called in-process, with no queue hop (no BullMQ job,
 * no reply). Each order's commands run one at a time in the order issued, as its shard queue runs
 * them. What Chronicle's end-to-end figure loses against this is the queue hop's cost.
 */
import { aggregates } from '../actors/index.js';
import { ActorHost } from '../src/actorHost/index.js';
import { createAggregateRegistry } from '../src/aggregate/index.js';
import { buildEnvelope } from '../src/commands/index.js';
import { createOrm } from '../src/db/index.js';
import { createPostgresEventStore } from '../src/eventStore/index.js';
import { benchEnvironment } from './benchEnvironment.js';
import { benchHistoryCommand, benchPlaceOrder } from './commandThroughput.js';
import { inIssueOrderPerKey, type LoadFigures, measureLoad } from './stats.js';

export const actorHostDirect = async (
  operations: number,
  concurrency: number,
  /** Called once the orders are placed, right before the measured load (and once more after it). */
  mark?: () => Promise<void>,
): Promise<LoadFigures> => {
  const env = await benchEnvironment('hostdirect');
  const orm = await createOrm(env.databaseUrl);
  const registry = createAggregateRegistry(aggregates);
  const host = new ActorHost(createPostgresEventStore(orm, { schemas: registry.schemas }), registry);
  const orders = concurrency * 4;
  const sent = new Array<number>(orders).fill(0);
  const inOrder = inIssueOrderPerKey(orders);
  try {
    for (let o = 0; o < orders; o++) await host.handle(buildEnvelope(benchPlaceOrder(`bench-${o}`)));
    await mark?.();
    const figures = await measureLoad(operations, concurrency, async (index) => {
      const order = index % orders;
      const n = (sent[order] ?? 0) + 1;
      sent[order] = n;
      await inOrder(order, async () => {
        const result = await host.handle(buildEnvelope(benchHistoryCommand(`bench-${order}`, n)));
        if (result.status !== 'accepted')
          throw new Error(`bench command rejected: ${result.code} ${result.message}`);
      });
    });
    await mark?.();
    return figures;
  } finally {
    host.stop();
    await orm.close(true);
    await env.drop();
  }
};
