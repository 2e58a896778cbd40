import { z } from 'zod';
import {
  readWhatIfDivergences,
  readWhatIfRun,
  readWhatIfRuns,
  WHAT_IF_RUNS_KEPT,
} from '../../eventStore/index.js';
import type { ApiContext } from '../apiContext.js';
import { notFound } from '../httpError.js';
import { type ApiRoute, defineRoute, json } from '../route.js';

/**
 * Saved what-if runs (`chronicle what-if --candidate <config> --save`): the API never loads a
 * candidate config itself (that would run a team's unreviewed code in the api pod); it shows what
 * the CLI found. Admin only: divergences hold command payloads' outcomes and event data.
 */
export const whatIfRoutes = (ctx: ApiContext): ApiRoute[] => [
  defineRoute({
    method: 'GET',
    url: '/v1/what-if/runs',
    access: 'admin',
    tag: 'operations',
    summary: 'Saved what-if runs (chronicle what-if --save), newest first: candidate, options, summary',
    query: z.strictObject({
      limit: z.coerce.number().int().min(1).max(WHAT_IF_RUNS_KEPT).default(WHAT_IF_RUNS_KEPT),
    }),
    responses: { 200: '{ runs: [{ runId, candidate, options, savedAt, summary }] }' },
    handler: async ({ query }) => json(200, { runs: await readWhatIfRuns(ctx.knex, query.limit) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/what-if/runs/:runId',
    access: 'admin',
    tag: 'operations',
    summary:
      'A saved what-if run and a page of its divergences, in the order found (`after`: the last `seq` seen)',
    params: z.strictObject({ runId: z.string().uuid() }),
    query: z.strictObject({
      after: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    responses: {
      200: '{ runId, candidate, options, savedAt, summary, divergences: [{ seq, ... }], next }',
      404: 'no such run',
    },
    handler: async ({ params, query }) => {
      const run = await readWhatIfRun(ctx.knex, params.runId);
      if (!run) throw notFound(`no saved what-if run ${params.runId}`);
      const page = await readWhatIfDivergences(ctx.knex, params.runId, query);
      return json(200, {
        ...run,
        divergences: page.map(({ seq, divergence }) => ({ seq, ...divergence })),
        next: page.length === query.limit ? (page.at(-1)?.seq ?? null) : null,
      });
    },
  }),
];
