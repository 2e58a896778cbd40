import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyEntry } from '../../config/index.js';
import type { Principal } from './principal.js';

const digest = (key: string) => createHash('sha256').update(key).digest();

export type ApiKeyLookup = (presented: string) => Principal | undefined;

/** Compares digests in constant time, so response timing says nothing about a key's prefix. */
export const createApiKeyLookup = (entries: readonly ApiKeyEntry[]): ApiKeyLookup => {
  const keys = entries.map((entry) => {
    const hash = digest(entry.key);
    const principal: Principal = {
      id: `key:${entry.name}`,
      via: 'api-key',
      roles: [...entry.roles],
      ...(entry.rateLimit ? { rateLimit: entry.rateLimit } : {}),
    };
    return { hash, principal };
  });
  return (presented) => {
    const hash = digest(presented);
    let found: Principal | undefined;
    for (const key of keys) if (timingSafeEqual(key.hash, hash)) found = key.principal;
    return found;
  };
};
