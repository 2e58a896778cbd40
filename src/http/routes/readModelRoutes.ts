import type { ApiContext } from '../apiContext.js';
import { type ApiRoute, defineRoute } from '../route.js';
import { queryAnswer } from './queryAnswer.js';

/** The deployment's read models, each under `GET /v1/<path>` with role `read`. */
export const readModelRoutes = (ctx: ApiContext): ApiRoute[] =>
  ctx.readModels.map((model) =>
    defineRoute({
      method: 'GET',
      url: `/v1/${model.path}`,
      access: 'read',
      tag: 'read models',
      summary: model.summary,
      query: model.query,
      responses: { 200: 'the read model' },
      handler: async ({ query }) => queryAnswer(await model.run(ctx.knex, query)),
    }),
  );
