/**
 * `npm run demo`: the whole command path on the local PostgreSQL and Redis. Migrates, starts a
 * command worker, places, pays and ships an order through the client, prints its events and state.
 */
import { randomUUID } from 'node:crypto';
import {
  CommandWorker,
  createCommandClient,
  createLogger,
  createOrm,
  createPostgresEventStore,
  isChronicleError,
  loadConfig,
  logLevelFromEnv,
  migrate,
  requireServices,
} from 'chronicle-runtime';
import { aggregates, domainEventSchemas, order } from '../actors/index.js';
import { domainMigrations } from '../migrations/domain/index.js';
import { hydrateActor } from '../src/actorHost/index.js';

const config = loadConfig();
const step = (text: string) => process.stdout.write(`\n== ${text}\n`);

try {
  await requireServices(config, ['postgres', 'redis']);
} catch (error) {
  if (!isChronicleError(error, 'SERVICE_UNREACHABLE')) throw error;
  console.error(`demo: ${error.message}`);
  process.exit(1);
}

step(`migrating ${new URL(config.databaseUrl).pathname.slice(1)} on ${new URL(config.databaseUrl).host}`);
const report = await migrate(config.databaseUrl, domainMigrations);
console.log(report.applied.length ? `applied ${report.applied.join(', ')}` : 'schema up to date');

step(`starting a command worker (${config.shards} shard queues on ${config.redisUrl})`);
// the demo prints its own story; the worker's JSON logs show only warnings (LOG_LEVEL overrides)
const logger = createLogger('demo-command-worker', {
  level: process.env.LOG_LEVEL ? logLevelFromEnv() : 'warn',
});
const worker = await CommandWorker.start({ config, aggregates, logger });
const client = createCommandClient({
  redisUrl: config.redisUrl,
  shards: config.shards,
  queuePrefix: config.queuePrefix,
});

const orderId = `order-${randomUUID().slice(0, 8)}`;
const commands = [
  {
    type: 'PlaceOrder',
    payload: {
      customerId: 'customer-42',
      productId: 'product-7',
      vendorId: 'vendor-3',
      quantity: 2,
      totalPrice: 59.9,
      paymentMethod: 'CARD',
    },
  },
  { type: 'InitiatePayment', payload: {} },
  { type: 'ConfirmPayment', payload: {} },
  { type: 'UpdateShippingStatus', payload: { status: 'IN_TRANSIT' } },
  { type: 'UpdateShippingStatus', payload: { status: 'DELIVERED' } },
  { type: 'CancelOrder', payload: { reason: 'changed my mind' } },
];

let exitCode = 0;
try {
  step(`sending commands to ${order.type}/${orderId}`);
  for (const command of commands) {
    const started = performance.now();
    const result = await client.send(
      { aggregateType: order.type, aggregateId: orderId, ...command },
      { wait: true },
    );
    const took = `${(performance.now() - started).toFixed(1)} ms`;
    console.log(
      result.status === 'accepted'
        ? `${command.type.padEnd(22)} accepted  -> version ${result.version} (${took})`
        : `${command.type.padEnd(22)} rejected  -> ${result.code}: ${result.message} (${took})`,
    );
  }

  const orm = await createOrm(config.databaseUrl, { poolSize: 1 });
  const store = createPostgresEventStore(orm, { schemas: domainEventSchemas });
  step('events');
  for (const event of await store.readStream({ streamType: order.type, streamId: orderId })) {
    console.log(`v${event.version} ${event.type} ${JSON.stringify(event.data)}`);
  }
  step('final state');
  const { actor } = await hydrateActor(store, order, orderId);
  console.log(JSON.stringify(actor.state, null, 2));
  await orm.close(true);
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await client.close();
  await worker.stop();
}
process.exitCode = exitCode;
