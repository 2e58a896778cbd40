import { z } from 'zod';
import { correlationStory } from '../../queries/index.js';
import type { ApiContext } from '../apiContext.js';
import { type ApiRoute, defineRoute } from '../route.js';
import { queryAnswer } from './queryAnswer.js';
import { CorrelationId } from './schemas.js';

export const CorrelationParams = z.strictObject({ correlationId: CorrelationId });

export const correlationRoutes = (ctx: ApiContext): ApiRoute[] => [
  defineRoute({
    method: 'GET',
    url: '/v1/correlations/:correlationId',
    access: 'read',
    tag: 'events',
    summary: "A correlation's causal story: every command (with its answer) and event, each after its cause",
    params: CorrelationParams,
    responses: { 200: '{ correlationId, steps }', 404: 'no command or event of that correlation' },
    handler: async ({ params }) =>
      queryAnswer(await correlationStory(ctx.store, params.correlationId), (steps) => ({
        correlationId: params.correlationId,
        steps,
      })),
  }),
];
