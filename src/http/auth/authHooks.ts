import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../httpError.js';
import type { Authenticator, AuthState } from './authenticator.js';
import { type Access, allows, type Principal } from './principal.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; absent = public. */
    access?: Access;
  }
}

const states = new WeakMap<FastifyRequest, AuthState>();

const accessOf = (request: FastifyRequest): Access => request.routeOptions.config?.access ?? 'public';

/** The caller of a request that passed its route's access check (undefined on public routes). */
export const principalOf = (request: FastifyRequest): Principal | undefined => {
  const state = states.get(request);
  return state?.status === 'authenticated' ? state.principal : undefined;
};

/**
 * The caller, if `state` passes `access`; else the refusal: 401 UNAUTHENTICATED without
 * credentials, 401 INVALID_CREDENTIALS with bad ones, 403 FORBIDDEN without the role. Every way
 * into the API (HTTP, WebSocket, gRPC) refuses with these.
 */
export const authorize = (state: AuthState, access: Exclude<Access, 'public'>): Principal => {
  if (state.status === 'anonymous') {
    throw new HttpError(401, 'UNAUTHENTICATED', 'send an API key (x-api-key) or a bearer token', undefined, {
      'www-authenticate': 'Bearer',
    });
  }
  if (state.status === 'rejected') {
    throw new HttpError(401, 'INVALID_CREDENTIALS', state.message, undefined, {
      'www-authenticate': 'Bearer error="invalid_token"',
    });
  }
  if (!allows(access, state.principal)) {
    throw new HttpError(
      403,
      'FORBIDDEN',
      `${state.principal.id} lacks the role this route needs (${access})`,
    );
  }
  return state.principal;
};

/**
 * Credentials are read first (onRequest), so the rate limiter can count per principal, and even
 * refused callers (by address); access is enforced before the body is parsed (preParsing), so an
 * unauthenticated caller never gets a megabyte parsed.
 */
export const registerAuthHooks = (app: FastifyInstance, authenticator: Authenticator): void => {
  app.addHook('onRequest', async (request) => {
    if (accessOf(request) === 'public') return;
    states.set(request, await authenticator.authenticate(request.headers));
  });
  app.addHook('preParsing', async (request, _reply, payload) => {
    const access = accessOf(request);
    if (access !== 'public') authorize(states.get(request) ?? { status: 'anonymous' }, access);
    return payload;
  });
};
