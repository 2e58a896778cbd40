import { buildOpenApi, type DocumentedRoute } from './openapi/buildOpenApi.js';
import { type ApiRoute, defineRoute, json } from './route.js';

/**
 * GET /v1/openapi.json: built once, from the routes' own schemas, the first time it is asked for.
 * `routes` are all it describes besides itself: the registered routes and the WebSocket's.
 */
export const openApiRoute = (routes: () => readonly DocumentedRoute[]): ApiRoute => {
  let document: unknown;
  const route = defineRoute({
    method: 'GET',
    url: '/v1/openapi.json',
    access: 'authenticated',
    tag: 'operations',
    summary: 'This document',
    responses: { 200: 'OpenAPI 3.1' },
    handler: async () => {
      document ??= buildOpenApi([...routes(), route], { title: 'Chronicle API', version: '1' });
      return json(200, document);
    },
  });
  return route;
};
