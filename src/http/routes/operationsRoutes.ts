import { z } from 'zod';
import { createReadinessReporter, evaluateReadiness } from '../../observability/index.js';
import type { ApiContext } from '../apiContext.js';
import { listDeadLetters, retryDeadLetter } from '../deadLetters.js';
import { HttpError, notFound } from '../httpError.js';
import { type ApiRoute, defineRoute, json } from '../route.js';
import { readStats } from '../stats.js';
import { CommandId } from './schemas.js';

const PROMETHEUS = 'text/plain; version=0.0.4; charset=utf-8';

/** Stats, dead letters, the caller's identity, and the probes (public: kubelets carry no tokens). */
export const operationsRoutes = (ctx: ApiContext): ApiRoute[] => {
  // failing checks' reasons go to the log, the probe answers names and states
  const readiness = createReadinessReporter(ctx.logger);
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/stats',
      access: 'read',
      tag: 'operations',
      summary: 'Events, streams, aggregates per type, queued commands, dead letters',
      responses: { 200: 'the counts' },
      handler: async () => json(200, await readStats(ctx.knex, await ctx.shardQueues.all())),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/dead-letters',
      access: 'admin',
      tag: 'operations',
      summary: 'Commands that failed for good, newest first, with the reason',
      query: z.strictObject({ limit: z.coerce.number().int().min(1).max(1_000).default(100) }),
      responses: { 200: '{ deadLetters: [...] }' },
      handler: async ({ query }) =>
        json(200, { deadLetters: await listDeadLetters(await ctx.shardQueues.all(), query.limit) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/dead-letters/:commandId/retry',
      access: 'admin',
      tag: 'operations',
      summary: 'Put a dead letter back in its queue (at the end)',
      params: z.strictObject({ commandId: CommandId }),
      responses: { 200: 'retried', 404: 'no such command', 409: 'the command has not failed' },
      handler: async ({ params }) => {
        const outcome = await retryDeadLetter(await ctx.shardQueues.all(), params.commandId);
        switch (outcome.status) {
          case 'retried':
            return json(200, outcome);
          case 'not-found':
            throw notFound(`no command ${params.commandId}`);
          case 'not-failed':
            throw new HttpError(
              409,
              'NOT_FAILED',
              `command ${params.commandId} is ${outcome.state}, not failed`,
            );
          default:
            return outcome satisfies never;
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/whoami',
      access: 'authenticated',
      tag: 'operations',
      summary: "The caller's principal and roles (the visualiser shows admin buttons by them)",
      responses: { 200: '{ id, via, roles }' },
      handler: async ({ principal }) =>
        json(200, principal ? { id: principal.id, via: principal.via, roles: principal.roles } : {}),
    }),
    defineRoute({
      method: 'GET',
      url: '/healthz',
      access: 'public',
      tag: 'probes',
      summary: 'Liveness: 200 while the process runs',
      traced: false,
      responses: { 200: '{ status: alive }' },
      handler: async () => json(200, { status: 'alive' }),
    }),
    defineRoute({
      method: 'GET',
      url: '/readyz',
      access: 'public',
      tag: 'probes',
      summary: 'Readiness: 200 when PostgreSQL and Redis answer; 503 when not, or while draining',
      traced: false,
      responses: { 200: 'ready', 503: 'not ready or draining' },
      handler: async () => {
        const body = readiness(await evaluateReadiness(ctx.checks, 2_000), ctx.isDraining());
        return json(body.status === 'ready' ? 200 : 503, body);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/metrics',
      access: 'public',
      tag: 'probes',
      summary: 'Prometheus metrics of this pod',
      produces: PROMETHEUS,
      traced: false,
      responses: { 200: 'Prometheus text', 404: 'metrics are not enabled' },
      handler: async () => {
        if (!ctx.metricsHandler) throw notFound('metrics are not enabled');
        return { status: 200, body: await ctx.metricsHandler(), contentType: PROMETHEUS };
      },
    }),
  ];
};
