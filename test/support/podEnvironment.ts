import { vi } from 'vitest';
import { projections } from '../../actors/projections/index.js';
import {
  apiSettingsFromEnv,
  grpcSettingsFromEnv,
  keyEncryptionKeysFromEnv,
  loadConfig,
  loadNatsConfig,
  logLevelFromEnv,
  metricsPortFromEnv,
  subscriptionSettingsFromEnv,
} from '../../src/config/index.js';
import { createAuthenticator } from '../../src/http/index.js';
import { selectProjections } from '../../src/projections/index.js';

/**
 * Reads `env` with the very loaders the pod of `kind` (`api`, `command`, …, or `migrate`) runs at
 * start; throws what the pod would. Stubs the process environment with it (some loaders read
 * process.env): call `vi.unstubAllEnvs()` after each test.
 */
export const validatePodEnvironment = (kind: string, env: Readonly<Record<string, string>>): void => {
  vi.unstubAllEnvs();
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  loadConfig(env);
  logLevelFromEnv();
  if (kind !== 'migrate' && !keyEncryptionKeysFromEnv(env))
    throw new Error('no CHRONICLE_KEK: the sample marks personal fields, its pods stop at start without one');
  switch (kind) {
    case 'migrate':
      return;
    case 'api': {
      const settings = apiSettingsFromEnv(env);
      grpcSettingsFromEnv(env);
      // the authenticator refuses what parsing lets through (a short JWT secret); without any
      // credential every /v1 route answers 401
      if (!createAuthenticator(settings.auth).configured) throw new Error('the api has no credentials');
      return;
    }
    case 'command':
      metricsPortFromEnv();
      return;
    case 'projection':
      metricsPortFromEnv();
      subscriptionSettingsFromEnv(env);
      selectProjections(projections, env.CHRONICLE_PROJECTIONS);
      return;
    case 'process-manager':
    case 'snapshot':
      metricsPortFromEnv();
      subscriptionSettingsFromEnv(env);
      return;
    case 'nats':
      metricsPortFromEnv();
      subscriptionSettingsFromEnv(env);
      loadNatsConfig(env);
      return;
    default:
      throw new Error(`an unknown pod kind "${kind}"`);
  }
};
