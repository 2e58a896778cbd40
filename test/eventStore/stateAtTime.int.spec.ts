import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../src/http/index.js';
import type { RecordedEvent } from '../../src/messages/index.js';
import { keys } from '../http/support/apiKeys.js';
import { call, withKey } from '../http/support/http.js';
import { startInProcessApi } from '../http/support/inProcessApi.js';
import { type CommandPath, createCommandPath } from '../support/commandPath.js';
import { runToEnd } from '../support/processes.js';
import { oldHistory, writeOldStream } from './support/oldOrderRows.js';

describe('state at a point in time', () => {
  let path: CommandPath;
  let server: ApiServer;
  let url: string;
  beforeAll(async () => {
    path = await createCommandPath();
    await writeOldStream(path.db.orm.em.getKnex(), 'timed-1', oldHistory);
    ({ server, url } = await startInProcessApi(path.config));
  });
  afterAll(async () => {
    await server?.close();
    await path?.close();
  });

  const at = (time: string) =>
    call(`${url}/v1/aggregates/order/timed-1/at?time=${encodeURIComponent(time)}`, {
      headers: withKey(keys.reader),
    });

  it('GET /v1/aggregates/:type/:id/at?time= answers the state after the last event recorded by then', async () => {
    const placed = await at('2025-01-01T12:00:00Z');
    expect(placed.status).toBe(200);
    expect(placed.body).toMatchObject({
      version: 1,
      headVersion: 2,
      time: '2025-01-01T12:00:00Z',
      value: { placed: { payment: 'pending' } },
      context: { details: { currency: 'EUR' } },
    });
    // an offset other than Z, and the very instant of an event, count
    expect((await at('2025-01-02T10:00:00+01:00')).body).toMatchObject({
      version: 2,
      value: { placed: { payment: 'processing' } },
    });
    expect((await at('2099-01-01T00:00:00Z')).body).toMatchObject({ version: 2 });
  });

  it('answers 404 before the first event, and 400 INVALID_REQUEST naming time when it is missing or malformed', async () => {
    const before = await at('2024-12-31T23:59:59Z');
    expect(before.status).toBe(404);
    expect(before.body).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('had no events at'),
    });
    for (const bad of ['yesterday', '2025-01-01', '2025-01-01T12:00:00']) {
      const answer = await at(bad);
      expect(answer.status, bad).toBe(400);
      expect(answer.body).toMatchObject({
        code: 'INVALID_REQUEST',
        details: { issues: [expect.objectContaining({ path: 'time' })] },
      });
    }
    const missing = await call(`${url}/v1/aggregates/order/timed-1/at`, { headers: withKey(keys.reader) });
    expect(missing.status).toBe(400);
  });

  const chronicle = (...args: string[]) => runToEnd('workers/cli.ts', { env: path.podEnv, args });

  it('chronicle events prints the version-1 OrderPlaced as version 2 with currency EUR', async () => {
    const printed = await chronicle('events', 'order', 'timed-1');
    expect(printed.code).toBe(0);
    const [first] = printed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RecordedEvent);
    expect(first).toMatchObject({ type: 'OrderPlaced', schemaVersion: 2, data: { currency: 'EUR' } });
  });

  it('chronicle state <type> <id> --at <time> prints the state then', async () => {
    const then = await chronicle('state', 'order', 'timed-1', '--at', '2025-01-01T12:00:00Z');
    expect(then.code).toBe(0);
    expect(JSON.parse(then.stdout)).toMatchObject({
      version: 1,
      value: { placed: { payment: 'pending' } },
      context: { details: { currency: 'EUR' } },
    });
    const before = await chronicle('state', 'order', 'timed-1', '--at', '2024-01-01T00:00:00Z');
    expect(before.code).toBe(2);
    expect(before.stderr).toContain('had no events at');
    const bad = await chronicle('state', 'order', 'timed-1', '--at', 'noon');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('ISO 8601');
  });
});
