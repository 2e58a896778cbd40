import { afterAll, beforeAll } from 'vitest';
import { aggregates, processManagers } from '../../../actors/index.js';
import { projections } from '../../../actors/projections/index.js';
import type { ApiSettings, ChronicleConfig } from '../../../src/config/index.js';
import { type ApiServer, createApiServer } from '../../../src/http/index.js';
import { createLogger } from '../../../src/logging/index.js';
import { type CommandPath, createCommandPath } from '../../support/commandPath.js';
import { apiKeyEntries } from './apiKeys.js';

export const testSettings = (overrides: Partial<ApiSettings> = {}): ApiSettings => ({
  port: 0,
  host: '127.0.0.1',
  auth: { apiKeys: apiKeyEntries, jwt: {} },
  rateLimit: { max: 10_000, windowMs: 60_000 },
  commandWait: { defaultMs: 10_000, maxMs: 30_000 },
  stream: { heartbeatMs: 1_000, pollMs: 200, maxConnections: 20, maxPerPrincipal: 20 },
  ...overrides,
});

/** The API in this process (createApiServer, as a library user would), on a free loopback port. */
export const startInProcessApi = async (
  config: ChronicleConfig,
  overrides: Partial<ApiSettings> = {},
): Promise<{ server: ApiServer; url: string }> => {
  const server = await createApiServer({
    config,
    settings: testSettings(overrides),
    aggregates,
    processManagers,
    projections,
    logger: createLogger('api-test', { level: 'warn' }),
  });
  const port = await server.listen();
  return { server, url: `http://127.0.0.1:${port}` };
};

export type ApiWithWorker = { path: CommandPath; server: ApiServer; url: string };

/**
 * A spec file's own database and queues, an in-process command worker and the API on them, started
 * before its tests and closed after them. Read the fields inside tests (they are set by beforeAll).
 */
export const apiWithWorker = (): ApiWithWorker => {
  const api = {} as ApiWithWorker;
  beforeAll(async () => {
    api.path = await createCommandPath();
    await api.path.startWorker();
    Object.assign(api, await startInProcessApi(api.path.config));
  });
  afterAll(async () => {
    await api.server?.close();
    await api.path?.close();
  });
  return api;
};
