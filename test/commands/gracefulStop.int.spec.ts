import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/eventStore/index.js';
import type { CommandResult } from '../../src/messages/index.js';
import { POD_STOP_GRACE_MS } from '../../src/pods/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
import { type PodProcess, startPod } from '../support/processes.js';
import { waitFor } from '../support/waitFor.js';

describe('a command worker told to stop', () => {
  let path: CommandPath;
  const pods: PodProcess[] = [];
  beforeAll(async () => {
    path = await createCommandPath();
  });
  afterAll(async () => {
    await Promise.all(pods.map((pod) => pod.kill('SIGKILL')));
    await path.close();
  });

  // Deadlines guard against a hang, not a timing: 600 answers wait through two cold pod starts,
  // which took 75 s here at load 20 (a 60 s wait per send timed out).
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal}, finishes the command in hand, exits 0, and leaves the rest queued for the next pod`, async () => {
      const first = startPod('workers/command-worker.ts', path.podEnv);
      pods.push(first);
      await first.waitFor(/command worker started/);
      let answered = 0;
      const sends: Promise<CommandResult>[] = [];
      for (let k = 0; k < 30; k++) {
        for (let o = 0; o < 20; o++) {
          const id = `${signal}-${o}`;
          sends.push(
            path.client
              .send(k === 0 ? placeOrder(id) : paymentAttempt(id, k), { wait: true, timeoutMs: 200_000 })
              .then((result) => {
                answered++;
                return result;
              }),
          );
        }
      }
      await waitFor(() => answered >= 50, { timeoutMs: 120_000, what: 'fifty answers from the first pod' });
      const signalled = Date.now();
      expect(await first.kill(signal)).toEqual({ code: 0, signal: null });
      // the drain a deployment's grace period must cover (test/deploy/kubernetes.int.spec.ts): exit
      // 0 already says it ended within POD_STOP_GRACE_MS, since the pod exits 1 past it
      const drainMs = Date.now() - signalled;
      expect(drainMs).toBeLessThan(POD_STOP_GRACE_MS);
      console.info(`${signal}: the command pod drained in ${drainMs} ms under load`);
      expect(first.output()).toMatch(/"msg":"stopped"/);
      const answeredByFirst = answered;

      const second = startPod('workers/command-worker.ts', path.podEnv);
      pods.push(second);
      const results = await Promise.all(sends);
      expect(answeredByFirst).toBeLessThan(600);
      expect(results.filter((result) => result.status !== 'accepted')).toEqual([]);
      const [row] = await query<{ n: string }>(
        path.db.orm.em.getKnex(),
        'select count(*) as n from es_events where stream_id like ?',
        [`${signal}-%`],
      );
      expect(Number(row?.n)).toBe(600);
      await second.kill('SIGTERM');
    }, 300_000);
  }
});
