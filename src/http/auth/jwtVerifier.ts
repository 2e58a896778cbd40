import { createRemoteJWKSet, decodeProtectedHeader, type JWTPayload, jwtVerify } from 'jose';
import type { Principal } from './principal.js';

export type JwtSettings = {
  /** HS256 shared secret (CHRONICLE_JWT_SECRET). */
  readonly secret?: string;
  /** JWKS URL for asymmetric keys (CHRONICLE_JWKS_URL). */
  readonly jwksUrl?: string;
  readonly issuer?: string;
  readonly audience?: string;
};

export type JwtOutcome =
  | { readonly status: 'valid'; readonly principal: Principal }
  | { readonly status: 'invalid'; readonly message: string };

export type JwtVerifier = (token: string) => Promise<JwtOutcome>;

/** `roles` as an array of strings, or one space-separated string (the OAuth `scope` style). */
const rolesOf = (payload: JWTPayload): string[] => {
  const claim = payload.roles;
  if (Array.isArray(claim)) return claim.filter((role): role is string => typeof role === 'string');
  if (typeof claim === 'string') return claim.split(' ').filter(Boolean);
  return [];
};

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * Verifies bearer tokens: HS256 with the shared secret, or the algorithms of the JWKS keys. The
 * algorithm list is fixed per key kind, so a token cannot pick `none` or swap HS256 for RS256.
 */
export const createJwtVerifier = (settings: JwtSettings): JwtVerifier | undefined => {
  const secret = settings.secret ? new TextEncoder().encode(settings.secret) : undefined;
  const jwks = settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl)) : undefined;
  if (!secret && !jwks) return undefined;
  const claims = {
    ...(settings.issuer ? { issuer: settings.issuer } : {}),
    ...(settings.audience ? { audience: settings.audience } : {}),
  };
  return async (token) => {
    try {
      const { alg } = decodeProtectedHeader(token);
      const { payload } =
        alg === 'HS256' && secret
          ? await jwtVerify(token, secret, { ...claims, algorithms: ['HS256'] })
          : jwks
            ? await jwtVerify(token, jwks, { ...claims, algorithms: ASYMMETRIC })
            : { payload: undefined };
      if (!payload) return { status: 'invalid', message: `tokens signed with ${alg} are not accepted` };
      if (!payload.sub) return { status: 'invalid', message: 'the token has no subject (sub)' };
      return {
        status: 'valid',
        principal: { id: `jwt:${payload.sub}`, via: 'jwt', roles: rolesOf(payload) },
      };
    } catch (error) {
      // jose's messages name the failed check (expired, bad signature), never secret material
      return { status: 'invalid', message: `invalid token: ${(error as Error).message}` };
    }
  };
};
