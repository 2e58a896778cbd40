import { propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { validatePayload } from '../aggregate/index.js';
import { findUnstorableJson } from '../messages/index.js';
import { attr, withSpan } from '../tracing/index.js';
import { principalOf } from './auth/index.js';
import { badRequest } from './httpError.js';
import type { ApiRoute, RouteResult } from './route.js';

const parse = (schema: z.ZodType | undefined, value: unknown, where: 'path' | 'query' | 'body'): unknown => {
  // a NUL or a lone surrogate in a path or query names nothing that can be stored, on any route:
  // refused before a look-up hands it to PostgreSQL (bodies are checked by what takes them)
  const unstorable = where === 'body' ? undefined : findUnstorableJson(value ?? {});
  if (unstorable) throw badRequest(`${where}: ${unstorable}`);
  if (!schema) return value ?? {};
  const checked = validatePayload(schema, value ?? {});
  if (checked.status === 'valid') return checked.data;
  throw badRequest(`${where}: ${checked.message}`, { issues: checked.issues });
};

/**
 * A request part (of HTTP, a WebSocket's query, a gRPC message) checked as the routes check theirs:
 * 400 INVALID_REQUEST naming what is wrong.
 */
export const parseInput = <S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'path' | 'query' | 'body',
) => parse(schema, value, where) as z.output<S>;

const send = (reply: FastifyReply, result: RouteResult): void => {
  if (result.status === 'hijacked') return;
  reply
    .code(result.status)
    .headers(result.headers ?? {})
    .type(result.contentType ?? 'application/json; charset=utf-8')
    .send(result.body);
};

const handle = async (route: ApiRoute, request: FastifyRequest, reply: FastifyReply): Promise<RouteResult> =>
  route.handler({
    params: parse(route.params, request.params, 'path'),
    query: parse(route.query, request.query, 'query'),
    body: parse(route.body, request.body, 'body'),
    principal: principalOf(request),
    request,
    reply,
  });

/**
 * Registers each route: its access rule goes to the auth hooks, its schemas validate the request,
 * and it runs in a server span whose parent is the caller's W3C traceparent, so a command sent over
 * HTTP continues the caller's trace.
 */
export const registerRoutes = (app: FastifyInstance, routes: readonly ApiRoute[]): void => {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      config: { access: route.access },
      handler: async (request, reply) => {
        if (route.traced === false) return send(reply, await handle(route, request, reply));
        const parent = propagation.extract(ROOT_CONTEXT, request.headers);
        const attributes = { [attr.httpRequestMethod]: route.method, [attr.httpRoute]: route.url };
        const result = await withSpan(
          'server',
          `${route.method} ${route.url}`,
          { parent, attributes },
          async (span) => {
            const principal = principalOf(request);
            if (principal) span.setAttribute(attr.principal, principal.id);
            const answer = await handle(route, request, reply);
            if (answer.status !== 'hijacked') span.setAttribute(attr.httpResponseStatusCode, answer.status);
            return answer;
          },
        );
        send(reply, result);
      },
    });
  }
};
