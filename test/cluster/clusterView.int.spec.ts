import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterView } from '../../src/cluster/index.js';
import type { ApiServer } from '../../src/http/index.js';
import { keys } from '../http/support/apiKeys.js';
import { call, withKey } from '../http/support/http.js';
import { startInProcessApi } from '../http/support/inProcessApi.js';
import { type SpawnedWorker, spawnProjectionWorker } from '../projections/support/spawnWorker.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { placeOrderPayload } from '../support/orderCommands.js';
import { type PodProcess, runToEnd, startPod } from '../support/processes.js';
import { waitFor } from '../support/waitFor.js';
import { chromiumMissing, openVisualiser, type VisualiserPage } from '../ui/visualiserPage.js';

/** Every pod here beats and leases on this: a killed one is gone, and its partitions free, after it. */
const LEASE_MS = '1500';

let path: CommandPath;
let server: ApiServer;
let url: string;
let ui: VisualiserPage | undefined;
const commandPods: PodProcess[] = [];
const projectionPods: SpawnedWorker[] = [];

const cluster = async (): Promise<ClusterView> => {
  const answer = await call(`${url}/v1/cluster`, { headers: withKey(keys.reader) });
  expect(answer.status).toBe(200);
  return answer.body as ClusterView;
};

/** The pods the heat map names on a subscription's partitions, in partition order. */
const heatOwners = (page: Page, subscription: string) =>
  page.$$eval(`#cluster-heat .heat-cell[data-subscription="${subscription}"]`, (cells) =>
    cells.map((cell) => cell.getAttribute('data-owner')),
  );

const projectionPartitions = (view: ClusterView) => view.partitions.filter((p) => p.kind === 'projection');
const stateOf = (view: ClusterView, id: string) => view.pods.find((pod) => pod.id === id)?.state;

describe('the cluster view: pods, shard queues and leased partitions, live', () => {
  beforeAll(async () => {
    path = await createCommandPath();
    const env = { ...path.podEnv, CHRONICLE_SUBSCRIPTION_LEASE_MS: LEASE_MS, DATABASE_POOL_SIZE: '2' };
    for (const id of ['cmd-1', 'cmd-2'])
      commandPods.push(
        startPod('workers/command-worker.ts', { ...env, CHRONICLE_WORKER_ID: id, LOG_LEVEL: 'warn' }),
      );
    for (const id of ['proj-1', 'proj-2']) projectionPods.push(spawnProjectionWorker(path.db.url, id, env));
    ({ server, url } = await startInProcessApi(path.config));
  });

  afterAll(async () => {
    await ui?.close();
    for (const pod of [...commandPods, ...projectionPods]) await pod.kill('SIGTERM');
    await server?.close();
    await path?.close();
  });

  it('given two command pods and two projection pods, lists each with the shards it works and the partitions it leases', async () => {
    const view = await waitFor(
      async () => {
        const current = await cluster();
        const owners = new Set(projectionPartitions(current).map((p) => p.owner));
        const live = ['cmd-1', 'cmd-2', 'proj-1', 'proj-2'].every((id) => stateOf(current, id) === 'live');
        return live && owners.size === 2 && owners.has('proj-1') && owners.has('proj-2') && current;
      },
      { what: 'four live pods, both projection pods leasing', timeoutMs: 120_000, everyMs: 200 },
    );
    expect(view.pods.filter((pod) => pod.kind === 'command').map((pod) => pod.id)).toEqual([
      'cmd-1',
      'cmd-2',
    ]);
    for (const pod of view.pods) {
      expect(pod.pid).toBeGreaterThan(0);
      expect(pod.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(Date.parse(pod.heartbeatAt)).toBeGreaterThanOrEqual(Date.parse(pod.startedAt));
    }
    // every shard queue is worked by both command pods
    expect(view.shards.map((shard) => [shard.shard, shard.pods])).toEqual(
      [0, 1, 2, 3].map((shard) => [shard, ['cmd-1', 'cmd-2']]),
    );
    // every partition of the sample's projections, leased by one of them; the others are listed too
    expect(new Set(view.partitions.map((p) => p.kind))).toEqual(
      new Set(['projection', 'process-manager', 'snapshot']),
    );
    for (const partition of projectionPartitions(view)) {
      expect(partition.state).toBe('running');
      expect(['proj-1', 'proj-2']).toContain(partition.owner);
      expect(partition.lag).toMatchObject({ events: expect.any(Number), seconds: expect.any(Number) });
    }

    // commands run on the shards and the projections catch up: the lag falls back to nothing
    for (const id of ['c-1', 'c-2', 'c-3']) {
      const result = await path.client.send(
        { aggregateType: 'order', aggregateId: id, type: 'PlaceOrder', payload: placeOrderPayload },
        { wait: true },
      );
      expect(result.status).toBe('accepted');
    }
    await waitFor(
      async () => projectionPartitions(await cluster()).every((p) => p.lag.events === 0 && p.owner),
      { what: 'the projections to catch up', timeoutMs: 60_000, everyMs: 200 },
    );
  });

  it.skipIf(chromiumMissing)(
    'the Cluster tab draws the pods, the shard queues and the heat map of partition lag',
    async () => {
      ui = await openVisualiser(url);
      const { page } = ui;
      await ui.signIn();
      await page.click('nav button[data-view=cluster]');
      await page.waitForSelector('#cluster-pods tr[data-pod="proj-1"][data-state="live"]');
      await page.waitForSelector('#cluster-pods tr[data-pod="cmd-2"][data-state="live"]');
      expect(await page.locator('#cluster-shards li').count()).toBe(4);
      const owners = await heatOwners(page, 'orders_view');
      expect(owners).toHaveLength(4);
      expect(new Set(owners)).toEqual(new Set(['proj-1', 'proj-2']));
      await ui.screenshot('ui-cluster.png');
    },
  );

  it('when a projection pod is killed (SIGKILL), its partitions move to the other within the lease time, and the API, the CLI and the open tab show it', async () => {
    const before = await cluster();
    const victim = projectionPods.find((pod) => projectionPartitions(before).some((p) => p.owner === pod.id));
    const survivor = projectionPods.find((pod) => pod !== victim);
    if (!victim || !survivor) throw new Error('no projection pod leases a partition');
    expect(await victim.kill('SIGKILL')).toMatchObject({ signal: 'SIGKILL' });

    const after = await waitFor(
      async () => {
        const current = await cluster();
        const moved = projectionPartitions(current).every(
          (p) => p.owner === survivor.id && p.state === 'running',
        );
        return moved && stateOf(current, victim.id) === 'gone' && current;
      },
      { what: `${victim.id}'s partitions to move to ${survivor.id}`, timeoutMs: 60_000, everyMs: 200 },
    );
    expect(stateOf(after, survivor.id)).toBe('live');
    expect(after.pods.filter((pod) => pod.state === 'live').map((pod) => pod.id)).not.toContain(victim.id);

    if (ui) {
      // the open tab follows: the victim gone, every orders_view cell held by the survivor
      const { page } = ui;
      await page.waitForSelector(`#cluster-pods tr[data-pod="${victim.id}"][data-state="gone"]`, {
        timeout: 30_000,
      });
      await waitFor(
        async () => {
          const owners = await heatOwners(page, 'orders_view');
          return owners.length === 4 && owners.every((owner) => owner === survivor.id);
        },
        {
          what: 'the heat map to show the survivor on every orders_view partition',
          timeoutMs: 30_000,
          everyMs: 200,
        },
      );
      await ui.screenshot('ui-cluster-after-kill.png');
      expect(ui.outside).toEqual([]);
    }

    // `chronicle cluster`: the same, one JSON line per pod, shard and partition
    const cli = await runToEnd('workers/cli.ts', { env: { ...path.podEnv }, args: ['cluster'] });
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const lines = cli.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { entry: string; kind?: string; id?: string; state?: string });
    expect(lines.find((line) => line.entry === 'pod' && line.id === victim.id)?.state).toBe('gone');
    expect(lines.filter((line) => line.entry === 'shard')).toHaveLength(4);
    // the CLI's deployment adds the NATS outbox's partitions to the API's (this one runs without it)
    const partitions = lines.filter((line) => line.entry === 'partition' && line.kind !== 'outbox');
    expect(partitions).toHaveLength(after.partitions.length);
  });
});
