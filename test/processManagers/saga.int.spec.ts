import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { createPostgresEventStore, query } from '../../src/eventStore/index.js';
import { correlationStory } from '../../src/queries/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrder } from '../support/orderCommands.js';
import { type PodProcess, startPod } from '../support/processes.js';
import { waitFor } from '../support/waitFor.js';

const ORDERS = 200;
// long enough for the provider to capture every paid order on a loaded machine
const TIMEOUT_MS = 90_000;
type Fate = 'paid' | 'declined' | 'unpaid';
const fateOf = (i: number): Fate => (['paid', 'declined', 'unpaid'] as const)[i % 3] as Fate;
const orderId = (i: number) => `saga-${i}`;

describe('200 orders through order-payment: two command pods, two process-manager pods, one SIGKILLed', () => {
  let path: CommandPath;
  const pods: PodProcess[] = [];
  beforeAll(async () => {
    path = await createCommandPath({ commandLockMs: 3_000 });
  });
  const log = (message: string) => console.log(`[saga ${new Date().toISOString()}] ${message}`);
  afterAll(async () => {
    await Promise.all(pods.map((pod) => pod.kill('SIGKILL')));
    await path.close();
  });

  const pmEnv = (id: string) => ({
    ...path.podEnv,
    CHRONICLE_WORKER_ID: id,
    ORDER_PAYMENT_TIMEOUT_MS: String(TIMEOUT_MS),
    CHRONICLE_SUBSCRIPTION_LEASE_MS: '1500',
    CHRONICLE_SUBSCRIPTION_POLL_MS: '100',
    CHRONICLE_SUBSCRIPTION_BACKOFF_MS: '20',
  });
  const startPm = (id: string) => {
    const pod = startPod('workers/process-manager-worker.ts', pmEnv(id));
    pods.push(pod);
    return pod;
  };
  const knex = () => path.db.orm.em.getKnex();
  const eventsOfType = async (type: string) =>
    new Map(
      (
        await query<{ stream_id: string; event_id: string; data: { reason?: string } }>(
          knex(),
          'select stream_id, event_id, data from es_events where type = ?',
          [type],
        )
      ).map((row) => [row.stream_id, row]),
    );

  it('pays, fails or cancels every order as its payment goes; one RequestPayment each; every story complete', async () => {
    const commandPods = ['cmd-a', 'cmd-b'].map((id) =>
      startPod('workers/command-worker.ts', { ...path.podEnv, CHRONICLE_WORKER_ID: id }),
    );
    pods.push(...commandPods);
    const doomed = startPm('pm-a');
    startPm('pm-b');
    await Promise.all(pods.map((pod) => pod.waitFor(/ready/, 120_000)));
    log('pods ready');

    // the payment provider: acts on each PaymentRequested in the order's correlation, caused by it
    const acted = new Set<string>();
    let providing = true;
    const provider = (async () => {
      while (providing) {
        const requested = await eventsOfType('PaymentRequested');
        const fresh = [...requested.values()].filter((row) => !acted.has(row.stream_id));
        await Promise.all(
          fresh.map(async (row) => {
            acted.add(row.stream_id);
            const i = Number(row.stream_id.slice('saga-'.length));
            const base = {
              aggregateType: 'payment',
              aggregateId: row.stream_id,
              correlationId: `story-${i}`,
              causationId: row.event_id,
            };
            if (fateOf(i) === 'paid') {
              await path.client.send(
                { ...base, type: 'AuthorizePayment', payload: { authorizationCode: `A-${i}` } },
                { wait: true },
              );
              await path.client.send({ ...base, type: 'CapturePayment', payload: {} }, { wait: true });
            } else if (fateOf(i) === 'declined') {
              await path.client.send(
                { ...base, type: 'DeclinePayment', payload: { reason: `declined ${i}` } },
                { wait: true },
              );
            }
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    let restarted: PodProcess | undefined;
    for (let i = 0; i < ORDERS; i++) {
      await path.client.send({ ...placeOrder(orderId(i), `place-${i}`), correlationId: `story-${i}` });
      if (i === Math.floor(ORDERS / 3)) {
        // mid-run: one process-manager pod dies without a word, and a new one starts later
        expect((await doomed.kill('SIGKILL')).signal).toBe('SIGKILL');
      }
      if (i === Math.floor((2 * ORDERS) / 3)) restarted = startPm('pm-c');
    }
    log('orders placed');
    await restarted?.waitFor(/ready/, 120_000);
    log('replacement pod ready');

    const settled = async () => {
      const [paid, failed, cancelled] = await Promise.all(
        ['OrderPaid', 'OrderPaymentFailed', 'OrderCancelled'].map(eventsOfType),
      );
      return paid && failed && cancelled && paid.size + failed.size + cancelled.size >= ORDERS
        ? { paid, failed, cancelled }
        : undefined;
    };
    const { paid, failed, cancelled } = await waitFor(settled, {
      what: 'every order settled',
      timeoutMs: TIMEOUT_MS + 150_000,
      everyMs: 500,
    });
    providing = false;
    await provider;
    log('settled');

    for (let i = 0; i < ORDERS; i++) {
      const id = orderId(i);
      const fate = fateOf(i);
      expect({ id, paid: paid.has(id) }).toEqual({ id, paid: fate === 'paid' });
      expect({ id, failed: failed.get(id)?.data.reason }).toEqual({
        id,
        failed: fate === 'declined' ? `declined ${i}` : undefined,
      });
      expect({ id, cancelled: cancelled.get(id)?.data.reason }).toEqual({
        id,
        cancelled: fate === 'unpaid' ? 'PAYMENT_TIMEOUT' : undefined,
      });
    }

    const requests = await query<{ stream_id: string; n: string }>(
      knex(),
      `select stream_id, count(*) as n from es_commands where command_type = 'RequestPayment' group by stream_id`,
    );
    expect(requests).toHaveLength(ORDERS);
    expect(requests.filter((row) => Number(row.n) !== 1)).toEqual([]);

    const store = createPostgresEventStore(path.db.orm, { schemas: domainEventSchemas });
    for (let i = 0; i < ORDERS; i++) {
      const story = await storyOf(store, i);
      const ids = new Set(story.map((step) => step.id));
      // one root (PlaceOrder), and every other step's cause is in the story
      expect(story[0]).toMatchObject({ kind: 'command', type: 'PlaceOrder', causationId: null });
      expect(story.slice(1).filter((step) => !step.causationId || !ids.has(step.causationId))).toEqual([]);
      const types = story.map((step) => step.type);
      expect(types).toEqual(expect.arrayContaining(expectedSteps[fateOf(i)]));
      expect(story.filter((step) => step.kind === 'command' && step.status === 'rejected')).toEqual([]);
    }
  }, 480_000);
});

const storyOf = async (store: ReturnType<typeof createPostgresEventStore>, i: number) => {
  const story = await correlationStory(store, `story-${i}`);
  if (story.status !== 'ok') throw new Error(story.message);
  return story.data;
};

const common = [
  'PlaceOrder',
  'OrderPlaced',
  'RequestPayment',
  'PaymentRequested',
  'InitiatePayment',
  'OrderPaymentInitiated',
];
const expectedSteps: Record<Fate, string[]> = {
  paid: [...common, 'AuthorizePayment', 'CapturePayment', 'PaymentCaptured', 'ConfirmPayment', 'OrderPaid'],
  declined: [...common, 'DeclinePayment', 'PaymentDeclined', 'FailPayment', 'OrderPaymentFailed'],
  unpaid: [...common, 'PaymentTimedOutHandled', 'CancelOrder', 'OrderCancelled'],
};
