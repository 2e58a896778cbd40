import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCommandBacklog, ShardQueues } from '../../src/commands/index.js';
import { openRedis } from '../../src/services/index.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrder } from '../support/orderCommands.js';
import { type PodProcess, startPod } from '../support/processes.js';
import { sample } from '../support/prometheusSample.js';
import { waitFor } from '../support/waitFor.js';

describe('the commands waiting, as a command pod reports them', () => {
  let path: CommandPath;
  let pod: PodProcess | undefined;
  beforeAll(async () => {
    path = await createCommandPath({ shards: 4 });
  });
  afterAll(async () => {
    await pod?.kill('SIGKILL');
    await path.close();
  });

  it('counts every job waiting over the shard queues and dates the oldest', async () => {
    const redis = openRedis(path.config);
    const shardQueues = new ShardQueues(redis, path.config.queuePrefix, 4);
    const queues = await shardQueues.all();
    try {
      expect(await readCommandBacklog(redis, queues)).toEqual({ waiting: 0, oldestSeconds: 0 });
      // no pod runs yet: every command waits
      for (let n = 0; n < 12; n++) await path.client.send(placeOrder(`backlog-${n}`));
      const later = Date.now() + 60_000;
      const reading = await readCommandBacklog(redis, queues, later);
      expect(reading.waiting).toBe(12);
      expect(reading.oldestSeconds).toBeGreaterThanOrEqual(60);
    } finally {
      await shardQueues.close();
      redis.disconnect();
    }
  });

  it('serves chronicle_commands_waiting and the oldest age on /metrics, down to 0 once worked off', async () => {
    pod = startPod('workers/command-worker.ts', path.podEnv);
    await pod.waitFor(/chronicle-command-worker ready/);
    const port = Number(/"metricsPort":(\d+)/.exec(pod.output())?.[1]);
    const scrape = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    await waitFor(
      async () => {
        const text = await scrape();
        return (
          sample(text, 'chronicle_commands_waiting') === 0 &&
          sample(text, 'chronicle_commands_oldest_waiting_seconds') === 0
        );
      },
      {
        timeoutMs: 60_000,
        everyMs: 500,
        what: 'the backlog gauges at 0 after the pod worked the queues off',
      },
    );
    const text = await scrape();
    expect(text).toContain('# TYPE chronicle_commands_waiting gauge');
    expect(text).toContain('# TYPE chronicle_commands_oldest_waiting_seconds gauge');
  }, 120_000);
});
