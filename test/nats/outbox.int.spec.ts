import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchemas } from '../../actors/index.js';
import { outboxSubscriptionName } from '../../src/broker/index.js';
import type { CommandClient } from '../../src/commands/index.js';
import { subscriptionStatus } from '../../src/projections/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { type PrivateNatsServer, startPrivateNatsServer } from '../support/natsServer.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
import type { PodProcess } from '../support/processes.js';
import { waitFor } from '../support/waitFor.js';
import {
  expectEveryEventOnceInOrder,
  natsNames,
  readStoredMessages,
  spawnNatsPod,
  storedCount,
} from './support.js';

const ORDERS = 50;
const COMMANDS_PER_ORDER = 6;

/** A 50-order run: each order placed, then payment attempts started and failed in turn. */
const runOrders = async (client: CommandClient, tag: string) => {
  const results = await Promise.all(
    Array.from({ length: ORDERS }, async (_, n) => {
      const id = `${tag}-${n}`;
      const answers = [await client.send(placeOrder(id), { wait: true })];
      for (let step = 1; step < COMMANDS_PER_ORDER; step++)
        answers.push(await client.send(paymentAttempt(id, step), { wait: true }));
      return answers;
    }),
  );
  return results.flat();
};

describe('events out to NATS JetStream through the outbox', () => {
  let nats: PrivateNatsServer;
  let path: CommandPath;
  const pods: PodProcess[] = [];

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
  });
  afterEach(async () => {
    await Promise.all(pods.splice(0).map((pod) => pod.kill('SIGKILL')));
    await path?.close();
  });
  afterAll(async () => {
    await nats.close();
  });

  const start = async (names: ReturnType<typeof natsNames>, workerId: string) => {
    const pod = spawnNatsPod({
      ...path.podEnv,
      CHRONICLE_NATS_URL: nats.url,
      CHRONICLE_NATS_STREAM: names.stream,
      CHRONICLE_NATS_SUBJECT_PREFIX: names.subjectPrefix,
      CHRONICLE_WORKER_ID: workerId,
    });
    pods.push(pod);
    await pod.waitFor(/chronicle-nats-worker ready/);
    return pod;
  };

  /** Every partition of the outbox has its checkpoint at the head: nothing more will be published. */
  const caughtUp = () =>
    waitFor(
      async () => {
        const partitions = await subscriptionStatus(
          path.db.orm.em.getKnex(),
          domainEventSchemas,
          outboxSubscriptionName('nats'),
          {},
          4,
        );
        return partitions.length === 4 && partitions.every((p) => p.lag.events === 0);
      },
      { timeoutMs: 60_000, what: 'the outbox to catch up' },
    );

  /** Given a command path and a nats pod publishing a 50-order run, with part of it published. */
  const runningOrders = async (tag: string) => {
    path = await createCommandPath();
    await path.startWorker();
    const names = natsNames();
    const pod = await start(names, `nats-${tag}`);
    const run = runOrders(path.client, tag);
    await waitFor(async () => (await storedCount(nats.url, names.stream)) >= 60, {
      what: '60 events published',
    });
    return { names, pod, run };
  };

  it('publishes every event exactly once, each stream in order, with a nats pod SIGKILLed mid-run', async () => {
    const { names, pod: first, run } = await runningOrders('kill');
    // when the pod is killed mid-run and another one starts
    await first.kill('SIGKILL');
    await start(names, 'nats-kill-2');
    const results = await run;
    expect(results.filter((r) => r.status !== 'accepted')).toEqual([]);
    await caughtUp();
    // then JetStream holds each event once, under its id and subject, in version order per stream
    const messages = await readStoredMessages(nats.url, names.stream);
    expect(messages).toHaveLength(ORDERS * COMMANDS_PER_ORDER);
    await expectEveryEventOnceInOrder(path.db.orm.em.getKnex(), messages, names.subjectPrefix);
    const [sample] = messages;
    expect(sample?.headers.correlationId).toBe(sample?.event.metadata.correlationId);
    expect(sample?.headers.causationId).toBe(sample?.event.metadata.causationId);
  });

  it('reconnects by itself across a NATS server restart, losing and doubling nothing', async () => {
    const { names, pod, run } = await runningOrders('restart');
    // when the NATS server stops mid-run and comes back on the same port and store
    await nats.stop();
    await pod.waitFor(/NATS disconnect/);
    await nats.start();
    const results = await run;
    expect(results.filter((r) => r.status !== 'accepted')).toEqual([]);
    await caughtUp();
    // then the same pod, never restarted, published every event once, in order
    expect(pod.child.exitCode).toBeNull();
    // and its /metrics reports the outbox's lag as every subscription's, back to zero
    const ready = pod
      .output()
      .split('\n')
      .find((line) => line.includes('chronicle-nats-worker ready'));
    const { metricsPort } = JSON.parse(ready ?? '{}') as { metricsPort?: number };
    await waitFor(
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        const lags = text.match(
          /^chronicle_projection_lag_events\{[^}]*chronicle_projection_name="outbox_nats"[^}]*\} \d+/gm,
        );
        return lags?.length === 4 && lags.every((line) => line.endsWith(' 0'));
      },
      { what: 'outbox lag 0 in /metrics' },
    );
    const messages = await readStoredMessages(nats.url, names.stream);
    expect(messages).toHaveLength(ORDERS * COMMANDS_PER_ORDER);
    await expectEveryEventOnceInOrder(path.db.orm.em.getKnex(), messages, names.subjectPrefix);
  });
});
