import { createRemoteJWKSet, decodeProtectedHeader, type JWTPayload, jwtVerify } from 'jose';
import { DEFAULT_JWT_MAX_LIFETIME_S, type JwtSettings } from '../../config/index.js';
import { ChronicleError } from '../../errors/index.js';
import type { Principal } from './principal.js';

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

export const MIN_SECRET_BYTES = 32;

/** Every accepted token must expire: one without `exp` would be a credential for ever. */
const REQUIRED_CLAIMS = ['exp', 'sub'];

/**
 * A subject becomes the principal id (`jwt:<sub>`): the commands' `issuedBy`, the rate-limit key,
 * a log field. What identity providers issue (uuids, `auth0|…`, e-mail-like service accounts) fits;
 * control characters, spaces, non-ASCII and kilobytes do not.
 */
const SUBJECT = /^[A-Za-z0-9._~@|:+=/-]{1,200}$/;
const SUBJECT_RULE = '1-200 letters, digits or . _ ~ @ | : + = / -';

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * Verifies bearer tokens: HS256 with the shared secret, or the algorithms of the JWKS keys. The
 * algorithm list is fixed per key kind, so a token cannot pick `none` or swap HS256 for RS256.
 */
export const createJwtVerifier = (settings: JwtSettings): JwtVerifier | undefined => {
  // HS256 is only as strong as its secret: RFC 7518 asks for at least the hash's 256 bits
  if (settings.secret !== undefined && Buffer.byteLength(settings.secret) < MIN_SECRET_BYTES) {
    throw new ChronicleError(
      'CONFIGURATION',
      `CHRONICLE_JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes, got ${Buffer.byteLength(settings.secret)}`,
    );
  }
  const secret = settings.secret ? new TextEncoder().encode(settings.secret) : undefined;
  const jwks = settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl)) : undefined;
  if (!secret && !jwks) return undefined;
  const claims = {
    ...(settings.issuer ? { issuer: settings.issuer } : {}),
    ...(settings.audience ? { audience: settings.audience } : {}),
  };
  const maxLifetimeSeconds = settings.maxLifetimeSeconds ?? DEFAULT_JWT_MAX_LIFETIME_S;
  return async (token) => {
    try {
      const { alg } = decodeProtectedHeader(token);
      const { payload } =
        alg === 'HS256' && secret
          ? await jwtVerify(token, secret, {
              ...claims,
              requiredClaims: REQUIRED_CLAIMS,
              algorithms: ['HS256'],
            })
          : jwks
            ? await jwtVerify(token, jwks, {
                ...claims,
                requiredClaims: REQUIRED_CLAIMS,
                algorithms: ASYMMETRIC,
              })
            : { payload: undefined };
      if (!payload) return { status: 'invalid', message: `tokens signed with ${alg} are not accepted` };
      if (!payload.sub) return { status: 'invalid', message: 'the token has no subject (sub)' };
      if (!SUBJECT.test(payload.sub))
        return { status: 'invalid', message: `the token's subject (sub) must be ${SUBJECT_RULE}` };
      // a stolen long-lived token is a credential for as long as it says: bound what we accept
      const lifetime = (payload.exp ?? 0) - Date.now() / 1_000;
      if (!(lifetime <= maxLifetimeSeconds))
        return {
          status: 'invalid',
          message: `the token expires more than ${maxLifetimeSeconds} s ahead (exp); ask for a shorter-lived one`,
        };
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
