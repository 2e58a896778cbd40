import { randomBytes } from 'node:crypto';
import { parseApiKeys } from 'chronicle-runtime';

/** The key `chronicle dev` prints: CHRONICLE_DEV_API_KEY, or a fresh one each run. */
export const devApiKey = (env: NodeJS.ProcessEnv = process.env): string =>
  env.CHRONICLE_DEV_API_KEY?.trim() || `dev-${randomBytes(12).toString('base64url')}`;

/**
 * CHRONICLE_API_KEYS with the dev key added (every role), keeping the keys already configured, so
 * the api pod reads it as it reads any key.
 */
export const withDevApiKey = (configured: string | undefined, key: string): string =>
  JSON.stringify([
    ...parseApiKeys(configured).filter((entry) => entry.key !== key),
    // a person clicking around the UI should never meet the rate limit
    { key, name: 'chronicle-dev', roles: ['read', 'commands:send', 'admin'], rateLimit: 1_000_000 },
  ]);
