import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { metricsPortFromEnv } from '../config/index.js';
import { type PodServer, type PodServerOptions, startPodServer } from './podServer.js';

let server: PodServer | undefined;

const start = async (options: Omit<PodServerOptions, 'port' | 'host'>) => {
  server = await startPodServer({ port: 0, host: '127.0.0.1', ...options });
  return server;
};

const get = async (path: string, method = 'GET') => {
  const response = await fetch(`http://127.0.0.1:${server?.port}${path}`, { method });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
};

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startPodServer', () => {
  it('binds a free port when given 0 and answers /healthz with 200', async () => {
    const pod = await start({ checks: { db: async () => false } });
    expect(pod.port).toBeGreaterThan(0);
    const health = await get('/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toEqual({ status: 'alive' });
  });

  it('is ready (200) when every check passes', async () => {
    await start({ checks: { postgres: async () => true, redis: async () => true } });
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({
      status: 'ready',
      checks: { postgres: { status: 'pass' }, redis: { status: 'pass' } },
    });
  });

  it('is not ready (503) when a check returns false, throws or hangs, and names each result', async () => {
    await start({
      checkTimeoutMs: 50,
      checks: {
        postgres: async () => true,
        redis: async () => false,
        broker: async () => {
          throw new Error('connection refused');
        },
        slow: () => new Promise<boolean>(() => {}),
      },
    });
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.type).toContain('application/json');
    expect(JSON.parse(ready.text)).toEqual({
      status: 'not_ready',
      checks: {
        postgres: { status: 'pass' },
        redis: { status: 'fail' },
        broker: { status: 'fail' },
        slow: { status: 'fail' },
      },
    });
  });

  it('keeps why a check fails for the log: one line per new reason, one when it passes again', async () => {
    const lines: { level: string; object: object }[] = [];
    const logger = {
      info: (object: object) => lines.push({ level: 'info', object }),
      warn: (object: object) => lines.push({ level: 'warn', object }),
      error: (object: object) => lines.push({ level: 'error', object }),
    };
    let reason: string | undefined = 'sorry, too many clients already';
    await start({
      logger,
      checks: {
        postgres: async () => {
          if (reason) throw new Error(reason);
          return true;
        },
      },
    });
    for (let probe = 0; probe < 3; probe++) expect((await get('/readyz')).text).not.toContain('clients');
    reason = 'connection refused';
    await get('/readyz');
    reason = undefined;
    await get('/readyz');
    await get('/readyz');
    expect(lines).toEqual([
      { level: 'warn', object: { check: 'postgres', reason: 'sorry, too many clients already' } },
      { level: 'warn', object: { check: 'postgres', reason: 'connection refused' } },
      { level: 'info', object: { check: 'postgres' } },
    ]);
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;

  it.skipIf(!external)(
    'listens on HOST when given no host: with 127.0.0.1, not on other interfaces',
    async () => {
      const original = process.env.HOST;
      process.env.HOST = '127.0.0.1';
      try {
        server = await startPodServer({ port: 0, checks: {} });
      } finally {
        if (original === undefined) delete process.env.HOST;
        else process.env.HOST = original;
      }
      expect((await get('/healthz')).status).toBe(200);
      await expect(fetch(`http://${external}:${server.port}/healthz`)).rejects.toThrow();
    },
  );

  it('reports draining (503) once told to, while still alive', async () => {
    const pod = await start({ checks: { postgres: async () => true } });
    pod.setDraining();
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toMatchObject({ status: 'draining' });
    expect((await get('/healthz')).status).toBe(200);
  });

  it('serves /metrics from the handler as Prometheus text, and 404 without a handler', async () => {
    await start({ checks: {}, metricsHandler: async () => '# TYPE up gauge\nup 1\n' });
    const scrape = await get('/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(scrape.text).toBe('# TYPE up gauge\nup 1\n');
    await server?.close();
    await start({ checks: {} });
    expect((await get('/metrics')).status).toBe(404);
  });

  it('answers 500 when the metrics handler fails, 404 on unknown paths and 405 on other methods', async () => {
    await start({
      checks: {},
      metricsHandler: async () => {
        throw new Error('collection failed');
      },
    });
    expect(await get('/metrics')).toMatchObject({ status: 500 });
    expect(await get('/nope')).toMatchObject({ status: 404 });
    expect(await get('/healthz', 'POST')).toMatchObject({ status: 405 });
  });
});

describe('metricsPortFromEnv', () => {
  const original = process.env.METRICS_PORT;
  afterEach(() => {
    if (original === undefined) delete process.env.METRICS_PORT;
    else process.env.METRICS_PORT = original;
  });

  it('reads METRICS_PORT, 0 included, and defaults to 9464', () => {
    delete process.env.METRICS_PORT;
    expect(metricsPortFromEnv()).toBe(9464);
    process.env.METRICS_PORT = '0';
    expect(metricsPortFromEnv()).toBe(0);
    process.env.METRICS_PORT = '9100';
    expect(metricsPortFromEnv()).toBe(9100);
  });

  it('refuses a value that is not a port', () => {
    process.env.METRICS_PORT = 'abc';
    expect(() => metricsPortFromEnv()).toThrow(/METRICS_PORT/);
    process.env.METRICS_PORT = '70000';
    expect(() => metricsPortFromEnv()).toThrow(/METRICS_PORT/);
  });
});
