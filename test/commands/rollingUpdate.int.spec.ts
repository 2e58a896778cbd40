import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/eventStore/index.js';
import type { CommandResult } from '../../src/messages/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { paymentAttempt, placeOrder } from '../support/orderCommands.js';
import { type PodProcess, startPod } from '../support/processes.js';
import { waitFor } from '../support/waitFor.js';

const orders = 20;
const commandsPerOrder = 30;

describe('command pods replaced one at a time, as a Kubernetes rolling update does', () => {
  let path: CommandPath;
  const pods: PodProcess[] = [];
  beforeAll(async () => {
    path = await createCommandPath({ shards: 8 });
  });
  afterAll(async () => {
    await Promise.all(pods.map((pod) => pod.kill('SIGKILL')));
    await path.close();
  });

  /** Starts a command pod and resolves once its /readyz answers 200 (what the readiness probe waits for). */
  const startReadyPod = async (): Promise<PodProcess> => {
    const pod = startPod('workers/command-worker.ts', path.podEnv);
    pods.push(pod);
    await pod.waitFor(/chronicle-command-worker ready/);
    const port = Number(/"metricsPort":(\d+)/.exec(pod.output())?.[1]);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, {
      timeoutMs: 60_000,
      everyMs: 200,
      what: 'the new pod ready',
    });
    return pod;
  };

  /** Sends commands `from` to `to` (exclusive) of every order, each order's in sequence. */
  const sendRange = (from: number, to: number): Promise<CommandResult>[] => {
    const sends: Promise<CommandResult>[] = [];
    for (let k = from; k < to; k++)
      for (let o = 0; o < orders; o++) {
        const id = `rolling-${o}`;
        sends.push(
          path.client.send(k === 0 ? placeOrder(id) : paymentAttempt(id, k), {
            wait: true,
            timeoutMs: 300_000,
          }),
        );
      }
    return sends;
  };

  // Deadlines guard against a hang, not a timing: four cold pod starts on a busy machine.
  it('answers every command once, in order per aggregate, and refuses a pod with another shard count', async () => {
    const old = [await startReadyPod(), await startReadyPod()];
    const sends = sendRange(0, commandsPerOrder / 2);

    // a release that changed CHRONICLE_SHARDS: its pod does not start, and the old ones keep working
    const mismatched = startPod('workers/command-worker.ts', { ...path.podEnv, CHRONICLE_SHARDS: '16' });
    pods.push(mismatched);
    expect((await mismatched.exited).code).toBe(1);

    for (const [n, pod] of old.entries()) {
      // maxSurge 1, maxUnavailable 0: the new pod is ready before the old one gets SIGTERM
      await startReadyPod();
      expect(await pod.kill('SIGTERM')).toEqual({ code: 0, signal: null });
      // more work arrives in the middle of the update
      if (n === 0) sends.push(...sendRange(commandsPerOrder / 2, commandsPerOrder));
    }

    const results = await Promise.all(sends);
    // each payment attempt is valid only right after the one before it: one out of order, or run
    // twice, would be a rejection
    expect(results.filter((result) => result.status !== 'accepted')).toEqual([]);
    const streams = await query<{ stream_id: string; n: string; top: string }>(
      path.db.orm.em.getKnex(),
      'select stream_id, count(*) as n, max(version) as top from es_events where stream_id like ? group by stream_id',
      ['rolling-%'],
    );
    expect(streams).toHaveLength(orders);
    for (const stream of streams) {
      // every command appended once: as many events as versions, one per command here
      expect({ id: stream.stream_id, n: Number(stream.n), top: Number(stream.top) }).toEqual({
        id: stream.stream_id,
        n: commandsPerOrder,
        top: commandsPerOrder,
      });
    }
  }, 600_000);
});
