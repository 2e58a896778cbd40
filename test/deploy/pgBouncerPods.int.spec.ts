import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/eventStore/index.js';
import { authEnv, keys } from '../http/support/apiKeys.js';
import { type ApiPod, startApiPod } from '../http/support/apiPod.js';
import { call, withKey } from '../http/support/http.js';
import { deleteStream, natsNames } from '../nats/support.js';
import { placeOrderPayload } from '../support/orderCommands.js';
import { PGBOUNCER } from '../support/privatePgBouncer.js';
import { type PodProcess, startPod } from '../support/processes.js';
import { waitFor } from '../support/waitFor.js';
import { type BehindPgBouncer, startBehindPgBouncer } from './support/behindPgBouncer.js';

const NATS_URL = process.env.CHRONICLE_NATS_URL ?? 'nats://127.0.0.1:4222';

/** Every pod kind but the api, by its entry point and the service its ready line names. */
const workerPods = [
  ['workers/command-worker.ts', 'chronicle-command-worker'],
  ['workers/projection-worker.ts', 'chronicle-projection-worker'],
  ['workers/snapshot-worker.ts', 'chronicle-snapshot-worker'],
  ['workers/process-manager-worker.ts', 'chronicle-process-manager-worker'],
  ['workers/nats-worker.ts', 'chronicle-nats-worker'],
] as const;

/*
 * Every pod kind as it is deployed (its own process, its settings from the environment) behind a
 * private PgBouncer in transaction mode: what a pod does besides its engine goes through it too
 * (the start-up checks of PostgreSQL and the key-encryption keys, the heartbeat in es_pods, the
 * readiness probe). The engines' work behind it is in the specs beside this one.
 */
describe.skipIf(!PGBOUNCER)('every pod kind as a process behind PgBouncer in transaction mode', () => {
  let behind: BehindPgBouncer;
  let api: ApiPod | undefined;
  const pods: PodProcess[] = [];
  const nats = natsNames();

  beforeAll(async () => {
    behind = await startBehindPgBouncer();
  });
  afterAll(async () => {
    await Promise.all(pods.map((pod) => pod.kill('SIGKILL')));
    await api?.pod.kill('SIGKILL');
    await behind?.close();
    await deleteStream(NATS_URL, nats.stream);
  });

  it('starts each one ready and registered, serves a command through them, and stops each with exit 0', async () => {
    const env = {
      ...behind.podEnv,
      CHRONICLE_NATS_URL: NATS_URL,
      CHRONICLE_NATS_STREAM: nats.stream,
      CHRONICLE_NATS_SUBJECT_PREFIX: nats.subjectPrefix,
      CHRONICLE_SUBSCRIPTION_POLL_MS: '100',
    };
    pods.push(...workerPods.map(([entry]) => startPod(entry, env)));
    await Promise.all(pods.map((pod, i) => pod.waitFor(new RegExp(`${workerPods[i]?.[1]} ready`), 120_000)));
    api = await startApiPod({ ...env, ...authEnv });

    const kinds = await waitFor(
      async () => {
        const rows = await query<{ kind: string }>(
          behind.path.db.orm.em.getKnex(),
          'select kind from es_pods where stopped_at is null order by kind',
        );
        return rows.length === 6 && rows.map((row) => row.kind);
      },
      { what: 'six pods in es_pods' },
    );
    expect(kinds).toEqual(['api', 'command', 'nats', 'process-manager', 'projection', 'snapshot']);

    const sent = await call(`${api.url}/v1/commands?wait=true`, {
      json: {
        aggregateType: 'order',
        aggregateId: 'pods-bouncer-1',
        type: 'PlaceOrder',
        payload: placeOrderPayload,
      },
      headers: withKey(keys.sender),
    });
    expect([sent.status, sent.body], sent.text).toEqual([
      200,
      expect.objectContaining({ status: 'accepted' }),
    ]);
    // the process manager turns it into the payment request, through the command pod
    await waitFor(
      async () =>
        (
          await query(
            behind.path.db.orm.em.getKnex(),
            `select 1 from es_events where stream_type = 'payment' and stream_id = 'pods-bouncer-1' and type = 'PaymentRequested'`,
          )
        ).length === 1,
      { what: 'the payment requested by the process-manager pod', timeoutMs: 60_000 },
    );
    const ready = await call(`${api.url}/readyz`);
    expect(ready.status, ready.text).toBe(200);

    const exits = await Promise.all([api.stop(), ...pods.map((pod) => pod.kill('SIGTERM'))]);
    expect(exits, [api.pod, ...pods].map((pod) => pod.output()).join('\n')).toEqual(
      exits.map(() => ({ code: 0, signal: null })),
    );
    for (const pod of [api.pod, ...pods]) expect(pod.output()).not.toMatch(/"level":(50|60)/);
  });
});
