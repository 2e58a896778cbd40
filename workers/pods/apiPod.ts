import {
  apiSettingsFromEnv,
  createApiServer,
  loadConfig,
  natsOutbox,
  type ReadModelRoute,
} from 'chronicle-runtime';
import { z } from 'zod';
import { aggregates, processManagers } from '../../actors/index.js';
import { getOrderTotals, ListOrdersQuery, listOrders, projections } from '../../actors/projections/index.js';
import { type PodDefinition, runPodDefinition } from './runPod.js';

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
    summary: 'Orders from orders_view, newest first (limit 1..100, after or offset, status)',
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
    summary: 'Orders and amounts per shipping status and currency (order_totals)',
    query: z.strictObject({}),
    run: (db) => getOrderTotals(db),
  },
];

/**
 * The api pod, in the life cycle of every pod (runPod). It serves /healthz, /readyz and /metrics
 * from its own fastify app on PORT; on SIGTERM/SIGINT it stops being ready, ends live streams and
 * finishes the requests in hand.
 */
export const apiPod: PodDefinition = {
  kind: 'api',
  serviceName: 'chronicle-api',
  start: async ({ logger, metricsHandler }) => {
    const server = await createApiServer({
      config: loadConfig(),
      settings: apiSettingsFromEnv(),
      aggregates,
      processManagers,
      projections,
      subscriptions: [natsOutbox()],
      readModels: orderReadModels,
      logger,
      metricsHandler,
    });
    const port = await server.listen();
    return {
      servesProbes: true,
      ready: { port },
      stop: async () => {
        server.setDraining();
        await server.close();
      },
    };
  },
};

export const runApiPod = (): Promise<void> => runPodDefinition(apiPod);
