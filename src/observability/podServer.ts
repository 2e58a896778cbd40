import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostFromEnv, metricsPortFromEnv } from '../config/index.js';
import { createLogger, type LoggerPort } from '../logging/index.js';

/** A readiness probe: resolves true when the dependency is usable. Throwing or timing out = not ready. */
export type ReadinessCheck = () => Promise<boolean>;

/** Prometheus text for /metrics; the SDK side (otel/) provides it, so src/ never imports the SDK. */
export type MetricsHandler = () => Promise<string>;

export type PodServerOptions = {
  /** Default: METRICS_PORT, else 9464; 0 picks a free port. */
  readonly port?: number;
  /** Default: HOST, else every interface. */
  readonly host?: string;
  /** Where a failing check's reason goes (the probe answers only its name and state). Default: the `probes` logger. */
  readonly logger?: LoggerPort;
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  readonly metricsHandler?: MetricsHandler;
  /** A check still pending after this long fails. Default 2000 ms. */
  readonly checkTimeoutMs?: number;
};

export type CheckResult = { readonly status: 'pass' } | { readonly status: 'fail'; readonly reason: string };

export type Readiness = {
  readonly status: 'ready' | 'not_ready' | 'draining';
  readonly checks: Readonly<Record<string, CheckResult>>;
};

/** What a probe answers: each check's name and state; the reasons are for the log alone. */
export type ReadinessAnswer = {
  readonly status: Readiness['status'];
  readonly checks: Readonly<Record<string, { readonly status: CheckResult['status'] }>>;
};

export type PodServer = {
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** From now on /readyz answers 503 `draining`: call it first on SIGTERM so traffic moves away. */
  setDraining(): void;
  close(): Promise<void>;
};

const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const runCheck = async (check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'fail', reason: `timed out after ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  const outcome = check().then(
    (ok): CheckResult => (ok ? { status: 'pass' } : { status: 'fail', reason: 'check returned false' }),
    (error: unknown): CheckResult => ({
      status: 'fail',
      reason: error instanceof Error ? error.message : String(error),
    }),
  );
  try {
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** Runs every check concurrently; ready only when all pass. */
export const evaluateReadiness = async (
  checks: Readonly<Record<string, ReadinessCheck>>,
  timeoutMs: number,
): Promise<Readiness> => {
  const names = Object.keys(checks);
  const results = await Promise.all(
    names.map(
      async (name) => [name, await runCheck(checks[name] ?? (async () => false), timeoutMs)] as const,
    ),
  );
  const ready = results.every(([, result]) => result.status === 'pass');
  return { status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results) };
};

/**
 * The probe's answer to `readiness`, with the reasons logged: a public /readyz never echoes what
 * a dependency said ("sorry, too many clients already", hosts, users). One line per change of a
 * check's reason, and one when it passes again, however often the probe asks.
 */
export const createReadinessReporter = (logger: LoggerPort) => {
  const failing = new Map<string, string>();
  return (readiness: Readiness, draining: boolean): ReadinessAnswer => {
    for (const [name, result] of Object.entries(readiness.checks)) {
      if (result.status === 'fail' && failing.get(name) !== result.reason) {
        failing.set(name, result.reason);
        logger.warn({ check: name, reason: result.reason }, `readiness check ${name} fails`);
      } else if (result.status === 'pass' && failing.delete(name)) {
        logger.info({ check: name }, `readiness check ${name} passes again`);
      }
    }
    return {
      status: draining ? 'draining' : readiness.status,
      checks: Object.fromEntries(
        Object.entries(readiness.checks).map(([name, result]) => [name, { status: result.status }]),
      ),
    };
  };
};

const send = (res: ServerResponse, status: number, contentType: string, body: string): void => {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
};

const sendJson = (res: ServerResponse, status: number, body: unknown): void =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));

/**
 * The pod's own HTTP server (no framework): `/healthz` is 200 while the process runs, `/readyz` is
 * 200 only when every check passes (503 otherwise, the JSON body names each check and its state;
 * why one fails goes to `logger`),
 * `/metrics` serves the Prometheus text from `metricsHandler` (404 without one).
 *
 * @example
 * const pod = await startPodServer({
 *   checks: { postgres: () => pingPostgres(), redis: async () => (await redis.ping()) === 'PONG' },
 *   metricsHandler: telemetry.metricsHandler,
 * });
 */
export const startPodServer = async (options: PodServerOptions): Promise<PodServer> => {
  const timeoutMs = options.checkTimeoutMs ?? 2_000;
  let draining = false;
  const logger = options.logger ?? createLogger('probes');
  const answer = createReadinessReporter(logger);

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://pod').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendJson(res, 405, { error: 'method not allowed' });
    }
    switch (path) {
      case '/healthz':
        return sendJson(res, 200, { status: 'alive' });
      case '/readyz': {
        const body = answer(await evaluateReadiness(options.checks, timeoutMs), draining);
        return sendJson(res, body.status === 'ready' ? 200 : 503, body);
      }
      case '/metrics':
        if (!options.metricsHandler) return sendJson(res, 404, { error: 'metrics are not enabled' });
        return send(res, 200, PROMETHEUS_CONTENT_TYPE, await options.metricsHandler());
      default:
        return sendJson(res, 404, { error: 'not found' });
    }
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      // the detail is the log's, as a failing check's reason is
      logger.error({ err: error, path: req.url }, 'probe server request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  // Probes and scrapes are short: don't let idle keep-alive sockets hold close() up.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? metricsPortFromEnv(), options.host ?? hostFromEnv(), () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    setDraining: () => {
      draining = true;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
};
