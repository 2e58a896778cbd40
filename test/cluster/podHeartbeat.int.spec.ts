import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PodHeartbeat, startPodHeartbeat } from '../../src/cluster/index.js';
import { createOrm, migrate, type Orm } from '../../src/db/index.js';
import { readPods } from '../../src/eventStore/index.js';
import type { LoggerPort } from '../../src/logging/index.js';
import { type PrivatePostgres, startPrivatePostgres } from '../support/privatePostgres.js';
import { waitFor } from '../support/waitFor.js';

const lines: { level: string; message: string }[] = [];
const logger: LoggerPort = {
  info: (_object, message = '') => lines.push({ level: 'info', message }),
  warn: (_object, message = '') => lines.push({ level: 'warn', message }),
  error: (_object, message = '') => lines.push({ level: 'error', message }),
};

const pod = {
  id: 'cmd-beat',
  kind: 'command',
  host: 'test-host',
  pid: 4242,
  version: '0.0.0',
  startedAt: new Date(),
  details: { shards: 4 },
};

describe('a pod heartbeat across a PostgreSQL outage', () => {
  let pg: PrivatePostgres;
  let heartbeat: PodHeartbeat | undefined;
  let reader: Orm | undefined;
  beforeAll(async () => {
    pg = await startPrivatePostgres();
    await migrate(pg.url('chronicle'));
  }, 120_000);
  afterAll(async () => {
    await heartbeat?.stop();
    await reader?.close(true);
    await pg?.destroy();
  });

  it('registers the pod, warns once while PostgreSQL is down and keeps beating, says so when it is back, and marks it stopped', async () => {
    const config = { databaseUrl: pg.url('chronicle') } as Parameters<typeof startPodHeartbeat>[0]['config'];
    heartbeat = await startPodHeartbeat({ config, pod, ttlMs: 600, logger });
    reader = await createOrm(pg.url('chronicle'), { poolSize: 1 });
    const pods = () => readPods((reader as Orm).em.getKnex());
    expect(await pods()).toMatchObject([
      { id: 'cmd-beat', kind: 'command', state: 'live', details: { shards: 4 } },
    ]);
    await reader.close(true);

    await pg.stop();
    await waitFor(() => lines.some((line) => line.level === 'warn'), {
      what: 'the failed beat warning',
      timeoutMs: 30_000,
      everyMs: 50,
    });
    // a few more beats fail meanwhile: still the one warning
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(lines.filter((line) => line.level === 'warn')).toHaveLength(1);

    await pg.start();
    await waitFor(() => lines.some((line) => line.message === 'pod heartbeat recorded again'), {
      what: 'a beat after the outage',
      timeoutMs: 60_000,
      everyMs: 100,
    });
    reader = await createOrm(pg.url('chronicle'), { poolSize: 1 });
    expect((await pods())[0]?.state).toBe('live');

    await heartbeat.stop();
    heartbeat = undefined;
    expect((await pods())[0]?.state).toBe('stopped');
  }, 180_000);
});
