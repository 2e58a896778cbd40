import { z } from 'zod';
import { forgetSubject } from '../../eventStore/index.js';
import type { ApiContext } from '../apiContext.js';
import { type ApiRoute, defineRoute, json } from '../route.js';

const Subject = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]+$/u, 'a subject id: 1-200 characters, no control characters');

/** Personal data: forgetting a data subject (admin only; docs/personal-data.md). */
export const subjectRoutes = (ctx: ApiContext): ApiRoute[] => [
  defineRoute({
    method: 'POST',
    url: '/v1/subjects/:subject/forget',
    access: 'admin',
    tag: 'operations',
    summary: 'Forget a data subject: its key is deleted, every reader then sees its personal fields redacted',
    params: z.strictObject({ subject: Subject }),
    body: z.strictObject({ reason: z.string().trim().min(1).max(1_000) }),
    responses: { 200: '{ status: forgotten | already-forgotten, forgetting, … }' },
    handler: async ({ params, body, principal }) =>
      json(
        200,
        await forgetSubject(
          ctx.knex,
          {
            subject: params.subject,
            reason: body.reason,
            forgottenBy: principal?.id ?? 'anonymous',
          },
          ctx.projections,
        ),
      ),
  }),
];
