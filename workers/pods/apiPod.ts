import {
  apiSettingsFromEnv,
  createApiServer,
  createLogger,
  loadConfig,
  type ReadModelRoute,
  runUntilSignal,
} from 'chronicle';
import { z } from 'zod';
import { aggregates } from '../../actors/index.js';
import { getOrderTotals, ListOrdersQuery, listOrders, projections } from '../../actors/projections/index.js';
import { startTelemetry } from '../../otel/index.js';

const paymentStatuses: readonly string[] = ListOrdersQuery.shape.paymentStatus.unwrap().options;
const shippingStatuses: readonly string[] = ListOrdersQuery.shape.shippingStatus.unwrap().options;

/** `status` is either kind of status (their values differ): the issue's `?status=` filter. */
const OrdersQuery = ListOrdersQuery.extend({
  status: z.enum([...paymentStatuses, ...shippingStatuses] as [string, ...string[]]).optional(),
});

/** The sample domain's read models, served under /v1. */
export const orderReadModels: readonly ReadModelRoute[] = [
  {
    path: 'orders',
    summary: 'Orders from orders_view, newest first (limit 1..100, offset, status)',
    query: OrdersQuery,
    run: (db, query) => {
      const { status, ...rest } = query as z.output<typeof OrdersQuery>;
      if (status === undefined) return listOrders(db, rest);
      return listOrders(db, {
        ...rest,
        [paymentStatuses.includes(status) ? 'paymentStatus' : 'shippingStatus']: status,
      });
    },
  },
  {
    path: 'orders/totals',
    summary: 'Orders and amounts per shipping status (order_totals)',
    query: z.strictObject({}),
    run: (db) => getOrderTotals(db),
  },
];

/**
 * The api pod, in the life cycle of every pod (see runPod): telemetry first, then the engine, then
 * ready; on SIGTERM/SIGINT not ready, finish the requests in hand, close, flush telemetry. It serves
 * /healthz, /readyz and /metrics from its own fastify app on PORT, so it has no separate pod server.
 */
export const runApiPod = async (): Promise<void> => {
  const telemetry = startTelemetry({ serviceName: 'chronicle-api' });
  const logger = createLogger('chronicle-api');
  try {
    const server = await createApiServer({
      config: loadConfig(),
      settings: apiSettingsFromEnv(),
      aggregates,
      projections,
      readModels: orderReadModels,
      logger,
      metricsHandler: telemetry.metricsHandler,
    });
    const port = await server.listen();
    logger.info({ port }, 'chronicle-api ready');
    await runUntilSignal(
      {
        stop: async () => {
          server.setDraining();
          await server.close();
          await telemetry.shutdown();
        },
      },
      logger,
    );
  } catch (error) {
    logger.fatal({ err: error }, 'chronicle-api failed to start');
    await telemetry.shutdown();
    process.exitCode = 1;
  }
};
