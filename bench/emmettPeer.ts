/**
 * Emmett (@event-driven-io/emmett-postgresql, a dev dependency used only here) on the same
 * PostgreSQL, as the peer the issue names: its CommandHandler on the command benchmark's order
 * workload (each command reads the stream, decides, appends with the expected version: no queue
 * hop, no state in memory), and its aggregateStream for hydration. Its order logic is a plain
 * evolve/decide with the same rules as the order machine's payment region, as an Emmett user would
 * write it.
 */
import { CommandHandler, type Event } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import { benchEnvironment } from './benchEnvironment.js';
import { inIssueOrderPerKey, type LoadFigures, measureLoad } from './stats.js';

type OrderPlaced = Event<'OrderPlaced', { customerId: string; totalPrice: number; placedAt: string }>;
type OrderPaymentInitiated = Event<'OrderPaymentInitiated', Record<string, never>>;
type OrderPaymentFailed = Event<'OrderPaymentFailed', { reason: string }>;
type OrderEvent = OrderPlaced | OrderPaymentInitiated | OrderPaymentFailed;

type Payment = 'none' | 'pending' | 'processing' | 'failed';
type OrderState = {
  readonly payment: Payment;
  readonly attempts: number;
  readonly lastFailure: string | null;
};

const initialState = (): OrderState => ({ payment: 'none', attempts: 0, lastFailure: null });

const evolve = (state: OrderState, event: OrderEvent): OrderState => {
  switch (event.type) {
    case 'OrderPlaced':
      return { ...state, payment: 'pending' };
    case 'OrderPaymentInitiated':
      return { ...state, payment: 'processing', attempts: state.attempts + 1 };
    case 'OrderPaymentFailed':
      return { ...state, payment: 'failed', lastFailure: event.data.reason };
    default:
      return event satisfies never;
  }
};

const initiate = (state: OrderState): OrderPaymentInitiated => {
  if (state.payment !== 'pending' && state.payment !== 'failed')
    throw new Error(`cannot pay: ${state.payment}`);
  return { type: 'OrderPaymentInitiated', data: {} };
};

const fail = (state: OrderState, reason: string): OrderPaymentFailed => {
  if (state.payment !== 'processing') throw new Error(`no payment to fail: ${state.payment}`);
  return { type: 'OrderPaymentFailed', data: { reason } };
};

const handle = CommandHandler<OrderState, OrderEvent>({ evolve, initialState });

const placed = (): OrderPlaced => ({
  type: 'OrderPlaced',
  data: { customerId: 'c', totalPrice: 10, placedAt: '2026-01-01T00:00:00.000Z' },
});

/** A fresh database with Emmett's schema in it; the store's pool is closed before the drop. */
const withEmmett = async <T>(fn: (store: PostgresEventStore) => Promise<T>): Promise<T> => {
  const env = await benchEnvironment('emmett');
  const store = getPostgreSQLEventStore(env.databaseUrl);
  try {
    return await fn(store);
  } finally {
    await store.close();
    await env.drop();
  }
};

/** Emmett's CommandHandler: `concurrency` callers over concurrency × 4 orders, as commandThroughput. */
export const emmettCommands = (
  operations: number,
  concurrency: number,
  /** Called once the orders are placed, right before the measured load (and once more after it). */
  mark?: () => Promise<void>,
): Promise<LoadFigures> =>
  withEmmett(async (store) => {
    const orders = concurrency * 4;
    const sent = new Array<number>(orders).fill(0);
    // each order's commands run one at a time in the order issued, as Chronicle's shard queue runs them
    const inOrder = inIssueOrderPerKey(orders);
    for (let o = 0; o < orders; o++) await handle(store, `order-bench-${o}`, () => placed());
    await mark?.();
    const figures = await measureLoad(operations, concurrency, async (index) => {
      const order = index % orders;
      const n = (sent[order] ?? 0) + 1;
      sent[order] = n;
      await inOrder(order, () =>
        handle(store, `order-bench-${order}`, (state) =>
          n % 2 === 1 ? initiate(state) : fail(state, `#${n}`),
        ),
      );
    });
    await mark?.();
    return figures;
  });

/**
 * A stream of `events` events in Emmett's store, ready for its aggregateStream (whose read and
 * fold `aggregateStream()` runs once and checks); `close` drops the database.
 */
export const prepareEmmettHydration = async (events = 10_000) => {
  const env = await benchEnvironment('emmett');
  const store = getPostgreSQLEventStore(env.databaseUrl);
  const close = async () => {
    await store.close();
    await env.drop();
  };
  try {
    const stream = 'order-long';
    const history: OrderEvent[] = [placed()];
    for (let i = 1; history.length < events; i++)
      history.push(
        i % 2 === 1
          ? { type: 'OrderPaymentInitiated', data: {} }
          : { type: 'OrderPaymentFailed', data: { reason: `#${i}` } },
      );
    for (let at = 0; at < history.length; at += 1_000)
      await store.appendToStream(stream, history.slice(at, at + 1_000));
    const aggregateStream = async () => {
      const { currentStreamVersion } = await store.aggregateStream<OrderState, OrderEvent>(stream, {
        evolve,
        initialState,
      });
      if (Number(currentStreamVersion) !== events)
        throw new Error(`read ${currentStreamVersion} of ${events}`);
    };
    return { aggregateStream, close };
  } catch (error) {
    await close();
    throw error;
  }
};
