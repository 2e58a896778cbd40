import type { IncomingHttpHeaders } from 'node:http';
import type { AuthSettings } from '../../config/index.js';
import { createApiKeyLookup } from './apiKeys.js';
import { createJwtVerifier } from './jwtVerifier.js';
import type { Principal } from './principal.js';

export type AuthState =
  | { readonly status: 'authenticated'; readonly principal: Principal }
  | { readonly status: 'anonymous' }
  | { readonly status: 'rejected'; readonly message: string };

export type Authenticator = {
  authenticate(headers: IncomingHttpHeaders): Promise<AuthState>;
  /** Whether any way of signing in is configured (without one, every /v1 route answers 401). */
  readonly configured: boolean;
};

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Reads `x-api-key` first, else `Authorization: Bearer <jwt>`. */
export const createAuthenticator = (settings: AuthSettings): Authenticator => {
  const lookupKey = createApiKeyLookup(settings.apiKeys);
  const verifyJwt = createJwtVerifier(settings.jwt);
  return {
    configured: settings.apiKeys.length > 0 || verifyJwt !== undefined,
    authenticate: async (headers) => {
      const apiKey = headers['x-api-key'];
      if (typeof apiKey === 'string' && apiKey.length > 0) {
        const principal = lookupKey(apiKey);
        return principal
          ? { status: 'authenticated', principal }
          : { status: 'rejected', message: 'unknown API key' };
      }
      const authorization = headers.authorization;
      if (!authorization) return { status: 'anonymous' };
      const token = BEARER.exec(authorization)?.[1];
      if (!token) return { status: 'rejected', message: 'the Authorization header must be "Bearer <token>"' };
      if (!verifyJwt) return { status: 'rejected', message: 'bearer tokens are not enabled on this server' };
      const outcome = await verifyJwt(token);
      return outcome.status === 'valid'
        ? { status: 'authenticated', principal: outcome.principal }
        : { status: 'rejected', message: outcome.message };
    },
  };
};
